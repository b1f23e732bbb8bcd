/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Datapath test: the real control and worker code on a net_ring port.
 * Frames go into the port's RX ring, one worker iteration runs on this
 * lcore, and the rewritten frames and counters are checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include <rte_arp.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_ring.h>
#include <rte_tcp.h>
#include <rte_timer.h>
#include <rte_udp.h>

#include "lb_cfg.h"
#include "lb_ctrl.h"
#include "lb_sysconf.h"
#include "../unit/eal_test.h"

#define VIP "198.18.0.100"
#define CLIENT "198.18.0.10"

static const char conf_text[] =
	"global_defs {\n"
	"    router_id LB01\n"
	"}\n"
	"vrrp_instance VI_1 {\n"
	"    state MASTER\n"
	"    interface eth0\n"
	"    virtual_router_id 51\n"
	"    priority 150\n"
	"    virtual_ipaddress {\n"
	"        198.18.0.100\n"
	"    }\n"
	"}\n"
	"virtual_server 198.18.0.100 80 {\n"
	"    lb_algo rr\n"
	"    lb_kind DR\n"
	"    protocol TCP\n"
	"    real_server 198.18.0.21 80 {\n"
	"        weight 1\n"
	"    }\n"
	"    real_server 198.18.0.22 80 {\n"
	"        weight 1\n"
	"    }\n"
	"    real_server 198.18.0.23 80 {\n"
	"        weight 0\n"
	"    }\n"
	"}\n"
	"virtual_server 198.18.0.100 53 {\n"
	"    lb_algo wrr\n"
	"    lb_kind DR\n"
	"    protocol UDP\n"
	"    persistence_timeout 60\n"
	"    real_server 198.18.0.21 53 {\n"
	"        weight 1\n"
	"    }\n"
	"    real_server 198.18.0.22 53 {\n"
	"        weight 3\n"
	"    }\n"
	"}\n"
	"virtual_server 198.18.0.101 80 {\n"
	"    lb_algo rr\n"
	"    lb_kind DR\n"
	"    real_server 198.18.0.21 80 {\n"
	"        weight 1\n"
	"    }\n"
	"}\n"
	"vrrp_instance VI_2 {\n"
	"    state BACKUP\n"
	"    interface eth0\n"
	"    virtual_router_id 52\n"
	"    virtual_ipaddress {\n"
	"        198.18.0.101\n"
	"    }\n"
	"}\n";

struct dp {
	struct lb_ctx ctx;
	struct rte_ring *rx, *tx;
	struct lb_worker *w;
	struct rte_ether_addr port_mac;
	volatile bool quit;
};

static struct dp dp;

static const uint8_t rs_mac[3][6] = {
	{ 0x02, 0, 0, 0, 0, 0x21 }, { 0x02, 0, 0, 0, 0, 0x22 }, { 0x02, 0, 0, 0, 0, 0x23 },
};

static uint32_t
ip4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

/* Build Ether/IPv4/TCP-or-UDP; len_adj lets tests truncate or pad. */
static struct rte_mbuf *
mk_l4(const char *src, const char *dst, uint8_t proto, uint16_t sport, uint16_t dport,
      uint8_t tcp_flags)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.ctx.mp);
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	uint16_t l4 = proto == IPPROTO_TCP ? sizeof(struct rte_tcp_hdr) :
					     sizeof(struct rte_udp_hdr);
	uint16_t len = sizeof(*eth) + sizeof(*ip) + l4 + 10;

	assert_non_null(m);
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, len);
	assert_non_null(eth);
	memset(eth, 0, len);
	eth->dst_addr = dp.port_mac;
	eth->src_addr = (struct rte_ether_addr){ { 0x02, 0, 0, 0, 0, 0x10 } };
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(len - sizeof(*eth));
	ip->time_to_live = 64;
	ip->next_proto_id = proto;
	ip->src_addr = ip4(src);
	ip->dst_addr = ip4(dst);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	if (proto == IPPROTO_TCP) {
		struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(ip + 1);

		th->src_port = rte_cpu_to_be_16(sport);
		th->dst_port = rte_cpu_to_be_16(dport);
		th->data_off = 5 << 4;
		th->tcp_flags = tcp_flags;
	} else {
		struct rte_udp_hdr *uh = (struct rte_udp_hdr *)(ip + 1);

		uh->src_port = rte_cpu_to_be_16(sport);
		uh->dst_port = rte_cpu_to_be_16(dport);
		uh->dgram_len = rte_cpu_to_be_16(l4 + 10);
	}
	return m;
}

static void
inject(struct rte_mbuf *m)
{
	assert_int_equal(rte_ring_enqueue(dp.rx, m), 0);
}

/* Run worker + control until quiet; return frames the port sent. */
static unsigned int
run(struct rte_mbuf **out, unsigned int max)
{
	unsigned int i, n = 0;

	for (i = 0; i < 4; i++) {
		lb_worker_poll(dp.w);
		lb_ctrl_poll(&dp.ctx);
	}
	lb_worker_poll(dp.w);
	while (n < max && rte_ring_dequeue(dp.tx, (void **)&out[n]) == 0)
		n++;
	return n;
}

static void
free_all(struct rte_mbuf **m, unsigned int n)
{
	rte_pktmbuf_free_bulk(m, n);
}

/* Drop frames the control lcore sent on its own (gratuitous ARP at start). */
static void
drain(void)
{
	struct rte_mbuf *out[64];
	unsigned int n;

	while ((n = run(out, RTE_DIM(out))) > 0)
		free_all(out, n);
}

static int
rs_index(const struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	int i;

	for (i = 0; i < 3; i++)
		if (memcmp(eth->dst_addr.addr_bytes, rs_mac[i], 6) == 0)
			return i;
	return -1;
}

static uint64_t
cnt(enum lb_fwd_cnt c)
{
	return dp.w->cnt[c];
}

static int
setup(void **state)
{
	struct lb_sysconf sc;
	struct lb_config *cfg;
	unsigned int lcore = rte_lcore_id();
	int port, ret, i;

	(void)state;
	memset(&dp, 0, sizeof(dp));
	dp.rx = rte_ring_create("dp_rx", 1024, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	dp.tx = rte_ring_create("dp_tx", 1024, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	assert_non_null(dp.rx);
	assert_non_null(dp.tx);
	/* the ethdev is named "net_ring_dp0" */
	port = rte_eth_from_rings("dp0", &dp.rx, 1, &dp.tx, 1, SOCKET_ID_ANY);
	assert_true(port >= 0);

	cfg = lb_cfg_parse_string(conf_text, "dp.conf", stderr);
	assert_non_null(cfg);
	lb_sysconf_defaults(&sc);
	snprintf(sc.file, sizeof(sc.file), "dp-dpdk.conf");
	sc.n_ports = 1;
	snprintf(sc.ports[0].name, sizeof(sc.ports[0].name), "eth0");
	snprintf(sc.ports[0].dev, sizeof(sc.ports[0].dev), "net_ring_dp0");
	sc.ports[0].addr = ip4("198.18.0.2");
	sc.ports[0].prefixlen = 24;
	sc.mbufs = 4095;
	sc.mbuf_cache = 32;
	sc.rx_desc = 256;
	sc.tx_desc = 256;
	sc.conn_table_size = 4096;
	sc.neighbors = calloc(3, sizeof(*sc.neighbors));
	assert_non_null(sc.neighbors);
	sc.n_neighbors = 3;
	for (i = 0; i < 3; i++) {
		char a[32];

		snprintf(a, sizeof(a), "198.18.0.%d", 21 + i);
		sc.neighbors[i].ip = ip4(a);
		memcpy(sc.neighbors[i].mac, rs_mac[i], 6);
		sc.neighbors[i].port = 0;
	}
	assert_int_equal(lb_svc_check(cfg, &sc, stderr), 0);

	dp.ctx.log = stderr;
	dp.ctx.force_quit = &dp.quit;
	ret = lb_ctrl_init(&dp.ctx, cfg, &sc, &lcore, 1, stderr);
	assert_int_equal(ret, 0);
	dp.w = dp.ctx.workers[0];
	dp.port_mac = dp.ctx.ports[0].mac;
	rte_rcu_qsbr_thread_online(dp.ctx.sh->qsbr, 0);
	drain();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	if (dp.ctx.sh != NULL)
		rte_rcu_qsbr_thread_offline(dp.ctx.sh->qsbr, 0);
	lb_ctrl_fini(&dp.ctx);
	rte_ring_free(dp.rx);
	rte_ring_free(dp.tx);
	return 0;
}

static void
test_dr_rewrite_and_rr(void **state)
{
	struct rte_mbuf *out[64];
	const struct rte_ether_hdr *eth;
	const struct rte_ipv4_hdr *ip;
	int seen[3] = {0};
	unsigned int i, n;

	(void)state;
	for (i = 0; i < 10; i++)
		inject(mk_l4(CLIENT, VIP, IPPROTO_TCP, 10000 + i, 80, RTE_TCP_SYN_FLAG));
	n = run(out, RTE_DIM(out));
	assert_int_equal(n, 10);
	for (i = 0; i < n; i++) {
		int r = rs_index(out[i]);

		assert_true(r == 0 || r == 1);
		seen[r]++;
		/* rr alternates in order */
		assert_int_equal(r, (int)(i % 2));
		eth = rte_pktmbuf_mtod(out[i], const struct rte_ether_hdr *);
		assert_memory_equal(&eth->src_addr, &dp.port_mac, 6);
		ip = (const struct rte_ipv4_hdr *)(eth + 1);
		/* DR leaves IP untouched: destination is still the VIP */
		assert_int_equal(ip->dst_addr, ip4(VIP));
		assert_int_equal(ip->src_addr, ip4(CLIENT));
		assert_int_equal(ip->time_to_live, 64);
	}
	assert_int_equal(seen[0], 5);
	assert_int_equal(seen[1], 5);
	assert_int_equal(seen[2], 0);	/* weight 0 */
	assert_int_equal(cnt(LB_CNT_new_flows), 10);
	free_all(out, n);
}

static void
test_flow_sticks(void **state)
{
	struct rte_mbuf *out[64];
	uint64_t hits = cnt(LB_CNT_hits);
	unsigned int i, n;
	int first;

	(void)state;
	inject(mk_l4(CLIENT, VIP, IPPROTO_TCP, 20000, 80, RTE_TCP_SYN_FLAG));
	n = run(out, RTE_DIM(out));
	assert_int_equal(n, 1);
	first = rs_index(out[0]);
	free_all(out, n);
	for (i = 0; i < 20; i++)
		inject(mk_l4(CLIENT, VIP, IPPROTO_TCP, 20000, 80,
			     RTE_TCP_ACK_FLAG | (i == 19 ? RTE_TCP_FIN_FLAG : 0)));
	n = run(out, RTE_DIM(out));
	assert_int_equal(n, 20);
	for (i = 0; i < n; i++)
		assert_int_equal(rs_index(out[i]), first);
	assert_int_equal(cnt(LB_CNT_hits) - hits, 20);
	free_all(out, n);
}

static void
test_unknown_non_syn_dropped(void **state)
{
	struct rte_mbuf *out[8];
	uint64_t d = cnt(LB_CNT_not_syn);

	(void)state;
	inject(mk_l4(CLIENT, VIP, IPPROTO_TCP, 30000, 80, RTE_TCP_ACK_FLAG));
	inject(mk_l4(CLIENT, VIP, IPPROTO_TCP, 30001, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG));
	assert_int_equal(run(out, RTE_DIM(out)), 0);
	assert_int_equal(cnt(LB_CNT_not_syn) - d, 2);
}

static void
test_backup_vip_dropped(void **state)
{
	struct rte_mbuf *out[8];
	uint64_t d = cnt(LB_CNT_vip_backup);

	(void)state;
	inject(mk_l4(CLIENT, "198.18.0.101", IPPROTO_TCP, 30000, 80, RTE_TCP_SYN_FLAG));
	assert_int_equal(run(out, RTE_DIM(out)), 0);
	assert_int_equal(cnt(LB_CNT_vip_backup) - d, 1);
}

static void
test_udp_wrr_persistence(void **state)
{
	struct rte_mbuf *out[64];
	unsigned int i, n;
	int first;

	(void)state;
	/* One client, many source ports: persistence keeps it on one server. */
	for (i = 0; i < 16; i++)
		inject(mk_l4(CLIENT, VIP, IPPROTO_UDP, 40000 + i, 53, 0));
	n = run(out, RTE_DIM(out));
	assert_int_equal(n, 16);
	first = rs_index(out[0]);
	assert_true(first == 0 || first == 1);
	for (i = 0; i < n; i++)
		assert_int_equal(rs_index(out[i]), first);
	free_all(out, n);
}

static void
test_malformed_counted(void **state)
{
	struct rte_mbuf *out[8], *m;
	struct rte_ipv4_hdr *ip;
	struct rte_tcp_hdr *th;
	uint64_t before[LB_CNT__MAX];

	(void)state;
	memcpy(before, dp.w->cnt, sizeof(before));
	/* bad IHL */
	m = mk_l4(CLIENT, VIP, IPPROTO_TCP, 1, 80, RTE_TCP_SYN_FLAG);
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, sizeof(struct rte_ether_hdr));
	ip->version_ihl = 0x43;
	inject(m);
	/* TCP data offset 4 */
	m = mk_l4(CLIENT, VIP, IPPROTO_TCP, 2, 80, RTE_TCP_SYN_FLAG);
	th = rte_pktmbuf_mtod_offset(m, struct rte_tcp_hdr *,
				     sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr));
	th->data_off = 4 << 4;
	inject(m);
	/* total length beyond the frame */
	m = mk_l4(CLIENT, VIP, IPPROTO_TCP, 3, 80, RTE_TCP_SYN_FLAG);
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, sizeof(struct rte_ether_hdr));
	ip->total_length = rte_cpu_to_be_16(1400);
	inject(m);
	/* truncated IP header */
	m = mk_l4(CLIENT, VIP, IPPROTO_TCP, 4, 80, RTE_TCP_SYN_FLAG);
	rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - sizeof(struct rte_ether_hdr) - 12);
	inject(m);
	/* truncated TCP header: IP says 20 + 8 */
	m = mk_l4(CLIENT, VIP, IPPROTO_TCP, 5, 80, RTE_TCP_SYN_FLAG);
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, sizeof(struct rte_ether_hdr));
	ip->total_length = rte_cpu_to_be_16(28);
	inject(m);
	/* IP version 6 in an IPv4 ethertype */
	m = mk_l4(CLIENT, VIP, IPPROTO_TCP, 6, 80, RTE_TCP_SYN_FLAG);
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, sizeof(struct rte_ether_hdr));
	ip->version_ihl = 0x65;
	inject(m);
	/* fragment */
	m = mk_l4(CLIENT, VIP, IPPROTO_TCP, 7, 80, RTE_TCP_SYN_FLAG);
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, sizeof(struct rte_ether_hdr));
	ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_MF_FLAG);
	inject(m);
	/* Ethernet runt */
	m = mk_l4(CLIENT, VIP, IPPROTO_TCP, 8, 80, RTE_TCP_SYN_FLAG);
	rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - 10);
	inject(m);
	/* someone else's unicast MAC */
	m = mk_l4(CLIENT, VIP, IPPROTO_TCP, 9, 80, RTE_TCP_SYN_FLAG);
	rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->dst_addr.addr_bytes[5] ^= 0x55;
	inject(m);

	assert_int_equal(run(out, RTE_DIM(out)), 0);
	assert_int_equal(dp.w->cnt[LB_CNT_bad_ihl] - before[LB_CNT_bad_ihl], 1);
	assert_int_equal(dp.w->cnt[LB_CNT_bad_tcp_doff] - before[LB_CNT_bad_tcp_doff], 1);
	assert_int_equal(dp.w->cnt[LB_CNT_bad_ip_len] - before[LB_CNT_bad_ip_len], 1);
	assert_int_equal(dp.w->cnt[LB_CNT_trunc_ip] - before[LB_CNT_trunc_ip], 1);
	assert_int_equal(dp.w->cnt[LB_CNT_trunc_l4] - before[LB_CNT_trunc_l4], 1);
	assert_int_equal(dp.w->cnt[LB_CNT_bad_ip_version] - before[LB_CNT_bad_ip_version], 1);
	assert_int_equal(dp.w->cnt[LB_CNT_ip_frag] - before[LB_CNT_ip_frag], 1);
	assert_int_equal(dp.w->cnt[LB_CNT_trunc_eth] - before[LB_CNT_trunc_eth], 1);
	assert_int_equal(dp.w->cnt[LB_CNT_not_our_mac] - before[LB_CNT_not_our_mac], 1);
	assert_int_equal(dp.w->cnt[LB_CNT_new_flows], before[LB_CNT_new_flows]);
}

static struct rte_mbuf *
mk_arp_request(const char *sip, const char *tip)
{
	struct rte_ether_addr bcast, sha = { { 0x02, 0, 0, 0, 0, 0x10 } }, zero = { { 0 } };

	memset(&bcast, 0xff, sizeof(bcast));
	return lb_arp_build(dp.ctx.mp, RTE_ARP_OP_REQUEST, &bcast, &sha, ip4(sip), &zero,
			    ip4(tip));
}

static void
test_arp_answers(void **state)
{
	struct rte_mbuf *out[8];
	struct lb_arp arp;
	unsigned int n;

	(void)state;
	/* The active VIP and the port address are answered with the port MAC. */
	inject(mk_arp_request(CLIENT, VIP));
	n = run(out, RTE_DIM(out));
	assert_int_equal(n, 1);
	assert_int_equal(lb_arp_parse(out[0], &arp), 0);
	assert_int_equal(arp.op, RTE_ARP_OP_REPLY);
	assert_int_equal(arp.sip, ip4(VIP));
	assert_int_equal(arp.tip, ip4(CLIENT));
	assert_memory_equal(&arp.sha, &dp.port_mac, 6);
	free_all(out, n);

	inject(mk_arp_request(CLIENT, "198.18.0.2"));
	n = run(out, RTE_DIM(out));
	assert_int_equal(n, 1);
	assert_int_equal(lb_arp_parse(out[0], &arp), 0);
	assert_int_equal(arp.sip, ip4("198.18.0.2"));
	free_all(out, n);

	/* A BACKUP instance's VIP and strangers are not answered. */
	inject(mk_arp_request(CLIENT, "198.18.0.101"));
	inject(mk_arp_request(CLIENT, "198.18.0.77"));
	assert_int_equal(run(out, RTE_DIM(out)), 0);
}

static void
test_not_a_service_goes_to_control(void **state)
{
	struct rte_mbuf *out[8];
	uint64_t u = dp.ctx.cnt[LB_CTRL_unhandled];

	(void)state;
	inject(mk_l4(CLIENT, "198.18.0.2", IPPROTO_TCP, 5555, 22, RTE_TCP_SYN_FLAG));
	inject(mk_l4(CLIENT, VIP, IPPROTO_TCP, 5555, 8080, RTE_TCP_SYN_FLAG));
	assert_int_equal(run(out, RTE_DIM(out)), 0);
	assert_int_equal(dp.ctx.cnt[LB_CTRL_unhandled] - u, 2);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dr_rewrite_and_rr),
		cmocka_unit_test(test_flow_sticks),
		cmocka_unit_test(test_unknown_non_syn_dropped),
		cmocka_unit_test(test_backup_vip_dropped),
		cmocka_unit_test(test_udp_wrr_persistence),
		cmocka_unit_test(test_malformed_counted),
		cmocka_unit_test(test_arp_answers),
		cmocka_unit_test(test_not_a_service_goes_to_control),
	};
	int ret;

	(void)argc;
	if (lb_test_eal_init(argv[0], "dp_ring", 256) != 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	rte_timer_subsystem_init();
	ret = cmocka_run_group_tests_name("datapath_ring", tests, setup, teardown);
	rte_timer_subsystem_finalize();
	rte_eal_cleanup();
	return ret;
}

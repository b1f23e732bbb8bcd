/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Datapath test of scheduling policy on a net_ring port: mh through the
 * worker, the unknown_tcp policy (a flow surviving a director failover),
 * persistence_granularity, and weight-0 draining of established flows.
 *
 * Each test builds its own context (lb.conf text, scheduler, unknown_tcp)
 * so that "another director" is a fresh context with the same config.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>

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
#define N_RS 4

/*
 * lb_algo is rr in the text: the parser learns sh/dh/mh/sed/nq with the
 * config issue; until then the test sets the scheduler in the parsed config.
 */
static const char conf_text[] =
	"vrrp_instance VI_1 {\n"
	"    state MASTER\n"
	"    interface eth0\n"
	"    virtual_router_id 51\n"
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
	"        weight 1\n"
	"    }\n"
	"    real_server 198.18.0.24 80 {\n"
	"        weight 1\n"
	"    }\n"
	"}\n"
	"virtual_server 198.18.0.100 443 {\n"
	"    lb_algo rr\n"
	"    lb_kind DR\n"
	"    protocol TCP\n"
	"    persistence_timeout 300\n"
	"    real_server 198.18.0.21 443 {\n"
	"        weight 1\n"
	"    }\n"
	"    real_server 198.18.0.22 443 {\n"
	"        weight 1\n"
	"    }\n"
	"}\n";

struct dp {
	struct lb_ctx ctx;
	struct rte_ring *rx, *tx;
	struct lb_worker *w;
	struct rte_ether_addr port_mac;
	volatile bool quit;
	int port;
	unsigned int n_up;
	bool up;
};

static struct dp dp;

static uint32_t
ip4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static struct rte_mbuf *
mk_tcp(uint32_t src, uint16_t sport, uint16_t dport, uint8_t flags)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.ctx.mp);
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_tcp_hdr *th;
	uint16_t len = sizeof(*eth) + sizeof(*ip) + sizeof(*th);

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
	ip->next_proto_id = IPPROTO_TCP;
	ip->src_addr = src;
	ip->dst_addr = ip4(VIP);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	th = (struct rte_tcp_hdr *)(ip + 1);
	th->src_port = rte_cpu_to_be_16(sport);
	th->dst_port = rte_cpu_to_be_16(dport);
	th->data_off = 5 << 4;
	th->tcp_flags = flags;
	return m;
}

/* Run one packet through the worker; return the real server index it went to, or -1. */
static int
send1(struct rte_mbuf *m)
{
	struct rte_mbuf *out[8];
	unsigned int n = 0, i;
	int r = -1;

	assert_int_equal(rte_ring_enqueue(dp.rx, m), 0);
	for (i = 0; i < 3; i++) {
		lb_worker_poll(dp.w);
		lb_ctrl_poll(&dp.ctx);
	}
	while (n < RTE_DIM(out) && rte_ring_dequeue(dp.tx, (void **)&out[n]) == 0)
		n++;
	for (i = 0; i < n; i++) {
		const struct rte_ether_hdr *eth =
			rte_pktmbuf_mtod(out[i], const struct rte_ether_hdr *);

		/*
		 * Control frames (gratuitous ARP, VRRP adverts) are broadcast or
		 * multicast; forwarded ones are unicast to a real server.
		 */
		if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4) &&
		    !rte_is_multicast_ether_addr(&eth->dst_addr)) {
			assert_int_equal(r, -1);
			assert_int_equal(eth->dst_addr.addr_bytes[0], 0x02);
			r = eth->dst_addr.addr_bytes[5] - 0x21;
			assert_true(r >= 0 && r < N_RS);
		}
	}
	rte_pktmbuf_free_bulk(out, n);
	return r;
}

static uint64_t
cnt(enum lb_fwd_cnt c)
{
	return dp.w->cnt[c];
}

/* Start a director: this config with the given scheduler on both services. */
static void
director_up(enum lb_sched_algo algo, enum lb_unknown_tcp policy)
{
	unsigned int lcore = rte_lcore_id(), i;
	struct lb_config *cfg;
	struct lb_sysconf sc;
	char name[16];
	int ret;

	memset(&dp.ctx, 0, sizeof(dp.ctx));
	/* lb_ctrl_fini() closes the port: make it anew for every director. */
	snprintf(name, sizeof(name), "dps%u", dp.n_up++);
	dp.port = rte_eth_from_rings(name, &dp.rx, 1, &dp.tx, 1, SOCKET_ID_ANY);
	assert_true(dp.port >= 0);
	cfg = lb_cfg_parse_string(conf_text, "dp-sched.conf", stderr);
	assert_non_null(cfg);
	for (i = 0; i < cfg->n_vs; i++)
		cfg->vs[i].sched = algo;
	lb_sysconf_defaults(&sc);
	snprintf(sc.file, sizeof(sc.file), "dp-sched-dpdk.conf");
	sc.n_ports = 1;
	snprintf(sc.ports[0].name, sizeof(sc.ports[0].name), "eth0");
	snprintf(sc.ports[0].dev, sizeof(sc.ports[0].dev), "net_ring_%s", name);
	sc.ports[0].addr = ip4("198.18.0.2");
	sc.ports[0].prefixlen = 24;
	sc.mbufs = 2047;
	sc.mbuf_cache = 32;
	sc.rx_desc = 256;
	sc.tx_desc = 256;
	sc.conn_table_size = 4096;
	sc.unknown_tcp = policy;
	sc.neighbors = calloc(N_RS, sizeof(*sc.neighbors));
	assert_non_null(sc.neighbors);
	sc.n_neighbors = N_RS;
	for (i = 0; i < N_RS; i++) {
		const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, (uint8_t)(0x21 + i) };

		sc.neighbors[i].ip = htonl(0xc6120015 + i);	/* 198.18.0.21 + i */
		memcpy(sc.neighbors[i].mac, mac, 6);
	}
	assert_int_equal(lb_svc_check(cfg, &sc, stderr), 0);
	dp.ctx.log = fopen("/dev/null", "w");
	dp.ctx.force_quit = &dp.quit;
	ret = lb_ctrl_init(&dp.ctx, cfg, &sc, &lcore, 1, stderr);
	assert_int_equal(ret, 0);
	dp.w = dp.ctx.workers[0];
	dp.port_mac = dp.ctx.ports[0].mac;
	rte_rcu_qsbr_thread_online(dp.ctx.sh->qsbr, 0);
	dp.up = true;
}

static void
director_down(void)
{
	FILE *log = dp.ctx.log;
	void *m;

	if (!dp.up)
		return;
	rte_rcu_qsbr_thread_offline(dp.ctx.sh->qsbr, 0);
	lb_ctrl_fini(&dp.ctx);
	if (log != NULL)
		fclose(log);
	/* Frames left in the TX ring belonged to the old mempool. */
	while (rte_ring_dequeue(dp.tx, &m) == 0)
		;
	dp.up = false;
}

static int
setup(void **state)
{
	(void)state;
	dp.rx = rte_ring_create("dps_rx", 1024, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	dp.tx = rte_ring_create("dps_tx", 1024, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
	return dp.rx == NULL || dp.tx == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	director_down();
	rte_ring_free(dp.rx);
	rte_ring_free(dp.tx);
	return 0;
}

static int
test_end(void **state)
{
	(void)state;
	director_down();
	return 0;
}

/* mh spreads clients over every real server and keeps a client on one. */
static void
test_mh_spreads(void **state)
{
	unsigned int seen[N_RS] = { 0 }, i;

	(void)state;
	director_up(LB_SCHED_MH, LB_UNKNOWN_TCP_MH_ONLY);
	for (i = 0; i < 200; i++) {
		int r = send1(mk_tcp(htonl(0x0a000000 + i * 7), 1000, 80, RTE_TCP_SYN_FLAG));

		assert_true(r >= 0);
		seen[r]++;
		/* Same client, another port: same server (mh hashes the address). */
		assert_int_equal(send1(mk_tcp(htonl(0x0a000000 + i * 7), 2000, 80,
					      RTE_TCP_SYN_FLAG)), r);
	}
	for (i = 0; i < N_RS; i++)
		assert_true(seen[i] > 20);
	assert_int_equal(cnt(LB_CNT_new_flows), 400);
}

/*
 * Failover: director A carries a connection; director B (same config, an
 * empty table) sees its next ACK. Under mh it goes to the same server and
 * is tracked from then on; FIN and RST are scheduled too.
 */
static void
test_mh_failover(void **state)
{
	int before[32], i;

	(void)state;
	director_up(LB_SCHED_MH, LB_UNKNOWN_TCP_MH_ONLY);
	for (i = 0; i < 32; i++) {
		before[i] = send1(mk_tcp(htonl(0x0a010000 + (uint32_t)i * 13), 5000, 80,
					 RTE_TCP_SYN_FLAG));
		assert_true(before[i] >= 0);
	}
	director_down();

	director_up(LB_SCHED_MH, LB_UNKNOWN_TCP_MH_ONLY);
	for (i = 0; i < 32; i++)
		assert_int_equal(send1(mk_tcp(htonl(0x0a010000 + (uint32_t)i * 13), 5000, 80,
					      RTE_TCP_ACK_FLAG)), before[i]);
	assert_int_equal(cnt(LB_CNT_unknown_sched), 32);
	assert_int_equal(cnt(LB_CNT_not_syn), 0);
	/* Now tracked: the next packets are hits. */
	for (i = 0; i < 32; i++)
		assert_int_equal(send1(mk_tcp(htonl(0x0a010000 + (uint32_t)i * 13), 5000, 80,
					      RTE_TCP_ACK_FLAG)), before[i]);
	assert_int_equal(cnt(LB_CNT_hits), 32);
	assert_int_equal(cnt(LB_CNT_unknown_sched), 32);
	/* FIN and RST of unknown flows reach the same server. */
	assert_int_equal(send1(mk_tcp(htonl(0x0a010000), 5001, 80,
				      RTE_TCP_FIN_FLAG | RTE_TCP_ACK_FLAG)), before[0]);
	assert_int_equal(send1(mk_tcp(htonl(0x0a010000), 5002, 80, RTE_TCP_RST_FLAG)),
			 before[0]);
	assert_int_equal(cnt(LB_CNT_unknown_sched), 34);
}

/* "drop": even under mh, an unknown non-SYN is dropped and counted. */
static void
test_policy_drop(void **state)
{
	(void)state;
	director_up(LB_SCHED_MH, LB_UNKNOWN_TCP_DROP);
	assert_int_equal(send1(mk_tcp(htonl(0x0a000001), 5000, 80, RTE_TCP_ACK_FLAG)), -1);
	assert_int_equal(cnt(LB_CNT_not_syn), 1);
	assert_int_equal(cnt(LB_CNT_unknown_sched), 0);
	assert_true(send1(mk_tcp(htonl(0x0a000001), 5000, 80, RTE_TCP_SYN_FLAG)) >= 0);
}

/* "mh-only" under rr drops; "schedule" under rr schedules. */
static void
test_policy_mh_only_and_schedule(void **state)
{
	(void)state;
	director_up(LB_SCHED_RR, LB_UNKNOWN_TCP_MH_ONLY);
	assert_int_equal(send1(mk_tcp(htonl(0x0a000001), 5000, 80, RTE_TCP_ACK_FLAG)), -1);
	assert_int_equal(cnt(LB_CNT_not_syn), 1);
	director_down();

	director_up(LB_SCHED_RR, LB_UNKNOWN_TCP_SCHEDULE);
	assert_int_equal(send1(mk_tcp(htonl(0x0a000001), 5000, 80, RTE_TCP_ACK_FLAG)), 0);
	assert_int_equal(send1(mk_tcp(htonl(0x0a000001), 5000, 80, RTE_TCP_ACK_FLAG)), 0);
	assert_int_equal(send1(mk_tcp(htonl(0x0a000001), 5001, 80, RTE_TCP_ACK_FLAG)), 1);
	assert_int_equal(cnt(LB_CNT_not_syn), 0);
	assert_int_equal(cnt(LB_CNT_unknown_sched), 2);
	assert_int_equal(cnt(LB_CNT_hits), 1);
}

/* The other new schedulers run through the worker too. */
static void
test_each_scheduler_forwards(void **state)
{
	static const enum lb_sched_algo algos[] = {
		LB_SCHED_SED, LB_SCHED_NQ, LB_SCHED_SH, LB_SCHED_DH,
	};
	unsigned int a, i;

	(void)state;
	for (a = 0; a < RTE_DIM(algos); a++) {
		unsigned int seen[N_RS] = { 0 }, used = 0;

		director_up(algos[a], LB_UNKNOWN_TCP_MH_ONLY);
		for (i = 0; i < 64; i++) {
			int r = send1(mk_tcp(htonl(0x0a020000 + i * 101), (uint16_t)(3000 + i), 80,
					     RTE_TCP_SYN_FLAG));

			assert_true(r >= 0);
			seen[r]++;
			/* sed and nq count ESTABLISHED connections: complete the handshake. */
			assert_int_equal(send1(mk_tcp(htonl(0x0a020000 + i * 101),
						      (uint16_t)(3000 + i), 80, RTE_TCP_ACK_FLAG)), r);
		}
		for (i = 0; i < N_RS; i++)
			used += seen[i] > 0;
		/* dh hashes the destination (one VIP): one server. The rest spread. */
		assert_int_equal(used, algos[a] == LB_SCHED_DH ? 1u : (unsigned int)N_RS);
		/* An unknown ACK is dropped: these are not mh. */
		assert_int_equal(send1(mk_tcp(htonl(0x0a030000), 1, 80, RTE_TCP_ACK_FLAG)), -1);
		director_down();
	}
}

/*
 * persistence_granularity: clients of one /24 share a template. The parser
 * keeps the whole address until lb.conf gives the mask: set it in the
 * snapshot as lb_svc_build will.
 */
static void
test_persistence_granularity(void **state)
{
	struct lb_svc *svc;
	int first, r;
	unsigned int i;

	(void)state;
	director_up(LB_SCHED_RR, LB_UNKNOWN_TCP_MH_ONLY);
	svc = dp.ctx.sh->svc;
	assert_int_equal(svc->vs[1].persist_mask, UINT32_MAX);
	/* Whole-address templates: rr alternates between two clients of a /24. */
	first = send1(mk_tcp(htonl(0x0a040001), 6000, 443, RTE_TCP_SYN_FLAG));
	r = send1(mk_tcp(htonl(0x0a040002), 6000, 443, RTE_TCP_SYN_FLAG));
	assert_int_equal(r, 1 - first);

	svc->vs[1].persist_mask = htonl(0xffffff00);
	first = send1(mk_tcp(htonl(0x0a050001), 6000, 443, RTE_TCP_SYN_FLAG));
	for (i = 2; i < 40; i++)
		assert_int_equal(send1(mk_tcp(htonl(0x0a050000 + i), (uint16_t)(6000 + i), 443,
					      RTE_TCP_SYN_FLAG)), first);
	/* Another /24 starts its own template (rr moves on). */
	r = send1(mk_tcp(htonl(0x0a060001), 6000, 443, RTE_TCP_SYN_FLAG));
	assert_int_equal(r, 1 - first);
}

/* Weight 0 drains: established flows stay, new ones go elsewhere. */
static void
test_drain_keeps_established(void **state)
{
	struct lb_svc *svc;
	int r[8], i;

	(void)state;
	director_up(LB_SCHED_MH, LB_UNKNOWN_TCP_MH_ONLY);
	for (i = 0; i < 8; i++) {
		r[i] = send1(mk_tcp(htonl(0x0a070000 + (uint32_t)i * 977), 7000, 80,
				    RTE_TCP_SYN_FLAG));
		assert_true(r[i] >= 0);
		assert_int_equal(send1(mk_tcp(htonl(0x0a070000 + (uint32_t)i * 977), 7000, 80,
					      RTE_TCP_ACK_FLAG)), r[i]);
	}
	/* Drain the first one's server in the live snapshot's scheduler view. */
	svc = dp.ctx.sh->svc;
	svc->sched_rs_all[svc->vs[0].rs[r[0]].id].weight = 0;
	svc->rs_all[svc->vs[0].rs[r[0]].id].weight = 0;
	lb_sched_group_fini(&svc->vs[0].grp);
	assert_int_equal(lb_sched_group_build(&svc->vs[0].grp), 0);
	for (i = 0; i < 8; i++)
		assert_int_equal(send1(mk_tcp(htonl(0x0a070000 + (uint32_t)i * 977), 7000, 80,
					      RTE_TCP_ACK_FLAG)), r[i]);
	/* A new connection of that client goes elsewhere. */
	i = send1(mk_tcp(htonl(0x0a070000), 7001, 80, RTE_TCP_SYN_FLAG));
	assert_true(i >= 0 && i != r[0]);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_mh_spreads, test_end),
		cmocka_unit_test_teardown(test_mh_failover, test_end),
		cmocka_unit_test_teardown(test_policy_drop, test_end),
		cmocka_unit_test_teardown(test_policy_mh_only_and_schedule, test_end),
		cmocka_unit_test_teardown(test_each_scheduler_forwards, test_end),
		cmocka_unit_test_teardown(test_persistence_granularity, test_end),
		cmocka_unit_test_teardown(test_drain_keeps_established, test_end),
	};
	int ret;

	(void)argc;
	if (lb_test_eal_init(argv[0], "dp_sched", 256) != 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	rte_timer_subsystem_init();
	ret = cmocka_run_group_tests_name("datapath_sched", tests, setup, teardown);
	rte_timer_subsystem_finalize();
	rte_eal_cleanup();
	return ret;
}

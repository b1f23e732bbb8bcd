/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for the worker's packet parser (lb_fwd_parse). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "lb_fwd.h"
#include "eal_test.h"

static struct rte_mempool *mp;
static const struct rte_ether_addr our_mac = { { 0x02, 0, 0, 0, 0, 0x02 } };

struct frame {
	struct rte_ether_hdr eth;
	struct rte_ipv4_hdr ip;
	union {
		struct rte_tcp_hdr tcp;
		struct rte_udp_hdr udp;
	} l4;
	uint8_t payload[16];
} __rte_packed;

static void
base(struct frame *f, uint8_t proto)
{
	memset(f, 0, sizeof(*f));
	f->eth.dst_addr = our_mac;
	f->eth.ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	f->ip.version_ihl = RTE_IPV4_VHL_DEF;
	f->ip.total_length = rte_cpu_to_be_16(sizeof(*f) - sizeof(f->eth));
	f->ip.next_proto_id = proto;
	f->ip.src_addr = RTE_BE32(0xc612000a);	/* 198.18.0.10 */
	f->ip.dst_addr = RTE_BE32(0xc6120064);	/* 198.18.0.100 */
	f->l4.tcp.src_port = RTE_BE16(40000);
	f->l4.tcp.dst_port = RTE_BE16(80);
	if (proto == IPPROTO_TCP) {
		f->l4.tcp.data_off = 5 << 4;
		f->l4.tcp.tcp_flags = RTE_TCP_SYN_FLAG;
	}
}

/* Parse the first len bytes of f. */
static enum lb_parse_verdict
parse(const void *f, uint16_t len, struct lb_pkt *pkt)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	enum lb_parse_verdict v;
	void *d;

	assert_non_null(m);
	d = rte_pktmbuf_append(m, len);
	assert_non_null(d);
	memcpy(d, f, len);
	v = lb_fwd_parse(m, &our_mac, pkt);
	rte_pktmbuf_free(m);
	return v;
}

static void
expect_drop(const void *f, uint16_t len, enum lb_fwd_cnt reason)
{
	struct lb_pkt pkt;

	assert_int_equal(parse(f, len, &pkt), LB_PARSE_DROP);
	assert_string_equal(lb_fwd_cnt_name(pkt.drop), lb_fwd_cnt_name(reason));
}

static void
test_tcp_ok(void **state)
{
	struct frame f;
	struct lb_pkt pkt;

	(void)state;
	base(&f, IPPROTO_TCP);
	assert_int_equal(parse(&f, sizeof(f), &pkt), LB_PARSE_FLOW);
	assert_int_equal(pkt.key.saddr, f.ip.src_addr);
	assert_int_equal(pkt.key.daddr, f.ip.dst_addr);
	assert_int_equal(pkt.key.sport, RTE_BE16(40000));
	assert_int_equal(pkt.key.dport, RTE_BE16(80));
	assert_int_equal(pkt.key.proto, IPPROTO_TCP);
	assert_int_equal(pkt.tcp_flags, RTE_TCP_SYN_FLAG);
	/* Ethernet padding after the IP datagram is fine. */
	f.ip.total_length = rte_cpu_to_be_16(sizeof(f.ip) + sizeof(f.l4.tcp));
	assert_int_equal(parse(&f, sizeof(f), &pkt), LB_PARSE_FLOW);
}

static void
test_udp_ok(void **state)
{
	struct frame f;
	struct lb_pkt pkt;

	(void)state;
	base(&f, IPPROTO_UDP);
	assert_int_equal(parse(&f, sizeof(f), &pkt), LB_PARSE_FLOW);
	assert_int_equal(pkt.key.proto, IPPROTO_UDP);
	assert_int_equal(pkt.tcp_flags, 0);
}

static void
test_l2(void **state)
{
	struct frame f;
	struct lb_pkt pkt;

	(void)state;
	base(&f, IPPROTO_TCP);
	expect_drop(&f, 13, LB_CNT_trunc_eth);
	expect_drop(&f, 0, LB_CNT_trunc_eth);
	f.eth.dst_addr.addr_bytes[5] = 0x99;
	expect_drop(&f, sizeof(f), LB_CNT_not_our_mac);
	memset(&f.eth.dst_addr, 0xff, 6);	/* broadcast is accepted */
	assert_int_equal(parse(&f, sizeof(f), &pkt), LB_PARSE_FLOW);
	f.eth.ether_type = RTE_BE16(RTE_ETHER_TYPE_ARP);
	assert_int_equal(parse(&f, sizeof(f), &pkt), LB_PARSE_CTL);
	f.eth.ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
	assert_int_equal(parse(&f, sizeof(f), &pkt), LB_PARSE_CTL);
}

static void
test_ip_malformed(void **state)
{
	struct frame f;

	(void)state;
	base(&f, IPPROTO_TCP);
	expect_drop(&f, sizeof(f.eth) + 19, LB_CNT_trunc_ip);
	expect_drop(&f, sizeof(f.eth), LB_CNT_trunc_ip);
	f.ip.version_ihl = 0x65;
	expect_drop(&f, sizeof(f), LB_CNT_bad_ip_version);
	f.ip.version_ihl = 0x43;
	expect_drop(&f, sizeof(f), LB_CNT_bad_ihl);
	f.ip.version_ihl = 0x40;
	expect_drop(&f, sizeof(f), LB_CNT_bad_ihl);
	/* IHL 15 (60 bytes) beyond a 56-byte datagram */
	f.ip.version_ihl = 0x4f;
	expect_drop(&f, sizeof(f), LB_CNT_bad_ihl);
	base(&f, IPPROTO_TCP);
	f.ip.total_length = rte_cpu_to_be_16(1500);
	expect_drop(&f, sizeof(f), LB_CNT_bad_ip_len);
	f.ip.total_length = rte_cpu_to_be_16(19);
	expect_drop(&f, sizeof(f), LB_CNT_bad_ip_len);
	base(&f, IPPROTO_TCP);
	f.ip.fragment_offset = RTE_BE16(RTE_IPV4_HDR_MF_FLAG);
	expect_drop(&f, sizeof(f), LB_CNT_ip_frag);
	f.ip.fragment_offset = RTE_BE16(100);
	expect_drop(&f, sizeof(f), LB_CNT_ip_frag);
	/* DF alone is not a fragment */
	f.ip.fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	{
		struct lb_pkt pkt;

		assert_int_equal(parse(&f, sizeof(f), &pkt), LB_PARSE_FLOW);
	}
}

static void
test_l4_malformed(void **state)
{
	struct frame f;
	struct lb_pkt pkt;

	(void)state;
	base(&f, IPPROTO_TCP);
	f.ip.total_length = rte_cpu_to_be_16(sizeof(f.ip) + 19);
	expect_drop(&f, sizeof(f), LB_CNT_trunc_l4);
	base(&f, IPPROTO_TCP);
	f.l4.tcp.data_off = 4 << 4;
	expect_drop(&f, sizeof(f), LB_CNT_bad_tcp_doff);
	f.l4.tcp.data_off = 0;
	expect_drop(&f, sizeof(f), LB_CNT_bad_tcp_doff);
	/* options longer than the segment */
	f.l4.tcp.data_off = 15 << 4;
	expect_drop(&f, sizeof(f), LB_CNT_trunc_l4);
	base(&f, IPPROTO_UDP);
	f.ip.total_length = rte_cpu_to_be_16(sizeof(f.ip) + 7);
	expect_drop(&f, sizeof(f), LB_CNT_trunc_l4);
	/* ICMP and others go to control */
	base(&f, IPPROTO_ICMP);
	assert_int_equal(parse(&f, sizeof(f), &pkt), LB_PARSE_CTL);
}

static void
test_counter_names(void **state)
{
	(void)state;
	assert_string_equal(lb_fwd_cnt_name(LB_CNT_bad_ihl), "bad_ihl");
	assert_string_equal(lb_fwd_cnt_name(LB_CNT_rx), "rx");
	assert_string_equal(lb_fwd_cnt_name(LB_CNT__MAX), "?");
	assert_true(LB_CNT_DROP_FIRST > LB_CNT_ctl_tx);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_ok),
		cmocka_unit_test(test_udp_ok),
		cmocka_unit_test(test_l2),
		cmocka_unit_test(test_ip_malformed),
		cmocka_unit_test(test_l4_malformed),
		cmocka_unit_test(test_counter_names),
	};
	int ret;

	(void)argc;
	if (lb_test_eal_init(argv[0], "fwd", 64) != 0)
		return 1;
	mp = rte_pktmbuf_pool_create("t_fwd", 255, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     SOCKET_ID_ANY);
	if (mp == NULL)
		return 1;
	ret = cmocka_run_group_tests_name("fwd_parse", tests, NULL, NULL);
	rte_mempool_free(mp);
	rte_eal_cleanup();
	return ret;
}

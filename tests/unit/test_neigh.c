/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for the neighbour table and the ARP codec. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_mbuf.h>

#include "lb_neigh.h"
#include "eal_test.h"

static struct rte_mempool *mp;
static const struct rte_ether_addr mac_a = { { 0x02, 0, 0, 0, 0, 0x21 } };
static const struct rte_ether_addr mac_b = { { 0x02, 0, 0, 0, 0, 0x22 } };

static uint32_t
ip4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static void
count_cb(const struct lb_neigh_entry *e, void *arg)
{
	(void)e;
	(*(unsigned int *)arg)++;
}

static void
test_static_and_learn(void **state)
{
	struct lb_neigh *n = lb_neigh_create("t_neigh1", 8, 30);
	const struct lb_neigh_entry *e;
	uint64_t now = rte_rdtsc();

	(void)state;
	assert_non_null(n);
	assert_int_equal(lb_neigh_add_static(n, ip4("198.18.0.21"), &mac_a, 0), 0);
	assert_int_equal(lb_neigh_add_static(n, ip4("198.18.0.21"), &mac_b, 0), -EEXIST);
	e = lb_neigh_lookup(n, ip4("198.18.0.21"));
	assert_non_null(e);
	assert_int_equal(e->state, LB_NEIGH_STATIC);
	/* static entries never change */
	assert_int_equal(lb_neigh_learn(n, ip4("198.18.0.21"), &mac_b, 0, now), 0);
	assert_memory_equal(&e->mac, &mac_a, 6);
	/* strangers are not learnt */
	assert_int_equal(lb_neigh_learn(n, ip4("198.18.0.99"), &mac_b, 0, now), 0);
	assert_null(lb_neigh_lookup(n, ip4("198.18.0.99")));
	/* wanted entries are */
	assert_int_equal(lb_neigh_want(n, ip4("198.18.0.22"), 0), 0);
	e = lb_neigh_lookup(n, ip4("198.18.0.22"));
	assert_int_equal(e->state, LB_NEIGH_INCOMPLETE);
	assert_int_equal(lb_neigh_learn(n, ip4("198.18.0.22"), &mac_b, 0, now), 1);
	assert_int_equal(e->state, LB_NEIGH_REACHABLE);
	assert_memory_equal(&e->mac, &mac_b, 6);
	assert_int_equal(lb_neigh_learn(n, ip4("198.18.0.22"), &mac_b, 0, now), 0);
	assert_int_equal(lb_neigh_learn(n, ip4("198.18.0.22"), &mac_a, 0, now), 1);
	/* broadcast or zero MACs are refused */
	{
		struct rte_ether_addr bc, zero = { { 0 } };

		memset(&bc, 0xff, sizeof(bc));
		assert_int_equal(lb_neigh_learn(n, ip4("198.18.0.22"), &bc, 0, now), 0);
		assert_int_equal(lb_neigh_learn(n, ip4("198.18.0.22"), &zero, 0, now), 0);
		assert_memory_equal(&e->mac, &mac_a, 6);
	}
	lb_neigh_free(n);
}

static void
test_probe_schedule(void **state)
{
	struct lb_neigh *n = lb_neigh_create("t_neigh2", 4, 30);
	uint64_t hz = rte_get_tsc_hz(), now = rte_rdtsc();
	unsigned int c = 0;

	(void)state;
	assert_int_equal(lb_neigh_add_static(n, ip4("198.18.0.20"), &mac_a, 0), 0);
	assert_int_equal(lb_neigh_want(n, ip4("198.18.0.21"), 0), 0);
	assert_int_equal(lb_neigh_want(n, ip4("198.18.0.22"), 0), 0);
	/* both wanted entries are due at once, the static one never */
	assert_int_equal(lb_neigh_due(n, now, count_cb, &c), 2);
	assert_int_equal(c, 2);
	/* retried after a second while unresolved */
	assert_int_equal(lb_neigh_due(n, now + hz / 2, count_cb, &c), 0);
	assert_int_equal(lb_neigh_due(n, now + hz + 1, count_cb, &c), 2);
	/* an answered entry waits for the refresh interval */
	lb_neigh_learn(n, ip4("198.18.0.21"), &mac_a, 0, now + hz + 2);
	assert_int_equal(lb_neigh_due(n, now + 3 * hz, count_cb, &c), 1);
	assert_int_equal(lb_neigh_due(n, now + 32 * hz, count_cb, &c), 2);
	/* full table */
	assert_int_equal(lb_neigh_want(n, ip4("198.18.0.23"), 0), 0);
	assert_int_equal(lb_neigh_want(n, ip4("198.18.0.24"), 0), -ENOSPC);
	c = 0;
	lb_neigh_foreach(n, count_cb, &c);
	assert_int_equal(c, 4);
	lb_neigh_free(n);
}

static void
test_arp_codec(void **state)
{
	struct rte_ether_addr bc, zero = { { 0 } };
	struct rte_mbuf *m;
	struct rte_arp_hdr *arp;
	struct lb_arp a;

	(void)state;
	memset(&bc, 0xff, sizeof(bc));
	m = lb_arp_build(mp, RTE_ARP_OP_REQUEST, &bc, &mac_a, ip4("198.18.0.2"), &zero,
			 ip4("198.18.0.21"));
	assert_non_null(m);
	assert_int_equal(rte_pktmbuf_data_len(m), 60);	/* padded to the Ethernet minimum */
	assert_int_equal(lb_arp_parse(m, &a), 0);
	assert_int_equal(a.op, RTE_ARP_OP_REQUEST);
	assert_int_equal(a.sip, ip4("198.18.0.2"));
	assert_int_equal(a.tip, ip4("198.18.0.21"));
	assert_memory_equal(&a.sha, &mac_a, 6);
	/* malformed: bad opcode, bad hardware type, truncated */
	arp = rte_pktmbuf_mtod_offset(m, struct rte_arp_hdr *, sizeof(struct rte_ether_hdr));
	arp->arp_opcode = RTE_BE16(9);
	assert_int_equal(lb_arp_parse(m, &a), -EINVAL);
	arp->arp_opcode = RTE_BE16(RTE_ARP_OP_REPLY);
	arp->arp_hardware = RTE_BE16(6);
	assert_int_equal(lb_arp_parse(m, &a), -EINVAL);
	arp->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	arp->arp_plen = 16;
	assert_int_equal(lb_arp_parse(m, &a), -EINVAL);
	arp->arp_plen = 4;
	assert_int_equal(lb_arp_parse(m, &a), 0);
	rte_pktmbuf_trim(m, rte_pktmbuf_data_len(m) - 20);
	assert_int_equal(lb_arp_parse(m, &a), -EINVAL);
	rte_pktmbuf_free(m);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_static_and_learn),
		cmocka_unit_test(test_probe_schedule),
		cmocka_unit_test(test_arp_codec),
	};
	int ret;

	(void)argc;
	if (lb_test_eal_init(argv[0], "neigh", 128) != 0)
		return 1;
	mp = rte_pktmbuf_pool_create("t_neigh", 63, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     SOCKET_ID_ANY);
	if (mp == NULL)
		return 1;
	ret = cmocka_run_group_tests_name("neigh", tests, NULL, NULL);
	rte_mempool_free(mp);
	rte_eal_cleanup();
	return ret;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for the service snapshot and lb.conf-vs-dpdk.conf checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <string.h>
#include <stdio.h>
#include <cmocka.h>

#include <rte_byteorder.h>

#include "lb_svc_ids.h"
#include "lb_svc.h"
#include "eal_test.h"

static const char conf[] =
	"vrrp_instance VI_1 {\n"
	"    state MASTER\n"
	"    interface eth0\n"
	"    virtual_router_id 51\n"
	"    virtual_ipaddress {\n"
	"        198.18.0.100\n"
	"    }\n"
	"}\n"
	"vrrp_instance VI_2 {\n"
	"    state BACKUP\n"
	"    interface eth0\n"
	"    virtual_router_id 52\n"
	"    virtual_ipaddress {\n"
	"        198.18.0.101\n"
	"    }\n"
	"}\n"
	"virtual_server 198.18.0.100 80 {\n"
	"    lb_algo wlc\n"
	"    lb_kind DR\n"
	"    real_server 198.18.0.21 80 {\n"
	"        weight 2\n"
	"    }\n"
	"    real_server 198.18.0.22 80 {\n"
	"        weight 0\n"
	"    }\n"
	"}\n"
	"virtual_server 198.18.0.101 443 {\n"
	"    lb_algo rr\n"
	"    lb_kind DR\n"
	"    protocol UDP\n"
	"    persistence_timeout 100\n"
	"    real_server 198.18.0.23 443 {\n"
	"        weight 1\n"
	"    }\n"
	"}\n";

static uint32_t
ip4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static void
mk_sysconf(struct lb_sysconf *sc)
{
	lb_sysconf_defaults(sc);
	snprintf(sc->file, sizeof(sc->file), "t.dpdk.conf");
	sc->n_ports = 1;
	snprintf(sc->ports[0].name, sizeof(sc->ports[0].name), "eth0");
	snprintf(sc->ports[0].dev, sizeof(sc->ports[0].dev), "net_null0");
	sc->ports[0].addr = ip4("198.18.0.2");
	sc->ports[0].prefixlen = 24;
}

static void
test_build_and_lookup(void **state)
{
	struct lb_config *cfg = lb_cfg_parse_string(conf, "t.conf", NULL);
	bool master[2] = { true, false };
	struct lb_svc_input in = { .cfg = cfg, .vrrp_master = master, .gen = 7 };
	const struct lb_svc_vs *vs;
	struct lb_sysconf sc;
	struct lb_svc *svc;

	(void)state;
	assert_non_null(cfg);
	mk_sysconf(&sc);
	in.sc = &sc;
	assert_int_equal(lb_svc_check(cfg, &sc, NULL), 0);
	svc = lb_svc_build(&in);
	assert_non_null(svc);
	assert_int_equal(svc->gen, 7);
	assert_int_equal(svc->n_vs, 2);
	assert_int_equal(svc->n_rs, 3);

	vs = lb_svc_lookup(svc, ip4("198.18.0.100"), RTE_BE16(80), IPPROTO_TCP);
	assert_non_null(vs);
	assert_int_equal(vs->id, 0);
	assert_true(vs->active);
	assert_int_equal(vs->grp.algo, LB_SCHED_WLC);
	assert_int_equal(vs->n_rs, 2);
	assert_int_equal(vs->rs[0].ip, ip4("198.18.0.21"));
	assert_int_equal(vs->rs[0].weight, 2);
	assert_int_equal(vs->rs[1].weight, 0);
	assert_int_equal(vs->grp.rs[1].weight, 0);
	assert_ptr_equal(svc->rs_by_id[1], &vs->rs[1]);
	/* wrong port or protocol: no service */
	assert_null(lb_svc_lookup(svc, ip4("198.18.0.100"), RTE_BE16(81), IPPROTO_TCP));
	assert_null(lb_svc_lookup(svc, ip4("198.18.0.100"), RTE_BE16(80), IPPROTO_UDP));

	vs = lb_svc_lookup(svc, ip4("198.18.0.101"), RTE_BE16(443), IPPROTO_UDP);
	assert_non_null(vs);
	assert_false(vs->active);	/* its instance is BACKUP */
	assert_int_equal(vs->persist_timeout, 100);
	assert_int_equal(vs->rs[0].id, 2);
	assert_int_equal(vs->rs[0].vs_id, 1);
	lb_svc_free(svc);

	/* The same config with the other instance master flips the flags. */
	master[0] = false;
	master[1] = true;
	in.gen = 8;
	svc = lb_svc_build(&in);
	assert_non_null(svc);
	assert_false(svc->vs[0].active);
	assert_true(svc->vs[1].active);
	lb_svc_free(svc);

	/* Health from the checkers: .21 removed, .22 alive at weight 5, .23 inhibited. */
	{
		struct lb_svc_rs_health h[3] = {
			{ .alive = false, .weight = 2 }, { .alive = true, .weight = 5 },
			{ .alive = true, .weight = 0 },
		};

		in.rs_health = h;
		in.gen = 9;
		svc = lb_svc_build(&in);
		assert_non_null(svc);
		assert_null(svc->rs_by_id[0]);
		assert_int_equal(svc->vs[0].rs[0].weight, 0);
		assert_int_equal(svc->vs[0].grp.rs[0].weight, 0);
		assert_int_equal(svc->rs_all[0].ip, ip4("198.18.0.21"));	/* MAC sync */
		assert_int_equal(svc->vs[0].rs[1].weight, 5);
		assert_int_equal(svc->vs[0].grp.rs[1].weight, 5);
		assert_non_null(svc->rs_by_id[2]);
		assert_int_equal(svc->rs_by_id[2]->weight, 0);
		lb_svc_free(svc);
	}
	lb_cfg_free(cfg);
	lb_sysconf_free(&sc);
}

/* Scheduler tables and the unknown_tcp policy land in the snapshot. */
static void
test_sched_tables_and_policy(void **state)
{
	static const enum lb_unknown_tcp pol[] = {
		LB_UNKNOWN_TCP_MH_ONLY, LB_UNKNOWN_TCP_DROP, LB_UNKNOWN_TCP_SCHEDULE,
	};
	/* [policy][vs0 algo is mh?]: vs0 is TCP; vs1 is UDP, never concerned. */
	static const bool expect[3][2] = { { false, true }, { false, false }, { true, true } };
	struct lb_config *cfg = lb_cfg_parse_string(conf, "t.conf", NULL);
	bool master[2] = { true, true };
	struct lb_svc_input in = { .cfg = cfg, .vrrp_master = master, .gen = 1 };
	struct lb_sysconf sc;
	struct lb_svc *svc;
	unsigned int p, mh, i, slots[2];

	(void)state;
	assert_non_null(cfg);
	mk_sysconf(&sc);
	in.sc = &sc;
	for (p = 0; p < 3; p++) {
		for (mh = 0; mh < 2; mh++) {
			cfg->vs[0].sched = mh ? LB_SCHED_MH : LB_SCHED_WLC;
			sc.unknown_tcp = pol[p];
			svc = lb_svc_build(&in);
			assert_non_null(svc);
			assert_int_equal(svc->vs[0].sched_unknown_tcp, expect[p][mh]);
			assert_false(svc->vs[1].sched_unknown_tcp);
			assert_int_equal(svc->vs[0].persist_mask, UINT32_MAX);
			if (!mh) {
				assert_null(svc->vs[0].grp.table);
			} else {
				/* Weight 2 and a drained server: every slot is the first's. */
				assert_int_equal(svc->vs[0].grp.table_size, LB_SCHED_MH_SIZE);
				slots[0] = slots[1] = 0;
				for (i = 0; i < LB_SCHED_MH_SIZE; i++) {
					assert_true(svc->vs[0].grp.table[i] < 2);
					slots[svc->vs[0].grp.table[i]]++;
				}
				assert_int_equal(slots[0], LB_SCHED_MH_SIZE);
				assert_int_equal(svc->vs[0].grp.rs[0].addr, ip4("198.18.0.21"));
				assert_int_equal(svc->vs[0].grp.rs[0].port, RTE_BE16(80));
			}
			lb_svc_free(svc);
		}
	}
	/* sh and dh get their 256-bucket tables. */
	cfg->vs[0].sched = LB_SCHED_SH;
	cfg->vs[1].sched = LB_SCHED_DH;
	svc = lb_svc_build(&in);
	assert_non_null(svc);
	assert_int_equal(svc->vs[0].grp.table_size, LB_SCHED_HT_SIZE);
	assert_int_equal(svc->vs[1].grp.table_size, LB_SCHED_HT_SIZE);
	lb_svc_free(svc);
	lb_cfg_free(cfg);
	lb_sysconf_free(&sc);
}

static void
test_check_errors(void **state)
{
	static const char bad[] =
		"vrrp_instance VI_1 {\n"
		"    interface eth9\n"
		"    virtual_router_id 51\n"
		"    virtual_ipaddress {\n"
		"        198.18.0.100\n"
		"    }\n"
		"}\n"
		"virtual_server 198.18.0.100 80 {\n"
		"    lb_kind DR\n"
		"    real_server 198.19.0.21 80 {\n"
		"    }\n"
		"    real_server 198.18.0.22 8080 {\n"
		"    }\n"
		"}\n";
	struct lb_config *cfg = lb_cfg_parse_string(bad, "bad.conf", NULL);
	struct lb_sysconf sc;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(cfg);
	mk_sysconf(&sc);
	assert_int_equal(lb_svc_check(cfg, &sc, f), -EINVAL);
	fclose(f);
	assert_non_null(strstr(buf, "bad.conf:1: error: vrrp_instance VI_1: interface 'eth9'"));
	assert_non_null(strstr(buf, "bad.conf:10: error: real_server 198.19.0.21 is on no port"));
	assert_non_null(strstr(buf, "bad.conf:12: error: real_server port 8080 differs"));
	free(buf);
	lb_cfg_free(cfg);
	lb_sysconf_free(&sc);
}

/* FULLNAT: local addresses must be on-link and in one group; the snapshot lists them. */
static void
test_fnat_laddrs(void **state)
{
	static const char text[] =
		"local_address_group a {\n"
		"    198.18.0.50-51\n"
		"}\n"
		"local_address_group b {\n"
		"    198.18.0.51\n"
		"    198.19.0.1\n"
		"}\n"
		"virtual_server 198.18.0.100 80 {\n"
		"    lb_kind FNAT\n"
		"    laddr_group_name b\n"
		"    real_server 198.18.0.21 8080 {\n"
		"    }\n"
		"}\n"
		"virtual_server 198.18.0.100 81 {\n"
		"    lb_kind FNAT\n"
		"    laddr_group_name a\n"
		"    real_server 198.18.0.21 8080 {\n"
		"    }\n"
		"}\n";
	struct lb_config *cfg = lb_cfg_parse_string(text, "f.conf", NULL);
	struct lb_svc_input in = { .gen = 1 };
	struct lb_sysconf sc;
	struct lb_svc *svc;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(cfg);
	mk_sysconf(&sc);
	assert_int_equal(lb_svc_check(cfg, &sc, f), -EINVAL);
	fclose(f);
	assert_non_null(strstr(buf, "f.conf:4: error: local address 198.18.0.51 is also in "
				    "local_address_group 'a'"));
	assert_non_null(strstr(buf, "f.conf:4: error: local address 198.19.0.1 of "
				    "local_address_group 'b' is on no port's subnet"));
	free(buf);
	in.cfg = cfg;
	in.sc = &sc;
	svc = lb_svc_build(&in);
	assert_non_null(svc);
	assert_int_equal(svc->n_laddr, 4);
	assert_int_equal(svc->vs[0].laddr_first, 2);
	assert_int_equal(svc->vs[0].n_laddr, 2);
	assert_int_equal(svc->vs[1].laddr_first, 0);
	assert_int_equal(svc->vs[1].n_laddr, 2);
	assert_int_equal(lb_svc_laddr_index(svc, ip4("198.18.0.51")), 1);
	assert_int_equal(lb_svc_laddr_index(svc, ip4("198.18.0.52")), -1);
	lb_svc_free(svc);
	lb_cfg_free(cfg);
	lb_sysconf_free(&sc);
}

/* NAT real servers are marked for the workers' reply redirect; others are not. */
static void
test_nat_rs_bits(void **state)
{
	static const char text[] =
		"virtual_server 198.18.0.100 80 {\n"
		"    lb_kind NAT\n"
		"    real_server 198.18.0.21 8080 {\n"
		"    }\n"
		"    real_server 198.18.0.22 8080 {\n"
		"    }\n"
		"}\n"
		"virtual_server 198.18.0.101 80 {\n"
		"    lb_kind DR\n"
		"    real_server 198.18.0.23 80 {\n"
		"    }\n"
		"}\n";
	struct lb_config *cfg = lb_cfg_parse_string(text, "n.conf", NULL);
	struct lb_svc_input in = { .gen = 1 };
	struct lb_sysconf sc;
	struct lb_svc *svc;
	unsigned int i, set = 0;

	(void)state;
	assert_non_null(cfg);
	mk_sysconf(&sc);
	in.cfg = cfg;
	in.sc = &sc;
	svc = lb_svc_build(&in);
	assert_non_null(svc);
	assert_int_equal(svc->n_nat_rs, 2);
	assert_true(lb_svc_nat_rs_maybe(svc, ip4("198.18.0.21"), RTE_BE16(8080)));
	assert_true(lb_svc_nat_rs_maybe(svc, ip4("198.18.0.22"), RTE_BE16(8080)));
	for (i = 0; i < RTE_DIM(svc->nat_rs_bits); i++)
		set += (unsigned int)__builtin_popcountll(svc->nat_rs_bits[i]);
	assert_true(set >= 1 && set <= 2);
	/* the DR server, a NAT server's other port: (almost surely) not marked */
	assert_false(lb_svc_nat_rs_maybe(svc, ip4("198.18.0.23"), RTE_BE16(80)) &&
		     lb_svc_nat_rs_maybe(svc, ip4("198.18.0.21"), RTE_BE16(80)));
	lb_svc_free(svc);
	lb_cfg_free(cfg);
	lb_sysconf_free(&sc);
}

/* conf with the first virtual server's real servers changed. */
static struct lb_config *
conf_with(const char *from, const char *to)
{
	char buf[sizeof(conf) + 256], *p;
	struct lb_config *cfg;

	p = strstr(conf, from);
	assert_non_null(p);
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(p - conf), conf, to, p + strlen(from));
	cfg = lb_cfg_parse_string(buf, "t.conf", NULL);
	assert_non_null(cfg);
	return cfg;
}

static void
test_ids_stable(void **state)
{
	struct lb_config *c1 = lb_cfg_parse_string(conf, "t.conf", NULL);
	struct lb_config *c2, *c3;
	struct lb_svc_idmap *empty = calloc(1, sizeof(*empty));
	struct lb_svc_idmap *m1 = calloc(1, sizeof(*m1));
	struct lb_svc_idmap *m2 = calloc(1, sizeof(*m2));
	struct lb_svc_idmap *m3 = calloc(1, sizeof(*m3));
	struct lb_svc_ids ids1, ids2, ids3;

	(void)state;
	assert_non_null(c1);
	assert_true(empty != NULL && m1 != NULL && m2 != NULL && m3 != NULL);
	/* From an empty map: positional ids. */
	assert_int_equal(lb_svc_ids_assign(empty, c1, 0, 100, m1, &ids1), 0);
	assert_int_equal(ids1.rs_id[0], 0);
	assert_int_equal(ids1.rs_id[1], 1);
	assert_int_equal(ids1.rs_id[2], 2);
	assert_int_equal(ids1.vs_id[1], 1);
	assert_int_equal(ids1.n_rs_ids, 3);
	assert_int_equal(ids1.n_vs_ids, 2);

	/* .22 removed, .24 added: .21 and .23 keep 0 and 2, .24 gets 3 (1 is quarantined). */
	c2 = conf_with("198.18.0.22 80", "198.18.0.24 80");
	assert_int_equal(lb_svc_ids_assign(m1, c2, 10, 100, m2, &ids2), 0);
	assert_int_equal(ids2.rs_id[0], 0);
	assert_int_equal(ids2.rs_id[1], 3);
	assert_int_equal(ids2.rs_id[2], 2);
	assert_int_equal(ids2.n_rs_ids, 4);
	assert_true(lb_svc_ids_rs_removed(m1, m2, 1));
	assert_false(lb_svc_ids_rs_removed(m1, m2, 0));
	assert_int_equal(m2->rs[1].state, LB_SVC_ID_RETIRED);

	/* After the quarantine, id 1 is free again: .25 takes it. */
	c3 = conf_with("198.18.0.22 80", "198.18.0.25 80");
	assert_int_equal(lb_svc_ids_assign(m2, c3, 50, 100, m3, &ids3), 0);
	assert_int_equal(ids3.rs_id[1], 3 + 1);	/* still quarantined at t=50 */
	lb_svc_ids_free(&ids3);
	assert_int_equal(lb_svc_ids_assign(m2, c3, 111, 100, m3, &ids3), 0);
	assert_int_equal(ids3.rs_id[1], 1);
	assert_int_equal(m3->rs[3].state, LB_SVC_ID_RETIRED);	/* .24 went away */

	lb_svc_ids_free(&ids1);
	lb_svc_ids_free(&ids2);
	lb_svc_ids_free(&ids3);
	free(empty);
	free(m1);
	free(m2);
	free(m3);
	lb_cfg_free(c1);
	lb_cfg_free(c2);
	lb_cfg_free(c3);
}

static void
test_build_ids_overrides(void **state)
{
	struct lb_config *cfg = lb_cfg_parse_string(conf, "t.conf", NULL);
	bool master[2] = { true, true };
	uint32_t vs_id[2] = { 5, 1 }, rs_id[3] = { 7, 4, 9 };
	struct lb_svc_ids ids = { .vs_id = vs_id, .rs_id = rs_id, .n_vs_ids = 6, .n_rs_ids = 10 };
	static struct lb_svc_override ovr[LB_MAX_RS];
	struct lb_svc_input in = { .cfg = cfg, .vrrp_master = master, .gen = 1, .ids = &ids,
				   .ovr = ovr };
	const struct lb_svc_vs *vs;
	struct lb_sysconf sc;
	struct lb_svc *svc;
	unsigned int i;

	(void)state;
	assert_non_null(cfg);
	mk_sysconf(&sc);
	in.sc = &sc;
	for (i = 0; i < LB_MAX_RS; i++)
		ovr[i].weight = -1;
	ovr[4].weight = 6;		/* .22: weight 0 -> 6 */
	ovr[7].disabled = true;		/* .21: out of service */
	svc = lb_svc_build(&in);
	assert_non_null(svc);
	assert_int_equal(svc->n_vs, 6);
	assert_false(svc->vs[0].used);
	vs = lb_svc_lookup(svc, ip4("198.18.0.100"), RTE_BE16(80), IPPROTO_TCP);
	assert_non_null(vs);
	assert_int_equal(vs->id, 5);
	assert_int_equal(vs->rs[0].id, 7);
	assert_true(vs->rs[0].disabled);
	assert_int_equal(vs->grp.rs[0].weight, 0);	/* never scheduled */
	assert_null(svc->rs_by_id[7]);			/* its flows are dropped */
	assert_int_equal(vs->rs[1].weight, 6);
	assert_int_equal(vs->rs[1].cfg_weight, 0);
	assert_ptr_equal(svc->rs_by_id[4], &vs->rs[1]);
	assert_int_equal(svc->rs_by_id[9]->vs_id, 1);
	lb_svc_free(svc);

	/* Duplicate ids are refused. */
	rs_id[2] = 4;
	assert_null(lb_svc_build(&in));
	lb_cfg_free(cfg);
	lb_sysconf_free(&sc);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_and_lookup),
		cmocka_unit_test(test_sched_tables_and_policy),
		cmocka_unit_test(test_check_errors),
		cmocka_unit_test(test_fnat_laddrs),
		cmocka_unit_test(test_nat_rs_bits),
		cmocka_unit_test(test_ids_stable),
		cmocka_unit_test(test_build_ids_overrides),
	};
	int ret;

	(void)argc;
	if (lb_test_eal_init(argv[0], "svc", 128) != 0)
		return 1;
	ret = cmocka_run_group_tests_name("svc", tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}

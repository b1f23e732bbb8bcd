/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for lib/sched: rr, wrr, lc, wlc, sed, nq, sh, dh, mh with IPVS's semantics. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "lb_sched.h"

#define N_RS_MAX 16
#define DIM(a) (sizeof(a) / sizeof((a)[0]))

struct fixture {
	struct lb_sched_rs rs[N_RS_MAX];
	struct lb_sched_group g;
	struct lb_sched_state st;
	struct lb_rs_counts *w0;	/* fake worker 0 counters, [LB_MAX_RS] */
	struct lb_rs_counts *w1;	/* fake worker 1 counters */
	struct lb_sched_counts c;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	f->w0 = calloc(LB_MAX_RS, sizeof(*f->w0));
	f->w1 = calloc(LB_MAX_RS, sizeof(*f->w1));
	if (f->w0 == NULL || f->w1 == NULL) {
		free(f->w0);
		free(f->w1);
		free(f);
		return -1;
	}
	f->c.per_worker[0] = f->w0;
	f->c.per_worker[1] = f->w1;
	f->c.n_workers = 2;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	lb_sched_group_fini(&f->g);
	free(f->w0);
	free(f->w1);
	free(f);
	return 0;
}

/* Build a group of n servers with ids 100, 101, ... and the given weights. */
static struct lb_sched_group *
mkgroup(struct fixture *f, enum lb_sched_algo algo, const uint32_t *w, uint32_t n)
{
	uint32_t i;

	assert_true(n <= N_RS_MAX);
	lb_sched_group_fini(&f->g);
	for (i = 0; i < n; i++) {
		f->rs[i].id = 100 + i;
		f->rs[i].weight = w[i];
		f->rs[i].addr = htonl(0xc6120015 + i);	/* 198.18.0.21 + i */
		f->rs[i].port = htons(80);
	}
	f->g.algo = algo;
	f->g.rs = f->rs;
	f->g.n = n;
	f->g.flags = 0;
	assert_int_equal(lb_sched_group_build(&f->g), 0);
	lb_sched_state_init(&f->st);
	return &f->g;
}

static void
test_state_init(void **state)
{
	struct lb_sched_state st = { .idx = 7, .cw = 9 };

	(void)state;
	lb_sched_state_init(&st);
	assert_int_equal(st.idx, -1);
	assert_int_equal(st.cw, 0);
}

static void
test_group_init(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w1[] = { 4, 6, 10 };
	static const uint32_t w2[] = { 0, 9, 0, 6 };
	static const uint32_t w3[] = { 0, 0 };
	static const uint32_t w4[] = { 7, 5 };
	struct lb_sched_group *g;

	g = mkgroup(f, LB_SCHED_WRR, w1, 3);
	assert_int_equal(g->max_weight, 10);
	assert_int_equal(g->gcd, 2);
	g = mkgroup(f, LB_SCHED_WRR, w2, 4);
	assert_int_equal(g->max_weight, 9);
	assert_int_equal(g->gcd, 3);	/* zero weights ignored */
	g = mkgroup(f, LB_SCHED_WRR, w3, 2);
	assert_int_equal(g->max_weight, 0);
	assert_int_equal(g->gcd, 0);
	g = mkgroup(f, LB_SCHED_WRR, w4, 2);
	assert_int_equal(g->max_weight, 7);
	assert_int_equal(g->gcd, 1);
	g = mkgroup(f, LB_SCHED_WRR, w4, 0);
	assert_int_equal(g->max_weight, 0);
	assert_int_equal(g->gcd, 0);
}

static void
test_rr_exact(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 1, 5, 1 };	/* rr ignores the size of weights */
	unsigned int cnt[3] = { 0 }, i;
	struct lb_sched_group *g = mkgroup(f, LB_SCHED_RR, w, 3);

	for (i = 0; i < 300; i++) {
		int r = lb_sched_select(g, &f->st, NULL);

		assert_int_equal(r, (int)(i % 3));
		cnt[r]++;
	}
	assert_int_equal(cnt[0], 100);
	assert_int_equal(cnt[1], 100);
	assert_int_equal(cnt[2], 100);
}

static void
test_rr_skips_zero(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 0, 1, 0, 2, 0 };
	static const int expect[] = { 1, 3, 1, 3, 1, 3 };
	struct lb_sched_group *g = mkgroup(f, LB_SCHED_RR, w, 5);
	unsigned int i;

	for (i = 0; i < DIM(expect); i++)
		assert_int_equal(lb_sched_select(g, &f->st, NULL), expect[i]);

	/* Draining the last chosen server moves on to the next one. */
	f->rs[1].weight = 0;
	assert_int_equal(lb_sched_select(g, &f->st, NULL), 3);
	assert_int_equal(lb_sched_select(g, &f->st, NULL), 3);
}

static void
test_rr_single(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 1 };
	struct lb_sched_group *g = mkgroup(f, LB_SCHED_RR, w, 1);
	int i;

	for (i = 0; i < 5; i++)
		assert_int_equal(lb_sched_select(g, &f->st, NULL), 0);
}

static void
test_rr_stale_state(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 1, 1 };
	struct lb_sched_group *g = mkgroup(f, LB_SCHED_RR, w, 2);

	/* An index from a bigger, older group restarts at the first server. */
	f->st.idx = 40;
	assert_int_equal(lb_sched_select(g, &f->st, NULL), 0);
	f->st.idx = -17;
	assert_int_equal(lb_sched_select(g, &f->st, NULL), 0);
	assert_int_equal(lb_sched_select(g, &f->st, NULL), 1);
}

static void
test_wrr_order_and_proportion(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 1, 2, 3 };
	/* IPVS: cw=3 -> C; cw=2 -> B C; cw=1 -> A B C. */
	static const int cycle[] = { 2, 1, 2, 0, 1, 2 };
	unsigned int cnt[3] = { 0 }, i;
	struct lb_sched_group *g = mkgroup(f, LB_SCHED_WRR, w, 3);

	for (i = 0; i < 600; i++) {
		int r = lb_sched_select(g, &f->st, NULL);

		assert_int_equal(r, cycle[i % 6]);
		cnt[r]++;
	}
	assert_int_equal(cnt[0], 100);
	assert_int_equal(cnt[1], 200);
	assert_int_equal(cnt[2], 300);
}

static void
test_wrr_gcd(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 4, 2 };
	/* max 4, gcd 2: cw=4 -> A; cw=2 -> A B. */
	static const int cycle[] = { 0, 0, 1 };
	struct lb_sched_group *g = mkgroup(f, LB_SCHED_WRR, w, 2);
	unsigned int i;

	for (i = 0; i < 30; i++)
		assert_int_equal(lb_sched_select(g, &f->st, NULL), cycle[i % 3]);
}

static void
test_wrr_zero_weight(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 2, 0, 1, 0 };
	/* max 2: cw=2 -> A; cw=1 -> A C. */
	static const int cycle[] = { 0, 0, 2 };
	unsigned int cnt[4] = { 0 }, i;
	struct lb_sched_group *g = mkgroup(f, LB_SCHED_WRR, w, 4);

	for (i = 0; i < 300; i++) {
		int r = lb_sched_select(g, &f->st, NULL);

		assert_int_equal(r, cycle[i % 3]);
		cnt[r]++;
	}
	assert_int_equal(cnt[0], 200);
	assert_int_equal(cnt[1], 0);
	assert_int_equal(cnt[2], 100);
	assert_int_equal(cnt[3], 0);
}

static void
test_wrr_equal_weights(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 5, 5, 5 };
	struct lb_sched_group *g = mkgroup(f, LB_SCHED_WRR, w, 3);
	unsigned int i;

	for (i = 0; i < 30; i++)
		assert_int_equal(lb_sched_select(g, &f->st, NULL), (int)(i % 3));
}

static void
test_wrr_big_weights(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 0x80000000u, 0, 0xffffffffu };
	struct lb_sched_group *g = mkgroup(f, LB_SCHED_WRR, w, 3);
	unsigned int i;

	assert_int_equal(g->max_weight, 0xffffffffu);
	assert_int_equal(g->gcd, 1);
	/* cw starts at max: only the heaviest server until cw <= 2^31. */
	for (i = 0; i < 1000; i++)
		assert_int_equal(lb_sched_select(g, &f->st, NULL), 2);
}

static void
test_all_zero(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 0, 0, 0 };
	enum lb_sched_algo a;

	for (a = LB_SCHED_RR; a < LB_SCHED__MAX; a++) {
		struct lb_sched_group *g = mkgroup(f, a, w, 3);

		assert_int_equal(lb_sched_select(g, &f->st, &f->c), -1);
		assert_int_equal(lb_sched_select(g, &f->st, &f->c), -1);
	}
}

static void
test_empty_group(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 1 };
	enum lb_sched_algo a;

	for (a = LB_SCHED_RR; a < LB_SCHED__MAX; a++) {
		struct lb_sched_group *g = mkgroup(f, a, w, 0);

		assert_int_equal(lb_sched_select(g, &f->st, &f->c), -1);
		g->rs = NULL;
		assert_int_equal(lb_sched_select(g, &f->st, &f->c), -1);
	}
}

static void
test_bad_algo(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 1, 1 };
	struct lb_sched_group *g = mkgroup(f, LB_SCHED__MAX, w, 2);

	assert_int_equal(lb_sched_select(g, &f->st, &f->c), -1);
}

static void
test_rs_load_sums_workers(void **state)
{
	struct fixture *f = *state;
	struct lb_rs_counts r;

	f->w0[7].active = 3;
	f->w0[7].inactive = 10;
	f->w1[7].active = 4;
	f->w1[7].inactive = 1;
	r = lb_sched_rs_load(&f->c, 7);
	assert_int_equal(r.active, 7);
	assert_int_equal(r.inactive, 11);

	r = lb_sched_rs_load(&f->c, 8);
	assert_int_equal(r.active, 0);
	assert_int_equal(r.inactive, 0);

	/* Only n_workers arrays are read; NULL arrays are skipped. */
	f->c.n_workers = 1;
	r = lb_sched_rs_load(&f->c, 7);
	assert_int_equal(r.active, 3);
	f->c.n_workers = 3;
	r = lb_sched_rs_load(&f->c, 7);
	assert_int_equal(r.active, 7);

	/* Out-of-range id and NULL counters read as no load. */
	r = lb_sched_rs_load(&f->c, LB_MAX_RS);
	assert_int_equal(r.active, 0);
	r = lb_sched_rs_load(NULL, 7);
	assert_int_equal(r.active, 0);
	assert_int_equal(r.inactive, 0);

	/* The sum saturates instead of wrapping. */
	f->w0[9].active = UINT32_MAX;
	f->w1[9].active = 5;
	r = lb_sched_rs_load(&f->c, 9);
	assert_int_equal(r.active, UINT32_MAX);
}

static void
test_lc_sums_workers(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 1, 1, 1 };
	struct lb_sched_group *g = mkgroup(f, LB_SCHED_LC, w, 3);

	/* Worker 0 alone would pick 100, worker 1 alone 102: the sum picks 101. */
	f->w0[100].inactive = 0;
	f->w0[101].inactive = 40;
	f->w0[102].inactive = 100;
	f->w1[100].inactive = 100;
	f->w1[101].inactive = 40;
	f->w1[102].inactive = 0;
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 1);
	/* lc keeps no state: same answer again. */
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 1);

	f->c.n_workers = 1;
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 0);
	f->c.n_workers = 2;

	/* A drained server is never chosen, however idle. */
	f->w0[100].inactive = 0;
	f->w1[100].inactive = 0;
	f->rs[0].weight = 0;
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 1);

	/* Ties go to the first in group order. */
	f->rs[0].weight = 1;
	f->w0[102].inactive = 80;
	f->w1[102].inactive = 0;
	f->w0[100].inactive = 80;
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 0);

	/* No counters: all idle, first usable server. */
	f->rs[0].weight = 0;
	assert_int_equal(lb_sched_select(g, &f->st, NULL), 1);
}

static void
test_lc_active_weighs_256(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 1, 1 };
	struct lb_sched_group *g = mkgroup(f, LB_SCHED_LC, w, 2);

	f->w0[100].active = 1;		/* overhead 256 */
	f->w1[101].inactive = 255;
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 1);
	f->w1[101].inactive = 256;	/* tie: first */
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 0);
	f->w1[101].inactive = 257;
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 0);
	/* Split over workers: 1 active on w0 + 1 active on w1 = 512. */
	f->w1[100].active = 1;
	f->w1[101].inactive = 511;
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 1);
	f->w0[101].inactive = 2;	/* 513 */
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 0);
}

static void
test_wlc_weights(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 1, 3 };
	struct lb_sched_group *g = mkgroup(f, LB_SCHED_WLC, w, 2);

	/* weight 1 with 2 conns (512) vs weight 3 with 3 conns (768/3 = 256). */
	f->w0[100].active = 1;
	f->w1[100].active = 1;
	f->w0[101].active = 2;
	f->w1[101].active = 1;
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 1);

	/* lc on the same counters picks the weight-1 server. */
	g->algo = LB_SCHED_LC;
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 0);
	g->algo = LB_SCHED_WLC;

	/* weight 3 with 6 conns: 1536/3 = 512 = 512/1, a tie: first. */
	f->w0[101].active = 5;
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 0);
	f->w0[101].active = 4;		/* 1280/3 < 512 */
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 1);
	f->w0[101].inactive = 257;	/* 1537/3 > 512 */
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 0);

	/* Drained: never chosen. */
	f->rs[0].weight = 0;
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 1);
}

static void
test_wlc_first_usable_and_big(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 0, 2, 0xffffffffu, 1 };
	struct lb_sched_group *g = mkgroup(f, LB_SCHED_WLC, w, 4);

	/* All idle: the first server with weight > 0. */
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 1);

	/* Products beyond 64 bits must not wrap. */
	f->w0[101].active = UINT32_MAX;
	f->w1[101].active = UINT32_MAX;
	f->w0[102].active = UINT32_MAX;
	f->w1[102].active = UINT32_MAX;
	f->w0[103].active = UINT32_MAX;
	f->w1[103].active = UINT32_MAX;
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 2);
}

static void
test_wlc_no_wrap(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 1, (1u << 24) + 1 };
	struct lb_sched_group *g = mkgroup(f, LB_SCHED_WLC, w, 2);

	/*
	 * loh = 2^40 (2^32 active), h: 2^40 + 256 over weight 2^24 + 1.
	 * loh * h->weight = 2^64 + 2^40: a 64-bit product would wrap to
	 * 2^40 < doh and keep the first server.
	 */
	f->w0[100].active = 1u << 31;
	f->w1[100].active = 1u << 31;
	f->w0[101].active = 1u << 31;
	f->w1[101].active = 1u << 31;
	f->w0[101].inactive = 256;
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 1);
}

/* Distribution: sed and nq, fed back through the active counters. */
static void
test_sed_distribution(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 1, 2, 3, 0 };
	struct lb_sched_group *g = mkgroup(f, LB_SCHED_SED, w, 4);
	unsigned int i;

	/* (active + 1) / weight: idle servers rank by weight, heaviest first. */
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 2);
	/* Each new connection becomes active: the split follows the weights. */
	for (i = 0; i < 600; i++) {
		int r = lb_sched_select(g, &f->st, &f->c);

		assert_true(r >= 0 && r < 3);
		f->w0[100 + r].active++;
	}
	assert_int_equal(f->w0[100].active, 100);
	assert_int_equal(f->w0[101].active, 200);
	assert_int_equal(f->w0[102].active, 300);
	assert_int_equal(f->w0[103].active, 0);	/* drained */

	/* Only active connections count: inactive ones do not move sed. */
	f->w1[102].inactive = 100000;
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 2);
}

static void
test_sed_ties_and_workers(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 2, 2 };
	struct lb_sched_group *g = mkgroup(f, LB_SCHED_SED, w, 2);

	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 0);	/* tie: first */
	f->w0[100].active = 1;
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 1);
	f->w1[101].active = 2;		/* summed over workers: 3 vs 2 */
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 0);
}

static void
test_nq(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 5, 1, 1 };
	struct lb_sched_group *g = mkgroup(f, LB_SCHED_NQ, w, 3);
	unsigned int i, cnt[3] = { 0 };

	/* Idle servers first, in group order, whatever their weight. */
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 0);
	f->w0[100].active = 10;
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 1);
	f->w1[101].active = 1;
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 2);
	/* Nobody idle: sed. 11/5 vs 2/1 vs 2/1 (server 2 now has 1). */
	f->w0[102].active = 1;
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 1);
	/* A drained idle server is not idle for nq. */
	f->rs[1].weight = 0;
	f->w1[101].active = 0;
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), 2);

	/* Distribution from zero: weights 5:1:1 once every server is busy. */
	f->rs[1].weight = 1;
	memset(f->w0, 0, sizeof(*f->w0) * LB_MAX_RS);
	memset(f->w1, 0, sizeof(*f->w1) * LB_MAX_RS);
	for (i = 0; i < 700; i++) {
		int r = lb_sched_select(g, &f->st, &f->c);

		assert_true(r >= 0 && r < 3);
		cnt[r]++;
		f->w0[100 + r].active++;
	}
	assert_int_equal(cnt[0], 500);
	assert_int_equal(cnt[1], 100);
	assert_int_equal(cnt[2], 100);
}

static struct lb_sched_flow
flow(uint32_t saddr_host, uint16_t sport)
{
	struct lb_sched_flow fl = {
		.saddr = htonl(saddr_host), .daddr = htonl(0xc6120064),
		.sport = htons(sport), .dport = htons(80),
	};

	return fl;
}

static void
test_sh(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 1, 3, 0, 4 };
	struct lb_sched_group *g = mkgroup(f, LB_SCHED_SH, w, 4);
	unsigned int cnt[4] = { 0 }, b, i;
	struct lb_sched_flow fl;
	int r;

	/* IPVS's table: weight consecutive buckets per server, weight 0 gets one. */
	assert_int_equal(g->table_size, LB_SCHED_HT_SIZE);
	for (b = 0; b < LB_SCHED_HT_SIZE; b++)
		cnt[g->table[b]]++;
	/* 256 = 28 cycles of 9 buckets (1 + 3 + 1 + 4), then 1 + 3. */
	assert_int_equal(cnt[0], 29);
	assert_int_equal(cnt[1], 87);
	assert_int_equal(cnt[2], 28);
	assert_int_equal(cnt[3], 112);

	/* A client always lands on the same server; the port does not matter. */
	fl = flow(0x0a000001, 1000);
	r = lb_sched_select_flow(g, &f->st, &f->c, &fl);
	for (i = 0; i < 50; i++) {
		fl.sport = htons((uint16_t)(1000 + i));
		assert_int_equal(lb_sched_select_flow(g, &f->st, &f->c, &fl), r);
	}
	/* No flow, no choice. */
	assert_int_equal(lb_sched_select(g, &f->st, &f->c), -1);

	/* Distribution over 2^16 clients follows the buckets; the drained one gets none. */
	memset(cnt, 0, sizeof(cnt));
	for (i = 0; i < 65536; i++) {
		fl = flow(0x0a000000 + i, 1);
		r = lb_sched_select_flow(g, &f->st, &f->c, &fl);
		if (r < 0)
			continue;
		cnt[r]++;
	}
	assert_int_equal(cnt[2], 0);
	assert_true(cnt[0] > 65536 * 29 / 256 * 9 / 10 && cnt[0] < 65536 * 29 / 256 * 11 / 10);
	assert_true(cnt[1] > 65536 * 87 / 256 * 9 / 10 && cnt[1] < 65536 * 87 / 256 * 11 / 10);
	assert_true(cnt[3] > 65536 * 112 / 256 * 9 / 10 && cnt[3] < 65536 * 112 / 256 * 11 / 10);
}

static void
test_sh_fallback_and_port(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 1, 1 };
	struct lb_sched_group *g = mkgroup(f, LB_SCHED_SH, w, 2);
	struct lb_sched_flow fl = flow(0x0a000001, 1000);
	unsigned int i, diff = 0;
	int r, r2;

	r = lb_sched_select_flow(g, &f->st, &f->c, &fl);
	assert_true(r == 0 || r == 1);
	/* Drained without sh-fallback: IPVS finds no server. */
	f->rs[r].weight = 0;
	assert_int_equal(lb_sched_select_flow(g, &f->st, &f->c, &fl), -1);
	/* With it: the other one. */
	g->flags = LB_SCHED_F_FALLBACK;
	assert_int_equal(lb_sched_select_flow(g, &f->st, &f->c, &fl), 1 - r);
	f->rs[1 - r].weight = 0;
	assert_int_equal(lb_sched_select_flow(g, &f->st, &f->c, &fl), -1);
	f->rs[0].weight = 1;
	f->rs[1].weight = 1;

	/* sh-port: the source port takes part in the hash. */
	g->flags = LB_SCHED_F_PORT;
	for (i = 0; i < 64; i++) {
		fl.sport = htons((uint16_t)(1000 + i));
		r2 = lb_sched_select_flow(g, &f->st, &f->c, &fl);
		assert_true(r2 == 0 || r2 == 1);
		diff += r2 != r;
	}
	assert_true(diff > 8 && diff < 56);
}

static void
test_dh(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w[] = { 1, 1, 1 };
	struct lb_sched_group *g = mkgroup(f, LB_SCHED_DH, w, 3);
	unsigned int cnt[3] = { 0 }, i;
	struct lb_sched_flow fl;
	int r;

	for (i = 0; i < LB_SCHED_HT_SIZE; i++)
		assert_int_equal(g->table[i], i % 3);
	/* By destination only: every client of one destination gets one server. */
	fl = flow(0x0a000001, 1);
	r = lb_sched_select_flow(g, &f->st, &f->c, &fl);
	assert_true(r >= 0);
	for (i = 0; i < 100; i++) {
		fl = flow(0x0b000000 + i * 7919, (uint16_t)i);
		assert_int_equal(lb_sched_select_flow(g, &f->st, &f->c, &fl), r);
	}
	/* Destinations spread evenly (cache clusters). */
	for (i = 0; i < 3 * 4096; i++) {
		fl = flow(0x0a000001, 1);
		fl.daddr = htonl(0xc6130000 + i);
		r = lb_sched_select_flow(g, &f->st, &f->c, &fl);
		assert_true(r >= 0 && r < 3);
		cnt[r]++;
	}
	for (i = 0; i < 3; i++)
		assert_true(cnt[i] > 4096 * 9 / 10 && cnt[i] < 4096 * 11 / 10);
	/* A drained server is never chosen: those destinations get nothing. */
	f->rs[1].weight = 0;
	for (i = 0; i < 256; i++) {
		fl.daddr = htonl(0xc6130000 + i);
		assert_true(lb_sched_select_flow(g, &f->st, &f->c, &fl) != 1);
	}
}

/* mh groups of up to 128 servers, built outside the 16-server fixture. */
struct mh_group {
	struct lb_sched_rs rs[128];
	struct lb_sched_group g;
	uint32_t slots[128];
};

static void
mh_build(struct mh_group *m, uint32_t n, const uint32_t *w, uint32_t skip_idx)
{
	uint32_t i, k = 0;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i++) {
		if (i == skip_idx)
			continue;
		m->rs[k].id = i;
		m->rs[k].weight = w != NULL ? w[i] : 1;
		m->rs[k].addr = htonl(0xc6120100 + i);	/* 198.18.1.0 + i */
		m->rs[k].port = htons(80);
		k++;
	}
	m->g.algo = LB_SCHED_MH;
	m->g.rs = m->rs;
	m->g.n = k;
	assert_int_equal(lb_sched_group_build(&m->g), 0);
	assert_int_equal(m->g.table_size, LB_SCHED_MH_SIZE);
	for (i = 0; i < LB_SCHED_MH_SIZE; i++) {
		assert_true(m->g.table[i] < k);
		m->slots[m->rs[m->g.table[i]].id]++;
	}
}

/* Maglev's first property: every server gets floor(M/N) or ceil(M/N) slots. */
static void
test_mh_balance(void **state)
{
	static const uint32_t ns[] = { 1, 2, 3, 7, 10, 100, 128 };
	struct mh_group *m = calloc(1, sizeof(*m));
	unsigned int t, i;

	(void)state;
	assert_non_null(m);
	for (t = 0; t < DIM(ns); t++) {
		uint32_t n = ns[t], lo = LB_SCHED_MH_SIZE / n, hi = lo + 1;
		double ideal = (double)LB_SCHED_MH_SIZE / n;

		mh_build(m, n, NULL, UINT32_MAX);
		for (i = 0; i < n; i++) {
			assert_in_range(m->slots[i], lo, hi);
			assert_true(m->slots[i] >= ideal * 0.99 && m->slots[i] <= ideal * 1.01);
		}
		lb_sched_group_fini(&m->g);
	}
	free(m);
}

/* Weights: slots in proportion, within 1%; weight 0 gets none. */
static void
test_mh_weights(void **state)
{
	static const uint32_t w[] = { 1, 2, 3, 0, 4, 10 };
	struct mh_group *m = calloc(1, sizeof(*m));
	unsigned int i;

	(void)state;
	assert_non_null(m);
	mh_build(m, DIM(w), w, UINT32_MAX);
	for (i = 0; i < DIM(w); i++) {
		double ideal = (double)LB_SCHED_MH_SIZE * w[i] / 20;

		assert_true(m->slots[i] >= ideal * 0.99 && m->slots[i] <= ideal * 1.01);
	}
	assert_int_equal(m->slots[3], 0);
	lb_sched_group_fini(&m->g);

	/* gcd: weights 100 and 300 build the table of 1 and 3. */
	{
		static const uint32_t w2[] = { 100, 300 }, w3[] = { 1, 3 };
		uint16_t *t;

		mh_build(m, 2, w2, UINT32_MAX);
		t = m->g.table;
		m->g.table = NULL;
		mh_build(m, 2, w3, UINT32_MAX);
		assert_memory_equal(t, m->g.table, sizeof(*t) * LB_SCHED_MH_SIZE);
		free(t);
		lb_sched_group_fini(&m->g);
	}

	/* Every server drained: no slot, no choice. */
	{
		static const uint32_t z[] = { 0, 0 };
		struct lb_sched_flow fl = flow(0x0a000001, 1);
		struct lb_sched_state st;

		memset(m, 0, sizeof(*m));
		m->rs[0].weight = z[0];
		m->rs[1].weight = z[1];
		m->rs[1].id = 1;
		m->g.algo = LB_SCHED_MH;
		m->g.rs = m->rs;
		m->g.n = 2;
		assert_int_equal(lb_sched_group_build(&m->g), 0);
		for (i = 0; i < LB_SCHED_MH_SIZE; i++)
			assert_int_equal(m->g.table[i], LB_SCHED_SLOT_NONE);
		lb_sched_state_init(&st);
		assert_int_equal(lb_sched_select_flow(&m->g, &st, NULL, &fl), -1);
		lb_sched_group_fini(&m->g);
	}
	free(m);
}

/*
 * Maglev's second property: removing 1 of 100 servers moves its own slots
 * (about 1%) and only a few others; measured 2.3% in the paper.
 */
static void
test_mh_disruption(void **state)
{
	struct mh_group *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	unsigned int i, removed, moved_total = 0, moved_other = 0, own = 0;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	mh_build(a, 100, NULL, UINT32_MAX);
	for (removed = 0; removed < 100; removed += 33) {
		unsigned int mt = 0, mo = 0, ow = 0;

		mh_build(b, 100, NULL, removed);
		for (i = 0; i < LB_SCHED_MH_SIZE; i++) {
			uint32_t before = a->rs[a->g.table[i]].id;
			uint32_t after = b->rs[b->g.table[i]].id;

			assert_true(after != removed);
			if (before == removed) {
				ow++;
				continue;
			}
			if (before != after)
				mo++;
		}
		mt = ow + mo;
		print_message("mh: removing server %u of 100 moves %u slots of %u (%.2f%%), "
			      "%u of them not its own (%.2f%%)\n", removed, mt,
			      LB_SCHED_MH_SIZE, 100.0 * mt / LB_SCHED_MH_SIZE, mo,
			      100.0 * mo / LB_SCHED_MH_SIZE);
		/* Its own slots: about 1%. The rest moved: a few percent at most. */
		assert_in_range(ow, 655, 656);
		assert_true(mt * 100 < LB_SCHED_MH_SIZE * 4);
		moved_total += mt;
		moved_other += mo;
		own += ow;
		lb_sched_group_fini(&b->g);
	}
	assert_true(moved_other < moved_total);
	assert_true(own > 0);
	lb_sched_group_fini(&a->g);
	free(a);
	free(b);
}

/* Same servers in another order, another director: the same choices. */
static void
test_mh_order_independent_and_flows(void **state)
{
	struct mh_group *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct lb_sched_state st;
	unsigned int i, cnt[10] = { 0 };

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	mh_build(a, 10, NULL, UINT32_MAX);
	/* b: the same 10 servers, reversed. */
	memset(b, 0, sizeof(*b));
	for (i = 0; i < 10; i++)
		b->rs[i] = a->rs[9 - i];
	b->g.algo = LB_SCHED_MH;
	b->g.rs = b->rs;
	b->g.n = 10;
	assert_int_equal(lb_sched_group_build(&b->g), 0);
	for (i = 0; i < LB_SCHED_MH_SIZE; i++)
		assert_int_equal(a->rs[a->g.table[i]].id, b->rs[b->g.table[i]].id);

	/* Flows: a client's flows all go to one server; clients spread evenly. */
	lb_sched_state_init(&st);
	for (i = 0; i < 100000; i++) {
		struct lb_sched_flow fl = flow(0x0a000000 + i, (uint16_t)(i * 31));
		int ra = lb_sched_select_flow(&a->g, &st, NULL, &fl);
		int rb = lb_sched_select_flow(&b->g, &st, NULL, &fl);

		assert_true(ra >= 0 && rb >= 0);
		assert_int_equal(a->rs[ra].id, b->rs[rb].id);
		assert_int_equal(lb_sched_mh_slot(&a->g, &fl) < LB_SCHED_MH_SIZE, 1);
		cnt[a->rs[ra].id]++;
		fl.sport = htons(7);
		assert_int_equal(lb_sched_select_flow(&a->g, &st, NULL, &fl), ra);
	}
	for (i = 0; i < 10; i++)
		assert_true(cnt[i] > 9500 && cnt[i] < 10500);

	/* mh-port: the port joins the hash, so a client's flows spread too. */
	{
		struct lb_sched_flow fl = flow(0x0a000001, 1);
		unsigned int seen = 0, bits = 0;

		a->g.flags = LB_SCHED_F_PORT;
		for (i = 0; i < 200; i++) {
			int r;

			fl.sport = htons((uint16_t)i);
			r = lb_sched_select_flow(&a->g, &st, NULL, &fl);
			assert_true(r >= 0);
			if (!(bits & (1u << r)))
				seen++;
			bits |= 1u << r;
		}
		assert_true(seen >= 8);
	}
	/* No flow, no choice. */
	assert_int_equal(lb_sched_select(&a->g, &st, NULL), -1);
	lb_sched_group_fini(&a->g);
	lb_sched_group_fini(&b->g);
	free(a);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_init),
		cmocka_unit_test_setup_teardown(test_group_init, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rr_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rr_skips_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rr_single, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rr_stale_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrr_order_and_proportion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrr_gcd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrr_zero_weight, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrr_equal_weights, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrr_big_weights, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_algo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rs_load_sums_workers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lc_sums_workers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lc_active_weighs_256, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wlc_weights, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wlc_first_usable_and_big, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wlc_no_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sed_distribution, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sed_ties_and_workers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nq, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sh_fallback_and_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dh, setup, teardown),
		cmocka_unit_test(test_mh_balance),
		cmocka_unit_test(test_mh_weights),
		cmocka_unit_test(test_mh_disruption),
		cmocka_unit_test(test_mh_order_independent_and_flows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

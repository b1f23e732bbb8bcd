/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for lib/sched: rr, wrr, lc, wlc with IPVS's semantics. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
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
	for (i = 0; i < n; i++) {
		f->rs[i].id = 100 + i;
		f->rs[i].weight = w[i];
	}
	f->g.algo = algo;
	f->g.rs = f->rs;
	f->g.n = n;
	lb_sched_group_init(&f->g);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

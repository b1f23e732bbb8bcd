/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Real-server schedulers with IPVS's semantics (ip_vs_rr.c, ip_vs_wrr.c,
 * ip_vs_lc.c, ip_vs_wlc.c).
 */

#include <stddef.h>
#include <stdint.h>

#include "lb_sched.h"

/* Load products for wlc: overhead (< 2^47) times a 32-bit weight. */
#ifdef __SIZEOF_INT128__
typedef unsigned __int128 lb_sched_prod_t;
#else
typedef uint64_t lb_sched_prod_t;
#endif

static uint32_t
gcd_u32(uint32_t a, uint32_t b)
{
	while (b != 0) {
		uint32_t r = a % b;

		a = b;
		b = r;
	}
	return a;
}

void
lb_sched_group_init(struct lb_sched_group *g)
{
	uint32_t max = 0, gcd = 0, i;

	for (i = 0; i < g->n; i++) {
		uint32_t w = g->rs[i].weight;

		if (w == 0)
			continue;
		if (w > max)
			max = w;
		gcd = gcd_u32(w, gcd);
	}
	g->max_weight = max;
	g->gcd = gcd;
}

void
lb_sched_state_init(struct lb_sched_state *st)
{
	st->idx = -1;
	st->cw = 0;
}

/* Summed counters of one server; 64-bit so that 64 workers cannot overflow. */
static void
rs_load64(const struct lb_sched_counts *c, uint32_t id, uint64_t *active, uint64_t *inactive)
{
	uint64_t a = 0, ia = 0;
	unsigned int w, n;

	if (c != NULL && id < LB_MAX_RS) {
		n = c->n_workers < LB_MAX_WORKERS ? c->n_workers : LB_MAX_WORKERS;
		for (w = 0; w < n; w++) {
			const struct lb_rs_counts *p = c->per_worker[w];

			if (p == NULL)
				continue;
			/* Other workers write these: relaxed atomic loads. */
			a += __atomic_load_n(&p[id].active, __ATOMIC_RELAXED);
			ia += __atomic_load_n(&p[id].inactive, __ATOMIC_RELAXED);
		}
	}
	*active = a;
	*inactive = ia;
}

struct lb_rs_counts
lb_sched_rs_load(const struct lb_sched_counts *c, uint32_t id)
{
	struct lb_rs_counts r;
	uint64_t a, ia;

	rs_load64(c, id, &a, &ia);
	r.active = a > UINT32_MAX ? UINT32_MAX : (uint32_t)a;
	r.inactive = ia > UINT32_MAX ? UINT32_MAX : (uint32_t)ia;
	return r;
}

/* IPVS's ip_vs_dest_conn_overhead(): active connections weigh 256 inactive ones. */
static uint64_t
rs_overhead(const struct lb_sched_counts *c, uint32_t id)
{
	uint64_t a, ia;

	rs_load64(c, id, &a, &ia);
	return (a << 8) + ia;
}

/* A usable st->idx: -1 if stale (group replaced without a state reset). */
static int32_t
state_idx(const struct lb_sched_group *g, const struct lb_sched_state *st)
{
	if (st->idx < 0 || (uint32_t)st->idx >= g->n)
		return -1;
	return st->idx;
}

static int
select_rr(const struct lb_sched_group *g, struct lb_sched_state *st)
{
	uint32_t i, k, n = g->n;
	int32_t last = state_idx(g, st);

	i = (uint32_t)(last + 1);
	for (k = 0; k < n; k++, i++) {
		if (i >= n)
			i = 0;
		if (g->rs[i].weight > 0) {
			st->idx = (int32_t)i;
			return (int)i;
		}
	}
	return -1;
}

/*
 * Interleaved wrr: i = (i + 1) mod n; on wrapping to 0, cw -= gcd and
 * cw = max_weight once it drops to 0 or below; take i when weight >= cw.
 * cw lives in [gcd, max_weight] between calls, so each pass over the
 * group finds at least the heaviest server: at most 2n steps.
 */
static int
select_wrr(const struct lb_sched_group *g, struct lb_sched_state *st)
{
	uint32_t n = g->n, max = g->max_weight, gcd = g->gcd, cw, k;
	int32_t i = state_idx(g, st);

	if (max == 0 || gcd == 0)
		return -1;
	/* cw is kept as an unsigned value in st->cw's bits. */
	cw = (uint32_t)st->cw;
	if (cw > max)
		cw = 0;		/* stale state: restart the cycle */
	for (k = 0; k <= 2 * n; k++) {
		i++;
		if ((uint32_t)i >= n)
			i = 0;
		if (i == 0)
			cw = cw <= gcd ? max : cw - gcd;
		if (g->rs[i].weight > 0 && g->rs[i].weight >= cw) {
			st->idx = i;
			st->cw = (int32_t)cw;
			return (int)i;
		}
	}
	return -1;	/* not reached with a consistent group */
}

static int
select_lc(const struct lb_sched_group *g, const struct lb_sched_counts *c)
{
	uint64_t loh = 0, doh;
	int least = -1;
	uint32_t i;

	for (i = 0; i < g->n; i++) {
		if (g->rs[i].weight == 0)
			continue;
		doh = rs_overhead(c, g->rs[i].id);
		if (least < 0 || doh < loh) {
			least = (int)i;
			loh = doh;
		}
	}
	return least;
}

static int
select_wlc(const struct lb_sched_group *g, const struct lb_sched_counts *c)
{
	uint64_t loh = 0, doh;
	int least = -1;
	uint32_t i;

	for (i = 0; i < g->n; i++) {
		const struct lb_sched_rs *h = &g->rs[i];

		if (h->weight == 0)
			continue;
		doh = rs_overhead(c, h->id);
		/* loh / least->weight > doh / h->weight, without division. */
		if (least < 0 ||
		    (lb_sched_prod_t)loh * h->weight >
		    (lb_sched_prod_t)doh * g->rs[least].weight) {
			least = (int)i;
			loh = doh;
		}
	}
	return least;
}

int
lb_sched_select(const struct lb_sched_group *g, struct lb_sched_state *st,
		const struct lb_sched_counts *c)
{
	if (g->n == 0 || g->rs == NULL)
		return -1;
	switch (g->algo) {
	case LB_SCHED_RR:
		return select_rr(g, st);
	case LB_SCHED_WRR:
		return select_wrr(g, st);
	case LB_SCHED_LC:
		return select_lc(g, c);
	case LB_SCHED_WLC:
		return select_wlc(g, c);
	default:
		return -1;
	}
}

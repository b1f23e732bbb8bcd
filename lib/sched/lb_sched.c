/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Real-server schedulers with IPVS's semantics (ip_vs_rr.c, ip_vs_wrr.c,
 * ip_vs_lc.c, ip_vs_wlc.c, ip_vs_sed.c, ip_vs_nq.c, ip_vs_sh.c, ip_vs_dh.c)
 * and Maglev hashing for mh (ip_vs_mh.c, with a fixed hash so that every
 * director builds the same table).
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <arpa/inet.h>

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

/* murmur3's 64-bit finaliser: a bijection with full avalanche. */
static inline uint64_t
fmix64(uint64_t k)
{
	k ^= k >> 33;
	k *= UINT64_C(0xff51afd7ed558ccd);
	k ^= k >> 33;
	k *= UINT64_C(0xc4ceb9fe1a85ec53);
	k ^= k >> 33;
	return k;
}

#define MH_SEED_OFFSET UINT64_C(0x9e3779b97f4a7c15)
#define MH_SEED_SKIP UINT64_C(0x6a09e667f3bcc909)
#define MH_SEED_FLOW UINT64_C(0xbb67ae8584caa73b)

/* Host-order (address, port) as one integer: names a server independently of byte order. */
static inline uint64_t
addr_port_key(uint32_t addr, uint16_t port)
{
	return ((uint64_t)ntohl(addr) << 16) | ntohs(port);
}

/* Server order for the Maglev build: by (address, port), then group index. */
struct mh_srv {
	uint64_t key;
	uint32_t idx;
	uint32_t turns;
	uint32_t next;		/* current preferred slot */
	uint32_t skip;
};

static int
mh_srv_cmp(const void *a, const void *b)
{
	const struct mh_srv *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->idx < y->idx ? -1 : (x->idx > y->idx);
}

static int
build_mh(struct lb_sched_group *g, uint16_t *t)
{
	const uint32_t m = LB_SCHED_MH_SIZE;
	struct mh_srv *srv;
	uint32_t i, n = 0, filled = 0;

	for (i = 0; i < m; i++)
		t[i] = LB_SCHED_SLOT_NONE;
	if (g->gcd == 0)
		return 0;		/* no server with weight > 0: every slot empty */
	srv = calloc(g->n, sizeof(*srv));
	if (srv == NULL)
		return -ENOMEM;
	for (i = 0; i < g->n; i++) {
		const struct lb_sched_rs *r = &g->rs[i];
		uint64_t k;

		if (r->weight == 0)
			continue;
		k = addr_port_key(r->addr, r->port);
		srv[n].key = k;
		srv[n].idx = i;
		srv[n].turns = r->weight / g->gcd;
		srv[n].next = (uint32_t)(fmix64(k ^ MH_SEED_OFFSET) % m);
		srv[n].skip = (uint32_t)(fmix64(k ^ MH_SEED_SKIP) % (m - 1)) + 1;
		n++;
	}
	qsort(srv, n, sizeof(*srv), mh_srv_cmp);
	/* Servers take turns; each claims its next preferred slot still empty. */
	while (filled < m) {
		for (i = 0; i < n && filled < m; i++) {
			uint32_t k;

			for (k = 0; k < srv[i].turns && filled < m; k++) {
				uint32_t c = srv[i].next;

				while (t[c] != LB_SCHED_SLOT_NONE) {
					c += srv[i].skip;
					if (c >= m)
						c -= m;
				}
				t[c] = (uint16_t)srv[i].idx;
				filled++;
				srv[i].next = c;
			}
		}
	}
	free(srv);
	return 0;
}

/* IPVS ip_vs_sh_reassign(): weight consecutive buckets per server, at least one. */
static void
build_sh(const struct lb_sched_group *g, uint16_t *t)
{
	uint32_t b, i = 0, cnt = 0;

	for (b = 0; b < LB_SCHED_HT_SIZE; b++) {
		t[b] = (uint16_t)i;
		if (++cnt >= g->rs[i].weight) {
			i = (i + 1) % g->n;
			cnt = 0;
		}
	}
}

/* IPVS ip_vs_dh_reassign(): the servers in turn, one bucket each. */
static void
build_dh(const struct lb_sched_group *g, uint16_t *t)
{
	uint32_t b;

	for (b = 0; b < LB_SCHED_HT_SIZE; b++)
		t[b] = (uint16_t)(b % g->n);
}

int
lb_sched_group_build(struct lb_sched_group *g)
{
	uint32_t size;
	uint16_t *t;
	int ret = 0;

	lb_sched_group_init(g);
	g->table = NULL;
	g->table_size = 0;
	switch (g->algo) {
	case LB_SCHED_SH:
	case LB_SCHED_DH:
		size = LB_SCHED_HT_SIZE;
		break;
	case LB_SCHED_MH:
		size = LB_SCHED_MH_SIZE;
		break;
	default:
		return 0;
	}
	/* Indexes are stored in 16 bits, LB_SCHED_SLOT_NONE excluded. */
	if (g->n == 0 || g->rs == NULL || g->n >= LB_SCHED_SLOT_NONE)
		return 0;
	t = malloc(sizeof(*t) * size);
	if (t == NULL)
		return -ENOMEM;
	if (g->algo == LB_SCHED_SH)
		build_sh(g, t);
	else if (g->algo == LB_SCHED_DH)
		build_dh(g, t);
	else
		ret = build_mh(g, t);
	if (ret != 0) {
		free(t);
		return ret;
	}
	g->table = t;
	g->table_size = size;
	return 0;
}

void
lb_sched_group_fini(struct lb_sched_group *g)
{
	free(g->table);
	g->table = NULL;
	g->table_size = 0;
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

/* Active connections over all workers. */
static uint64_t
rs_active(const struct lb_sched_counts *c, uint32_t id)
{
	uint64_t a, ia;

	rs_load64(c, id, &a, &ia);
	return a;
}

/*
 * sed: least (active + 1) / weight. nq: the same, except that the first
 * idle server (no active connection) is taken at once.
 */
static int
select_sed_nq(const struct lb_sched_group *g, const struct lb_sched_counts *c, bool nq)
{
	uint64_t loh = 0, doh, a;
	int least = -1;
	uint32_t i;

	for (i = 0; i < g->n; i++) {
		const struct lb_sched_rs *h = &g->rs[i];

		if (h->weight == 0)
			continue;
		a = rs_active(c, h->id);
		if (nq && a == 0)
			return (int)i;
		doh = a + 1;
		if (least < 0 ||
		    (lb_sched_prod_t)loh * h->weight >
		    (lb_sched_prod_t)doh * g->rs[least].weight) {
			least = (int)i;
			loh = doh;
		}
	}
	return least;
}

/* IPVS's hash_32(): the top bits of a multiplication by the golden ratio. */
static inline uint32_t
hash_32(uint32_t v, unsigned int bits)
{
	return (v * 0x61C88647u) >> (32 - bits);
}

#define HT_BITS 8

static inline uint32_t
sh_bucket(const struct lb_sched_group *g, const struct lb_sched_flow *f, uint32_t offset)
{
	uint32_t port = (g->flags & LB_SCHED_F_PORT) ? ntohs(f->sport) : 0;

	return (offset + hash_32(port + ntohl(f->saddr), HT_BITS)) & (LB_SCHED_HT_SIZE - 1);
}

static int
select_sh(const struct lb_sched_group *g, const struct lb_sched_flow *f)
{
	uint32_t h = sh_bucket(g, f, 0), off;
	uint16_t i = g->table[h];

	if (g->rs[i].weight > 0)
		return i;
	if (!(g->flags & LB_SCHED_F_FALLBACK))
		return -1;
	/* ip_vs_sh_get_fallback(): rehash with growing offsets from h. */
	for (off = 0; off < LB_SCHED_HT_SIZE; off++) {
		i = g->table[sh_bucket(g, f, (off + h) % LB_SCHED_HT_SIZE)];
		if (g->rs[i].weight > 0)
			return i;
	}
	return -1;
}

static int
select_dh(const struct lb_sched_group *g, const struct lb_sched_flow *f)
{
	uint16_t i = g->table[(uint32_t)(ntohl(f->daddr) * 2654435761u) &
			      (LB_SCHED_HT_SIZE - 1)];

	return g->rs[i].weight > 0 ? i : -1;
}

uint32_t
lb_sched_mh_slot(const struct lb_sched_group *g, const struct lb_sched_flow *f)
{
	uint16_t port = (g->flags & LB_SCHED_F_PORT) ? f->sport : 0;

	return (uint32_t)(fmix64(addr_port_key(f->saddr, port) ^ MH_SEED_FLOW) %
			  LB_SCHED_MH_SIZE);
}

static int
select_mh(const struct lb_sched_group *g, const struct lb_sched_flow *f)
{
	uint16_t i = g->table[lb_sched_mh_slot(g, f)];

	return i == LB_SCHED_SLOT_NONE ? -1 : i;
}

int
lb_sched_select_flow(const struct lb_sched_group *g, struct lb_sched_state *st,
		     const struct lb_sched_counts *c, const struct lb_sched_flow *f)
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
	case LB_SCHED_SED:
		return select_sed_nq(g, c, false);
	case LB_SCHED_NQ:
		return select_sed_nq(g, c, true);
	case LB_SCHED_SH:
		if (f == NULL || g->table_size != LB_SCHED_HT_SIZE)
			return -1;
		return select_sh(g, f);
	case LB_SCHED_DH:
		if (f == NULL || g->table_size != LB_SCHED_HT_SIZE)
			return -1;
		return select_dh(g, f);
	case LB_SCHED_MH:
		if (f == NULL || g->table_size != LB_SCHED_MH_SIZE)
			return -1;
		return select_mh(g, f);
	default:
		return -1;
	}
}

int
lb_sched_select(const struct lb_sched_group *g, struct lb_sched_state *st,
		const struct lb_sched_counts *c)
{
	return lb_sched_select_flow(g, st, c, NULL);
}

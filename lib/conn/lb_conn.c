/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-worker connection table: open addressing over 64-byte buckets of two
 * entries, a probe window of LB_CONN_PROBE buckets, lazy expiry plus an
 * incremental scan.
 */

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_tcp.h>

#include "lb_conn.h"

#define LB_CONN_PER_BUCKET 2
#define LB_CONN_HASH_SEED 0x4c42434eu	/* "LBCN" */
#define LB_CONN_TIMEOUT_MAX ((uint32_t)INT32_MAX)	/* keeps wrap-safe compares valid */

/* One cache line: two entries. */
struct lb_conn_bucket {
	struct lb_conn e[LB_CONN_PER_BUCKET];
} __rte_cache_aligned;

struct lb_conn_table {
	struct lb_conn_bucket *buckets;
	uint32_t bmask;			/* buckets - 1 */
	uint32_t count;			/* entries not FREE */
	uint32_t cursor;		/* next bucket for lb_conn_expire_step() */
	uint32_t timeout[LB_CONN__MAX];	/* default timeout per state */
	struct lb_conn_timeouts to;
	struct lb_conn_stats stats;
	struct lb_rs_counts rs_counts[LB_MAX_RS] __rte_cache_aligned;
} __rte_cache_aligned;

/* Which counter a state is charged to. */
enum rs_class {
	RS_NONE = 0,
	RS_ACTIVE,
	RS_INACTIVE,
};

static const uint8_t state_class[LB_CONN__MAX] = {
	[LB_CONN_FREE] = RS_NONE,
	[LB_CONN_SYN_RECV] = RS_INACTIVE,
	[LB_CONN_ESTABLISHED] = RS_ACTIVE,
	[LB_CONN_FIN_WAIT] = RS_INACTIVE,
	[LB_CONN_CLOSE] = RS_INACTIVE,
	[LB_CONN_UDP] = RS_INACTIVE,
	[LB_CONN_TEMPLATE] = RS_NONE,
	[LB_CONN_REPLY] = RS_NONE,
};

static const char *const state_names[LB_CONN__MAX] = {
	[LB_CONN_FREE] = "FREE",
	[LB_CONN_SYN_RECV] = "SYN_RECV",
	[LB_CONN_ESTABLISHED] = "ESTABLISHED",
	[LB_CONN_FIN_WAIT] = "FIN_WAIT",
	[LB_CONN_CLOSE] = "CLOSE",
	[LB_CONN_UDP] = "UDP",
	[LB_CONN_TEMPLATE] = "TEMPLATE",
	[LB_CONN_REPLY] = "REPLY",
};

static void
build_checks(void)
{
	RTE_BUILD_BUG_ON(sizeof(struct lb_conn_key) != 16);
	RTE_BUILD_BUG_ON(sizeof(struct lb_conn) != 32);
	RTE_BUILD_BUG_ON(sizeof(struct lb_conn_bucket) != RTE_CACHE_LINE_SIZE);
	RTE_BUILD_BUG_ON(LB_CONN__MAX > UINT8_MAX);
	RTE_BUILD_BUG_ON(LB_MAX_RS > UINT16_MAX + 1);
}

/* Adjust the counter of rs for an entry in state s by delta (+1 / -1). */
static inline void
rs_count_add(struct lb_conn_table *t, uint32_t rs, uint8_t s, int32_t delta)
{
	uint32_t *p;

	if (rs >= LB_MAX_RS || s >= LB_CONN__MAX)
		return;
	switch (state_class[s]) {
	case RS_ACTIVE:
		p = &t->rs_counts[rs].active;
		break;
	case RS_INACTIVE:
		p = &t->rs_counts[rs].inactive;
		break;
	default:
		return;
	}
	/* Single writer; other lcores read with relaxed loads. */
	__atomic_store_n(p, *p + (uint32_t)delta, __ATOMIC_RELAXED);
}

static inline bool
conn_expired(const struct lb_conn *c, uint32_t now)
{
	return (int32_t)(c->expire - now) <= 0;
}

static inline bool
key_equal(const struct lb_conn_key *a, const struct lb_conn_key *b)
{
	uint64_t a0, a1, b0, b1;

	memcpy(&a0, a, 8);
	memcpy(&a1, (const uint8_t *)a + 8, 8);
	memcpy(&b0, b, 8);
	memcpy(&b1, (const uint8_t *)b + 8, 8);
	return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

/* Timeout for an entry in state s: explicit one, else the table's. */
static inline uint32_t
conn_timeout(const struct lb_conn_table *t, uint8_t s, uint32_t timeout)
{
	if (timeout == 0 && s < LB_CONN__MAX)
		timeout = t->timeout[s];
	return timeout > LB_CONN_TIMEOUT_MAX ? LB_CONN_TIMEOUT_MAX : timeout;
}

/* Release an entry that is being dropped (expired or evicted). */
static inline void
conn_release(struct lb_conn_table *t, struct lb_conn *c)
{
	rs_count_add(t, c->rs_id, c->state, -1);
	c->state = LB_CONN_FREE;
	t->count--;
}

struct lb_conn_table *
lb_conn_table_create(const char *name, uint32_t entries, int socket,
		     const struct lb_conn_timeouts *to)
{
	struct lb_conn_table *t;
	uint32_t n_buckets;

	build_checks();
	if (to == NULL || entries < 2 * LB_CONN_PROBE || !rte_is_power_of_2(entries) ||
	    to->tcp_established == 0 || to->tcp_syn_recv == 0 || to->tcp_fin_wait == 0 ||
	    to->tcp_close == 0 || to->udp == 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	n_buckets = entries / LB_CONN_PER_BUCKET;

	t = rte_zmalloc_socket(name, sizeof(*t), RTE_CACHE_LINE_SIZE, socket);
	if (t == NULL)
		goto fail_nomem;
	t->buckets = rte_zmalloc_socket(name, (size_t)n_buckets * sizeof(struct lb_conn_bucket),
					RTE_CACHE_LINE_SIZE, socket);
	if (t->buckets == NULL)
		goto fail_table;
	t->bmask = n_buckets - 1;
	t->to = *to;
	t->timeout[LB_CONN_SYN_RECV] = RTE_MIN(to->tcp_syn_recv, LB_CONN_TIMEOUT_MAX);
	t->timeout[LB_CONN_ESTABLISHED] = RTE_MIN(to->tcp_established, LB_CONN_TIMEOUT_MAX);
	t->timeout[LB_CONN_FIN_WAIT] = RTE_MIN(to->tcp_fin_wait, LB_CONN_TIMEOUT_MAX);
	t->timeout[LB_CONN_CLOSE] = RTE_MIN(to->tcp_close, LB_CONN_TIMEOUT_MAX);
	t->timeout[LB_CONN_UDP] = RTE_MIN(to->udp, LB_CONN_TIMEOUT_MAX);
	t->timeout[LB_CONN_TEMPLATE] = LB_CONN_TEMPLATE_TIMEOUT;
	t->timeout[LB_CONN_REPLY] = t->timeout[LB_CONN_ESTABLISHED];
	return t;

fail_table:
	rte_free(t);
fail_nomem:
	rte_errno = ENOMEM;
	return NULL;
}

void
lb_conn_table_free(struct lb_conn_table *t)
{
	if (t == NULL)
		return;
	rte_free(t->buckets);
	rte_free(t);
}

uint32_t
lb_conn_hash(const struct lb_conn_key *k)
{
	return rte_hash_crc(k, sizeof(*k), LB_CONN_HASH_SEED);
}

struct lb_conn *
lb_conn_lookup(struct lb_conn_table *t, const struct lb_conn_key *k, uint32_t hash,
	       uint32_t now)
{
	uint32_t p, i;

	for (p = 0; p < LB_CONN_PROBE; p++) {
		struct lb_conn_bucket *b = &t->buckets[(hash + p) & t->bmask];

		for (i = 0; i < LB_CONN_PER_BUCKET; i++) {
			struct lb_conn *c = &b->e[i];

			if (c->state != LB_CONN_FREE && key_equal(&c->key, k) &&
			    !conn_expired(c, now))
				return c;
		}
	}
	return NULL;
}

struct lb_conn *
lb_conn_insert(struct lb_conn_table *t, const struct lb_conn_key *k, uint32_t hash,
	       uint32_t now, uint32_t rs_id, uint32_t vs_id, enum lb_conn_state state,
	       uint32_t timeout)
{
	struct lb_conn *expired = NULL, *victim = NULL, *c = NULL;
	uint32_t p, i;

	if (state <= LB_CONN_FREE || state >= LB_CONN__MAX || rs_id >= LB_MAX_RS ||
	    vs_id > UINT16_MAX)
		return NULL;

	for (p = 0; p < LB_CONN_PROBE && c == NULL; p++) {
		struct lb_conn_bucket *b = &t->buckets[(hash + p) & t->bmask];

		for (i = 0; i < LB_CONN_PER_BUCKET; i++) {
			struct lb_conn *e = &b->e[i];

			if (e->state == LB_CONN_FREE) {
				c = e;
				break;
			}
			if (conn_expired(e, now)) {
				if (expired == NULL)
					expired = e;
			} else if ((e->state == LB_CONN_SYN_RECV ||
				    e->state == LB_CONN_TEMPLATE) &&
				   (victim == NULL ||
				    (int32_t)(e->expire - victim->expire) < 0)) {
				victim = e;
			}
		}
	}

	if (c == NULL) {
		if (expired != NULL) {
			c = expired;
			t->stats.expired++;
		} else if (victim != NULL) {
			c = victim;
			t->stats.evicted++;
		} else {
			t->stats.full++;
			return NULL;
		}
		conn_release(t, c);
	}

	c->key = *k;
	c->expire = now + conn_timeout(t, (uint8_t)state, timeout);
	c->rs_id = (uint16_t)rs_id;
	c->vs_id = (uint16_t)vs_id;
	c->state = (uint8_t)state;
	c->flags = 0;
	memset(c->xdata, 0, sizeof(c->xdata));
	rs_count_add(t, rs_id, c->state, 1);
	t->count++;
	t->stats.inserted++;
	return c;
}

void
lb_conn_touch(struct lb_conn_table *t, struct lb_conn *c, uint8_t tcp_flags, uint32_t now)
{
	uint8_t old = c->state, s = old;

	switch (old) {
	case LB_CONN_SYN_RECV:
	case LB_CONN_ESTABLISHED:
	case LB_CONN_FIN_WAIT:
	case LB_CONN_CLOSE:
		if (tcp_flags & RTE_TCP_RST_FLAG)
			s = LB_CONN_CLOSE;
		else if (tcp_flags & RTE_TCP_FIN_FLAG)
			s = LB_CONN_FIN_WAIT;
		else if ((tcp_flags & (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG)) ==
			 RTE_TCP_SYN_FLAG) {
			/* A new SYN reuses a closing entry. */
			if (old == LB_CONN_CLOSE || old == LB_CONN_FIN_WAIT)
				s = LB_CONN_SYN_RECV;
		} else if ((tcp_flags & (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG)) ==
			   RTE_TCP_ACK_FLAG) {
			if (old == LB_CONN_SYN_RECV)
				s = LB_CONN_ESTABLISHED;
		}
		if (s != old) {
			rs_count_add(t, c->rs_id, old, -1);
			rs_count_add(t, c->rs_id, s, 1);
			c->state = s;
		}
		c->expire = now + t->timeout[s];
		break;
	case LB_CONN_UDP:
		c->expire = now + t->timeout[LB_CONN_UDP];
		break;
	default:
		/* FREE: nothing; TEMPLATE: lb_conn_refresh() sets its timeout. */
		break;
	}
}

void
lb_conn_refresh(struct lb_conn_table *t, struct lb_conn *c, uint32_t now, uint32_t timeout)
{
	if (c->state == LB_CONN_FREE)
		return;
	c->expire = now + conn_timeout(t, c->state, timeout);
}

uint32_t
lb_conn_expire_step(struct lb_conn_table *t, uint32_t now, uint32_t n_buckets)
{
	uint32_t cur = t->cursor, n, i, freed = 0;

	if (n_buckets > t->bmask + 1)
		n_buckets = t->bmask + 1;
	for (n = 0; n < n_buckets; n++) {
		struct lb_conn_bucket *b = &t->buckets[cur];

		for (i = 0; i < LB_CONN_PER_BUCKET; i++) {
			struct lb_conn *c = &b->e[i];

			if (c->state != LB_CONN_FREE && conn_expired(c, now)) {
				conn_release(t, c);
				t->stats.expired++;
				freed++;
			}
		}
		cur = (cur + 1) & t->bmask;
	}
	t->cursor = cur;
	return freed;
}

const struct lb_conn_stats *
lb_conn_table_stats(const struct lb_conn_table *t)
{
	return &t->stats;
}

uint32_t
lb_conn_table_count(const struct lb_conn_table *t)
{
	return t->count;
}

const struct lb_rs_counts *
lb_conn_table_rs_counts(const struct lb_conn_table *t)
{
	return t->rs_counts;
}

const char *
lb_conn_state_name(enum lb_conn_state s)
{
	if ((unsigned int)s >= LB_CONN__MAX)
		return "UNKNOWN";
	return state_names[s];
}

uint32_t
lb_conn_walk(const struct lb_conn_table *t, uint32_t start, uint32_t n_buckets, uint32_t now,
	     lb_conn_walk_cb_t cb, void *arg)
{
	uint32_t total = t->bmask + 1, b, i;

	for (b = start; b < total && b - start < n_buckets; b++)
		for (i = 0; i < LB_CONN_PER_BUCKET; i++) {
			const struct lb_conn *c = &t->buckets[b].e[i];

			if (c->state != LB_CONN_FREE && !conn_expired(c, now))
				cb(c, arg);
		}
	return b < total ? b : UINT32_MAX;
}

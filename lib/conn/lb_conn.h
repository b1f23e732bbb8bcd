/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CONN_H
#define LB_CONN_H

/**
 * @file
 * The per-worker connection table.
 *
 * Open addressing over 64-byte buckets of two 32-byte entries. A key hashes
 * to a bucket and may live in that bucket or the next LB_CONN_PROBE-1 ones,
 * so a lookup touches at most LB_CONN_PROBE adjacent cache lines. Entries
 * expire lazily (an expired entry is a free slot) and are also reclaimed by
 * an incremental scan, lb_conn_expire_step(), that keeps the per-real-server
 * counters true without ever walking the whole table at once.
 *
 * When a key's probe window has no free or expired slot, the oldest entry in
 * SYN_RECV (or a template) in the window is evicted; if there is none, the
 * insert fails and is counted: ESTABLISHED flows are never evicted.
 *
 * Each table belongs to exactly one worker lcore: no function here is
 * multi-thread safe, and none blocks or allocates after create. Other lcores
 * may read rs_counts (relaxed loads) for lc/wlc.
 */

#include <stdint.h>
#include <stdbool.h>
#include "lb_sched.h"

#define LB_CONN_PROBE 4		/**< buckets searched per key */
#define LB_CONN_TEMPLATE_TIMEOUT 360	/**< template timeout when 0 is given (seconds) */
#define LB_CONN_KEY_TEMPLATE 1	/**< lb_conn_key.flags of a template (sport is 0) */

/** Connection states, IPVS's names. */
enum lb_conn_state {
	LB_CONN_FREE = 0,	/**< slot unused */
	LB_CONN_SYN_RECV,
	LB_CONN_ESTABLISHED,
	LB_CONN_FIN_WAIT,
	LB_CONN_CLOSE,
	LB_CONN_UDP,
	LB_CONN_TEMPLATE,	/**< persistence template: client -> real server */
	LB_CONN_REPLY,		/**< NAT reply direction (real server -> client) of a flow */
	LB_CONN__MAX,
};

/** Flow key: 16 bytes, addresses and ports in network order. */
struct lb_conn_key {
	uint32_t saddr;
	uint32_t daddr;
	uint16_t sport;
	uint16_t dport;
	uint8_t proto;
	uint8_t flags;		/**< 0 for a flow; LB_CONN_KEY_TEMPLATE for a persistence template */
	uint8_t pad[2];		/**< must be zero */
};

/**
 * One entry: 32 bytes, two per cache line.
 *
 * flags and xdata belong to the forwarding mode (lib/fwd); the table zeroes
 * them on insert and never reads them. NAT reply entries keep the lb port
 * toward the client in flags and the client-side next-hop MAC in xdata;
 * FULLNAT flow entries keep the local address (4 bytes) and port (2 bytes,
 * both network order) in xdata.
 */
struct lb_conn {
	struct lb_conn_key key;
	uint32_t expire;	/**< lb clock second when it expires */
	uint16_t rs_id;		/**< global real-server id (< LB_MAX_RS) */
	uint16_t vs_id;		/**< virtual-service id */
	uint8_t state;		/**< enum lb_conn_state */
	uint8_t flags;		/**< forwarding mode's */
	uint8_t xdata[6];	/**< forwarding mode's */
};

/** Timeouts in seconds per state (IPVS defaults in lb_sysconf). */
struct lb_conn_timeouts {
	uint32_t tcp_established;
	uint32_t tcp_syn_recv;
	uint32_t tcp_fin_wait;
	uint32_t tcp_close;
	uint32_t udp;
};

/** Table counters. */
struct lb_conn_stats {
	uint64_t inserted;
	uint64_t expired;	/**< reclaimed after timeout (lazily or by scan) */
	uint64_t evicted;	/**< SYN_RECV/template entries pushed out when full */
	uint64_t full;		/**< inserts refused: window full of live flows */
};

struct lb_conn_table;

/**
 * Create a table. Control lcore, at startup.
 *
 * @param name
 *   Unique memzone name.
 * @param entries
 *   Capacity, a power of two >= 2 * LB_CONN_PROBE.
 * @param socket
 *   NUMA socket for the memory (SOCKET_ID_ANY allowed).
 * @param to
 *   Timeouts, copied. Each must be > 0; values above INT32_MAX are clamped.
 * @return
 *   The table, or NULL with rte_errno set (EINVAL, ENOMEM).
 */
struct lb_conn_table *lb_conn_table_create(const char *name, uint32_t entries, int socket,
					   const struct lb_conn_timeouts *to);

/** Free a table (NULL allowed). */
void lb_conn_table_free(struct lb_conn_table *t);

/** Hash of a key (CRC32). */
uint32_t lb_conn_hash(const struct lb_conn_key *k);

/**
 * Find a live (not expired) entry.
 *
 * @param now
 *   The lb clock in seconds.
 * @return
 *   The entry, or NULL.
 */
struct lb_conn *lb_conn_lookup(struct lb_conn_table *t, const struct lb_conn_key *k,
			       uint32_t hash, uint32_t now);

/**
 * Insert a new entry (the key must not be present). Expired entries in the
 * way are reclaimed and counted. The real server's counters are updated
 * unless the state is LB_CONN_TEMPLATE.
 *
 * @param timeout
 *   Seconds; 0 means the table's timeout for the state
 *   (LB_CONN_TEMPLATE_TIMEOUT for a template, the ESTABLISHED timeout for
 *   LB_CONN_REPLY). LB_CONN_REPLY entries are not charged to the real
 *   server and are never evicted.
 * @return
 *   The entry, or NULL when the window is full of live flows (counted in
 *   stats.full). Also NULL, not counted, for state FREE or out of range,
 *   or rs_id >= LB_MAX_RS, or vs_id > UINT16_MAX.
 */
struct lb_conn *lb_conn_insert(struct lb_conn_table *t, const struct lb_conn_key *k,
			       uint32_t hash, uint32_t now, uint32_t rs_id, uint32_t vs_id,
			       enum lb_conn_state state, uint32_t timeout);

/**
 * Advance a TCP entry's state from the flags of a client packet
 * (SYN -> SYN_RECV, ACK -> ESTABLISHED, FIN -> FIN_WAIT, RST -> CLOSE)
 * and refresh its expiry; UDP entries are just refreshed.
 *
 * In detail: RST -> CLOSE; else FIN -> FIN_WAIT; else SYN without ACK on
 * CLOSE or FIN_WAIT -> SYN_RECV (reuse); else ACK without SYN on SYN_RECV
 * -> ESTABLISHED; otherwise the state is unchanged. The expiry becomes now
 * plus the timeout of the (new) state. Template entries are left alone:
 * use lb_conn_refresh() with their timeout.
 *
 * @param tcp_flags
 *   The TCP flags byte (RTE_TCP_*_FLAG), 0 for UDP.
 */
void lb_conn_touch(struct lb_conn_table *t, struct lb_conn *c, uint8_t tcp_flags, uint32_t now);

/**
 * Refresh an entry's expiry with an explicit timeout (persistence templates).
 * A timeout of 0 means the table's timeout for the entry's state.
 */
void lb_conn_refresh(struct lb_conn_table *t, struct lb_conn *c, uint32_t now, uint32_t timeout);

/**
 * Reclaim expired entries in the next n buckets (round robin over the
 * table), keeping rs_counts true.
 *
 * @return
 *   Entries reclaimed.
 */
uint32_t lb_conn_expire_step(struct lb_conn_table *t, uint32_t now, uint32_t n_buckets);

/** @return the table's counters. */
const struct lb_conn_stats *lb_conn_table_stats(const struct lb_conn_table *t);

/** @return live entries (excluding expired-but-not-reclaimed ones is not guaranteed). */
uint32_t lb_conn_table_count(const struct lb_conn_table *t);

/** @return this table's per-real-server counters, [LB_MAX_RS]. */
const struct lb_rs_counts *lb_conn_table_rs_counts(const struct lb_conn_table *t);

/** Callback of lb_conn_walk(), called for each live entry. */
typedef void (*lb_conn_walk_cb_t)(const struct lb_conn *c, void *arg);

/**
 * Visit the live entries of buckets [start, start + n_buckets). Only the
 * table's own worker may call it (lbctl conn asks the worker to walk).
 *
 * @return
 *   The next bucket to visit, or UINT32_MAX when the last bucket was visited.
 */
uint32_t lb_conn_walk(const struct lb_conn_table *t, uint32_t start, uint32_t n_buckets,
		      uint32_t now, lb_conn_walk_cb_t cb, void *arg);

/** @return the name of a state ("ESTABLISHED", ...). */
const char *lb_conn_state_name(enum lb_conn_state s);

#endif /* LB_CONN_H */

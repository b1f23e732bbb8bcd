/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_SCHED_H
#define LB_SCHED_H

/**
 * @file
 * Real-server schedulers with IPVS's semantics: rr, wrr, lc, wlc, sed, nq
 * (load based) and sh, dh, mh (hash based).
 *
 * A group (the real servers of one virtual service) is immutable and lives
 * in the RCU-published service snapshot. Each worker keeps its own
 * struct lb_sched_state per virtual service, so rr/wrr write only
 * worker-local memory. lc/wlc read the per-worker connection counters of
 * every worker (each worker writes only its own array), so their view of
 * the load is the sum over all workers, as IPVS's global counters are.
 *
 * The hash schedulers keep a lookup table in the group: sh and dh IPVS's
 * 256-bucket tables, mh a Maglev table of LB_SCHED_MH_SIZE slots. The table
 * is built by lb_sched_group_build() on the control lcore as part of a new
 * snapshot, so a rebuild (weight change, server added or removed) reaches
 * the workers with the snapshot's RCU swap: no pause, no lock.
 *
 * lb_sched_select() is called on worker lcores on the fast path: it never
 * blocks, allocates or writes shared memory.
 */

#include <stdint.h>
#include "lb_cfg.h"

#define LB_MAX_RS 8192		/**< real-server ids are 0 .. LB_MAX_RS-1 */
#define LB_MAX_WORKERS 64
#define LB_SCHED_MH_SIZE 65537	/**< Maglev table size M (prime) */
#define LB_SCHED_HT_SIZE 256	/**< sh and dh table size (IPVS's IP_VS_SH_TAB_SIZE) */
#define LB_SCHED_SLOT_NONE UINT16_MAX	/**< empty table slot */

/** Group flags (keepalived's sh-port, sh-fallback, mh-port, mh-fallback). */
#define LB_SCHED_F_PORT (1u << 0)	/**< sh, mh: hash the source port too */
#define LB_SCHED_F_FALLBACK (1u << 1)	/**< sh: another server when the hashed one drains */

/** Connection counters of one real server on one worker (IPVS's meaning). */
struct lb_rs_counts {
	uint32_t active;	/**< TCP connections in ESTABLISHED */
	uint32_t inactive;	/**< every other tracked connection */
};

/** The counters of every worker, for lc/wlc. Read-only for the scheduler. */
struct lb_sched_counts {
	const struct lb_rs_counts *per_worker[LB_MAX_WORKERS];	/**< [LB_MAX_RS] each */
	unsigned int n_workers;
};

/** One real server as the scheduler sees it. */
struct lb_sched_rs {
	uint32_t id;		/**< global real-server id, < LB_MAX_RS */
	uint32_t weight;	/**< 0 = drained: never chosen for a new connection */
	uint32_t addr;		/**< network order; names the server for mh's permutation */
	uint16_t port;		/**< network order; idem */
};

/** What the hash schedulers look at in a new flow. Network order. */
struct lb_sched_flow {
	uint32_t saddr;
	uint32_t daddr;
	uint16_t sport;
	uint16_t dport;
};

/** An immutable scheduling group, built on the control lcore. */
struct lb_sched_group {
	enum lb_sched_algo algo;
	const struct lb_sched_rs *rs;	/**< not owned */
	uint32_t n;
	uint32_t flags;		/**< LB_SCHED_F_* */
	uint32_t max_weight;	/**< for wrr */
	uint32_t gcd;		/**< gcd of the non-zero weights, for wrr */
	uint16_t *table;	/**< sh/dh/mh: slot -> index into rs, or LB_SCHED_SLOT_NONE */
	uint32_t table_size;	/**< LB_SCHED_HT_SIZE or LB_SCHED_MH_SIZE; 0 = no table */
};

/** Per-worker, per-group state. Zero-initialise it; it is never shared. */
struct lb_sched_state {
	int32_t idx;		/**< last index chosen (rr, wrr), starts at -1 via init */
	int32_t cw;		/**< wrr current weight */
};

/**
 * Fill a group's derived fields (max_weight, gcd). Control lcore only.
 *
 * @param g
 *   Group with algo, rs and n set.
 */
void lb_sched_group_init(struct lb_sched_group *g);

/**
 * Fill a group's derived fields and, for sh, dh and mh, allocate and fill
 * its lookup table. Control lcore only; the group must not be visible to
 * workers yet. Calls lb_sched_group_init().
 *
 * mh (Maglev, Eisenbud et al. 2016): each server with weight > 0 gets a
 * permutation of the M slots from two hashes of its address and port; the
 * servers, in (address, port) order, take turns claiming their next free
 * preferred slot, weight/gcd turns each per round. Servers with weight 0
 * get no slot. Every director with the same servers and weights builds the
 * same table, whatever the order of real_server blocks in lb.conf.
 *
 * sh and dh: IPVS's 256-bucket tables (ip_vs_sh.c, ip_vs_dh.c); sh gives a
 * server weight consecutive buckets (at least one), dh one bucket per turn.
 *
 * @param g
 *   Group with algo, rs, n and flags set; g->table must be NULL.
 * @return
 *   0, or -ENOMEM (the group is left without a table and selects nothing).
 */
int lb_sched_group_build(struct lb_sched_group *g);

/**
 * Free what lb_sched_group_build() allocated (after the RCU grace period).
 */
void lb_sched_group_fini(struct lb_sched_group *g);

/**
 * Reset a worker's state for a group (after the group changed).
 */
void lb_sched_state_init(struct lb_sched_state *st);

/**
 * Total overhead view of one real server over all workers.
 *
 * @return
 *   The summed counters.
 */
struct lb_rs_counts lb_sched_rs_load(const struct lb_sched_counts *c, uint32_t id);

/**
 * Choose a real server for a new connection.
 *
 * rr: the next server with weight > 0. wrr: IPVS's interleaved weighted
 * round robin. lc: least (active * 256 + inactive). wlc: least overhead
 * divided by weight. Ties go to the first server in group order.
 *
 * @param g
 *   The group.
 * @param st
 *   This worker's state for the group.
 * @param c
 *   Connection counters (used by lc and wlc; may be NULL for rr and wrr).
 * @return
 *   An index into g->rs, or -1 when no server has weight > 0.
 *   The hash schedulers (sh, dh, mh) need a flow: use lb_sched_select_flow().
 */
int lb_sched_select(const struct lb_sched_group *g, struct lb_sched_state *st,
		    const struct lb_sched_counts *c);

/**
 * Choose a real server for a new flow; every scheduler.
 *
 * As lb_sched_select(), plus: sed, least (active + 1) / weight; nq, the
 * first idle server (no active connection), else as sed. sh, the bucket of
 * a hash of the source address (and port with LB_SCHED_F_PORT); a drained
 * server gives -1, or with LB_SCHED_F_FALLBACK the next available server
 * along IPVS's rehash sequence. dh, the bucket of a hash of the destination
 * address; a drained server gives -1. mh, the Maglev slot of a hash of the
 * source address (and port with LB_SCHED_F_PORT): the same flow gets the
 * same server on every director with the same table.
 *
 * @param f
 *   The flow; may be NULL for the schedulers that ignore it (then sh, dh
 *   and mh return -1).
 * @return
 *   An index into g->rs, or -1.
 */
int lb_sched_select_flow(const struct lb_sched_group *g, struct lb_sched_state *st,
			 const struct lb_sched_counts *c, const struct lb_sched_flow *f);

/**
 * The Maglev slot of a flow in an mh group (for tests and tools).
 *
 * @return
 *   A slot in [0, LB_SCHED_MH_SIZE).
 */
uint32_t lb_sched_mh_slot(const struct lb_sched_group *g, const struct lb_sched_flow *f);

#endif /* LB_SCHED_H */

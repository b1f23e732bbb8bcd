/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_SCHED_H
#define LB_SCHED_H

/**
 * @file
 * Real-server schedulers: rr, wrr, lc, wlc, with IPVS's semantics.
 *
 * A group (the real servers of one virtual service) is immutable and lives
 * in the RCU-published service snapshot. Each worker keeps its own
 * struct lb_sched_state per virtual service, so rr/wrr write only
 * worker-local memory. lc/wlc read the per-worker connection counters of
 * every worker (each worker writes only its own array), so their view of
 * the load is the sum over all workers, as IPVS's global counters are.
 *
 * lb_sched_select() is called on worker lcores on the fast path: it never
 * blocks, allocates or writes shared memory.
 */

#include <stdint.h>
#include "lb_cfg.h"

#define LB_MAX_RS 8192		/**< real-server ids are 0 .. LB_MAX_RS-1 */
#define LB_MAX_WORKERS 64

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
};

/** An immutable scheduling group, built on the control lcore. */
struct lb_sched_group {
	enum lb_sched_algo algo;
	const struct lb_sched_rs *rs;	/**< not owned */
	uint32_t n;
	uint32_t max_weight;	/**< for wrr */
	uint32_t gcd;		/**< gcd of the non-zero weights, for wrr */
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
 */
int lb_sched_select(const struct lb_sched_group *g, struct lb_sched_state *st,
		    const struct lb_sched_counts *c);

#endif /* LB_SCHED_H */

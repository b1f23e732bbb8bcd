/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_SVC_H
#define LB_SVC_H

/**
 * @file
 * The service snapshot: what the workers read to forward new flows.
 *
 * A snapshot is built on the control lcore from the immutable lb_config,
 * dpdk.conf and runtime state (which VRRP instances are master), then
 * published to the workers by pointer swap and freed after an RCU grace
 * period. It is never modified after publication, so workers read it
 * without locks.
 *
 * Identifiers: a virtual service's id is its index in the config; a real
 * server's id is its position counting real servers of all virtual services
 * in config order. Both index the snapshot directly. Ids are stable for the
 * life of a config; a reload must keep ids of surviving servers (and not
 * reuse removed ones while connections may point at them): lb_svc_ids.h
 * assigns such ids, passed in lb_svc_input.ids (NULL = positional ids).
 */

#include <stdint.h>
#include <stdbool.h>

#include "lb_cfg.h"
#include "lb_sched.h"
#include "lb_sysconf.h"

#define LB_MAX_VS 1024
#define LB_MAX_LADDR 256	/**< FULLNAT local addresses, all groups together */

struct rte_hash;

/** A real server of a virtual service. */
struct lb_svc_rs {
	uint32_t id;		/**< global id, < LB_MAX_RS */
	uint32_t ip;		/**< network order */
	uint16_t port;		/**< network order */
	uint16_t out_port;	/**< lb port index it is on-link on */
	uint32_t weight;	/**< effective: config weight or runtime override */
	uint32_t vs_id;
	uint32_t cfg_weight;	/**< weight in lb.conf */
	bool disabled;		/**< administratively down (lbctl disable) */
};

/** A virtual service. */
struct lb_svc_vs {
	uint32_t id;
	uint32_t vip;		/**< network order */
	uint16_t port;		/**< network order */
	uint8_t proto;
	bool active;		/**< VIP owned here (its instance is master) */
	bool used;		/**< false for an id hole left by a reload */
	uint32_t cfg_idx;	/**< index in lb_config.vs */
	enum lb_fwd_kind kind;
	uint16_t laddr_first;		/**< FNAT: its local addresses are */
	uint16_t n_laddr;		/**<   laddr_all[laddr_first .. +n_laddr) */
	uint32_t persist_timeout;	/**< seconds, 0 = none */
	uint32_t persist_mask;		/**< persistence_granularity, network order */
	bool sched_unknown_tcp;		/**< schedule non-SYN packets of unknown TCP flows */
	struct lb_sched_group grp;	/**< rs[i] <-> grp.rs[i]; sh/dh/mh table owned */
	struct lb_svc_rs *rs;
	uint32_t n_rs;
};

/** An immutable snapshot. */
/** Size of lb_svc.nat_rs_bits, in bits (a power of two). */
#define LB_SVC_NAT_RS_BITS 8192

struct lb_svc {
	uint64_t gen;			/**< increases with every snapshot */
	struct rte_hash *vs_hash;	/**< (vip, port, proto) -> vs */
	struct lb_svc_vs *vs;		/**< indexed by vs id (holes have used == false) */
	uint32_t n_vs;			/**< vs id bound (max id + 1) */
	uint32_t n_rs;			/**< entries of rs_all */
	struct lb_svc_rs *rs_all;		/**< every real server, in config order */
	struct lb_sched_rs *sched_rs_all;	/**< scheduler view, in config order */
	uint32_t laddr_all[LB_MAX_LADDR];	/**< FNAT local addresses, network order */
	uint16_t laddr_port[LB_MAX_LADDR];	/**< lb port each one is on-link on */
	uint32_t n_laddr;
	/** Real server by id; NULL for unused and disabled ids. */
	const struct lb_svc_rs *rs_by_id[LB_MAX_RS];
	/**
	 * NAT real servers, (address, port) hashed into a bitmap (see
	 * lb_svc_nat_rs_maybe()): with several workers, a reply from one of
	 * them goes to the worker that owns its client tuple.
	 */
	uint64_t nat_rs_bits[LB_SVC_NAT_RS_BITS / 64];
	uint32_t n_nat_rs;		/**< NAT real servers in the snapshot */
};

/**
 * Health of one real server, as the checkers (lib/check, through lb_ctrl)
 * see it. A failed server is either removed (alive = false: never scheduled,
 * rs_by_id[id] = NULL, so packets of its established flows are dropped and
 * counted as Drop-rs_gone until the flows expire, like IPVS with
 * expire_nodest_conn = 0) or, with inhibit_on_failure, kept with weight 0
 * (alive = true, weight = 0: established flows continue, no new ones).
 */
struct lb_svc_rs_health {
	bool alive;		/**< in the service */
	uint32_t weight;	/**< weight while alive (misc_dynamic, inhibit: 0) */
};

/** Runtime override of one real server (lbctl weight, drain, disable). */
struct lb_svc_override {
	int64_t weight;		/**< < 0: the config's weight */
	bool disabled;		/**< out of service: no new flows, tracked flows dropped */
};

/** Stable ids for a config (see lb_svc_ids.h). */
struct lb_svc_ids {
	uint32_t *vs_id;	/**< [cfg->n_vs] */
	uint32_t *rs_id;	/**< [real servers of all services, config order] */
	uint32_t n_vs_ids;	/**< vs id bound, <= LB_MAX_VS */
	uint32_t n_rs_ids;	/**< rs id bound, <= LB_MAX_RS */
};

/** Runtime inputs of a snapshot besides the config. */
struct lb_svc_input {
	const struct lb_config *cfg;
	const struct lb_sysconf *sc;
	const bool *vrrp_master;	/**< [cfg->n_vrrp]: instance is master */
	/** [real-server id], or NULL: every server alive with its config weight. */
	const struct lb_svc_rs_health *rs_health;
	uint64_t gen;
	const struct lb_svc_ids *ids;	/**< NULL: positional ids */
	const struct lb_svc_override *ovr;	/**< [LB_MAX_RS] by rs id, or NULL */
};

/**
 * Check that a config can be served with this dpdk.conf: every real server
 * is on-link on some port (lbapp has no routing table, so in every mode),
 * DR does not change ports, every FULLNAT local address is on-link on a
 * port, every vrrp_instance interface names a port, and the limits
 * (LB_MAX_VS, LB_MAX_RS, LB_MAX_LADDR) hold. Errors name lb.conf file:line.
 *
 * @param diag
 *   Stream for errors, NULL for stderr.
 * @return
 *   0, or -EINVAL after reporting every problem.
 */
int lb_svc_check(const struct lb_config *cfg, const struct lb_sysconf *sc, FILE *diag);

/**
 * Build a snapshot. Control lcore only; needs EAL (rte_hash, rte_malloc).
 *
 * @return
 *   The snapshot, or NULL with rte_errno set (ENOMEM, EINVAL).
 */
struct lb_svc *lb_svc_build(const struct lb_svc_input *in);

/**
 * Free a snapshot (NULL allowed). Only after an RCU grace period.
 */
void lb_svc_free(struct lb_svc *svc);

/**
 * Find the virtual service for a destination. Safe on any lcore.
 *
 * @param vip, port
 *   Network order.
 * @return
 *   The service, or NULL.
 */
const struct lb_svc_vs *lb_svc_lookup(const struct lb_svc *svc, uint32_t vip, uint16_t port,
				      uint8_t proto);

/**
 * Find a FULLNAT local address. Safe on any lcore.
 *
 * @param ip
 *   Network order.
 * @return
 *   Its index in svc->laddr_all, or -1.
 */
int lb_svc_laddr_index(const struct lb_svc *svc, uint32_t ip);

/** Bit of a real server's (address, port), both network order, in nat_rs_bits. */
static inline uint32_t
lb_svc_nat_rs_bit(uint32_t ip, uint16_t port)
{
	return ((ip ^ ((uint32_t)port << 16)) * UINT32_C(2654435761)) >> 19;
}

/**
 * Whether (ip, port), network order, may be a NAT real server of the
 * snapshot: false for sure, or true (a false positive costs one redirect).
 * Thread safety: reads the snapshot only; any lcore.
 */
static inline bool
lb_svc_nat_rs_maybe(const struct lb_svc *svc, uint32_t ip, uint16_t port)
{
	uint32_t b = lb_svc_nat_rs_bit(ip, port);

	return (svc->nat_rs_bits[b / 64] >> (b % 64)) & 1;
}

#endif /* LB_SVC_H */

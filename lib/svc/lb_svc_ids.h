/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_SVC_IDS_H
#define LB_SVC_IDS_H

/**
 * @file
 * Stable virtual and real server ids across reloads.
 *
 * Connection entries name their real server and virtual service by id, so a
 * reload must give a surviving server the id it had, and must not hand a
 * removed server's id to a new one while tracked connections may still point
 * at it. An id map remembers, per id, the identity of its server (virtual
 * service address, port and protocol; real server address and port) and, for
 * a removed one, when it may be reused (after a quarantine longer than any
 * connection or template timeout).
 *
 * Control lcore only; not multi-thread safe. No EAL needed.
 */

#include <stdint.h>
#include <stdbool.h>

#include "lb_cfg.h"
#include "lb_svc.h"

/** State of one id. */
enum lb_svc_id_state {
	LB_SVC_ID_FREE = 0,
	LB_SVC_ID_USED,
	LB_SVC_ID_RETIRED,	/**< removed; reusable at free_at */
};

/** Identity of a server behind an id. */
struct lb_svc_id_key {
	uint32_t vip;		/**< network order */
	uint16_t vport;		/**< host order */
	uint8_t proto;
	uint8_t pad;
	uint32_t rip;		/**< real server address, 0 for a virtual service */
	uint16_t rport;		/**< host order, as configured (0 = VS port) */
	uint16_t pad2;
};

/** One slot of the map. */
struct lb_svc_id_slot {
	struct lb_svc_id_key key;
	uint8_t state;		/**< enum lb_svc_id_state */
	uint64_t free_at;	/**< seconds (caller's clock) when RETIRED */
};

/** The id map of a running process. */
struct lb_svc_idmap {
	struct lb_svc_id_slot vs[LB_MAX_VS];
	struct lb_svc_id_slot rs[LB_MAX_RS];
};

/**
 * Assign ids to a config: surviving servers keep theirs, new ones get free
 * ids (never one still in quarantine), removed ones are retired until
 * now + quarantine. The map is updated only in next, so a caller can drop
 * the result and keep the old map unchanged.
 *
 * @param cur
 *   Current map (all FREE before the first config).
 * @param cfg
 *   The config to assign ids to.
 * @param now, quarantine
 *   Seconds on any monotonic clock.
 * @param next
 *   Filled with the new map (may not alias cur).
 * @param ids
 *   Filled: arrays allocated with malloc (free with lb_svc_ids_free()).
 * @return
 *   0, -ENOSPC when no free id is left (every spare id still in quarantine),
 *   -ENOMEM.
 */
int lb_svc_ids_assign(const struct lb_svc_idmap *cur, const struct lb_config *cfg,
		      uint64_t now, uint64_t quarantine, struct lb_svc_idmap *next,
		      struct lb_svc_ids *ids);

/** Free the arrays of an lb_svc_ids (the struct itself is the caller's). */
void lb_svc_ids_free(struct lb_svc_ids *ids);

/** @return true when a real server id was removed (retired) in next but used in cur. */
bool lb_svc_ids_rs_removed(const struct lb_svc_idmap *cur, const struct lb_svc_idmap *next,
			   uint32_t id);

#endif /* LB_SVC_IDS_H */

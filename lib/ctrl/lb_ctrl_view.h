/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CTRL_VIEW_H
#define LB_CTRL_VIEW_H

/**
 * @file
 * Read-only views of runtime state for lbctl, telemetry and metrics: one
 * place that the VRRP and health-check code fill in, so that every output
 * (lbctl, /lb/... telemetry, Prometheus) shows the same thing.
 *
 * Control lcore only; not multi-thread safe.
 */

#include <stdbool.h>
#include <stdint.h>

#include "lb_ctrl.h"

#define LB_VRRP_VIEW_ERR_MAX 16

/** One VRRP instance as operators see it. */
struct lb_vrrp_view {
	const char *name;
	const char *interface;
	uint8_t vrid;
	const char *state;		/**< "MASTER", "BACKUP", "FAULT", "INIT" */
	uint8_t version;		/**< VRRP version, 2 or 3 */
	bool unicast;			/**< adverts go to unicast_peer addresses */
	uint8_t priority;		/**< configured */
	uint8_t effective_priority;	/**< after tracking adjustments */
	uint32_t master_ip;		/**< network order, 0 = unknown */
	uint64_t adverts_in;
	uint64_t adverts_out;
	uint64_t split_brain;		/**< lower-priority master heard while master */
	uint64_t become_master;		/**< times it became master */
	uint64_t smtp_alerts_unsent;	/**< smtp_alert on, no alert hook (no SMTP yet) */
	int track_delta;		/**< sum of tracking weights in effect */
	bool track_fault;		/**< a tracked interface or script is down */
	unsigned int n_errors;
	struct {
		const char *reason;	/**< Prometheus-label safe: [a-z_] */
		uint64_t count;
	} errors[LB_VRRP_VIEW_ERR_MAX];
};

/**
 * Fill the view of VRRP instance i (0 <= i < ctx->cfg->n_vrrp).
 *
 * @return
 *   0, or -ENOENT for a bad index.
 */
int lb_ctrl_vrrp_view(const struct lb_ctx *ctx, unsigned int i, struct lb_vrrp_view *v);

/**
 * @return the health state of a real server id as shown by lbctl list:
 *   "up", "disabled" (lbctl disable) or what the health checker says.
 */
const char *lb_ctrl_rs_health(const struct lb_ctx *ctx, uint32_t rs_id);

/** Totals of one real server over all workers. */
struct lb_rs_total {
	uint64_t conns, pkts, bytes;
	uint32_t active, inactive;
};

/** Sum a real server's per-worker counters (relaxed reads). */
void lb_ctrl_rs_total(const struct lb_ctx *ctx, uint32_t rs_id, struct lb_rs_total *t);

/** @return the lb clock in seconds (the workers' w->now). */
uint32_t lb_ctrl_now(const struct lb_ctx *ctx);

#endif /* LB_CTRL_VIEW_H */

/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CTRL_H
#define LB_CTRL_H

/**
 * @file
 * The control lcore: owns the application context, builds and publishes
 * service snapshots (RCU), answers and sends ARP, resolves real servers,
 * runs VRRP (lb_ctrl_vrrp.c: which VIPs this node owns, gratuitous ARP),
 * and prints statistics.
 *
 * Every function here runs on the EAL main lcore (the control lcore) and is
 * not multi-thread safe. The workers only see what lb_ctrl publishes
 * through struct lb_fwd_shared.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>
#include <rte_timer.h>

#include "lb_cfg.h"
#include "lb_sysconf.h"
#include "lb_port.h"
#include "lb_fwd.h"
#include "lb_neigh.h"
#include "lb_hostif.h"
#include "lb_check.h"
#include "lb_svc_ids.h"
#include "lb_log.h"

struct lb_ctl;

/** Control-lcore counters ("Ctl-<name>" in stats). */
#define LB_CTRL_CNT_LIST(X) \
	X(rx)			/* frames from workers */ \
	X(arp_in)		/* ARP frames seen */ \
	X(arp_reply)		/* ARP replies sent for our address or a VIP */ \
	X(arp_probe)		/* ARP requests sent to resolve real servers */ \
	X(garp)			/* gratuitous ARP sent for VIPs */ \
	X(neigh_update)		/* neighbour entries learnt or changed */ \
	X(bad_arp)		/* malformed ARP */ \
	X(vrrp_rx)		/* VRRP (or AH) frames seen */ \
	X(vrrp_tx)		/* VRRP adverts sent */ \
	X(vrrp_split_brain)	/* master heard a lower-priority master */ \
	X(unhandled)		/* not ARP, VRRP or for the host: nothing takes it */ \
	X(tx_ring_full)		/* could not queue a frame for TX */ \
	X(nombuf)		/* mempool empty when building a frame */

enum lb_ctrl_cnt {
#define LB_CTRL_ENUM(n) LB_CTRL_##n,
	LB_CTRL_CNT_LIST(LB_CTRL_ENUM)
#undef LB_CTRL_ENUM
	LB_CTRL__MAX,
};

struct lb_ctrl_vrrp;

/** The application context. One per process. */
struct lb_ctx {
	struct lb_config *cfg;			/**< owned */
	struct lb_sysconf sc;			/**< owned */
	FILE *log;				/**< where state lines and stats go */
	unsigned int stats_period;		/**< seconds, 0 = off */
	volatile bool *force_quit;		/**< set by the signal handler */

	struct rte_mempool *mp;
	struct lb_port ports[LB_MAX_PORTS];
	unsigned int n_ports;
	struct lb_fwd_shared *sh;
	struct lb_worker *workers[LB_MAX_WORKERS];
	unsigned int n_workers;
	struct rte_rcu_qsbr_dq *dq;
	struct lb_neigh *neigh;
	bool *vrrp_master;			/**< [cfg->n_vrrp], set by VRRP */
	struct lb_ctrl_vrrp *vrrp;		/**< VRRP instances (lb_ctrl_vrrp.c) */
	struct lb_hostif hostif[LB_MAX_PORTS];	/**< exception path, per port */
	struct lb_check *check;			/**< health checks, NULL when none */
	struct lb_svc_rs_health *rs_health;	/**< [real-server id], with check */
	bool *rs_inhibit;			/**< [id]: inhibit_on_failure */
	bool health_dirty;			/**< republish on the next poll */
	uint64_t svc_gen;

	struct rte_timer stats_timer;
	uint64_t cnt[LB_CTRL__MAX];

	/* Operations: lbctl socket, reload (lib/ctl, lb_ctrl_reload.c). */
	const char *cfg_path;			/**< lb.conf, re-read on reload */
	volatile bool *reload_req;		/**< set by SIGHUP, NULL = none */
	struct lb_ctl *ctl;			/**< control socket, NULL = none */
	struct lb_svc_idmap *idmap;		/**< stable ids; NULL until first needed */
	struct lb_svc_ids ids;			/**< ids of cfg; NULL arrays = positional */
	struct lb_svc_override *ovr;		/**< [LB_MAX_RS] by rs id, NULL = none */
	uint64_t reloads;			/**< reloads applied */
	uint64_t reload_errors;			/**< reloads refused */
	struct lb_log logopt;			/**< syslog, console, detailed (-D) */
};

/** Log one line through ctx's settings (lb_log.h levels). */
#define lb_log(ctx, level, ...) lb_log_msg(&(ctx)->logopt, (ctx)->log, level, __VA_ARGS__)

/**
 * Set up everything after EAL init: mempool, ports, workers and their
 * rings and connection tables, RCU, neighbour table, the first service
 * snapshot. Takes ownership of cfg and sc (also on failure).
 *
 * @param ctx
 *   Zeroed context with log, stats_period and force_quit set.
 * @param worker_lcores
 *   Lcore id of each worker, in worker order.
 * @param diag
 *   Where errors go.
 * @return
 *   0, or a negative errno; everything set up so far is undone.
 */
int lb_ctrl_init(struct lb_ctx *ctx, struct lb_config *cfg, const struct lb_sysconf *sc,
		 const unsigned int *worker_lcores, unsigned int n_workers, FILE *diag);

/**
 * Build a new service snapshot from the current config and state, publish
 * it to the workers and queue the old one for freeing after a grace period.
 *
 * @return
 *   0 or a negative errno (the old snapshot stays).
 */
int lb_ctrl_publish(struct lb_ctx *ctx);

/**
 * Handle one frame a worker passed to control. Consumes the mbuf.
 * m->port holds the lb port index it arrived on (set by the worker).
 */
void lb_ctrl_input(struct lb_ctx *ctx, struct rte_mbuf *m);

/**
 * Do one round of control work: worker rings, timers, neighbour probes,
 * RCU reclamation.
 *
 * @return
 *   Frames handled.
 */
unsigned int lb_ctrl_poll(struct lb_ctx *ctx);

/**
 * Start health checks (lib/check) for the real servers of the config. The
 * engine is polled from lb_ctrl_poll(); a state change republishes the
 * service snapshot (RCU, no pause): a failed server is removed, or with
 * inhibit_on_failure kept at weight 0 (see struct lb_svc_rs_health).
 *
 * @param rs
 *   [n_rs], indexed by real-server id (config order over all virtual
 *   servers); n_checks = 0 leaves a server unchecked.
 * @param inhibit
 *   [n_rs] inhibit_on_failure per server, or NULL for none.
 * @return
 *   0, -EINVAL when n_rs does not match the config, -ENOMEM.
 */
int lb_ctrl_checks_start(struct lb_ctx *ctx, const struct lb_check_rs_params *rs,
			 const bool *inhibit, unsigned int n_rs);

/**
 * Run the control loop until *ctx->force_quit; then release VRRP mastership
 * (priority-0 adverts, sent through worker 0 while it still runs) and tell
 * the workers to stop.
 */
void lb_ctrl_loop(struct lb_ctx *ctx);

/**
 * Called on the control lcore on every VRRP instance state change (the
 * place SMTP alerts plug in: the hook checks inst->smtp_alert itself).
 *
 * @param ctx
 *   The context.
 * @param arg
 *   As given to lb_ctrl_vrrp_set_alert().
 * @param inst
 *   The instance (valid until the next reload).
 * @param state
 *   Its new state: "MASTER", "BACKUP" or "FAULT".
 */
typedef void (*lb_ctrl_vrrp_alert_fn)(struct lb_ctx *ctx, void *arg,
				      const struct lb_cfg_vrrp *inst, const char *state);

/**
 * Install the VRRP state-change hook (one; NULL removes it). Without a hook,
 * state changes of instances with smtp_alert on are counted as
 * smtp_alerts_unsent.
 *
 * Control lcore only; not multi-thread safe.
 *
 * @return
 *   0, or -ENOENT before VRRP is set up (lb_ctrl_init()).
 */
int lb_ctrl_vrrp_set_alert(struct lb_ctx *ctx, lb_ctrl_vrrp_alert_fn fn, void *arg);

/** Print port, datapath and control statistics. */
void lb_ctrl_stats_print(struct lb_ctx *ctx, FILE *out);

/**
 * Re-read ctx->cfg_path and apply it (SIGHUP, lbctl reload): validate it
 * completely, keep the ids of surviving servers, and publish the new
 * snapshot in one swap. On any error nothing changes.
 *
 * @param diag
 *   Where errors go (also logged to ctx->log), may be NULL.
 * @return
 *   0, -EINVAL (refused: errors reported), -ENOSPC (no free id), -ENOMEM.
 */
int lb_ctrl_reload(struct lb_ctx *ctx, FILE *diag);

/**
 * Make sure ctx->idmap and ctx->ids describe ctx->cfg (positional ids for
 * the first config), e.g. before runtime overrides are keyed by id.
 *
 * @return
 *   0 or -ENOMEM.
 */
int lb_ctrl_ids_init(struct lb_ctx *ctx);

/**
 * Stop ports and free everything (after the workers have returned).
 */
void lb_ctrl_fini(struct lb_ctx *ctx);

#endif /* LB_CTRL_H */

/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CTRL_INT_H
#define LB_CTRL_INT_H

/* Private to lib/ctrl: what lb_ctrl.c and lb_ctrl_vrrp.c share. Control lcore only. */

#include <stdio.h>
#include <rte_mbuf.h>

#include "lb_ctrl.h"

/* Queue a control-built frame for TX on lb port `port` through worker 0. */
void lb_ctrl_send(struct lb_ctx *ctx, struct rte_mbuf *m, uint16_t port);

/* A state-change line: one notice (console and/or syslog, see lb_log). */
#define lb_ctrl_log(ctx, ...) lb_log(ctx, LB_LOG_NOTICE, __VA_ARGS__)

/* Milliseconds on the TSC clock. */
uint64_t lb_ctrl_now_ms(const struct lb_ctx *ctx);

/* VRRP (lb_ctrl_vrrp.c). */
int lb_ctrl_vrrp_init(struct lb_ctx *ctx, FILE *diag);
void lb_ctrl_vrrp_start(struct lb_ctx *ctx);
/* IPv4 protocol 112 (VRRP) or 51 (AH) frame; consumes nothing. */
void lb_ctrl_vrrp_input(struct lb_ctx *ctx, const struct rte_mbuf *m, uint16_t port);
void lb_ctrl_vrrp_poll(struct lb_ctx *ctx);
/* Priority-0 adverts from masters, VIPs released; returns when worker 0 has sent them. */
void lb_ctrl_vrrp_shutdown(struct lb_ctx *ctx);
void lb_ctrl_vrrp_stats_print(struct lb_ctx *ctx, FILE *out);
void lb_ctrl_vrrp_fini(struct lb_ctx *ctx);
/*
 * Reload: instances are matched by name. Until VRRP parameters can change live,
 * a reload that adds, removes or changes an instance is refused (-EINVAL, reasons on
 * diag); after the swap, rebind points each instance at the new config's copy.
 */
int lb_ctrl_vrrp_reload_check(const struct lb_ctx *ctx, const struct lb_config *ncfg,
			      FILE *diag);
void lb_ctrl_vrrp_rebind(struct lb_ctx *ctx);

#endif /* LB_CTRL_INT_H */

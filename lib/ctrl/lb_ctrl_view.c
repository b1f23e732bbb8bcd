/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>

#include "lb_ctrl_view.h"

int
lb_ctrl_vrrp_view(const struct lb_ctx *ctx, unsigned int i, struct lb_vrrp_view *v)
{
	const struct lb_cfg_vrrp *c;
	int port;

	if (i >= ctx->cfg->n_vrrp)
		return -ENOENT;
	c = &ctx->cfg->vrrp[i];
	memset(v, 0, sizeof(*v));
	v->name = c->name;
	v->interface = c->interface;
	v->vrid = c->vrid;
	/* Until VRRP runs, the state is the configured one (lb_ctx.vrrp_master). */
	v->state = ctx->vrrp_master[i] ? "MASTER" : "BACKUP";
	v->priority = c->priority;
	v->effective_priority = c->priority;
	port = lb_sysconf_port_by_name(&ctx->sc, c->interface);
	if (ctx->vrrp_master[i] && port >= 0)
		v->master_ip = ctx->ports[port].addr;
	return 0;
}

const char *
lb_ctrl_rs_health(const struct lb_ctx *ctx, uint32_t rs_id)
{
	if (ctx->ovr != NULL && rs_id < LB_MAX_RS && ctx->ovr[rs_id].disabled)
		return "disabled";
	return "up";
}

void
lb_ctrl_rs_total(const struct lb_ctx *ctx, uint32_t rs_id, struct lb_rs_total *t)
{
	unsigned int i;

	memset(t, 0, sizeof(*t));
	if (rs_id >= LB_MAX_RS)
		return;
	for (i = 0; i < ctx->n_workers; i++) {
		const struct lb_rs_stats *s = &ctx->workers[i]->rs_stats[rs_id];
		const struct lb_rs_counts *c = &ctx->sh->counts.per_worker[i][rs_id];

		t->conns += __atomic_load_n(&s->conns, __ATOMIC_RELAXED);
		t->pkts += __atomic_load_n(&s->pkts, __ATOMIC_RELAXED);
		t->bytes += __atomic_load_n(&s->bytes, __ATOMIC_RELAXED);
		t->active += __atomic_load_n(&c->active, __ATOMIC_RELAXED);
		t->inactive += __atomic_load_n(&c->inactive, __ATOMIC_RELAXED);
	}
}

uint32_t
lb_ctrl_now(const struct lb_ctx *ctx)
{
	return (uint32_t)((rte_rdtsc() - ctx->sh->tsc_start) / ctx->sh->tsc_hz);
}

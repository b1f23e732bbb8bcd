/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>

#include "lb_ctrl_view.h"

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

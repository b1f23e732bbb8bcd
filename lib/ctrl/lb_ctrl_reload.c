/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Live reload: re-read lb.conf, validate it whole, keep the ids of surviving
 * servers (lb_svc_ids), publish the new snapshot in one RCU swap. Any error
 * leaves the running config untouched.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <rte_cycles.h>
#include <rte_errno.h>

#include "lb_ctrl_int.h"
#include "lb_log.h"

#define QUARANTINE_SLACK 60	/* seconds on top of the longest timeout */

static uint64_t
now_s(const struct lb_ctx *ctx)
{
	return (rte_rdtsc() - ctx->sh->tsc_start) / ctx->sh->tsc_hz;
}

/* Longest time a connection or template may outlive its server's removal. */
static uint64_t
quarantine(const struct lb_ctx *ctx, const struct lb_config *a, const struct lb_config *b)
{
	const struct lb_sysconf_timeouts *t = &ctx->sc.timeouts;
	uint64_t q = RTE_MAX(RTE_MAX(t->tcp_established, t->tcp_syn_recv),
			     RTE_MAX(RTE_MAX(t->tcp_fin_wait, t->tcp_close), t->udp));
	unsigned int i;

	q = RTE_MAX(q, (uint64_t)LB_CONN_TEMPLATE_TIMEOUT);
	for (i = 0; i < a->n_vs; i++)
		q = RTE_MAX(q, (uint64_t)a->vs[i].persistence_timeout);
	for (i = 0; b != NULL && i < b->n_vs; i++)
		q = RTE_MAX(q, (uint64_t)b->vs[i].persistence_timeout);
	return q + QUARANTINE_SLACK;
}

int
lb_ctrl_ids_init(struct lb_ctx *ctx)
{
	struct lb_svc_idmap *empty;
	int ret;

	if (ctx->idmap != NULL)
		return 0;
	empty = calloc(1, sizeof(*empty));
	ctx->idmap = calloc(1, sizeof(*ctx->idmap));
	if (empty == NULL || ctx->idmap == NULL) {
		free(empty);
		free(ctx->idmap);
		ctx->idmap = NULL;
		return -ENOMEM;
	}
	/* From an empty map, ids come out in config order: the positional ids in use. */
	ret = lb_svc_ids_assign(empty, ctx->cfg, now_s(ctx), 0, ctx->idmap, &ctx->ids);
	free(empty);
	if (ret != 0) {
		free(ctx->idmap);
		ctx->idmap = NULL;
	}
	return ret;
}

/* Runtime VRRP state of the new instances: kept by name, else the config's state. */
static bool *
vrrp_carry(const struct lb_ctx *ctx, const struct lb_config *ncfg)
{
	bool *vm = calloc(RTE_MAX(ncfg->n_vrrp, 1u), sizeof(bool));
	unsigned int i, j;

	if (vm == NULL)
		return NULL;
	for (i = 0; i < ncfg->n_vrrp; i++) {
		vm[i] = ncfg->vrrp[i].state == LB_VRRP_MASTER;
		for (j = 0; j < ctx->cfg->n_vrrp; j++)
			if (strcmp(ctx->cfg->vrrp[j].name, ncfg->vrrp[i].name) == 0)
				vm[i] = ctx->vrrp_master[j];
	}
	return vm;
}

static void
report(struct lb_ctx *ctx, FILE *diag, const char *fmt, ...) __rte_format_printf(3, 4);

static void
report(struct lb_ctx *ctx, FILE *diag, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (diag != NULL)
		fprintf(diag, "%s\n", buf);
	lb_log(ctx, LB_LOG_WARNING, "%s", buf);
}

/* Copy what the parser wrote to a memstream into the log, line by line. */
static void
log_lines(struct lb_ctx *ctx, FILE *diag, char *text)
{
	char *save = NULL, *line;

	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
		report(ctx, diag, "reload: %s", line);
}

int
lb_ctrl_reload(struct lb_ctx *ctx, FILE *diag)
{
	struct lb_config *ncfg = NULL, *ocfg = ctx->cfg;
	struct lb_svc_ids nids = {0}, oids;
	struct lb_svc_idmap *next = NULL;
	bool *nvm = NULL, *ovm = ctx->vrrp_master;
	unsigned int i, j, added = 0, removed = 0, n_rs = 0;
	char *msg = NULL;
	size_t msg_len = 0;
	FILE *mem;
	int ret;

	if (ctx->cfg_path == NULL) {
		report(ctx, diag, "reload: no lb.conf path known");
		return -EINVAL;
	}
	ret = lb_ctrl_ids_init(ctx);
	if (ret != 0)
		goto refused;

	/* 1. Parse and check everything before touching anything. */
	mem = open_memstream(&msg, &msg_len);
	if (mem == NULL) {
		ret = -ENOMEM;
		goto refused;
	}
	ncfg = lb_cfg_load(ctx->cfg_path, mem);
	ret = ncfg == NULL ? -EINVAL : lb_svc_check(ncfg, &ctx->sc, mem);
	if (ret == 0 && ncfg->script_security_violation) {
		fprintf(mem, "reload: a script would run as root from a path others can write "
			"(enable_script_security)\n");
		ret = -EPERM;
	}
	if (ret == 0)
		ret = lb_ctrl_vrrp_reload_check(ctx, ncfg, mem);
	fclose(mem);
	if (msg_len > 0)
		log_lines(ctx, diag, msg);
	free(msg);
	if (ret != 0)
		goto refused;

	/* 2. Ids: survivors keep theirs, removed ones are quarantined. */
	next = malloc(sizeof(*next));
	nvm = vrrp_carry(ctx, ncfg);
	if (next == NULL || nvm == NULL) {
		ret = -ENOMEM;
		goto refused;
	}
	ret = lb_svc_ids_assign(ctx->idmap, ncfg, now_s(ctx), quarantine(ctx, ocfg, ncfg), next,
				&nids);
	if (ret == -ENOSPC)
		report(ctx, diag, "reload: no free real server id (removed ids are kept until "
		       "their connections expire)");
	if (ret != 0)
		goto refused;
	for (i = 0; i < ncfg->n_vs; i++)
		for (j = 0; j < ncfg->vs[i].n_rs; j++, n_rs++) {
			uint32_t ip = ncfg->vs[i].rs[j].addr.ip;
			int port = lb_sysconf_port_for_ip(&ctx->sc, ip);

			if (ctx->idmap->rs[nids.rs_id[n_rs]].state != LB_SVC_ID_USED)
				added++;
			if (port >= 0 && lb_neigh_want(ctx->neigh, ip, (uint16_t)port) != 0) {
				report(ctx, diag, "reload: neighbour table full (%s:%u)",
				       ncfg->vs[i].rs[j].file, ncfg->vs[i].rs[j].line);
				ret = -ENOSPC;
				goto refused;
			}
		}

	/* 3. One swap: config, ids, VRRP state, snapshot. */
	oids = ctx->ids;
	ctx->cfg = ncfg;
	ctx->ids = nids;
	ctx->vrrp_master = nvm;
	ret = lb_ctrl_publish(ctx);
	if (ret != 0) {
		ctx->cfg = ocfg;
		ctx->ids = oids;
		ctx->vrrp_master = ovm;
		report(ctx, diag, "reload: cannot build the service table: %s",
		       rte_strerror(-ret));
		goto refused;
	}
	lb_ctrl_vrrp_rebind(ctx);
	for (i = 0; i < LB_MAX_RS; i++)
		if (lb_svc_ids_rs_removed(ctx->idmap, next, i)) {
			removed++;
			if (ctx->ovr != NULL) {
				ctx->ovr[i].weight = -1;
				ctx->ovr[i].disabled = false;
			}
		}
	memcpy(ctx->idmap, next, sizeof(*next));
	free(next);
	lb_svc_ids_free(&oids);
	free(ovm);
	lb_cfg_free(ocfg);
	ctx->reloads++;
	lb_log(ctx, LB_LOG_NOTICE, "reload: %s applied: %u virtual servers, %u real servers "
	       "(%u added, %u removed)", ctx->cfg_path, ctx->cfg->n_vs, n_rs, added, removed);
	if (diag != NULL)
		fprintf(diag, "reloaded %s: %u virtual servers, %u real servers (%u added, "
			"%u removed)\n", ctx->cfg_path, ctx->cfg->n_vs, n_rs, added, removed);
	return 0;

refused:
	ctx->reload_errors++;
	report(ctx, diag, "reload: %s refused (%s), running config unchanged", ctx->cfg_path,
	       strerror(-ret));
	lb_svc_ids_free(&nids);
	free(next);
	free(nvm);
	lb_cfg_free(ncfg);
	return ret;
}

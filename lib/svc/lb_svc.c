/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_byteorder.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "lb_svc.h"

/* rte_hash key: 8 bytes, padding zeroed. */
struct vs_key {
	uint32_t vip;
	uint16_t port;
	uint8_t proto;
	uint8_t pad;
};

static void
diag_err(FILE *diag, const char *file, unsigned int line, const char *fmt, ...)
	__rte_format_printf(4, 5);

static void
diag_err(FILE *diag, const char *file, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(diag, "%s:%u: error: ", file != NULL ? file : "lb.conf", line);
	va_start(ap, fmt);
	vfprintf(diag, fmt, ap);
	va_end(ap);
	fputc('\n', diag);
}

int
lb_svc_check(const struct lb_config *cfg, const struct lb_sysconf *sc, FILE *diag)
{
	const char *file = cfg->n_files > 0 ? cfg->files[0] : "lb.conf";
	unsigned int i, j, n_rs = 0;
	char ip[INET_ADDRSTRLEN];
	int bad = 0;

	if (diag == NULL)
		diag = stderr;
	if (cfg->n_vs > LB_MAX_VS) {
		diag_err(diag, file, cfg->vs[LB_MAX_VS].line,
			 "too many virtual servers (at most %d)", LB_MAX_VS);
		bad = 1;
	}
	for (i = 0; i < cfg->n_vrrp; i++) {
		const struct lb_cfg_vrrp *v = &cfg->vrrp[i];

		if (lb_sysconf_port_by_name(sc, v->interface) < 0) {
			diag_err(diag, file, v->line,
				 "vrrp_instance %s: interface '%s' is not a port in %s",
				 v->name, v->interface, sc->file);
			bad = 1;
		}
	}
	for (i = 0; i < cfg->n_vs; i++) {
		const struct lb_cfg_vs *vs = &cfg->vs[i];
		const char *f = vs->file != NULL ? vs->file : file;

		for (j = 0; j < vs->n_rs; j++) {
			const struct lb_cfg_rs *rs = &vs->rs[j];

			if (++n_rs == LB_MAX_RS + 1) {
				diag_err(diag, f, rs->line, "too many real servers (at most %d)",
					 LB_MAX_RS);
				bad = 1;
			}
			if (lb_sysconf_port_for_ip(sc, rs->addr.ip) < 0) {
				inet_ntop(AF_INET, &rs->addr.ip, ip, sizeof(ip));
				diag_err(diag, f, rs->line,
					 "real_server %s is on no port's subnet in %s "
					 "(lb_kind %s needs it on-link: lbapp does not route)", ip,
					 sc->file, lb_cfg_kind_name(vs->kind));
				bad = 1;
			}
			if (vs->kind == LB_FWD_DR && rs->port != 0 && rs->port != vs->port) {
				diag_err(diag, f, rs->line,
					 "real_server port %u differs from the virtual server's %u: "
					 "lb_kind DR cannot change the port", rs->port, vs->port);
				bad = 1;
			}
		}
	}
	for (i = 0, j = 0; i < cfg->n_laddr_groups; i++) {
		const struct lb_cfg_laddr_group *g = &cfg->laddr_groups[i];
		unsigned int k;

		j += g->n_addrs;
		if (j > LB_MAX_LADDR && j - g->n_addrs <= LB_MAX_LADDR) {
			diag_err(diag, g->file, g->line,
				 "too many local addresses (at most %d in all groups)", LB_MAX_LADDR);
			bad = 1;
		}
		for (k = 0; k < g->n_addrs; k++) {
			unsigned int og, ok;

			for (og = 0; og < i; og++)
				for (ok = 0; ok < cfg->laddr_groups[og].n_addrs; ok++)
					if (cfg->laddr_groups[og].addrs[ok] == g->addrs[k]) {
						inet_ntop(AF_INET, &g->addrs[k], ip, sizeof(ip));
						diag_err(diag, g->file, g->line,
							 "local address %s is also in "
							 "local_address_group '%s'", ip,
							 cfg->laddr_groups[og].name);
						bad = 1;
					}
			if (lb_sysconf_port_for_ip(sc, g->addrs[k]) >= 0)
				continue;
			inet_ntop(AF_INET, &g->addrs[k], ip, sizeof(ip));
			diag_err(diag, g->file, g->line,
				 "local address %s of local_address_group '%s' is on no port's "
				 "subnet in %s", ip, g->name, sc->file);
			bad = 1;
		}
	}
	return bad ? -EINVAL : 0;
}

static bool
vip_active(const struct lb_svc_input *in, uint32_t vip)
{
	const struct lb_config *cfg = in->cfg;
	unsigned int i, j;

	for (i = 0; i < cfg->n_vrrp; i++)
		for (j = 0; j < cfg->vrrp[i].n_vips; j++)
			if (cfg->vrrp[i].vips[j].addr.ip == vip)
				return in->vrrp_master != NULL && in->vrrp_master[i];
	/* A VIP in no instance is served unconditionally (lb_cfg warned). */
	return true;
}

struct lb_svc *
lb_svc_build(const struct lb_svc_input *in)
{
	const struct lb_config *cfg = in->cfg;
	const struct lb_svc_ids *ids = in->ids;
	struct rte_hash_parameters hp = {0};
	struct lb_sched_rs *srs = NULL;
	struct lb_svc_rs *rs = NULL;
	struct lb_svc *svc;
	char name[RTE_HASH_NAMESIZE];
	unsigned int i, j, n_rs = 0, k = 0, n_vs_ids;

	n_vs_ids = ids != NULL ? ids->n_vs_ids : cfg->n_vs;
	if (cfg->n_vs > LB_MAX_VS || n_vs_ids > LB_MAX_VS) {
		rte_errno = EINVAL;
		return NULL;
	}
	for (i = 0; i < cfg->n_vs; i++)
		n_rs += cfg->vs[i].n_rs;
	if (n_rs > LB_MAX_RS || (ids != NULL && ids->n_rs_ids > LB_MAX_RS)) {
		rte_errno = EINVAL;
		return NULL;
	}

	svc = rte_zmalloc("lb_svc", sizeof(*svc), RTE_CACHE_LINE_SIZE);
	if (svc == NULL)
		goto err_nomem;
	svc->gen = in->gen;
	svc->n_vs = n_vs_ids;
	svc->n_rs = n_rs;
	svc->vs = rte_zmalloc("lb_svc_vs", sizeof(*svc->vs) * RTE_MAX(n_vs_ids, 1u),
			      RTE_CACHE_LINE_SIZE);
	rs = rte_zmalloc("lb_svc_rs", sizeof(*rs) * RTE_MAX(n_rs, 1u), RTE_CACHE_LINE_SIZE);
	srs = rte_zmalloc("lb_svc_srs", sizeof(*srs) * RTE_MAX(n_rs, 1u), RTE_CACHE_LINE_SIZE);
	if (svc->vs == NULL || rs == NULL || srs == NULL)
		goto err_nomem;
	svc->rs_all = rs;
	svc->sched_rs_all = srs;
	for (i = 0; i < n_vs_ids; i++)
		svc->vs[i].id = i;

	/* FULLNAT local addresses: every group's, in config order. */
	for (i = 0; i < cfg->n_laddr_groups; i++) {
		const struct lb_cfg_laddr_group *g = &cfg->laddr_groups[i];

		for (j = 0; j < g->n_addrs && svc->n_laddr < LB_MAX_LADDR; j++) {
			int p = lb_sysconf_port_for_ip(in->sc, g->addrs[j]);

			svc->laddr_port[svc->n_laddr] = p < 0 ? 0 : (uint16_t)p;
			svc->laddr_all[svc->n_laddr++] = g->addrs[j];
		}
	}

	snprintf(name, sizeof(name), "lb_vs_%" PRIu64, in->gen);
	hp.name = name;
	hp.entries = RTE_MAX(cfg->n_vs * 2, 64u);
	hp.key_len = sizeof(struct vs_key);
	hp.hash_func = rte_hash_crc;
	hp.socket_id = (int)rte_socket_id();
	svc->vs_hash = rte_hash_create(&hp);
	if (svc->vs_hash == NULL)
		goto err;

	for (i = 0; i < cfg->n_vs; i++) {
		const struct lb_cfg_vs *c = &cfg->vs[i];
		uint32_t vs_id = ids != NULL ? ids->vs_id[i] : i;
		struct lb_svc_vs *vs;
		struct vs_key key = {
			.vip = c->vip, .port = rte_cpu_to_be_16(c->port), .proto = c->proto,
		};

		if (vs_id >= n_vs_ids || svc->vs[vs_id].used) {
			rte_errno = EINVAL;
			goto err;
		}
		vs = &svc->vs[vs_id];
		vs->used = true;
		vs->cfg_idx = i;
		vs->vip = c->vip;
		vs->port = key.port;
		vs->proto = c->proto;
		vs->kind = c->kind;
		if (c->kind == LB_FWD_FNAT && c->laddr_group_idx >= 0) {
			unsigned int g, first = 0;

			for (g = 0; g < (unsigned int)c->laddr_group_idx; g++)
				first += cfg->laddr_groups[g].n_addrs;
			if (first < svc->n_laddr) {
				vs->laddr_first = (uint16_t)first;
				vs->n_laddr = (uint16_t)RTE_MIN(
					cfg->laddr_groups[c->laddr_group_idx].n_addrs,
					svc->n_laddr - first);
			}
		}
		vs->persist_timeout = c->persistence_timeout;
		/* persistence_granularity: templates key on the masked client address. */
		vs->persist_mask = c->persistence_granularity == 0 ? 0 :
			rte_cpu_to_be_32(UINT32_MAX << (32 - RTE_MIN(c->persistence_granularity, 32)));
		vs->sched_unknown_tcp = c->proto == IPPROTO_TCP &&
			(in->sc->unknown_tcp == LB_UNKNOWN_TCP_SCHEDULE ||
			 (in->sc->unknown_tcp == LB_UNKNOWN_TCP_MH_ONLY &&
			  c->sched == LB_SCHED_MH));
		vs->active = vip_active(in, c->vip);
		vs->rs = &rs[k];
		vs->n_rs = c->n_rs;
		for (j = 0; j < c->n_rs; j++, k++) {
			const struct lb_cfg_rs *cr = &c->rs[j];
			int p = lb_sysconf_port_for_ip(in->sc, cr->addr.ip);
			uint32_t id = ids != NULL ? ids->rs_id[k] : k;
			const struct lb_svc_override *o;
			const struct lb_svc_rs_health *h;
			uint32_t hw;
			bool down;

			if (id >= LB_MAX_RS || svc->rs_by_id[id] != NULL) {
				rte_errno = EINVAL;
				goto err;
			}
			o = in->ovr != NULL ? &in->ovr[id] : NULL;
			h = in->rs_health != NULL ? &in->rs_health[id] : NULL;
			/* Health first (failed: out; inhibited: 0), then lbctl's weight override. */
			down = h != NULL && !h->alive;
			hw = h == NULL ? cr->weight : h->weight;
			rs[k].id = id;
			rs[k].ip = cr->addr.ip;
			rs[k].port = rte_cpu_to_be_16(cr->port != 0 ? cr->port : c->port);
			rs[k].out_port = p < 0 ? 0 : (uint16_t)p;
			rs[k].cfg_weight = cr->weight;
			if (down)
				rs[k].weight = 0;
			else if (o != NULL && o->weight >= 0 && !(h != NULL && h->weight == 0))
				rs[k].weight = (uint32_t)o->weight;	/* inhibited stays 0 */
			else
				rs[k].weight = hw;
			rs[k].disabled = o != NULL && o->disabled;
			rs[k].vs_id = vs_id;
			srs[k].id = id;
			srs[k].weight = rs[k].disabled || down ? 0 : rs[k].weight;
			srs[k].addr = rs[k].ip;
			srs[k].port = rs[k].port;
			if (c->kind == LB_FWD_NAT) {
				uint32_t b = lb_svc_nat_rs_bit(rs[k].ip, rs[k].port);

				svc->nat_rs_bits[b / 64] |= UINT64_C(1) << (b % 64);
				svc->n_nat_rs++;
			}
			/* A disabled or failed server keeps its id but is unreachable (rs_gone). */
			if (!rs[k].disabled && !down)
				svc->rs_by_id[id] = &rs[k];
		}
		vs->grp.algo = c->sched;
		vs->grp.rs = &srs[k - c->n_rs];
		vs->grp.n = c->n_rs;
		if (lb_sched_group_build(&vs->grp) != 0)
			goto err_nomem;
		if (rte_hash_add_key_data(svc->vs_hash, &key, vs) < 0)
			goto err;
	}
	return svc;

err_nomem:
	rte_errno = ENOMEM;
err:
	if (svc != NULL) {
		rte_hash_free(svc->vs_hash);
		if (svc->vs != NULL)
			for (i = 0; i < svc->n_vs; i++)
				lb_sched_group_fini(&svc->vs[i].grp);
		rte_free(svc->vs);
	}
	rte_free(rs);
	rte_free(srs);
	rte_free(svc);
	return NULL;
}

void
lb_svc_free(struct lb_svc *svc)
{
	unsigned int i;

	if (svc == NULL)
		return;
	for (i = 0; i < svc->n_vs; i++)
		lb_sched_group_fini(&svc->vs[i].grp);
	rte_hash_free(svc->vs_hash);
	rte_free(svc->rs_all);
	rte_free(svc->sched_rs_all);
	rte_free(svc->vs);
	rte_free(svc);
}

const struct lb_svc_vs *
lb_svc_lookup(const struct lb_svc *svc, uint32_t vip, uint16_t port, uint8_t proto)
{
	struct vs_key key = { .vip = vip, .port = port, .proto = proto };
	void *data;

	if (rte_hash_lookup_data(svc->vs_hash, &key, &data) < 0)
		return NULL;
	return data;
}

int
lb_svc_laddr_index(const struct lb_svc *svc, uint32_t ip)
{
	uint32_t i;

	for (i = 0; i < svc->n_laddr; i++)
		if (svc->laddr_all[i] == ip)
			return (int)i;
	return -1;
}

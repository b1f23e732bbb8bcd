/* SPDX-License-Identifier: BSD-3-Clause */
/* Stable server ids across reloads: match by identity, quarantine removed ids. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lb_svc_ids.h"

static bool
key_eq(const struct lb_svc_id_key *a, const struct lb_svc_id_key *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/*
 * Give every key an id in slots[0..n): first pass keeps ids of keys already
 * USED, second pass takes FREE (or expired RETIRED) ids for the new keys.
 * Every USED slot not claimed becomes RETIRED.
 */
static int
assign(const struct lb_svc_id_slot *cur, struct lb_svc_id_slot *next, unsigned int n,
       const struct lb_svc_id_key *keys, uint32_t *out, unsigned int n_keys, uint64_t now,
       uint64_t quarantine, uint32_t *bound)
{
	bool *claimed;
	unsigned int i, j, f = 0;
	int ret = 0;

	claimed = calloc(n, sizeof(*claimed));
	if (claimed == NULL)
		return -ENOMEM;
	memcpy(next, cur, sizeof(*next) * n);
	for (i = 0; i < n; i++)
		if (next[i].state == LB_SVC_ID_RETIRED && next[i].free_at <= now)
			memset(&next[i], 0, sizeof(next[i]));
	for (i = 0; i < n_keys; i++) {
		out[i] = UINT32_MAX;
		for (j = 0; j < n; j++)
			if (next[j].state == LB_SVC_ID_USED && !claimed[j] &&
			    key_eq(&next[j].key, &keys[i])) {
				claimed[j] = true;
				out[i] = j;
				break;
			}
	}
	for (i = 0; i < n; i++)
		if (next[i].state == LB_SVC_ID_USED && !claimed[i]) {
			next[i].state = LB_SVC_ID_RETIRED;
			next[i].free_at = now + quarantine;
		}
	for (i = 0; i < n_keys; i++) {
		if (out[i] != UINT32_MAX)
			continue;
		while (f < n && next[f].state != LB_SVC_ID_FREE)
			f++;
		if (f == n) {
			ret = -ENOSPC;
			goto out;
		}
		next[f].key = keys[i];
		next[f].state = LB_SVC_ID_USED;
		next[f].free_at = 0;
		claimed[f] = true;
		out[i] = f;
	}
	*bound = 0;
	for (i = 0; i < n; i++)
		if (next[i].state != LB_SVC_ID_FREE)
			*bound = i + 1;
out:
	free(claimed);
	return ret;
}

int
lb_svc_ids_assign(const struct lb_svc_idmap *cur, const struct lb_config *cfg,
		  uint64_t now, uint64_t quarantine, struct lb_svc_idmap *next,
		  struct lb_svc_ids *ids)
{
	struct lb_svc_id_key *vk = NULL, *rk = NULL;
	unsigned int i, j, k = 0, n_rs = 0;
	int ret = -ENOMEM;

	memset(ids, 0, sizeof(*ids));
	if (cfg->n_vs > LB_MAX_VS)
		return -ENOSPC;
	for (i = 0; i < cfg->n_vs; i++)
		n_rs += cfg->vs[i].n_rs;
	if (n_rs > LB_MAX_RS)
		return -ENOSPC;
	vk = calloc(cfg->n_vs + 1, sizeof(*vk));
	rk = calloc(n_rs + 1, sizeof(*rk));
	ids->vs_id = calloc(cfg->n_vs + 1, sizeof(uint32_t));
	ids->rs_id = calloc(n_rs + 1, sizeof(uint32_t));
	if (vk == NULL || rk == NULL || ids->vs_id == NULL || ids->rs_id == NULL)
		goto out;
	for (i = 0; i < cfg->n_vs; i++) {
		const struct lb_cfg_vs *v = &cfg->vs[i];

		vk[i].vip = v->vip;
		vk[i].vport = v->port;
		vk[i].proto = v->proto;
		for (j = 0; j < v->n_rs; j++, k++) {
			rk[k] = vk[i];
			rk[k].rip = v->rs[j].addr.ip;
			rk[k].rport = v->rs[j].port;
		}
	}
	ret = assign(cur->vs, next->vs, LB_MAX_VS, vk, ids->vs_id, cfg->n_vs, now, quarantine,
		     &ids->n_vs_ids);
	if (ret == 0)
		ret = assign(cur->rs, next->rs, LB_MAX_RS, rk, ids->rs_id, n_rs, now, quarantine,
			     &ids->n_rs_ids);
out:
	free(vk);
	free(rk);
	if (ret != 0)
		lb_svc_ids_free(ids);
	return ret;
}

void
lb_svc_ids_free(struct lb_svc_ids *ids)
{
	free(ids->vs_id);
	free(ids->rs_id);
	ids->vs_id = NULL;
	ids->rs_id = NULL;
}

bool
lb_svc_ids_rs_removed(const struct lb_svc_idmap *cur, const struct lb_svc_idmap *next,
		      uint32_t id)
{
	return id < LB_MAX_RS && cur->rs[id].state == LB_SVC_ID_USED &&
	       next->rs[id].state == LB_SVC_ID_RETIRED;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VRRP on the control lcore: one lb_vrrp state machine per vrrp_instance,
 * driven by received adverts (from the workers' to_ctl rings), deadlines
 * polled from lb_ctrl_poll() and link state. Its actions become adverts
 * (mbufs sent through worker 0 like ARP), gratuitous ARP bursts, VIP
 * ownership (ctx->vrrp_master + lb_ctrl_publish) and notify scripts.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>

#include "lb_ctrl_int.h"
#include "lb_notify.h"
#include "lb_vrrp.h"

#define LINK_POLL_MS 100
#define NOTIFY_MAX 16
#define NOTIFY_TIMEOUT_MS 10000
#define SHUTDOWN_DRAIN_MS 200
#define VRRP_FRAME_MAX 256

static const struct rte_ether_addr vrrp_mcast_mac = {
	{ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x12 }
};

struct vi {
	const struct lb_cfg_vrrp *cfg;
	unsigned int idx;		/* index in cfg->vrrp and ctx->vrrp_master */
	struct lb_vrrp_sm sm;
	uint16_t port;
	uint32_t src_ip;		/* network order */
	uint32_t peers[LB_VRRP_MAX_ADDRS];	/* unicast_peer, network order */
	unsigned int n_peers;
	uint64_t garp_at;		/* second GARP burst due, UINT64_MAX = none */
	bool link_down;
	/* notify scripts; NULL until lb.conf carries them */
	const char *notify_master, *notify_backup, *notify_fault, *notify_stop, *notify;
	uint64_t rx[LB_VRRP_RX__MAX];
	uint64_t tx_unresolved;		/* unicast peer MAC unknown: advert not sent */
	uint64_t notify_busy;
};

struct lb_ctrl_vrrp {
	struct vi *vi;
	unsigned int n;
	struct lb_notify *notify;
	uint64_t link_at;
	uint64_t rx_short;		/* not even a VRRP header */
	uint64_t rx_own;		/* our own adverts looped back */
	uint64_t rx_unknown_vrid;	/* no instance with this vrid on the port */
	uint64_t rx_not_for_us;		/* unicast to another address */
};

uint64_t
lb_ctrl_now_ms(const struct lb_ctx *ctx)
{
	return rte_rdtsc() / (ctx->sh->tsc_hz / 1000);
}

static const char *
ipstr(uint32_t ip, char *buf)
{
	return inet_ntop(AF_INET, &ip, buf, INET_ADDRSTRLEN);
}

static void
send_advert(struct lb_ctx *ctx, struct vi *v, uint8_t prio)
{
	struct lb_vrrp_adv adv;
	unsigned int i, n = v->n_peers > 0 ? v->n_peers : 1;

	lb_vrrp_sm_advert(&v->sm, prio, &adv);
	for (i = 0; i < n; i++) {
		uint32_t dst = v->n_peers > 0 ? v->peers[i] : htonl(LB_VRRP_MCAST4);
		struct rte_ether_addr dmac = vrrp_mcast_mac;
		struct rte_ether_hdr *eth;
		struct rte_mbuf *m;
		int len;

		if (v->n_peers > 0) {
			const struct lb_neigh_entry *e = lb_neigh_lookup(ctx->neigh, dst);

			if (e == NULL || e->state == LB_NEIGH_INCOMPLETE) {
				v->tx_unresolved++;
				continue;
			}
			dmac = e->mac;
		}
		m = rte_pktmbuf_alloc(ctx->mp);
		if (m == NULL) {
			ctx->cnt[LB_CTRL_nombuf]++;
			return;
		}
		eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, VRRP_FRAME_MAX);
		if (eth == NULL) {
			rte_pktmbuf_free(m);
			ctx->cnt[LB_CTRL_nombuf]++;
			return;
		}
		eth->dst_addr = dmac;
		eth->src_addr = ctx->ports[v->port].mac;
		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
		len = lb_vrrp_encode_ip4(&adv, v->src_ip, dst, (uint8_t *)(eth + 1),
					 VRRP_FRAME_MAX - sizeof(*eth));
		if (len < 0) {
			rte_pktmbuf_free(m);
			return;
		}
		rte_pktmbuf_trim(m, (uint16_t)(VRRP_FRAME_MAX - sizeof(*eth) - (size_t)len));
		ctx->cnt[LB_CTRL_vrrp_tx]++;
		lb_ctrl_send(ctx, m, v->port);
	}
}

/* repeat gratuitous ARPs for every VIP of an instance. */
static void
send_garp(struct lb_ctx *ctx, const struct vi *v, unsigned int repeat)
{
	static const struct rte_ether_addr zero;
	struct rte_ether_addr bcast;
	unsigned int j, k;

	memset(&bcast, 0xff, sizeof(bcast));
	for (k = 0; k < repeat; k++)
		for (j = 0; j < v->cfg->n_vips; j++) {
			uint32_t ip = v->cfg->vips[j].addr.ip;
			struct rte_mbuf *m = lb_arp_build(ctx->mp, RTE_ARP_OP_REQUEST, &bcast,
							  &ctx->ports[v->port].mac, ip, &zero,
							  ip);

			if (m == NULL) {
				ctx->cnt[LB_CTRL_nombuf]++;
				return;
			}
			ctx->cnt[LB_CTRL_garp]++;
			lb_ctrl_send(ctx, m, v->port);
		}
}

static void
notify_done(void *arg, const struct lb_notify_result *res)
{
	struct lb_ctx *ctx = arg;

	if (res->timed_out)
		lb_ctrl_log(ctx, "vrrp: notify script timed out and was killed");
	else if (res->status != 0)
		lb_ctrl_log(ctx, "vrrp: notify script exited with status %d (signal %d)",
			    res->status, res->signal);
}

static void
run_script(struct lb_ctx *ctx, struct vi *v, const char *cmd, const char *const *extra,
	   unsigned int n_extra)
{
	pid_t pid;

	if (cmd == NULL)
		return;
	pid = lb_notify_run(ctx->vrrp->notify, cmd, extra, n_extra, NOTIFY_TIMEOUT_MS,
			    notify_done, ctx);
	if (pid == -EBUSY)
		v->notify_busy++;
	if (pid < 0)
		lb_ctrl_log(ctx, "vrrp_instance %s: cannot run '%s': %s", v->cfg->name, cmd,
			    strerror((int)-pid));
}

/* keepalived: notify_<state> without arguments, then notify INSTANCE name state prio. */
static void
notify_state(struct lb_ctx *ctx, struct vi *v, enum lb_vrrp_state_id st, bool stop)
{
	const char *cmd = NULL, *sname = stop ? "STOP" : lb_vrrp_state_name(st);
	char prio[8];
	const char *extra[4] = { "INSTANCE", v->cfg->name, sname, prio };

	snprintf(prio, sizeof(prio), "%u", v->sm.eff_priority);
	if (stop)
		cmd = v->notify_stop;
	else if (st == LB_VRRP_ST_MASTER)
		cmd = v->notify_master;
	else if (st == LB_VRRP_ST_BACKUP)
		cmd = v->notify_backup;
	else if (st == LB_VRRP_ST_FAULT)
		cmd = v->notify_fault;
	run_script(ctx, v, cmd, NULL, 0);
	run_script(ctx, v, v->notify, extra, 4);
}

/* from: source of the advert that caused act (network order), 0 for timers etc. */
static void
apply(struct lb_ctx *ctx, struct vi *v, const struct lb_vrrp_act *act, uint64_t now,
      uint32_t from)
{
	char a[INET_ADDRSTRLEN];
	bool master;
	int ret;

	if (act->flags & LB_VRRP_ACT_LOWER_MASTER) {
		ctx->cnt[LB_CTRL_vrrp_split_brain]++;
		lb_ctrl_log(ctx, "vrrp_instance %s: split brain: MASTER heard another master %s "
			    "with lower priority, advertising at once", v->cfg->name,
			    ipstr(from, a));
	}
	if (act->flags & LB_VRRP_ACT_ADVERT)
		send_advert(ctx, v, act->adv_priority);
	if (!(act->flags & LB_VRRP_ACT_STATE))
		return;

	master = act->state == LB_VRRP_ST_MASTER;
	lb_ctrl_log(ctx, "vrrp_instance %s: %s -> %s (priority %u)", v->cfg->name,
		    lb_vrrp_state_name(act->old_state), lb_vrrp_state_name(act->state),
		    v->sm.eff_priority);
	if (ctx->vrrp_master[v->idx] != master) {
		ctx->vrrp_master[v->idx] = master;
		ret = lb_ctrl_publish(ctx);
		if (ret != 0)
			lb_ctrl_log(ctx, "vrrp: cannot publish the service table: %s",
				    strerror(-ret));
	}
	if (master) {
		send_garp(ctx, v, v->cfg->garp_master_repeat);
		v->garp_at = v->cfg->garp_master_delay_ms > 0 ?
			now + v->cfg->garp_master_delay_ms : UINT64_MAX;
	} else {
		v->garp_at = UINT64_MAX;
	}
	if (act->state != LB_VRRP_ST_INIT)
		notify_state(ctx, v, act->state, false);
}

static int
setup_instance(struct lb_ctx *ctx, struct vi *v, FILE *diag)
{
	const struct lb_cfg_vrrp *c = v->cfg;
	struct lb_vrrp_params p;
	unsigned int j;
	int port, ret;

	memset(&p, 0, sizeof(p));
	port = lb_sysconf_port_by_name(&ctx->sc, c->interface);
	if (port < 0) {
		fprintf(diag, "%s:%u: error: vrrp_instance %s: interface '%s' is not a port "
			"of %s\n", c->file, c->line, c->name, c->interface, ctx->sc.file);
		return -EINVAL;
	}
	v->port = (uint16_t)port;
	v->src_ip = ctx->sc.ports[port].addr;
	v->garp_at = UINT64_MAX;
	p.version = ctx->cfg->global.vrrp_version == 3 ? 3 : 2;
	p.vrid = c->vrid;
	p.priority = c->priority;
	p.start_master = c->state == LB_VRRP_MASTER;
	p.nopreempt = c->nopreempt;
	p.adv_int_ms = c->advert_int_ms;
	p.primary_ip = v->src_ip;
	p.unicast = v->n_peers > 0;
	if (p.version == 2 && p.adv_int_ms % 1000 != 0) {
		fprintf(diag, "%s:%u: error: vrrp_instance %s: advert_int %u ms is not a whole "
			"number of seconds, which VRRPv2 needs (use vrrp_version 3)\n",
			c->file, c->line, c->name, p.adv_int_ms);
		return -EINVAL;
	}
	if (p.version == 3)
		p.adv_int_ms = RTE_MAX(10u, p.adv_int_ms / 10 * 10);
	if (c->auth_type == LB_VRRP_AUTH_AH) {
		fprintf(diag, "%s:%u: error: vrrp_instance %s: auth_type AH (IPsec AH) is not "
			"supported; use PASS or no authentication\n", c->file, c->line, c->name);
		return -ENOTSUP;
	}
	if (c->auth_type == LB_VRRP_AUTH_PASS && p.version == 2) {
		p.auth_type = LB_VRRP_AUTHT_PASS;
		memcpy(p.auth_pass, c->auth_pass, strnlen(c->auth_pass, sizeof(p.auth_pass)));
	}
	if (c->n_vips > LB_VRRP_MAX_ADDRS) {
		fprintf(diag, "%s:%u: error: vrrp_instance %s: %u virtual_ipaddress entries, at "
			"most %d\n", c->file, c->line, c->name, c->n_vips, LB_VRRP_MAX_ADDRS);
		return -EINVAL;
	}
	for (j = 0; j < c->n_vips; j++)
		p.addrs[j] = c->vips[j].addr.ip;
	p.n_addrs = (uint8_t)c->n_vips;
	ret = lb_vrrp_sm_init(&v->sm, &p);
	if (ret != 0) {
		fprintf(diag, "%s:%u: error: vrrp_instance %s: invalid VRRP parameters\n",
			c->file, c->line, c->name);
		return ret;
	}
	for (j = 0; j < v->n_peers; j++)
		if (lb_neigh_want(ctx->neigh, v->peers[j], v->port) != 0)
			return -ENOSPC;
	return 0;
}

int
lb_ctrl_vrrp_init(struct lb_ctx *ctx, FILE *diag)
{
	const struct lb_config *cfg = ctx->cfg;
	struct lb_ctrl_vrrp *vr;
	unsigned int i;
	int ret;

	vr = calloc(1, sizeof(*vr));
	if (vr == NULL)
		return -ENOMEM;
	ctx->vrrp = vr;
	vr->vi = calloc(RTE_MAX(cfg->n_vrrp, 1u), sizeof(*vr->vi));
	vr->notify = lb_notify_create(NOTIFY_MAX);
	if (vr->vi == NULL || vr->notify == NULL)
		return -ENOMEM;
	vr->n = cfg->n_vrrp;
	for (i = 0; i < vr->n; i++) {
		vr->vi[i].cfg = &cfg->vrrp[i];
		vr->vi[i].idx = i;
		ret = setup_instance(ctx, &vr->vi[i], diag);
		if (ret != 0)
			return ret;
	}
	return 0;
}

/* The VRRP fields a running instance was set up from (setup_instance). */
static bool
vrrp_same(const struct lb_cfg_vrrp *a, const struct lb_cfg_vrrp *b)
{
	unsigned int j;

	/* priority and nopreempt change live (rebind), except into or out of 255 */
	if (a->vrid != b->vrid || a->state != b->state ||
	    (a->priority == LB_VRRP_PRIO_OWNER) != (b->priority == LB_VRRP_PRIO_OWNER) ||
	    a->advert_int_ms != b->advert_int_ms ||
	    a->auth_type != b->auth_type || strcmp(a->interface, b->interface) != 0 ||
	    strcmp(a->auth_pass, b->auth_pass) != 0 || a->n_vips != b->n_vips)
		return false;
	for (j = 0; j < a->n_vips; j++)
		if (a->vips[j].addr.ip != b->vips[j].addr.ip)
			return false;
	return true;
}

int
lb_ctrl_vrrp_reload_check(const struct lb_ctx *ctx, const struct lb_config *ncfg, FILE *diag)
{
	const struct lb_ctrl_vrrp *vr = ctx->vrrp;
	unsigned int i, j;
	int ret = 0;

	if (vr == NULL)
		return 0;
	if (ncfg->global.vrrp_version != ctx->cfg->global.vrrp_version) {
		fprintf(diag, "reload: changing vrrp_version needs a restart\n");
		ret = -EINVAL;
	}
	for (i = 0; i < vr->n; i++) {
		for (j = 0; j < ncfg->n_vrrp; j++)
			if (strcmp(ncfg->vrrp[j].name, vr->vi[i].cfg->name) == 0)
				break;
		if (j == ncfg->n_vrrp) {
			fprintf(diag, "reload: removing vrrp_instance %s needs a restart\n",
				vr->vi[i].cfg->name);
			ret = -EINVAL;
		} else if (!vrrp_same(vr->vi[i].cfg, &ncfg->vrrp[j])) {
			fprintf(diag, "%s:%u: reload: changing vrrp_instance %s needs a restart "
				"(live VRRP changes are not supported yet)\n", ncfg->vrrp[j].file,
				ncfg->vrrp[j].line, ncfg->vrrp[j].name);
			ret = -EINVAL;
		}
	}
	if (ncfg->n_vrrp != vr->n && ret == 0) {
		fprintf(diag, "reload: adding a vrrp_instance needs a restart\n");
		ret = -EINVAL;
	}
	return ret;
}

/* Reload: point at the new config; take a new priority or nopreempt live. */
static void
rebind_one(struct lb_ctx *ctx, struct vi *v, const struct lb_cfg_vrrp *c, unsigned int idx)
{
	uint8_t old = v->sm.p.priority;
	bool old_np = v->sm.p.nopreempt;

	v->cfg = c;
	v->idx = idx;
	if (old == c->priority && old_np == c->nopreempt)
		return;
	if (lb_vrrp_sm_set_config(&v->sm, c->priority, c->nopreempt) != 0)
		return;	/* 255 in or out: refused by lb_ctrl_vrrp_reload_check() */
	lb_ctrl_log(ctx, "vrrp_instance %s: reload: priority %u -> %u%s (effective %u)",
		    c->name, old, c->priority,
		    old_np == c->nopreempt ? "" : (c->nopreempt ? ", nopreempt" : ", preempt"),
		    v->sm.eff_priority);
	if (v->sm.state == LB_VRRP_ST_MASTER)
		send_advert(ctx, v, v->sm.eff_priority);
}

void
lb_ctrl_vrrp_rebind(struct lb_ctx *ctx)
{
	struct lb_ctrl_vrrp *vr = ctx->vrrp;
	unsigned int i, j;

	if (vr == NULL)
		return;
	for (i = 0; i < vr->n; i++)
		for (j = 0; j < ctx->cfg->n_vrrp; j++)
			if (strcmp(ctx->cfg->vrrp[j].name, vr->vi[i].cfg->name) == 0) {
				rebind_one(ctx, &vr->vi[i], &ctx->cfg->vrrp[j], j);
				break;
			}
}

static bool
link_up(struct lb_ctx *ctx, uint16_t port)
{
	struct rte_eth_link link;

	if (rte_eth_link_get_nowait(ctx->ports[port].port_id, &link) != 0)
		return true;	/* unknown: do not fault on it */
	return link.link_status == RTE_ETH_LINK_UP;
}

void
lb_ctrl_vrrp_start(struct lb_ctx *ctx)
{
	struct lb_ctrl_vrrp *vr = ctx->vrrp;
	uint64_t now = lb_ctrl_now_ms(ctx);
	struct lb_vrrp_act act;
	unsigned int i;

	for (i = 0; i < vr->n; i++) {
		struct vi *v = &vr->vi[i];

		v->link_down = !link_up(ctx, v->port);
		if (v->link_down) {
			lb_ctrl_log(ctx, "vrrp_instance %s: %s link is down", v->cfg->name,
				    ctx->ports[v->port].name);
			lb_vrrp_sm_set_fault(&v->sm, now, true, &act);
		}
		lb_vrrp_sm_start(&v->sm, now, &act);
		apply(ctx, v, &act, now, 0);
	}
	vr->link_at = now + LINK_POLL_MS;
}

static struct vi *
find_vi(struct lb_ctrl_vrrp *vr, uint16_t port, uint8_t vrid)
{
	unsigned int i;

	for (i = 0; i < vr->n; i++)
		if (vr->vi[i].port == port && vr->vi[i].sm.p.vrid == vrid)
			return &vr->vi[i];
	return NULL;
}

void
lb_ctrl_vrrp_input(struct lb_ctx *ctx, const struct rte_mbuf *m, uint16_t port)
{
	struct lb_ctrl_vrrp *vr = ctx->vrrp;
	const struct rte_ipv4_hdr *ip;
	const uint8_t *msg;
	struct lb_vrrp_adv adv;
	struct lb_vrrp_act act;
	enum lb_vrrp_rx r;
	size_t len, ihl;
	char a[INET_ADDRSTRLEN];
	struct vi *v;
	uint64_t now;

	ctx->cnt[LB_CTRL_vrrp_rx]++;
	len = rte_pktmbuf_data_len(m) - sizeof(struct rte_ether_hdr);
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, sizeof(struct rte_ether_hdr));
	ihl = (size_t)(ip->version_ihl & 0x0f) * 4;
	if (rte_pktmbuf_data_len(m) < sizeof(struct rte_ether_hdr) + sizeof(*ip) ||
	    ihl < sizeof(*ip) || len < ihl + LB_VRRP_HDR_LEN) {
		vr->rx_short++;
		return;
	}
	if (ip->src_addr == ctx->ports[port].addr) {
		vr->rx_own++;
		return;
	}
	if (ip->dst_addr != htonl(LB_VRRP_MCAST4) && ip->dst_addr != ctx->ports[port].addr) {
		vr->rx_not_for_us++;
		return;
	}
	msg = (const uint8_t *)ip + ihl;
	if (ip->next_proto_id == IPPROTO_AH) {
		/* AH: next header, length in 32-bit words minus 2; VRRP follows. */
		size_t ahlen = ((size_t)msg[1] + 2) * 4;

		v = len >= ihl + ahlen + LB_VRRP_HDR_LEN ?
			find_vi(vr, port, msg[ahlen + 1]) : NULL;
		if (v == NULL) {
			vr->rx_unknown_vrid++;
			return;
		}
		if (v->rx[LB_VRRP_RX_auth_ah]++ == 0)
			lb_ctrl_log(ctx, "vrrp_instance %s: advert from %s uses IPsec AH "
				    "authentication, which lbapp does not support: refused",
				    v->cfg->name, ipstr(ip->src_addr, a));
		return;
	}
	v = find_vi(vr, port, msg[1]);
	if (v == NULL) {
		/* Another cluster on this LAN (VRID collision risk if it is ours). */
		if (vr->rx_unknown_vrid++ == 0)
			lb_ctrl_log(ctx, "vrrp: advert for vrid %u from %s on %s: no instance "
				    "(counted as rx_unknown_vrid)", msg[1],
				    ipstr(ip->src_addr, a), ctx->ports[port].name);
		return;
	}
	r = lb_vrrp_check_ip4(&v->sm.p, (const uint8_t *)ip, len, &adv);
	v->rx[r]++;
	if (r != LB_VRRP_RX_ok) {
		/* log the first of each reason, then every power of two */
		if ((v->rx[r] & (v->rx[r] - 1)) == 0)
			lb_ctrl_log(ctx, "vrrp_instance %s: advert from %s refused: %s (%" PRIu64
				    " so far)", v->cfg->name, ipstr(ip->src_addr, a),
				    lb_vrrp_rx_name(r), v->rx[r]);
		return;
	}
	now = lb_ctrl_now_ms(ctx);
	lb_vrrp_sm_rx(&v->sm, now, &adv, ip->src_addr, &act);
	apply(ctx, v, &act, now, ip->src_addr);
}

void
lb_ctrl_vrrp_poll(struct lb_ctx *ctx)
{
	struct lb_ctrl_vrrp *vr = ctx->vrrp;
	uint64_t now = lb_ctrl_now_ms(ctx);
	struct lb_vrrp_act act;
	unsigned int i;
	bool check_link = now >= vr->link_at;

	if (check_link)
		vr->link_at = now + LINK_POLL_MS;
	for (i = 0; i < vr->n; i++) {
		struct vi *v = &vr->vi[i];

		if (check_link && v->sm.state != LB_VRRP_ST_INIT) {
			bool down = !link_up(ctx, v->port);

			if (down != v->link_down) {
				v->link_down = down;
				lb_ctrl_log(ctx, "vrrp_instance %s: %s link is %s", v->cfg->name,
					    ctx->ports[v->port].name, down ? "down" : "up");
				lb_vrrp_sm_set_fault(&v->sm, now, down, &act);
				apply(ctx, v, &act, now, 0);
			}
		}
		if (now >= v->sm.deadline) {
			lb_vrrp_sm_timer(&v->sm, now, &act);
			apply(ctx, v, &act, now, 0);
		}
		if (now >= v->garp_at) {
			v->garp_at = UINT64_MAX;
			if (v->sm.state == LB_VRRP_ST_MASTER)
				send_garp(ctx, v, v->cfg->garp_master_repeat);
		}
	}
	lb_notify_poll(vr->notify);
}

void
lb_ctrl_vrrp_shutdown(struct lb_ctx *ctx)
{
	struct lb_ctrl_vrrp *vr = ctx->vrrp;
	uint64_t now, end;
	struct lb_vrrp_act act;
	unsigned int i;

	if (vr == NULL)
		return;
	now = lb_ctrl_now_ms(ctx);
	for (i = 0; i < vr->n; i++) {
		struct vi *v = &vr->vi[i];
		bool was_master = v->sm.state == LB_VRRP_ST_MASTER;

		lb_vrrp_sm_stop(&v->sm, now, &act);
		apply(ctx, v, &act, now, 0);
		if (was_master)
			lb_ctrl_log(ctx, "vrrp_instance %s: sent priority 0", v->cfg->name);
		if (act.flags & LB_VRRP_ACT_STATE)
			notify_state(ctx, v, LB_VRRP_ST_INIT, true);
	}
	/* The adverts leave through worker 0: wait (bounded) until it took them. */
	end = now + SHUTDOWN_DRAIN_MS;
	while (rte_ring_count(ctx->workers[0]->from_ctl) > 0 && lb_ctrl_now_ms(ctx) < end)
		rte_delay_us_sleep(1000);
	rte_delay_us_sleep(2000);	/* its TX flush follows the dequeue */
}

void
lb_ctrl_vrrp_stats_print(struct lb_ctx *ctx, FILE *out)
{
	struct lb_ctrl_vrrp *vr = ctx->vrrp;
	unsigned int i, r;

	if (vr == NULL || vr->n == 0)
		return;
	fprintf(out, "\n  ######## VRRP ########\n");
	fprintf(out, "  Vrrp-rx_short: %" PRIu64 "  Vrrp-rx_own: %" PRIu64
		"  Vrrp-rx_unknown_vrid: %" PRIu64 "  Vrrp-rx_not_for_us: %" PRIu64 "\n",
		vr->rx_short, vr->rx_own, vr->rx_unknown_vrid, vr->rx_not_for_us);
	for (i = 0; i < vr->n; i++) {
		const struct vi *v = &vr->vi[i];
		const struct lb_vrrp_sm_stats *s = &v->sm.st;
		const char *n = v->cfg->name;

		fprintf(out, "  vrrp_instance %s state %s priority %u vrid %u v%u\n", n,
			lb_vrrp_state_name(v->sm.state), v->sm.eff_priority, v->sm.p.vrid,
			v->sm.p.version);
		fprintf(out, "  Vrrp-%s-adv_sent: %" PRIu64 "  Vrrp-%s-adv_rcvd: %" PRIu64
			"  Vrrp-%s-become_master: %" PRIu64 "  Vrrp-%s-release_master: %" PRIu64
			"\n", n, s->adv_sent, n, s->adv_rcvd, n, s->become_master, n,
			s->release_master);
		fprintf(out, "  Vrrp-%s-pri_zero_sent: %" PRIu64 "  Vrrp-%s-pri_zero_rcvd: %"
			PRIu64 "  Vrrp-%s-lower_master: %" PRIu64 "  Vrrp-%s-tx_unresolved: %"
			PRIu64 "\n", n, s->pri_zero_sent, n, s->pri_zero_rcvd, n,
			s->lower_master, n, v->tx_unresolved);
		for (r = 0; r < LB_VRRP_RX__MAX; r++)
			fprintf(out, "  Vrrp-%s-rx_%s: %" PRIu64 "\n", n, lb_vrrp_rx_name(r),
				v->rx[r]);
	}
}

void
lb_ctrl_vrrp_fini(struct lb_ctx *ctx)
{
	struct lb_ctrl_vrrp *vr = ctx->vrrp;

	if (vr == NULL)
		return;
	lb_notify_free(vr->notify);
	free(vr->vi);
	free(vr);
	ctx->vrrp = NULL;
}

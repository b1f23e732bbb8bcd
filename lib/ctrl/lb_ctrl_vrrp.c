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
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_ethdev.h>
#include <rte_ip.h>

#include "lb_ctrl_int.h"
#include "lb_ctrl_view.h"
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

/* A vrrp_script: run every interval without blocking, rise/fall debounce. */
struct scr {
	const struct lb_cfg_script *cfg;
	struct lb_ctx *ctx;
	bool used;			/* tracked by some instance */
	bool ok;			/* current debounced result */
	bool running;
	uint32_t n_ok, n_fail;		/* consecutive results */
	uint64_t next_at;
	uint64_t runs, failures, timeouts;
};

struct vi {
	const struct lb_cfg_vrrp *cfg;
	unsigned int idx;		/* index in cfg->vrrp and ctx->vrrp_master */
	struct lb_vrrp_sm sm;
	uint16_t port;
	uint32_t src_ip;		/* network order */
	uint8_t ttl;			/* unicast_ttl (multicast: 255) */
	uint32_t peers[LB_VRRP_MAX_PEERS];	/* unicast_peer, network order */
	unsigned int n_peers;
	uint16_t track_port[LB_MAX_PORTS];	/* track_interface, by cfg->track_ifs order */
	uint64_t garp_at;		/* second GARP burst due, UINT64_MAX = none */
	uint64_t rx[LB_VRRP_RX__MAX];
	uint64_t tx_unresolved;		/* unicast peer MAC unknown: advert not sent */
	uint64_t notify_busy;
	uint64_t smtp_unsent;		/* smtp_alert on, no alert hook installed */
};

struct lb_ctrl_vrrp {
	struct vi *vi;
	unsigned int n;
	struct lb_notify *notify;
	struct lb_notify *scripts;	/* vrrp_script runs, apart from notify scripts */
	struct scr *scr;		/* [cfg->n_scripts] */
	unsigned int n_scr;
	enum lb_vrrp_state_id *grp_state;	/* [cfg->n_sync_groups], last notified */
	bool syncing;			/* forcing sync group members: no recursion */
	bool port_down[LB_MAX_PORTS];
	int ifr_fd;			/* SIOCGIFFLAGS for af_packet ports, -1 = none */
	char ifname[LB_MAX_PORTS][IFNAMSIZ];	/* af_packet port: its kernel interface */
	lb_ctrl_vrrp_alert_fn alert_fn;
	void *alert_arg;
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
		if (v->ttl != LB_VRRP_TTL) {
			struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);

			ip->time_to_live = v->ttl;
			ip->hdr_checksum = 0;
			ip->hdr_checksum = rte_ipv4_cksum(ip);
		}
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
run_script(struct lb_ctx *ctx, const char *who, uint64_t *busy, const struct lb_cfg_cmd *c,
	   const char *const *extra, unsigned int n_extra)
{
	pid_t pid;

	if (c->cmd == NULL)
		return;
	pid = lb_notify_run_as(ctx->vrrp->notify, c->cmd, extra, n_extra, NOTIFY_TIMEOUT_MS,
			       c->uid, c->gid, notify_done, ctx);
	if (pid == -EBUSY)
		(*busy)++;
	if (pid < 0)
		lb_ctrl_log(ctx, "%s: cannot run '%s': %s", who, c->cmd, strerror((int)-pid));
}

static const char *
notify_state_name(enum lb_vrrp_state_id st, bool stop)
{
	return stop ? "STOP" : lb_vrrp_state_name(st);
}

/* keepalived: notify_<state> without arguments, then notify TYPE name state [prio]. */
static void
notify_state(struct lb_ctx *ctx, struct vi *v, enum lb_vrrp_state_id st, bool stop)
{
	const struct lb_cfg_vrrp *c = v->cfg;
	const struct lb_cfg_cmd *cmd = NULL;
	char prio[8], who[LB_CFG_NAME_MAX + 16];
	const char *extra[4] = { "INSTANCE", c->name, notify_state_name(st, stop), prio };

	snprintf(prio, sizeof(prio), "%u", v->sm.eff_priority);
	snprintf(who, sizeof(who), "vrrp_instance %s", c->name);
	if (stop)
		cmd = &c->notify_stop;
	else if (st == LB_VRRP_ST_MASTER)
		cmd = &c->notify_master;
	else if (st == LB_VRRP_ST_BACKUP)
		cmd = &c->notify_backup;
	else if (st == LB_VRRP_ST_FAULT)
		cmd = &c->notify_fault;
	if (cmd != NULL)
		run_script(ctx, who, &v->notify_busy, cmd, NULL, 0);
	run_script(ctx, who, &v->notify_busy, &c->notify, extra, 4);
}

static void
notify_group(struct lb_ctx *ctx, unsigned int g, enum lb_vrrp_state_id st, bool stop)
{
	struct lb_ctrl_vrrp *vr = ctx->vrrp;
	const struct lb_cfg_sync_group *sg = &ctx->cfg->sync_groups[g];
	const struct lb_cfg_cmd *cmd = NULL;
	char who[LB_CFG_NAME_MAX + 24];
	const char *extra[3] = { "GROUP", sg->name, notify_state_name(st, stop) };
	uint64_t busy = 0;

	if (!stop && vr->grp_state[g] == st)
		return;
	vr->grp_state[g] = st;
	lb_ctrl_log(ctx, "vrrp_sync_group %s: %s", sg->name, notify_state_name(st, stop));
	snprintf(who, sizeof(who), "vrrp_sync_group %s", sg->name);
	if (stop)
		cmd = &sg->notify_stop;
	else if (st == LB_VRRP_ST_MASTER)
		cmd = &sg->notify_master;
	else if (st == LB_VRRP_ST_BACKUP)
		cmd = &sg->notify_backup;
	else if (st == LB_VRRP_ST_FAULT)
		cmd = &sg->notify_fault;
	if (cmd != NULL)
		run_script(ctx, who, &busy, cmd, NULL, 0);
	run_script(ctx, who, &busy, &sg->notify, extra, 3);
}

static struct vi *
vi_of_cfg(struct lb_ctrl_vrrp *vr, int cfg_idx)
{
	unsigned int i;

	for (i = 0; i < vr->n; i++)
		if ((int)vr->vi[i].idx == cfg_idx)
			return &vr->vi[i];
	return NULL;
}

static void apply(struct lb_ctx *ctx, struct vi *v, const struct lb_vrrp_act *act, uint64_t now,
		  uint32_t from);

/*
 * vrrp_sync_group: every member follows v into state st (keepalived's
 * semantics: one member in fault takes the whole group to fault; a member
 * still in fault keeps the group from becoming master).
 */
static void
sync_group(struct lb_ctx *ctx, struct vi *v, enum lb_vrrp_state_id st, uint64_t now)
{
	struct lb_ctrl_vrrp *vr = ctx->vrrp;
	const struct lb_cfg_sync_group *sg;
	struct lb_vrrp_act act;
	unsigned int j;

	if (v->cfg->sync_group < 0 || vr->syncing || st == LB_VRRP_ST_INIT)
		return;
	sg = &ctx->cfg->sync_groups[v->cfg->sync_group];
	vr->syncing = true;
	if (st == LB_VRRP_ST_MASTER)
		for (j = 0; j < sg->n_members; j++) {
			struct vi *m = vi_of_cfg(vr, sg->member_idx[j]);

			if (m != NULL && m->sm.fault) {
				lb_ctrl_log(ctx, "vrrp_sync_group %s: %s is in FAULT, %s stays "
					    "out of MASTER", sg->name, m->cfg->name, v->cfg->name);
				st = LB_VRRP_ST_FAULT;
				lb_vrrp_sm_force(&v->sm, now, st, &act);
				apply(ctx, v, &act, now, 0);
				break;
			}
		}
	for (j = 0; j < sg->n_members; j++) {
		struct vi *m = vi_of_cfg(vr, sg->member_idx[j]);

		if (m == NULL || m == v || m->sm.state == st)
			continue;
		lb_vrrp_sm_force(&m->sm, now, st, &act);
		apply(ctx, m, &act, now, 0);
	}
	vr->syncing = false;
	notify_group(ctx, (unsigned int)v->cfg->sync_group, st, false);
}

static void
alert(struct lb_ctx *ctx, struct vi *v, const char *state)
{
	struct lb_ctrl_vrrp *vr = ctx->vrrp;

	if (vr->alert_fn != NULL)
		vr->alert_fn(ctx, vr->alert_arg, v->cfg, state);
	else if (v->cfg->smtp_alert == 1)
		v->smtp_unsent++;
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
	if (act->state != LB_VRRP_ST_INIT) {
		notify_state(ctx, v, act->state, false);
		alert(ctx, v, lb_vrrp_state_name(act->state));
		sync_group(ctx, v, v->sm.state, now);
	}
}

static int
setup_instance(struct lb_ctx *ctx, struct vi *v, FILE *diag)
{
	const struct lb_cfg_vrrp *c = v->cfg;
	const struct lb_cfg_addr *src[2] = { &c->unicast_src_ip, &c->mcast_src_ip };
	static const char *const src_kw[2] = { "unicast_src_ip", "mcast_src_ip" };
	char s[INET6_ADDRSTRLEN], pa[INET_ADDRSTRLEN];
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
	/* unicast_src_ip / mcast_src_ip: the port's address is the only one lbapp sends from */
	for (j = 0; j < 2; j++) {
		const struct lb_cfg_addr *a = src[j];

		if (a->family == 0)
			continue;
		if (a->family == AF_INET6)
			inet_ntop(AF_INET6, &a->ip6, s, sizeof(s));
		else
			inet_ntop(AF_INET, &a->ip, s, sizeof(s));
		if (a->family != AF_INET || a->ip != v->src_ip) {
			fprintf(diag, "%s:%u: error: vrrp_instance %s: %s %s is not the address "
				"of port %s (%s, %s)\n", c->file, c->line, c->name, src_kw[j], s,
				c->interface, ipstr(v->src_ip, pa), ctx->sc.file);
			return -EINVAL;
		}
	}
	if (c->n_unicast_peers > LB_VRRP_MAX_PEERS) {
		fprintf(diag, "%s:%u: error: vrrp_instance %s: %u unicast_peer entries, at most "
			"%d\n", c->file, c->line, c->name, c->n_unicast_peers, LB_VRRP_MAX_PEERS);
		return -EINVAL;
	}
	for (j = 0; j < c->n_unicast_peers; j++) {
		const struct lb_cfg_addr *a = &c->unicast_peers[j];

		if (a->family != AF_INET) {
			inet_ntop(AF_INET6, &a->ip6, s, sizeof(s));
			fprintf(diag, "%s:%u: error: vrrp_instance %s: unicast_peer %s: IPv6 VRRP "
				"is not supported by lbapp yet\n", c->file, c->line, c->name, s);
			return -ENOTSUP;
		}
		if (lb_sysconf_port_for_ip(&ctx->sc, a->ip) != port || a->ip == v->src_ip) {
			fprintf(diag, "%s:%u: error: vrrp_instance %s: unicast_peer %s is not a "
				"neighbour on port %s (%s/%u)\n", c->file, c->line, c->name,
				ipstr(a->ip, s), c->interface, ipstr(v->src_ip, pa),
				ctx->sc.ports[port].prefixlen);
			return -EINVAL;
		}
		v->peers[j] = a->ip;
		p.peers[j] = a->ip;
	}
	v->n_peers = c->n_unicast_peers;
	p.n_peers = (uint8_t)v->n_peers;
	v->ttl = v->n_peers > 0 ? c->unicast_ttl : LB_VRRP_TTL;
	if (c->n_track_ifs > LB_MAX_PORTS) {
		fprintf(diag, "%s:%u: error: vrrp_instance %s: %u track_interface entries, at "
			"most %d\n", c->file, c->line, c->name, c->n_track_ifs, LB_MAX_PORTS);
		return -EINVAL;
	}
	for (j = 0; j < c->n_track_ifs; j++) {
		int tp = lb_sysconf_port_by_name(&ctx->sc, c->track_ifs[j].name);

		if (tp < 0) {
			fprintf(diag, "%s:%u: error: vrrp_instance %s: track_interface '%s' is not "
				"a port of %s\n", c->file, c->track_ifs[j].line, c->name,
				c->track_ifs[j].name, ctx->sc.file);
			return -EINVAL;
		}
		v->track_port[j] = (uint16_t)tp;
	}
	p.version = c->version == 3 ? 3 : 2;
	p.vrid = c->vrid;
	p.priority = c->priority;
	p.start_master = c->state == LB_VRRP_MASTER;
	p.nopreempt = c->nopreempt;
	p.preempt_delay_ms = c->preempt_delay_ms;
	p.adv_int_ms = c->advert_int_ms;
	p.primary_ip = v->src_ip;
	p.unicast = v->n_peers > 0;
	if (p.version == 2 && p.adv_int_ms % 1000 != 0) {
		fprintf(diag, "%s:%u: error: vrrp_instance %s: advert_int %u ms is not a whole "
			"number of seconds, which VRRPv2 needs (use version 3)\n",
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
	for (j = 0; j < c->n_track_scripts; j++)
		if (c->track_scripts[j].script >= 0 &&
		    (unsigned int)c->track_scripts[j].script < ctx->vrrp->n_scr)
			ctx->vrrp->scr[c->track_scripts[j].script].used = true;
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
	vr->ifr_fd = -1;
	vr->vi = calloc(RTE_MAX(cfg->n_vrrp, 1u), sizeof(*vr->vi));
	vr->scr = calloc(RTE_MAX(cfg->n_scripts, 1u), sizeof(*vr->scr));
	vr->grp_state = calloc(RTE_MAX(cfg->n_sync_groups, 1u), sizeof(*vr->grp_state));
	vr->notify = lb_notify_create(NOTIFY_MAX);
	vr->scripts = lb_notify_create(RTE_MAX(cfg->n_scripts, 1u));
	if (vr->vi == NULL || vr->scr == NULL || vr->grp_state == NULL || vr->notify == NULL ||
	    vr->scripts == NULL)
		return -ENOMEM;
	vr->n_scr = cfg->n_scripts;
	for (i = 0; i < vr->n_scr; i++) {
		vr->scr[i].cfg = &cfg->scripts[i];
		vr->scr[i].ctx = ctx;
		vr->scr[i].ok = !cfg->scripts[i].init_fail;
	}
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

static bool
cmd_eq(const struct lb_cfg_cmd *a, const struct lb_cfg_cmd *b)
{
	if (a->cmd == NULL || b->cmd == NULL)
		return a->cmd == b->cmd;
	return strcmp(a->cmd, b->cmd) == 0;
}

static bool
addr_eq(const struct lb_cfg_addr *a, const struct lb_cfg_addr *b)
{
	return a->family == b->family && a->ip == b->ip &&
	       memcmp(&a->ip6, &b->ip6, sizeof(a->ip6)) == 0;
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
	    strcmp(a->auth_pass, b->auth_pass) != 0 || a->n_vips != b->n_vips ||
	    a->version != b->version || a->preempt_delay_ms != b->preempt_delay_ms ||
	    a->unicast_ttl != b->unicast_ttl || !addr_eq(&a->unicast_src_ip, &b->unicast_src_ip) ||
	    !addr_eq(&a->mcast_src_ip, &b->mcast_src_ip) ||
	    a->n_unicast_peers != b->n_unicast_peers || a->n_track_ifs != b->n_track_ifs ||
	    a->n_track_scripts != b->n_track_scripts || a->sync_group != b->sync_group ||
	    a->dont_track_primary != b->dont_track_primary)
		return false;
	for (j = 0; j < a->n_vips; j++)
		if (a->vips[j].addr.ip != b->vips[j].addr.ip)
			return false;
	for (j = 0; j < a->n_unicast_peers; j++)
		if (!addr_eq(&a->unicast_peers[j], &b->unicast_peers[j]))
			return false;
	for (j = 0; j < a->n_track_ifs; j++)
		if (strcmp(a->track_ifs[j].name, b->track_ifs[j].name) != 0 ||
		    a->track_ifs[j].weight != b->track_ifs[j].weight)
			return false;
	for (j = 0; j < a->n_track_scripts; j++)
		if (a->track_scripts[j].script != b->track_scripts[j].script ||
		    a->track_scripts[j].weight != b->track_scripts[j].weight)
			return false;
	return true;
}

/* vrrp_script and vrrp_sync_group definitions a running process was set up from. */
static bool
scripts_groups_same(const struct lb_config *a, const struct lb_config *b)
{
	unsigned int i, j;

	if (a->n_scripts != b->n_scripts || a->n_sync_groups != b->n_sync_groups)
		return false;
	for (i = 0; i < a->n_scripts; i++) {
		const struct lb_cfg_script *x = &a->scripts[i], *y = &b->scripts[i];

		if (strcmp(x->name, y->name) != 0 || !cmd_eq(&x->script, &y->script) ||
		    x->interval_ms != y->interval_ms || x->timeout_ms != y->timeout_ms ||
		    x->weight != y->weight || x->weight_reverse != y->weight_reverse ||
		    x->rise != y->rise || x->fall != y->fall || x->init_fail != y->init_fail)
			return false;
	}
	for (i = 0; i < a->n_sync_groups; i++) {
		const struct lb_cfg_sync_group *x = &a->sync_groups[i], *y = &b->sync_groups[i];

		if (strcmp(x->name, y->name) != 0 || x->n_members != y->n_members)
			return false;
		for (j = 0; j < x->n_members; j++)
			if (strcmp(x->members[j], y->members[j]) != 0)
				return false;
	}
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
	if (!scripts_groups_same(ctx->cfg, ncfg)) {
		fprintf(diag, "reload: changing vrrp_script or vrrp_sync_group blocks needs a "
			"restart\n");
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
	for (i = 0; i < vr->n_scr && i < ctx->cfg->n_scripts; i++)
		vr->scr[i].cfg = &ctx->cfg->scripts[i];
}

int
lb_ctrl_vrrp_set_alert(struct lb_ctx *ctx, lb_ctrl_vrrp_alert_fn fn, void *arg)
{
	if (ctx->vrrp == NULL)
		return -ENOENT;
	ctx->vrrp->alert_fn = fn;
	ctx->vrrp->alert_arg = arg;
	return 0;
}

/* The kernel interface behind an af_packet port (its iface= devarg), or NULL. */
static const char *
af_packet_iface(struct lb_ctx *ctx, uint16_t port, char *buf, size_t len)
{
	struct rte_eth_dev_info info;
	const struct rte_devargs *da;
	const char *p;
	size_t n;

	if (rte_eth_dev_info_get(ctx->ports[port].port_id, &info) != 0 ||
	    info.driver_name == NULL || strcmp(info.driver_name, "net_af_packet") != 0 ||
	    info.device == NULL)
		return NULL;
	da = rte_dev_devargs(info.device);
	if (da == NULL || da->args == NULL)
		return NULL;
	for (p = da->args; (p = strstr(p, "iface=")) != NULL; p++)
		if (p == da->args || p[-1] == ',')
			break;
	if (p == NULL)
		return NULL;
	p += strlen("iface=");
	n = strcspn(p, ",");
	if (n == 0 || n >= len)
		return NULL;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

/*
 * The af_packet PMD reports its link up forever: read the kernel interface's
 * flags instead (up and carrier). Other PMDs: rte_eth_link_get_nowait().
 */
static bool
link_up(struct lb_ctx *ctx, uint16_t port)
{
	struct lb_ctrl_vrrp *vr = ctx->vrrp;
	struct rte_eth_link link;
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (vr->ifname[port][0] != '\0') {
		memcpy(ifr.ifr_name, vr->ifname[port], sizeof(ifr.ifr_name));
		if (vr->ifr_fd < 0)
			vr->ifr_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (vr->ifr_fd >= 0 && ioctl(vr->ifr_fd, SIOCGIFFLAGS, &ifr) == 0)
			return (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
		return false;	/* the interface is gone */
	}
	if (rte_eth_link_get_nowait(ctx->ports[port].port_id, &link) != 0)
		return true;	/* unknown: do not fault on it */
	return link.link_status == RTE_ETH_LINK_UP;
}

/* Recompute fault and priority delta from links and scripts; act on changes. */
static void
track_update(struct lb_ctx *ctx, struct vi *v, uint64_t now)
{
	struct lb_ctrl_vrrp *vr = ctx->vrrp;
	const struct lb_cfg_vrrp *c = v->cfg;
	struct lb_vrrp_act act;
	bool fault = !c->dont_track_primary && vr->port_down[v->port];
	int delta = 0;
	unsigned int j;

	for (j = 0; j < c->n_track_ifs; j++)
		delta += lb_vrrp_track_weight(c->track_ifs[j].weight, false,
				      !vr->port_down[v->track_port[j]], &fault);
	for (j = 0; j < c->n_track_scripts; j++) {
		const struct lb_cfg_track_script *t = &c->track_scripts[j];
		const struct scr *sc;

		if (t->script < 0 || (unsigned int)t->script >= vr->n_scr)
			continue;
		sc = &vr->scr[t->script];
		delta += lb_vrrp_track_weight(t->weight, sc->cfg->weight_reverse, sc->ok, &fault);
	}
	if (delta != v->sm.track_delta) {
		uint8_t old = v->sm.eff_priority;

		lb_vrrp_sm_set_delta(&v->sm, delta);
		if (old != v->sm.eff_priority)
			lb_ctrl_log(ctx, "vrrp_instance %s: priority %u -> %u (tracking %+d)",
				    c->name, old, v->sm.eff_priority, delta);
	}
	if (fault != v->sm.fault) {
		lb_ctrl_log(ctx, "vrrp_instance %s: tracked %s", c->name,
			    fault ? "object down: FAULT" : "objects up again");
		lb_vrrp_sm_set_fault(&v->sm, now, fault, &act);
		apply(ctx, v, &act, now, 0);
	}
}

/* Read every port's link; log changes. @return true when one changed. */
static bool
links_poll(struct lb_ctx *ctx)
{
	struct lb_ctrl_vrrp *vr = ctx->vrrp;
	bool changed = false;
	uint16_t p;

	for (p = 0; p < ctx->n_ports && p < LB_MAX_PORTS; p++) {
		bool down = !link_up(ctx, p);

		if (down != vr->port_down[p]) {
			vr->port_down[p] = down;
			changed = true;
			lb_ctrl_log(ctx, "vrrp: port %s link is %s", ctx->ports[p].name,
				    down ? "down" : "up");
		}
	}
	return changed;
}

static void
script_done(void *arg, const struct lb_notify_result *res)
{
	struct scr *sc = arg;
	struct lb_ctx *ctx = sc->ctx;
	bool good = res->status == 0 && !res->timed_out, was = sc->ok;
	uint64_t now = lb_ctrl_now_ms(ctx);
	unsigned int i;

	sc->running = false;
	sc->next_at = now + sc->cfg->interval_ms;
	if (res->timed_out)
		sc->timeouts++;
	if (good) {
		sc->n_fail = 0;
		if (!sc->ok && ++sc->n_ok >= RTE_MAX(sc->cfg->rise, 1u))
			sc->ok = true;
	} else {
		sc->failures++;
		sc->n_ok = 0;
		if (sc->ok && ++sc->n_fail >= RTE_MAX(sc->cfg->fall, 1u))
			sc->ok = false;
	}
	if (sc->ok == was)
		return;
	lb_ctrl_log(ctx, "vrrp_script %s: %s (%s)", sc->cfg->name, sc->ok ? "success" : "failed",
		    res->timed_out ? "timed out" : res->signal != 0 ? "killed" : "exit status");
	for (i = 0; i < ctx->vrrp->n; i++)
		if (ctx->vrrp->vi[i].sm.state != LB_VRRP_ST_INIT)
			track_update(ctx, &ctx->vrrp->vi[i], now);
}

/* Start the scripts that are due; never waits for one. */
static void
scripts_poll(struct lb_ctx *ctx, uint64_t now)
{
	struct lb_ctrl_vrrp *vr = ctx->vrrp;
	unsigned int i;

	for (i = 0; i < vr->n_scr; i++) {
		struct scr *sc = &vr->scr[i];
		uint32_t tmo;
		pid_t pid;

		if (!sc->used || sc->running || now < sc->next_at)
			continue;
		tmo = sc->cfg->timeout_ms > 0 ? sc->cfg->timeout_ms : sc->cfg->interval_ms;
		sc->runs++;
		pid = lb_notify_run_as(vr->scripts, sc->cfg->script.cmd, NULL, 0, tmo,
				       sc->cfg->script.uid, sc->cfg->script.gid, script_done, sc);
		if (pid < 0) {
			struct lb_notify_result r = { .status = -1 };

			lb_ctrl_log(ctx, "vrrp_script %s: cannot run '%s': %s", sc->cfg->name,
				    sc->cfg->script.cmd, strerror((int)-pid));
			script_done(sc, &r);
			continue;
		}
		sc->running = true;
	}
}

void
lb_ctrl_vrrp_start(struct lb_ctx *ctx)
{
	struct lb_ctrl_vrrp *vr = ctx->vrrp;
	uint64_t now = lb_ctrl_now_ms(ctx);
	struct lb_vrrp_act act;
	unsigned int i;

	for (i = 0; i < ctx->n_ports && i < LB_MAX_PORTS; i++)
		if (af_packet_iface(ctx, (uint16_t)i, vr->ifname[i], sizeof(vr->ifname[i])) != NULL)
			lb_ctrl_log(ctx, "vrrp: port %s link state from kernel interface %s (af_packet)",
				    ctx->ports[i].name, vr->ifname[i]);
	links_poll(ctx);
	for (i = 0; i < vr->n; i++) {
		struct vi *v = &vr->vi[i];

		/* tracking before the start: a faulty instance starts in FAULT */
		track_update(ctx, v, now);
		lb_vrrp_sm_start(&v->sm, now, &act);
		apply(ctx, v, &act, now, 0);
	}
	/* A member that started in FAULT takes its sync group with it. */
	for (i = 0; i < vr->n; i++)
		if (vr->vi[i].sm.state == LB_VRRP_ST_FAULT && vr->vi[i].cfg->sync_group >= 0)
			sync_group(ctx, &vr->vi[i], LB_VRRP_ST_FAULT, now);
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
	bool links_changed = false;

	if (now >= vr->link_at) {
		vr->link_at = now + LINK_POLL_MS;
		links_changed = links_poll(ctx);
	}
	scripts_poll(ctx, now);
	for (i = 0; i < vr->n; i++) {
		struct vi *v = &vr->vi[i];

		if (links_changed && v->sm.state != LB_VRRP_ST_INIT)
			track_update(ctx, v, now);
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
	lb_notify_poll(vr->scripts);
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
	vr->syncing = true;	/* stopping is not a state to sync */
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
	for (i = 0; i < ctx->cfg->n_sync_groups; i++)
		notify_group(ctx, i, LB_VRRP_ST_INIT, true);
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
		fprintf(out, "  Vrrp-%s-smtp_alerts_unsent: %" PRIu64 "  Vrrp-%s-notify_busy: %"
			PRIu64 "  Vrrp-%s-track_delta: %d\n", n, v->smtp_unsent, n,
			v->notify_busy, n, v->sm.track_delta);
		for (r = 0; r < LB_VRRP_RX__MAX; r++)
			fprintf(out, "  Vrrp-%s-rx_%s: %" PRIu64 "\n", n, lb_vrrp_rx_name(r),
				v->rx[r]);
	}
}

int
lb_ctrl_vrrp_view(const struct lb_ctx *ctx, unsigned int i, struct lb_vrrp_view *v)
{
	const struct lb_ctrl_vrrp *vr = ctx->vrrp;
	const struct lb_cfg_vrrp *c;
	const struct vi *x = NULL;
	unsigned int k, r;
	int port;

	if (i >= ctx->cfg->n_vrrp)
		return -ENOENT;
	c = &ctx->cfg->vrrp[i];
	memset(v, 0, sizeof(*v));
	v->name = c->name;
	v->interface = c->interface;
	v->vrid = c->vrid;
	v->priority = c->priority;
	v->version = c->version;
	v->unicast = c->n_unicast_peers > 0;
	for (k = 0; vr != NULL && k < vr->n; k++)
		if (vr->vi[k].idx == i)
			x = &vr->vi[k];
	if (x == NULL) {
		/* VRRP not set up: the configured state (lb_ctx.vrrp_master). */
		v->state = ctx->vrrp_master[i] ? "MASTER" : "BACKUP";
		v->effective_priority = c->priority;
		port = lb_sysconf_port_by_name(&ctx->sc, c->interface);
		if (ctx->vrrp_master[i] && port >= 0)
			v->master_ip = ctx->ports[port].addr;
		return 0;
	}
	v->state = lb_vrrp_state_name(x->sm.state);
	v->version = x->sm.p.version;
	v->effective_priority = x->sm.eff_priority;
	if (x->sm.state == LB_VRRP_ST_MASTER)
		v->master_ip = x->src_ip;
	else if (x->sm.state == LB_VRRP_ST_BACKUP)
		v->master_ip = x->sm.master_ip;
	v->adverts_in = x->sm.st.adv_rcvd;
	v->adverts_out = x->sm.st.adv_sent;
	v->split_brain = x->sm.st.lower_master;
	v->become_master = x->sm.st.become_master;
	v->smtp_alerts_unsent = x->smtp_unsent;
	v->track_delta = x->sm.track_delta;
	v->track_fault = x->sm.fault;
	for (r = 0; r < LB_VRRP_RX__MAX && v->n_errors < LB_VRRP_VIEW_ERR_MAX; r++) {
		if (r == LB_VRRP_RX_ok)
			continue;
		v->errors[v->n_errors].reason = lb_vrrp_rx_name(r);
		v->errors[v->n_errors++].count = x->rx[r];
	}
	if (v->n_errors < LB_VRRP_VIEW_ERR_MAX) {
		v->errors[v->n_errors].reason = "tx_unresolved";
		v->errors[v->n_errors++].count = x->tx_unresolved;
	}
	return 0;
}

void
lb_ctrl_vrrp_fini(struct lb_ctx *ctx)
{
	struct lb_ctrl_vrrp *vr = ctx->vrrp;

	if (vr == NULL)
		return;
	lb_notify_free(vr->notify);
	lb_notify_free(vr->scripts);
	if (vr->ifr_fd >= 0)
		close(vr->ifr_fd);
	free(vr->scr);
	free(vr->grp_state);
	free(vr->vi);
	free(vr);
	ctx->vrrp = NULL;
}

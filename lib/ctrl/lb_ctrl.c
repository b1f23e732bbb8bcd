/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <rte_arp.h>
#include <rte_ip.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "lb_ctrl_int.h"
#include "lb_fwd_modes.h"
#include "lb_ctl.h"

#define CTL_BURST 32
#define IDLE_SLEEP_US 200
#define MBUF_SIZE RTE_MBUF_DEFAULT_BUF_SIZE
#define LB_CTRL_IPPROTO_VRRP 112

static const char *const ctrl_cnt_names[LB_CTRL__MAX] = {
#define LB_CTRL_NAME(n) [LB_CTRL_##n] = #n,
	LB_CTRL_CNT_LIST(LB_CTRL_NAME)
#undef LB_CTRL_NAME
};

/* State changes: one notice line each (console and/or syslog). */
#define ctl_log(ctx, ...) lb_log(ctx, LB_LOG_NOTICE, __VA_ARGS__)

static const char *
ip_str(uint32_t ip, char *buf)
{
	return inet_ntop(AF_INET, &ip, buf, INET_ADDRSTRLEN);
}

/* Queue a control-built frame for TX on an lb port through worker 0. */
void
lb_ctrl_send(struct lb_ctx *ctx, struct rte_mbuf *m, uint16_t port)
{
	m->port = port;
	if (rte_ring_sp_enqueue(ctx->workers[0]->from_ctl, m) != 0) {
		ctx->cnt[LB_CTRL_tx_ring_full]++;
		rte_pktmbuf_free(m);
	}
}

static void
send_arp(struct lb_ctx *ctx, uint16_t port, uint16_t op, const struct rte_ether_addr *dst,
	 uint32_t sip, const struct rte_ether_addr *tha, uint32_t tip, enum lb_ctrl_cnt what)
{
	struct rte_mbuf *m;

	m = lb_arp_build(ctx->mp, op, dst, &ctx->ports[port].mac, sip, tha, tip);
	if (m == NULL) {
		ctx->cnt[LB_CTRL_nombuf]++;
		return;
	}
	ctx->cnt[what]++;
	lb_ctrl_send(ctx, m, port);
}

/* Copy resolved MACs into the workers' per-real-server table. */
static void
sync_rs_macs(struct lb_ctx *ctx)
{
	const struct lb_svc *svc = ctx->sh->svc;
	uint32_t k;

	for (k = 0; k < svc->n_rs; k++) {
		const struct lb_neigh_entry *e = lb_neigh_lookup(ctx->neigh, svc->rs_all[k].ip);
		uint64_t v = 0;
		int i;

		if (e != NULL && e->state != LB_NEIGH_INCOMPLETE) {
			for (i = 0; i < RTE_ETHER_ADDR_LEN; i++)
				v = (v << 8) | e->mac.addr_bytes[i];
			v |= UINT64_C(1) << 63;
		}
		__atomic_store_n(&ctx->sh->rs_mac[svc->rs_all[k].id], v, __ATOMIC_RELAXED);
	}
}

/* Is ip an address this port answers ARP for: its own, or a VIP we own on it? */
static bool
owns_ip(const struct lb_ctx *ctx, uint16_t port, uint32_t ip)
{
	const struct lb_config *cfg = ctx->cfg;
	unsigned int i, j;

	if (ctx->ports[port].addr == ip)
		return true;
	/* FULLNAT local addresses: real servers send their replies to them. */
	for (i = 0; i < cfg->n_laddr_groups; i++)
		for (j = 0; j < cfg->laddr_groups[i].n_addrs; j++)
			if (cfg->laddr_groups[i].addrs[j] == ip &&
			    lb_sysconf_port_for_ip(&ctx->sc, ip) == port)
				return true;
	for (i = 0; i < cfg->n_vrrp; i++) {
		if (!ctx->vrrp_master[i] ||
		    lb_sysconf_port_by_name(&ctx->sc, cfg->vrrp[i].interface) != port)
			continue;
		for (j = 0; j < cfg->vrrp[i].n_vips; j++)
			if (cfg->vrrp[i].vips[j].addr.ip == ip)
				return true;
	}
	return false;
}

static void
arp_input(struct lb_ctx *ctx, uint16_t port, const struct lb_arp *arp)
{
	char a[INET_ADDRSTRLEN], b[RTE_ETHER_ADDR_FMT_SIZE];

	ctx->cnt[LB_CTRL_arp_in]++;
	if (lb_neigh_learn(ctx->neigh, arp->sip, &arp->sha, port, rte_rdtsc()) > 0) {
		ctx->cnt[LB_CTRL_neigh_update]++;
		rte_ether_format_addr(b, sizeof(b), &arp->sha);
		ctl_log(ctx, "neighbour %s is at %s on %s", ip_str(arp->sip, a), b,
			ctx->ports[port].name);
		sync_rs_macs(ctx);
	}
	if (arp->op == RTE_ARP_OP_REQUEST && arp->sip != arp->tip &&
	    owns_ip(ctx, port, arp->tip))
		send_arp(ctx, port, RTE_ARP_OP_REPLY, &arp->sha, arp->tip, &arp->sha, arp->sip,
			 LB_CTRL_arp_reply);
}

/*
 * For the host stack: IPv4 to the port's own address, except VRRP (the
 * VRRP code on control takes protocol 112). The workers only pass control
 * what no virtual service takes, so this covers replies to the host's own
 * connections, ICMP, and new connections to the director's address.
 */
static bool
host_bound(const struct lb_ctx *ctx, uint16_t port, const struct rte_mbuf *m)
{
	const struct rte_ipv4_hdr *ip;

	if (!ctx->hostif[port].on ||
	    rte_pktmbuf_data_len(m) < sizeof(struct rte_ether_hdr) + sizeof(*ip) ||
	    rte_pktmbuf_mtod(m, const struct rte_ether_hdr *)->ether_type !=
	    RTE_BE16(RTE_ETHER_TYPE_IPV4))
		return false;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *,
				     sizeof(struct rte_ether_hdr));
	return ip->dst_addr == ctx->ports[port].addr && ip->next_proto_id != LB_CTRL_IPPROTO_VRRP;
}

/* Frames the kernel sent on a host interface go out on its NIC port. */
static unsigned int
hostif_poll(struct lb_ctx *ctx)
{
	struct rte_mbuf *pkts[CTL_BURST];
	unsigned int p, i, n, total = 0;

	for (p = 0; p < ctx->n_ports; p++) {
		if (!ctx->hostif[p].on)
			continue;
		n = lb_hostif_from_host(&ctx->hostif[p], pkts, CTL_BURST);
		for (i = 0; i < n; i++)
			lb_ctrl_send(ctx, pkts[i], (uint16_t)p);
		total += n;
	}
	return total;
}

void
lb_ctrl_input(struct lb_ctx *ctx, struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth;
	struct lb_arp arp;
	uint16_t port = m->port;	/* the worker stored the lb port index */

	ctx->cnt[LB_CTRL_rx]++;
	if (port >= ctx->n_ports || rte_pktmbuf_data_len(m) < sizeof(*eth)) {
		ctx->cnt[LB_CTRL_unhandled]++;
		goto out;
	}
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_ARP)) {
		if (lb_arp_parse(m, &arp) != 0) {
			ctx->cnt[LB_CTRL_bad_arp]++;
			goto out;
		}
		arp_input(ctx, port, &arp);
		/* Replies to the host's own ARP requests: the kernel learns from them. */
		if (arp.op == RTE_ARP_OP_REPLY && arp.tip == ctx->ports[port].addr &&
		    ctx->hostif[port].on) {
			lb_hostif_to_host(&ctx->hostif[port], m);
			return;
		}
		goto out;
	}
	if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4) &&
	    rte_pktmbuf_data_len(m) >= sizeof(*eth) + sizeof(struct rte_ipv4_hdr)) {
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eth + 1);

		if (ip->next_proto_id == LB_CTRL_IPPROTO_VRRP ||
		    ip->next_proto_id == IPPROTO_AH) {
			lb_ctrl_vrrp_input(ctx, m, port);
			goto out;
		}
	}
	if (host_bound(ctx, port, m)) {
		lb_hostif_to_host(&ctx->hostif[port], m);
		return;
	}
	ctx->cnt[LB_CTRL_unhandled]++;
out:
	rte_pktmbuf_free(m);
}

static void
probe_cb(const struct lb_neigh_entry *e, void *arg)
{
	struct lb_ctx *ctx = arg;
	static const struct rte_ether_addr zero;
	struct rte_ether_addr bcast;

	memset(&bcast, 0xff, sizeof(bcast));
	send_arp(ctx, e->port, RTE_ARP_OP_REQUEST, &bcast, ctx->ports[e->port].addr, &zero,
		 e->ip, LB_CTRL_arp_probe);
}

static void
stats_timer_cb(struct rte_timer *t, void *arg)
{
	struct lb_ctx *ctx = arg;

	RTE_SET_USED(t);
	lb_ctrl_stats_print(ctx, ctx->log);
}

static void
svc_free_cb(void *p, void *e, unsigned int n)
{
	unsigned int i;

	RTE_SET_USED(p);
	for (i = 0; i < n; i++)
		lb_svc_free(((struct lb_svc **)e)[i]);
}

int
lb_ctrl_publish(struct lb_ctx *ctx)
{
	struct lb_svc_input in = {
		.cfg = ctx->cfg, .sc = &ctx->sc, .vrrp_master = ctx->vrrp_master,
		.rs_health = ctx->rs_health, .gen = ++ctx->svc_gen,
		.ids = ctx->ids.vs_id != NULL ? &ctx->ids : NULL,
		.ovr = ctx->ovr,
	};
	struct lb_svc *svc, *old;

	svc = lb_svc_build(&in);
	if (svc == NULL)
		return -rte_errno;
	old = __atomic_exchange_n(&ctx->sh->svc, svc, __ATOMIC_RELEASE);
	sync_rs_macs(ctx);
	if (old != NULL && rte_rcu_qsbr_dq_enqueue(ctx->dq, &old) != 0) {
		/* Queue full: wait for the grace period here (rare). */
		rte_rcu_qsbr_synchronize(ctx->sh->qsbr, RTE_QSBR_THRID_INVALID);
		lb_svc_free(old);
	}
	return 0;
}

static int
setup_workers(struct lb_ctx *ctx, const unsigned int *lcores, unsigned int n, FILE *diag)
{
	struct lb_conn_timeouts to = {
		.tcp_established = ctx->sc.timeouts.tcp_established,
		.tcp_syn_recv = ctx->sc.timeouts.tcp_syn_recv,
		.tcp_fin_wait = ctx->sc.timeouts.tcp_fin_wait,
		.tcp_close = ctx->sc.timeouts.tcp_close,
		.udp = ctx->sc.timeouts.udp,
	};
	char name[RTE_MEMZONE_NAMESIZE];
	unsigned int i, n_laddr = 0;

	for (i = 0; i < ctx->cfg->n_laddr_groups; i++)
		n_laddr += ctx->cfg->laddr_groups[i].n_addrs;
	ctx->sh->n_workers = (uint16_t)n;
	for (i = 0; i < n; i++) {
		int socket = (int)rte_lcore_to_socket_id(lcores[i]);
		struct lb_worker *w;

		w = rte_zmalloc_socket("lb_worker", sizeof(*w), RTE_CACHE_LINE_SIZE, socket);
		if (w == NULL)
			goto nomem;
		ctx->workers[i] = w;
		ctx->n_workers = i + 1;
		w->idx = i;
		w->lcore_id = lcores[i];
		w->sh = ctx->sh;
		w->svc_gen = UINT64_MAX;
		snprintf(name, sizeof(name), "lb_conn_%u", i);
		w->conn = lb_conn_table_create(name, ctx->sc.conn_table_size, socket, &to);
		if (w->conn == NULL) {
			fprintf(diag, "error: connection table of %u entries for worker %u: %s\n",
				ctx->sc.conn_table_size, i, rte_strerror(rte_errno));
			return -rte_errno;
		}
		ctx->sh->counts.per_worker[i] = lb_conn_table_rs_counts(w->conn);
		snprintf(name, sizeof(name), "lb_to_ctl_%u", i);
		w->to_ctl = rte_ring_create(name, ctx->sc.ctl_ring_size, socket,
					    RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (w->to_ctl == NULL)
			goto nomem;
		if (i == 0) {
			w->from_ctl = rte_ring_create("lb_from_ctl", ctx->sc.ctl_ring_size, socket,
						      RING_F_SP_ENQ | RING_F_SC_DEQ);
			if (w->from_ctl == NULL)
				goto nomem;
		}
		w->modes = lb_fwd_modes_create(n_laddr, (uint16_t)i, (uint16_t)n, socket);
		if (w->modes == NULL)
			goto nomem;
		if (n > 1) {
			/* Other workers hand this one the FNAT replies and NAT flows it owns. */
			snprintf(name, sizeof(name), "lb_redirect_%u", i);
			ctx->sh->redirect[i] = rte_ring_create(name, ctx->sc.ctl_ring_size,
							       socket, RING_F_SC_DEQ);
			if (ctx->sh->redirect[i] == NULL)
				goto nomem;
		}
		if (rte_rcu_qsbr_thread_register(ctx->sh->qsbr, i) != 0)
			goto nomem;
	}
	ctx->sh->counts.n_workers = n;
	return 0;
nomem:
	fprintf(diag, "error: cannot allocate worker %u: %s\n", i, rte_strerror(rte_errno));
	return -ENOMEM;
}

static int
setup_neigh(struct lb_ctx *ctx, FILE *diag)
{
	const struct lb_config *cfg = ctx->cfg;
	struct rte_ether_addr mac;
	unsigned int i, j, max = ctx->sc.n_neighbors + 16;
	int ret;

	for (i = 0; i < cfg->n_vs; i++)
		max += cfg->vs[i].n_rs;
	ctx->neigh = lb_neigh_create("lb_neigh", max, ctx->sc.arp_refresh);
	if (ctx->neigh == NULL)
		return -ENOMEM;
	for (i = 0; i < ctx->sc.n_neighbors; i++) {
		const struct lb_sysconf_neigh *n = &ctx->sc.neighbors[i];

		memcpy(mac.addr_bytes, n->mac, sizeof(mac.addr_bytes));
		ret = lb_neigh_add_static(ctx->neigh, n->ip, &mac, (uint16_t)n->port);
		if (ret != 0) {
			fprintf(diag, "%s:%u: error: static neighbour: %s\n", ctx->sc.file,
				n->line, strerror(-ret));
			return ret;
		}
	}
	for (i = 0; i < cfg->n_vs; i++)
		for (j = 0; j < cfg->vs[i].n_rs; j++) {
			uint32_t ip = cfg->vs[i].rs[j].addr.ip;
			int port = lb_sysconf_port_for_ip(&ctx->sc, ip);

			if (port >= 0 && lb_neigh_want(ctx->neigh, ip, (uint16_t)port) != 0)
				return -ENOSPC;
		}
	return 0;
}

int
lb_ctrl_init(struct lb_ctx *ctx, struct lb_config *cfg, const struct lb_sysconf *sc,
	     const unsigned int *worker_lcores, unsigned int n_workers, FILE *diag)
{
	struct rte_rcu_qsbr_dq_parameters dqp = {0};
	unsigned int i;
	size_t sz;
	int ret;

	ctx->cfg = cfg;
	ctx->sc = *sc;
	if (ctx->log == NULL)
		ctx->log = stdout;
	if (n_workers == 0 || n_workers > LB_MAX_WORKERS) {
		fprintf(diag, "error: need 1..%d worker lcores (the EAL main lcore is control; "
			"give at least two lcores, e.g. -l 0-1), got %u\n", LB_MAX_WORKERS,
			n_workers);
		return -EINVAL;
	}
	/* No VIP is owned until VRRP makes an instance master. */
	ctx->vrrp_master = calloc(RTE_MAX(cfg->n_vrrp, 1u), sizeof(bool));
	if (ctx->vrrp_master == NULL)
		return -ENOMEM;

	ctx->n_ports = sc->n_ports;
	ret = lb_port_resolve(ctx->ports, sc, diag);
	if (ret != 0)
		return ret;

	ctx->mp = rte_pktmbuf_pool_create("lb_mbuf", sc->mbufs, sc->mbuf_cache, 0, MBUF_SIZE,
					  (int)rte_socket_id());
	if (ctx->mp == NULL) {
		fprintf(diag, "error: cannot create a pool of %u mbufs: %s (lower 'mbufs' in %s "
			"or give EAL more memory)\n", sc->mbufs, rte_strerror(rte_errno), sc->file);
		return -ENOMEM;
	}

	ctx->sh = rte_zmalloc("lb_shared", sizeof(*ctx->sh), RTE_CACHE_LINE_SIZE);
	if (ctx->sh == NULL)
		return -ENOMEM;
	ctx->sh->tsc_hz = rte_get_tsc_hz();
	ctx->sh->tsc_start = rte_rdtsc();
	ctx->sh->burst = RTE_MIN(sc->burst, (uint16_t)LB_BURST_MAX);
	ctx->sh->n_ports = (uint16_t)ctx->n_ports;

	sz = rte_rcu_qsbr_get_memsize(n_workers);
	ctx->sh->qsbr = rte_zmalloc("lb_qsbr", sz, RTE_CACHE_LINE_SIZE);
	if (ctx->sh->qsbr == NULL || rte_rcu_qsbr_init(ctx->sh->qsbr, n_workers) != 0)
		return -ENOMEM;
	dqp.name = "lb_svc_dq";
	dqp.size = 64;
	dqp.trigger_reclaim_limit = 1;
	dqp.max_reclaim_size = 8;
	dqp.esize = sizeof(struct lb_svc *);
	dqp.free_fn = svc_free_cb;
	dqp.p = ctx;
	dqp.v = ctx->sh->qsbr;
	ctx->dq = rte_rcu_qsbr_dq_create(&dqp);
	if (ctx->dq == NULL)
		return -ENOMEM;

	ret = setup_workers(ctx, worker_lcores, n_workers, diag);
	if (ret != 0)
		return ret;
	ret = setup_neigh(ctx, diag);
	if (ret != 0)
		return ret;
	ret = lb_ctrl_vrrp_init(ctx, diag);
	if (ret != 0)
		return ret;
	ret = lb_ctrl_publish(ctx);
	if (ret != 0) {
		fprintf(diag, "error: cannot build the service table: %s\n", rte_strerror(-ret));
		return ret;
	}

	ret = lb_port_start_all(ctx->ports, ctx->n_ports, sc, (uint16_t)n_workers, ctx->mp, diag);
	if (ret != 0)
		return ret;
	for (i = 0; i < ctx->n_ports; i++) {
		uint16_t mtu = RTE_ETHER_MTU;

		ctx->sh->port_mac[i] = ctx->ports[i].mac;
		ctx->sh->port_id[i] = ctx->ports[i].port_id;
		ctx->sh->port_addr[i] = ctx->ports[i].addr;
		if (rte_eth_dev_get_mtu(ctx->ports[i].port_id, &mtu) != 0 || mtu < 576)
			mtu = RTE_ETHER_MTU;
		ctx->sh->port_mtu[i] = mtu;
	}
	for (i = 0; i < ctx->n_ports; i++) {
		if (sc->ports[i].host_if[0] == '\0')
			continue;
		ret = lb_hostif_open(&ctx->hostif[i], i, sc->ports[i].host_if,
				     &ctx->ports[i].mac, ctx->ports[i].addr,
				     ctx->ports[i].prefixlen, ctx->mp, diag);
		if (ret != 0)
			return ret;
		ctl_log(ctx, "host interface %s: address of port %s, MAC of its NIC",
			sc->ports[i].host_if, ctx->ports[i].name);
	}

	rte_timer_init(&ctx->stats_timer);
	if (ctx->stats_period > 0)
		rte_timer_reset(&ctx->stats_timer, rte_get_timer_hz() * ctx->stats_period,
				PERIODICAL, rte_lcore_id(), stats_timer_cb, ctx);
	lb_ctrl_vrrp_start(ctx);
	return 0;
}

static uint32_t
cfg_rs_weight(const struct lb_config *cfg, unsigned int id, const struct lb_cfg_rs **out)
{
	unsigned int i;

	for (i = 0; i < cfg->n_vs; i++) {
		if (id < cfg->vs[i].n_rs) {
			*out = &cfg->vs[i].rs[id];
			return cfg->vs[i].rs[id].weight;
		}
		id -= cfg->vs[i].n_rs;
	}
	*out = NULL;
	return 0;
}

/* A real server changed state: new health, republished on this poll. */
static void
check_cb(void *arg, unsigned int id, bool up)
{
	struct lb_ctx *ctx = arg;
	const struct lb_cfg_rs *cr;
	uint32_t w = cfg_rs_weight(ctx->cfg, id, &cr);
	char a[INET_ADDRSTRLEN];
	bool inhibit = ctx->rs_inhibit[id];

	ctx->rs_health[id].alive = up || inhibit;
	ctx->rs_health[id].weight = up ? w : 0;
	ctx->health_dirty = true;
	ctl_log(ctx, "real_server %s:%u is %s%s", cr != NULL ? ip_str(cr->addr.ip, a) : "?",
		cr != NULL ? cr->port : 0, up ? "UP" : "DOWN",
		up ? "" : inhibit ? " (inhibit_on_failure: weight 0)" : " (removed)");
}

int
lb_ctrl_checks_start(struct lb_ctx *ctx, const struct lb_check_rs_params *rs,
		     const bool *inhibit, unsigned int n_rs)
{
	const struct lb_cfg_rs *cr;
	unsigned int i, total = 0;

	for (i = 0; i < ctx->cfg->n_vs; i++)
		total += ctx->cfg->vs[i].n_rs;
	if (n_rs != total || ctx->check != NULL)
		return -EINVAL;
	ctx->rs_health = calloc(RTE_MAX(n_rs, 1u), sizeof(*ctx->rs_health));
	ctx->rs_inhibit = calloc(RTE_MAX(n_rs, 1u), sizeof(*ctx->rs_inhibit));
	if (ctx->rs_health == NULL || ctx->rs_inhibit == NULL)
		goto nomem;
	for (i = 0; i < n_rs; i++) {
		ctx->rs_inhibit[i] = inhibit != NULL && inhibit[i];
		ctx->rs_health[i].weight = cfg_rs_weight(ctx->cfg, i, &cr);
		ctx->rs_health[i].alive = true;
	}
	ctx->check = lb_check_create(rs, n_rs, check_cb, ctx,
				     rte_get_timer_cycles() * 1000 / rte_get_timer_hz());
	if (ctx->check == NULL)
		goto nomem;
	/* alpha: those servers start down. */
	for (i = 0; i < n_rs; i++)
		if (!lb_check_rs_up(ctx->check, i))
			check_cb(ctx, i, false);
	return lb_ctrl_publish(ctx);
nomem:
	free(ctx->rs_health);
	free(ctx->rs_inhibit);
	ctx->rs_health = NULL;
	ctx->rs_inhibit = NULL;
	return -ENOMEM;
}

unsigned int
lb_ctrl_poll(struct lb_ctx *ctx)
{
	struct rte_mbuf *pkts[CTL_BURST];
	unsigned int i, j, n, total = 0;

	for (i = 0; i < ctx->n_workers; i++) {
		n = rte_ring_sc_dequeue_burst(ctx->workers[i]->to_ctl, (void **)pkts, CTL_BURST,
					      NULL);
		for (j = 0; j < n; j++)
			lb_ctrl_input(ctx, pkts[j]);
		total += n;
	}
	total += hostif_poll(ctx);
	if (ctx->check != NULL) {
		lb_check_poll(ctx->check, rte_get_timer_cycles() * 1000 / rte_get_timer_hz());
		if (ctx->health_dirty && lb_ctrl_publish(ctx) == 0)
			ctx->health_dirty = false;
	}
	if (ctx->reload_req != NULL && *ctx->reload_req) {
		*ctx->reload_req = false;
		lb_ctrl_reload(ctx, NULL);
	}
	lb_ctl_poll(ctx->ctl);
	rte_timer_manage();
	lb_ctrl_vrrp_poll(ctx);
	lb_neigh_due(ctx->neigh, rte_rdtsc(), probe_cb, ctx);
	rte_rcu_qsbr_dq_reclaim(ctx->dq, 8, NULL, NULL, NULL);
	return total;
}

void
lb_ctrl_loop(struct lb_ctx *ctx)
{
	while (!*ctx->force_quit) {
		if (lb_ctrl_poll(ctx) == 0)
			usleep(IDLE_SLEEP_US);
	}
	lb_ctrl_vrrp_shutdown(ctx);
	__atomic_store_n(&ctx->sh->quit, true, __ATOMIC_RELEASE);
}

/* Worker counters printed by name, testpmd style, before the drop reasons. */
static const struct {
	const char *label;
	enum lb_fwd_cnt cnt;
} worker_lines[] = {
	{ "RX-packets", LB_CNT_rx },
	{ "TX-packets", LB_CNT_tx },
	{ "Hits", LB_CNT_hits },
	{ "New-flows", LB_CNT_new_flows },
	{ "Unknown-scheduled", LB_CNT_unknown_sched },
	{ "Replies", LB_CNT_replies },
	{ "ICMP-TX", LB_CNT_icmp_tx },
	{ "ICMP-forwarded", LB_CNT_icmp_fwd },
	{ "Redirected", LB_CNT_redirected },
	{ "To-control", LB_CNT_to_ctl },
	{ "Control-TX", LB_CNT_ctl_tx },
};

void
lb_ctrl_stats_print(struct lb_ctx *ctx, FILE *out)
{
	unsigned int i, c;

	lb_port_stats_print(out, ctx->ports, ctx->n_ports);
	for (i = 0; i < ctx->n_workers; i++) {
		const struct lb_worker *w = ctx->workers[i];
		const struct lb_conn_stats *cs = lb_conn_table_stats(w->conn);

		fprintf(out, "\n  ######## Datapath statistics for lcore %u (worker %u) ########\n",
			w->lcore_id, i);
		for (c = 0; c < RTE_DIM(worker_lines); c++)
			fprintf(out, "  %s: %" PRIu64 "\n", worker_lines[c].label,
				__atomic_load_n(&w->cnt[worker_lines[c].cnt], __ATOMIC_RELAXED));
		fprintf(out, "  Conns: %u\n", lb_conn_table_count(w->conn));
		fprintf(out, "  Conn-inserted: %" PRIu64 "  Conn-expired: %" PRIu64
			"  Conn-evicted: %" PRIu64 "\n", cs->inserted, cs->expired, cs->evicted);
		for (c = LB_CNT_DROP_FIRST; c < LB_CNT__MAX; c++)
			fprintf(out, "  Drop-%s: %" PRIu64 "\n", lb_fwd_cnt_name(c),
				__atomic_load_n(&w->cnt[c], __ATOMIC_RELAXED));
	}
	fprintf(out, "\n  ######## Control lcore %u ########\n", rte_lcore_id());
	for (c = 0; c < LB_CTRL__MAX; c++)
		fprintf(out, "  Ctl-%s: %" PRIu64 "\n", ctrl_cnt_names[c], ctx->cnt[c]);
	for (c = 0; c < LB_HOSTIF__MAX; c++) {
		uint64_t v = 0;

		for (i = 0; i < ctx->n_ports; i++)
			v += ctx->hostif[i].cnt[c];
		fprintf(out, "  Host-%s: %" PRIu64 "\n", lb_hostif_cnt_name(c), v);
	}
	lb_ctrl_vrrp_stats_print(ctx, out);
	fflush(out);
}

void
lb_ctrl_fini(struct lb_ctx *ctx)
{
	unsigned int i;

	rte_timer_stop_sync(&ctx->stats_timer);
	lb_check_free(ctx->check);
	free(ctx->rs_health);
	free(ctx->rs_inhibit);
	for (i = 0; i < LB_MAX_PORTS; i++)
		lb_hostif_close(&ctx->hostif[i]);
	lb_ctl_close(ctx->ctl);
	ctx->ctl = NULL;
	lb_port_stop_all(ctx->ports, ctx->n_ports);
	for (i = 0; i < ctx->n_workers; i++) {
		struct lb_worker *w = ctx->workers[i];

		lb_conn_table_free(w->conn);
		lb_fwd_modes_free(w->modes);
		if (ctx->sh != NULL)
			rte_ring_free(ctx->sh->redirect[i]);
		rte_ring_free(w->to_ctl);
		rte_ring_free(w->from_ctl);
		rte_free(w);
		ctx->workers[i] = NULL;
	}
	if (ctx->dq != NULL)
		rte_rcu_qsbr_dq_delete(ctx->dq);
	if (ctx->sh != NULL) {
		lb_svc_free(ctx->sh->svc);
		rte_free(ctx->sh->qsbr);
		rte_free(ctx->sh);
	}
	lb_neigh_free(ctx->neigh);
	rte_mempool_free(ctx->mp);
	lb_ctrl_vrrp_fini(ctx);
	free(ctx->vrrp_master);
	free(ctx->idmap);
	free(ctx->ovr);
	lb_svc_ids_free(&ctx->ids);
	lb_cfg_free(ctx->cfg);
	lb_sysconf_free(&ctx->sc);
	memset(ctx, 0, sizeof(*ctx));
}

/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "lb_ctrl.h"
#include "lb_ctl.h"

#define CTL_BURST 32
#define IDLE_SLEEP_US 200
#define MBUF_SIZE RTE_MBUF_DEFAULT_BUF_SIZE

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
static void
ctl_send(struct lb_ctx *ctx, struct rte_mbuf *m, uint16_t port)
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
	ctl_send(ctx, m, port);
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
		if (lb_arp_parse(m, &arp) != 0)
			ctx->cnt[LB_CTRL_bad_arp]++;
		else
			arp_input(ctx, port, &arp);
		goto out;
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

/* Gratuitous ARP for every VIP of every master instance. */
static void
send_garp(struct lb_ctx *ctx, unsigned int count)
{
	const struct lb_config *cfg = ctx->cfg;
	static const struct rte_ether_addr zero;
	struct rte_ether_addr bcast;
	unsigned int i, j, k;

	memset(&bcast, 0xff, sizeof(bcast));
	for (i = 0; i < cfg->n_vrrp; i++) {
		int port = lb_sysconf_port_by_name(&ctx->sc, cfg->vrrp[i].interface);

		if (!ctx->vrrp_master[i] || port < 0)
			continue;
		for (j = 0; j < cfg->vrrp[i].n_vips; j++)
			for (k = 0; k < count; k++)
				send_arp(ctx, (uint16_t)port, RTE_ARP_OP_REQUEST, &bcast,
					 cfg->vrrp[i].vips[j].addr.ip, &zero,
					 cfg->vrrp[i].vips[j].addr.ip, LB_CTRL_garp);
	}
}

static void
garp_timer_cb(struct rte_timer *t, void *arg)
{
	struct lb_ctx *ctx = arg;
	const struct lb_config *cfg = ctx->cfg;
	uint32_t delay_ms = cfg->global.garp_master_delay_ms;
	unsigned int repeat = cfg->global.garp_master_repeat;

	if (cfg->n_vrrp > 0) {
		delay_ms = cfg->vrrp[0].garp_master_delay_ms;
		repeat = cfg->vrrp[0].garp_master_repeat;
	}
	send_garp(ctx, repeat);
	if (--ctx->garp_rounds > 0 && delay_ms > 0)
		rte_timer_reset(t, rte_get_timer_hz() * delay_ms / 1000, SINGLE,
				rte_lcore_id(), garp_timer_cb, ctx);
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
		.gen = ++ctx->svc_gen, .ids = ctx->ids.vs_id != NULL ? &ctx->ids : NULL,
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
	unsigned int i;

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
	ctx->vrrp_master = calloc(RTE_MAX(cfg->n_vrrp, 1u), sizeof(bool));
	if (ctx->vrrp_master == NULL)
		return -ENOMEM;
	/* VRRP proper comes later: an instance in state MASTER owns its VIPs. */
	for (i = 0; i < cfg->n_vrrp; i++)
		ctx->vrrp_master[i] = cfg->vrrp[i].state == LB_VRRP_MASTER;

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
	ret = lb_ctrl_publish(ctx);
	if (ret != 0) {
		fprintf(diag, "error: cannot build the service table: %s\n", rte_strerror(-ret));
		return ret;
	}

	ret = lb_port_start_all(ctx->ports, ctx->n_ports, sc, (uint16_t)n_workers, ctx->mp, diag);
	if (ret != 0)
		return ret;
	for (i = 0; i < ctx->n_ports; i++) {
		ctx->sh->port_mac[i] = ctx->ports[i].mac;
		ctx->sh->port_id[i] = ctx->ports[i].port_id;
	}

	rte_timer_init(&ctx->garp_timer);
	rte_timer_init(&ctx->stats_timer);
	ctx->garp_rounds = 2;	/* a burst now and one after garp_master_delay */
	rte_timer_reset(&ctx->garp_timer, 0, SINGLE, rte_lcore_id(), garp_timer_cb, ctx);
	if (ctx->stats_period > 0)
		rte_timer_reset(&ctx->stats_timer, rte_get_timer_hz() * ctx->stats_period,
				PERIODICAL, rte_lcore_id(), stats_timer_cb, ctx);
	for (i = 0; i < cfg->n_vrrp; i++)
		ctl_log(ctx, "vrrp_instance %s: %s (static until VRRP runs)", cfg->vrrp[i].name,
			ctx->vrrp_master[i] ? "MASTER, VIPs owned" : "BACKUP");
	return 0;
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
	if (ctx->reload_req != NULL && *ctx->reload_req) {
		*ctx->reload_req = false;
		lb_ctrl_reload(ctx, NULL);
	}
	lb_ctl_poll(ctx->ctl);
	rte_timer_manage();
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
	__atomic_store_n(&ctx->sh->quit, true, __ATOMIC_RELEASE);
}

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
		fprintf(out, "  RX-packets: %" PRIu64 "\n",
			__atomic_load_n(&w->cnt[LB_CNT_rx], __ATOMIC_RELAXED));
		fprintf(out, "  TX-packets: %" PRIu64 "\n",
			__atomic_load_n(&w->cnt[LB_CNT_tx], __ATOMIC_RELAXED));
		fprintf(out, "  Hits: %" PRIu64 "\n",
			__atomic_load_n(&w->cnt[LB_CNT_hits], __ATOMIC_RELAXED));
		fprintf(out, "  New-flows: %" PRIu64 "\n",
			__atomic_load_n(&w->cnt[LB_CNT_new_flows], __ATOMIC_RELAXED));
		fprintf(out, "  To-control: %" PRIu64 "\n",
			__atomic_load_n(&w->cnt[LB_CNT_to_ctl], __ATOMIC_RELAXED));
		fprintf(out, "  Control-TX: %" PRIu64 "\n",
			__atomic_load_n(&w->cnt[LB_CNT_ctl_tx], __ATOMIC_RELAXED));
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
	fflush(out);
}

void
lb_ctrl_fini(struct lb_ctx *ctx)
{
	unsigned int i;

	rte_timer_stop_sync(&ctx->garp_timer);
	rte_timer_stop_sync(&ctx->stats_timer);
	lb_ctl_close(ctx->ctl);
	ctx->ctl = NULL;
	lb_port_stop_all(ctx->ports, ctx->n_ports);
	for (i = 0; i < ctx->n_workers; i++) {
		struct lb_worker *w = ctx->workers[i];

		lb_conn_table_free(w->conn);
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
	free(ctx->vrrp_master);
	free(ctx->idmap);
	free(ctx->ovr);
	lb_svc_ids_free(&ctx->ids);
	lb_cfg_free(ctx->cfg);
	lb_sysconf_free(&ctx->sc);
	memset(ctx, 0, sizeof(*ctx));
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Metrics: Prometheus text format over HTTP (GET /metrics) on the management
 * address of dpdk.conf (metrics_listen), and rte_telemetry commands /lb/...
 * Everything is read on the control lcore: HTTP is served from lb_ctl_poll,
 * and a telemetry callback (on DPDK's telemetry thread) hands its request to
 * the control lcore and waits for it to be filled.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <rte_ethdev.h>
#include <rte_telemetry.h>

#include "lb_ctl_int.h"

#define HTTP_MAX_CLIENTS 8
#define HTTP_REQ_MAX 2048
#define TEL_WAIT_MS 1000

struct http_client {
	int fd;
	bool writing;
	char in[HTTP_REQ_MAX];
	size_t in_len;
	char *out;
	size_t out_len, out_off;
};

struct ctl_metrics {
	int lfd;
	struct http_client cl[HTTP_MAX_CLIENTS];
	/* Telemetry handoff: the request is only touched with lock held. */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	const char *tel_cmd;		/* pending command, NULL = none */
	struct rte_tel_data *tel_d;
	int tel_ret;
	bool tel_done;
	int tel_pending;		/* atomic hint for the control loop */
};

/*
 * rte_telemetry 22.11 callbacks take no user argument: the one lbapp context
 * of the process is reached through this pointer, set while the socket is open.
 */
static struct lb_ctl *tel_ctl;

static const char *
ip_s(uint32_t ip, char *buf)
{
	return inet_ntop(AF_INET, &ip, buf, INET_ADDRSTRLEN);
}

static const char *
proto_name(uint8_t p)
{
	return p == IPPROTO_UDP ? "udp" : "tcp";
}

/* ---- Prometheus text ---- */

static void
help(FILE *o, const char *name, const char *type, const char *text)
{
	fprintf(o, "# HELP %s %s\n# TYPE %s %s\n", name, text, name, type);
}

static void
prom_services(struct lb_ctl *ctl, FILE *o)
{
	const struct lb_ctx *ctx = ctl->ctx;
	const struct lb_svc *svc = ctx->sh->svc;
	static const struct {
		const char *name, *type, *help;
	} m[] = {
		{ "lbapp_vs_connections_total", "counter", "Connections scheduled." },
		{ "lbapp_vs_packets_total", "counter", "Packets forwarded." },
		{ "lbapp_vs_bytes_total", "counter", "Bytes forwarded." },
		{ "lbapp_rs_connections_total", "counter", "Connections scheduled." },
		{ "lbapp_rs_packets_total", "counter", "Packets forwarded." },
		{ "lbapp_rs_bytes_total", "counter", "Bytes forwarded." },
		{ "lbapp_rs_active_connections", "gauge", "ESTABLISHED connections." },
		{ "lbapp_rs_inactive_connections", "gauge", "Other tracked connections." },
		{ "lbapp_rs_weight", "gauge", "Effective weight." },
		{ "lbapp_rs_up", "gauge", "1 when in service." },
	};
	char a[INET_ADDRSTRLEN], r[INET_ADDRSTRLEN], lbl[160];
	unsigned int k, i, j;

	for (k = 0; k < RTE_DIM(m); k++) {
		help(o, m[k].name, m[k].type, m[k].help);
		for (i = 0; i < svc->n_vs; i++) {
			const struct lb_svc_vs *vs = &svc->vs[i];
			struct lb_rs_total vt = {0};

			if (!vs->used)
				continue;
			snprintf(lbl, sizeof(lbl), "vip=\"%s\",port=\"%u\",proto=\"%s\"",
				 ip_s(vs->vip, a), rte_be_to_cpu_16(vs->port), proto_name(vs->proto));
			for (j = 0; j < vs->n_rs; j++) {
				const struct lb_svc_rs *rs = &vs->rs[j];
				struct lb_rs_total t;
				uint64_t v;

				lb_ctrl_rs_total(ctx, rs->id, &t);
				vt.conns += t.conns;
				vt.pkts += t.pkts;
				vt.bytes += t.bytes;
				if (k < 3)
					continue;
				switch (k) {
				case 3: v = t.conns; break;
				case 4: v = t.pkts; break;
				case 5: v = t.bytes; break;
				case 6: v = t.active; break;
				case 7: v = t.inactive; break;
				case 8: v = rs->weight; break;
				default: v = !rs->disabled; break;
				}
				fprintf(o, "%s{%s,rs=\"%s\",rs_port=\"%u\"} %" PRIu64 "\n", m[k].name,
					lbl, ip_s(rs->ip, r), rte_be_to_cpu_16(rs->port), v);
			}
			if (k < 3)
				fprintf(o, "%s{%s} %" PRIu64 "\n", m[k].name, lbl,
					k == 0 ? vt.conns : k == 1 ? vt.pkts : vt.bytes);
		}
	}
}

static void
prom_vrrp(struct lb_ctl *ctl, FILE *o)
{
	const struct lb_ctx *ctx = ctl->ctx;
	static const char *const states[] = { "MASTER", "BACKUP", "FAULT", "INIT" };
	struct lb_vrrp_view v;
	unsigned int i, s, e;

	help(o, "lbapp_vrrp_state", "gauge", "1 for the instance's current state.");
	for (i = 0; i < ctx->cfg->n_vrrp; i++) {
		if (lb_ctrl_vrrp_view(ctx, i, &v) != 0)
			continue;
		for (s = 0; s < RTE_DIM(states); s++)
			fprintf(o, "lbapp_vrrp_state{instance=\"%s\",vrid=\"%u\",state=\"%s\"} %d\n",
				v.name, v.vrid, states[s], strcmp(v.state, states[s]) == 0);
	}
	help(o, "lbapp_vrrp_priority", "gauge", "Effective priority.");
	for (i = 0; i < ctx->cfg->n_vrrp; i++)
		if (lb_ctrl_vrrp_view(ctx, i, &v) == 0)
			fprintf(o, "lbapp_vrrp_priority{instance=\"%s\"} %u\n", v.name,
				v.effective_priority);
	help(o, "lbapp_vrrp_adverts_received_total", "counter", "Adverts received.");
	for (i = 0; i < ctx->cfg->n_vrrp; i++)
		if (lb_ctrl_vrrp_view(ctx, i, &v) == 0)
			fprintf(o, "lbapp_vrrp_adverts_received_total{instance=\"%s\"} %" PRIu64
				"\n", v.name, v.adverts_in);
	help(o, "lbapp_vrrp_adverts_sent_total", "counter", "Adverts sent.");
	for (i = 0; i < ctx->cfg->n_vrrp; i++)
		if (lb_ctrl_vrrp_view(ctx, i, &v) == 0)
			fprintf(o, "lbapp_vrrp_adverts_sent_total{instance=\"%s\"} %" PRIu64 "\n",
				v.name, v.adverts_out);
	help(o, "lbapp_vrrp_split_brain_total", "counter",
	     "Lower-priority masters heard while master (answered with an advert at once).");
	for (i = 0; i < ctx->cfg->n_vrrp; i++)
		if (lb_ctrl_vrrp_view(ctx, i, &v) == 0)
			fprintf(o, "lbapp_vrrp_split_brain_total{instance=\"%s\"} %" PRIu64 "\n",
				v.name, v.split_brain);
	help(o, "lbapp_vrrp_smtp_alerts_unsent_total", "counter",
	     "State changes of smtp_alert instances not mailed (no SMTP sender yet).");
	for (i = 0; i < ctx->cfg->n_vrrp; i++)
		if (lb_ctrl_vrrp_view(ctx, i, &v) == 0)
			fprintf(o, "lbapp_vrrp_smtp_alerts_unsent_total{instance=\"%s\"} %" PRIu64
				"\n", v.name, v.smtp_alerts_unsent);
	help(o, "lbapp_vrrp_errors_total", "counter", "Adverts refused, by reason.");
	for (i = 0; i < ctx->cfg->n_vrrp; i++)
		if (lb_ctrl_vrrp_view(ctx, i, &v) == 0)
			for (e = 0; e < v.n_errors; e++)
				fprintf(o, "lbapp_vrrp_errors_total{instance=\"%s\",reason=\"%s\"} %"
					PRIu64 "\n", v.name, v.errors[e].reason, v.errors[e].count);
}

static void
prom_ports(struct lb_ctl *ctl, FILE *o)
{
	const struct lb_ctx *ctx = ctl->ctx;
	struct rte_eth_stats st[LB_MAX_PORTS];
	static const char *const names[] = {
		"lbapp_port_rx_packets_total", "lbapp_port_tx_packets_total",
		"lbapp_port_rx_missed_total", "lbapp_port_rx_bytes_total",
		"lbapp_port_tx_bytes_total", "lbapp_port_rx_errors_total",
		"lbapp_port_tx_errors_total",
	};
	unsigned int p, k;

	for (p = 0; p < ctx->n_ports; p++)
		if (rte_eth_stats_get(ctx->ports[p].port_id, &st[p]) != 0)
			memset(&st[p], 0, sizeof(st[p]));
	for (k = 0; k < RTE_DIM(names); k++) {
		help(o, names[k], "counter", "NIC counter (rte_eth_stats).");
		for (p = 0; p < ctx->n_ports; p++) {
			const struct rte_eth_stats *s = &st[p];
			uint64_t v[] = { s->ipackets, s->opackets, s->imissed, s->ibytes, s->obytes,
					 s->ierrors, s->oerrors };

			fprintf(o, "%s{port=\"%s\"} %" PRIu64 "\n", names[k], ctx->ports[p].name,
				v[k]);
		}
	}
}

static void
prom_lcores(struct lb_ctl *ctl, FILE *o)
{
	const struct lb_ctx *ctx = ctl->ctx;
	static const struct {
		const char *name;
		enum lb_fwd_cnt c;
	} m[] = {
		{ "lbapp_lcore_rx_packets_total", LB_CNT_rx },
		{ "lbapp_lcore_tx_packets_total", LB_CNT_tx },
		{ "lbapp_lcore_hits_total", LB_CNT_hits },
		{ "lbapp_lcore_new_flows_total", LB_CNT_new_flows },
		{ "lbapp_lcore_to_control_total", LB_CNT_to_ctl },
	};
	unsigned int i, k, c;

	for (k = 0; k < RTE_DIM(m); k++) {
		help(o, m[k].name, "counter", "Worker datapath counter.");
		for (i = 0; i < ctx->n_workers; i++)
			fprintf(o, "%s{lcore=\"%u\",worker=\"%u\"} %" PRIu64 "\n", m[k].name,
				ctx->workers[i]->lcore_id, i,
				__atomic_load_n(&ctx->workers[i]->cnt[m[k].c], __ATOMIC_RELAXED));
	}
	help(o, "lbapp_lcore_drops_total", "counter", "Packets dropped by a worker, by reason.");
	for (i = 0; i < ctx->n_workers; i++)
		for (c = LB_CNT_DROP_FIRST; c < LB_CNT__MAX; c++)
			fprintf(o, "lbapp_lcore_drops_total{lcore=\"%u\",worker=\"%u\",reason=\"%s\"}"
				" %" PRIu64 "\n", ctx->workers[i]->lcore_id, i, lb_fwd_cnt_name(c),
				__atomic_load_n(&ctx->workers[i]->cnt[c], __ATOMIC_RELAXED));
	help(o, "lbapp_lcore_connections", "gauge", "Tracked connections in the worker's table.");
	for (i = 0; i < ctx->n_workers; i++)
		fprintf(o, "lbapp_lcore_connections{lcore=\"%u\",worker=\"%u\"} %u\n",
			ctx->workers[i]->lcore_id, i, lb_conn_table_count(ctx->workers[i]->conn));
}

static void
prom_render(struct lb_ctl *ctl, FILE *o)
{
	prom_services(ctl, o);
	prom_vrrp(ctl, o);
	prom_ports(ctl, o);
	prom_lcores(ctl, o);
	help(o, "lbapp_reloads_total", "counter", "Configuration reloads applied.");
	fprintf(o, "lbapp_reloads_total %" PRIu64 "\n", ctl->ctx->reloads);
	help(o, "lbapp_reload_errors_total", "counter", "Configuration reloads refused.");
	fprintf(o, "lbapp_reload_errors_total %" PRIu64 "\n", ctl->ctx->reload_errors);
}

/* ---- HTTP ---- */

static void
http_close(struct ctl_metrics *m, int i)
{
	struct http_client *c = &m->cl[i];

	if (c->fd >= 0)
		close(c->fd);
	free(c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

static void
http_answer(struct lb_ctl *ctl, struct http_client *c)
{
	char *body = NULL, *all = NULL;
	size_t blen = 0;
	const char *status = "200 OK", *type = "text/plain; version=0.0.4; charset=utf-8";
	FILE *o = open_memstream(&body, &blen);
	int n;

	if (o == NULL)
		return;
	c->in[c->in_len] = '\0';
	if (strncmp(c->in, "GET /metrics ", 13) == 0 || strncmp(c->in, "GET / ", 6) == 0) {
		prom_render(ctl, o);
	} else if (strncmp(c->in, "GET ", 4) != 0) {
		status = "405 Method Not Allowed";
		type = "text/plain";
		fprintf(o, "only GET\n");
	} else {
		status = "404 Not Found";
		type = "text/plain";
		fprintf(o, "try /metrics\n");
	}
	fclose(o);
	n = asprintf(&all, "HTTP/1.0 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		     "Connection: close\r\n\r\n%s", status, type, blen, body != NULL ? body : "");
	free(body);
	if (n < 0)
		return;
	c->out = all;
	c->out_len = (size_t)n;
	c->out_off = 0;
	c->writing = true;
}

static void
http_poll(struct lb_ctl *ctl, struct ctl_metrics *m)
{
	int fd, i;
	ssize_t n;

	while ((fd = accept4(m->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		for (i = 0; i < HTTP_MAX_CLIENTS && m->cl[i].fd >= 0; i++)
			;
		if (i == HTTP_MAX_CLIENTS) {
			close(fd);
			continue;
		}
		m->cl[i].fd = fd;
	}
	for (i = 0; i < HTTP_MAX_CLIENTS; i++) {
		struct http_client *c = &m->cl[i];

		if (c->fd < 0)
			continue;
		if (!c->writing) {
			n = read(c->fd, c->in + c->in_len, sizeof(c->in) - 1 - c->in_len);
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
				http_close(m, i);
				continue;
			}
			if (n > 0)
				c->in_len += (size_t)n;
			c->in[c->in_len] = '\0';
			if (strstr(c->in, "\r\n\r\n") != NULL || strstr(c->in, "\n\n") != NULL ||
			    c->in_len >= sizeof(c->in) - 1)
				http_answer(ctl, c);
			if (!c->writing)
				continue;
		}
		n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
			 MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			http_close(m, i);
			continue;
		}
		c->out_off += (size_t)n;
		if (c->out_off == c->out_len)
			http_close(m, i);
	}
}

/* ---- rte_telemetry ---- */

static void
tel_services(struct lb_ctl *ctl, struct rte_tel_data *d, bool real_servers)
{
	const struct lb_ctx *ctx = ctl->ctx;
	const struct lb_svc *svc = ctx->sh->svc;
	char a[INET_ADDRSTRLEN], r[INET_ADDRSTRLEN], key[16];
	unsigned int i, j;

	/*
	 * Keyed by id ("vs0", "rs3"): dict keys may only hold [A-Za-z0-9_/], and
	 * an array may not hold dicts; the addresses are fields.
	 */
	rte_tel_data_start_dict(d);
	for (i = 0; i < svc->n_vs; i++) {
		const struct lb_svc_vs *vs = &svc->vs[i];
		struct rte_tel_data *c;
		struct lb_rs_total vt = {0};

		if (!vs->used)
			continue;
		for (j = 0; j < vs->n_rs; j++) {
			const struct lb_svc_rs *rs = &vs->rs[j];
			struct lb_rs_total t;

			lb_ctrl_rs_total(ctx, rs->id, &t);
			vt.conns += t.conns;
			vt.pkts += t.pkts;
			vt.bytes += t.bytes;
			vt.active += t.active;
			vt.inactive += t.inactive;
			if (!real_servers)
				continue;
			c = rte_tel_data_alloc();
			if (c == NULL)
				return;
			rte_tel_data_start_dict(c);
			rte_tel_data_add_dict_u64(c, "id", rs->id);
			rte_tel_data_add_dict_string(c, "virtual_server", ip_s(vs->vip, a));
			rte_tel_data_add_dict_u64(c, "virtual_port", rte_be_to_cpu_16(vs->port));
			rte_tel_data_add_dict_string(c, "address", ip_s(rs->ip, r));
			rte_tel_data_add_dict_u64(c, "port", rte_be_to_cpu_16(rs->port));
			rte_tel_data_add_dict_u64(c, "weight", rs->weight);
			rte_tel_data_add_dict_string(c, "state", lb_ctrl_rs_health(ctx, rs->id));
			rte_tel_data_add_dict_u64(c, "active_conns", t.active);
			rte_tel_data_add_dict_u64(c, "inactive_conns", t.inactive);
			rte_tel_data_add_dict_u64(c, "conns", t.conns);
			rte_tel_data_add_dict_u64(c, "packets", t.pkts);
			rte_tel_data_add_dict_u64(c, "bytes", t.bytes);
			rte_tel_data_add_dict_string(c, "protocol", proto_name(vs->proto));
			snprintf(key, sizeof(key), "rs%u", rs->id);
			rte_tel_data_add_dict_container(d, key, c, 0);
		}
		if (real_servers)
			continue;
		c = rte_tel_data_alloc();
		if (c == NULL)
			return;
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_u64(c, "id", vs->id);
		rte_tel_data_add_dict_string(c, "protocol", proto_name(vs->proto));
		rte_tel_data_add_dict_string(c, "address", ip_s(vs->vip, a));
		rte_tel_data_add_dict_u64(c, "port", rte_be_to_cpu_16(vs->port));
		rte_tel_data_add_dict_string(c, "scheduler",
					     lb_cfg_sched_name(ctx->cfg->vs[vs->cfg_idx].sched));
		rte_tel_data_add_dict_u64(c, "active", vs->active);
		rte_tel_data_add_dict_u64(c, "real_servers", vs->n_rs);
		rte_tel_data_add_dict_u64(c, "active_conns", vt.active);
		rte_tel_data_add_dict_u64(c, "inactive_conns", vt.inactive);
		rte_tel_data_add_dict_u64(c, "conns", vt.conns);
		rte_tel_data_add_dict_u64(c, "packets", vt.pkts);
		rte_tel_data_add_dict_u64(c, "bytes", vt.bytes);
		snprintf(key, sizeof(key), "vs%u", vs->id);
		rte_tel_data_add_dict_container(d, key, c, 0);
	}
}

static void
tel_vrrp(struct lb_ctl *ctl, struct rte_tel_data *d)
{
	const struct lb_ctx *ctx = ctl->ctx;
	struct lb_vrrp_view v;
	char a[INET_ADDRSTRLEN], k[64];
	unsigned int i, e;

	rte_tel_data_start_dict(d);
	for (i = 0; i < ctx->cfg->n_vrrp; i++) {
		struct rte_tel_data *c;

		if (lb_ctrl_vrrp_view(ctx, i, &v) != 0 || (c = rte_tel_data_alloc()) == NULL)
			continue;
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_string(c, "interface", v.interface);
		rte_tel_data_add_dict_u64(c, "vrid", v.vrid);
		rte_tel_data_add_dict_string(c, "state", v.state);
		rte_tel_data_add_dict_u64(c, "priority", v.priority);
		rte_tel_data_add_dict_u64(c, "effective_priority", v.effective_priority);
		rte_tel_data_add_dict_string(c, "master", v.master_ip ? ip_s(v.master_ip, a) : "");
		rte_tel_data_add_dict_u64(c, "adverts_in", v.adverts_in);
		rte_tel_data_add_dict_u64(c, "adverts_out", v.adverts_out);
		rte_tel_data_add_dict_u64(c, "version", v.version);
		rte_tel_data_add_dict_u64(c, "split_brain", v.split_brain);
		rte_tel_data_add_dict_u64(c, "smtp_alerts_unsent", v.smtp_alerts_unsent);
		for (e = 0; e < v.n_errors; e++) {
			snprintf(k, sizeof(k), "errors_%s", v.errors[e].reason);
			rte_tel_data_add_dict_u64(c, k, v.errors[e].count);
		}
		rte_tel_data_add_dict_container(d, v.name, c, 0);
	}
}

static void
tel_lcores(struct lb_ctl *ctl, struct rte_tel_data *d)
{
	const struct lb_ctx *ctx = ctl->ctx;
	char k[32];
	unsigned int i, c;

	rte_tel_data_start_dict(d);
	for (i = 0; i < ctx->n_workers; i++) {
		const struct lb_worker *w = ctx->workers[i];
		struct rte_tel_data *x = rte_tel_data_alloc();

		if (x == NULL)
			return;
		rte_tel_data_start_dict(x);
		rte_tel_data_add_dict_u64(x, "lcore", w->lcore_id);
		for (c = 0; c < LB_CNT__MAX; c++) {
			snprintf(k, sizeof(k), "%s%s", c >= LB_CNT_DROP_FIRST ? "drop_" : "",
				 lb_fwd_cnt_name(c));
			rte_tel_data_add_dict_u64(x, k, __atomic_load_n(&w->cnt[c],
									__ATOMIC_RELAXED));
		}
		rte_tel_data_add_dict_u64(x, "conns", lb_conn_table_count(w->conn));
		snprintf(k, sizeof(k), "worker%u", i);
		rte_tel_data_add_dict_container(d, k, x, 0);
	}
}

/* Control lcore: fill a pending telemetry request. */
static void
tel_serve(struct lb_ctl *ctl, struct ctl_metrics *m)
{
	if (!__atomic_load_n(&m->tel_pending, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&m->lock);
	if (m->tel_cmd != NULL && !m->tel_done) {
		m->tel_ret = 0;
		if (strcmp(m->tel_cmd, "/lb/services") == 0)
			tel_services(ctl, m->tel_d, false);
		else if (strcmp(m->tel_cmd, "/lb/real_servers") == 0)
			tel_services(ctl, m->tel_d, true);
		else if (strcmp(m->tel_cmd, "/lb/vrrp") == 0)
			tel_vrrp(ctl, m->tel_d);
		else if (strcmp(m->tel_cmd, "/lb/lcores") == 0)
			tel_lcores(ctl, m->tel_d);
		else
			m->tel_ret = -EINVAL;
		m->tel_done = true;
		pthread_cond_signal(&m->cond);
	}
	__atomic_store_n(&m->tel_pending, 0, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&m->lock);
}

/* Telemetry thread: hand the request to the control lcore, wait (bounded). */
static int
tel_cb(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct lb_ctl *ctl = __atomic_load_n(&tel_ctl, __ATOMIC_ACQUIRE);
	struct ctl_metrics *m;
	struct timespec ts;
	int ret = -EAGAIN;

	RTE_SET_USED(params);
	if (ctl == NULL || ctl->metrics == NULL)
		return -ENODEV;
	m = ctl->metrics;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += TEL_WAIT_MS / 1000;
	pthread_mutex_lock(&m->lock);
	m->tel_cmd = cmd;
	m->tel_d = d;
	m->tel_done = false;
	__atomic_store_n(&m->tel_pending, 1, __ATOMIC_RELEASE);
	while (!m->tel_done)
		if (pthread_cond_timedwait(&m->cond, &m->lock, &ts) == ETIMEDOUT)
			break;
	if (m->tel_done)
		ret = m->tel_ret;
	m->tel_cmd = NULL;
	m->tel_d = NULL;
	pthread_mutex_unlock(&m->lock);
	return ret;
}

/* ---- life cycle ---- */

int
ctl_metrics_open(struct lb_ctl *ctl)
{
	const struct lb_sysconf *sc = &ctl->ctx->sc;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct ctl_metrics *m;
	char a[INET_ADDRSTRLEN];
	int one = 1, i;

	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return -ENOMEM;
	m->lfd = -1;
	for (i = 0; i < HTTP_MAX_CLIENTS; i++)
		m->cl[i].fd = -1;
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->cond, NULL);
	ctl->metrics = m;
	if (sc->metrics_port != 0) {
		sa.sin_addr.s_addr = sc->metrics_addr;
		sa.sin_port = rte_cpu_to_be_16(sc->metrics_port);
		m->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (m->lfd < 0 ||
		    setsockopt(m->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
		    bind(m->lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
		    listen(m->lfd, HTTP_MAX_CLIENTS) != 0) {
			/* Monitoring must not stop the load balancer: warn, serve the rest. */
			lb_log(ctl->ctx, LB_LOG_WARNING, "metrics_listen %s:%u (%s): %s: "
			       "Prometheus metrics disabled", ip_s(sc->metrics_addr, a),
			       sc->metrics_port, sc->file, strerror(errno));
			if (m->lfd >= 0)
				close(m->lfd);
			m->lfd = -1;
		} else {
			lb_log(ctl->ctx, LB_LOG_INFO, "Prometheus metrics on http://%s:%u/metrics",
		       ip_s(sc->metrics_addr, a), sc->metrics_port);
		}
	}
	__atomic_store_n(&tel_ctl, ctl, __ATOMIC_RELEASE);
	rte_telemetry_register_cmd("/lb/services", tel_cb,
				   "Virtual services with their counters. No parameters");
	rte_telemetry_register_cmd("/lb/real_servers", tel_cb,
				   "Real servers: weight, state, connections, traffic. No parameters");
	rte_telemetry_register_cmd("/lb/vrrp", tel_cb,
				   "VRRP instances: state, priorities, adverts. No parameters");
	rte_telemetry_register_cmd("/lb/lcores", tel_cb,
				   "Per-worker datapath counters and drops. No parameters");
	return 0;
}

void
ctl_metrics_poll(struct lb_ctl *ctl)
{
	struct ctl_metrics *m = ctl->metrics;

	if (m == NULL)
		return;
	tel_serve(ctl, m);
	if (m->lfd >= 0)
		http_poll(ctl, m);
}

void
ctl_metrics_close(struct lb_ctl *ctl)
{
	struct ctl_metrics *m = ctl->metrics;
	int i;

	if (m == NULL)
		return;
	/* Commands stay registered (no unregister in rte_telemetry): they answer -ENODEV. */
	__atomic_store_n(&tel_ctl, NULL, __ATOMIC_RELEASE);
	pthread_mutex_lock(&m->lock);
	pthread_mutex_unlock(&m->lock);
	for (i = 0; i < HTTP_MAX_CLIENTS; i++)
		http_close(m, i);
	if (m->lfd >= 0)
		close(m->lfd);
	pthread_cond_destroy(&m->cond);
	pthread_mutex_destroy(&m->lock);
	free(m);
	ctl->metrics = NULL;
}

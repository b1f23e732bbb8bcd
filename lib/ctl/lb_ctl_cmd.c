/* SPDX-License-Identifier: BSD-3-Clause */
/* lbctl commands: list, vrrp, conn, weight, drain, enable, disable, reload. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include <rte_cycles.h>

#include "lb_ctl_int.h"

#define CONN_DEFAULT_MAX 100
#define CONN_MAX 10000
#define CONN_TIMEOUT_S 3

static const char *
ip_s(uint32_t ip, char *buf)
{
	return inet_ntop(AF_INET, &ip, buf, INET_ADDRSTRLEN);
}

static const char *
proto_s(uint8_t p)
{
	return p == IPPROTO_UDP ? "UDP" : "TCP";
}

int
ctl_parse_u32(const char *s, uint32_t max, uint32_t *v)
{
	char *end;
	unsigned long x;

	if (s == NULL || *s == '\0' || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	x = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || x > max)
		return -EINVAL;
	*v = (uint32_t)x;
	return 0;
}

/* [tcp:|udp:]IP[:PORT]; port 0 and proto 0 when absent. */
int
ctl_parse_ipport(const char *s, uint32_t *ip, uint16_t *port, uint8_t *proto)
{
	char buf[64], *colon;
	uint32_t p = 0;

	*proto = 0;
	if (strncasecmp(s, "tcp:", 4) == 0) {
		*proto = IPPROTO_TCP;
		s += 4;
	} else if (strncasecmp(s, "udp:", 4) == 0) {
		*proto = IPPROTO_UDP;
		s += 4;
	}
	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	colon = strchr(buf, ':');
	if (colon != NULL) {
		*colon = '\0';
		if (ctl_parse_u32(colon + 1, 65535, &p) != 0 || p == 0)
			return -EINVAL;
	}
	if (inet_pton(AF_INET, buf, ip) != 1)
		return -EINVAL;
	*port = (uint16_t)p;
	return 0;
}

/* The config index of the virtual server named by s, or -1 (reported). */
static int
find_vs(struct lb_ctl *ctl, const char *s, FILE *out)
{
	const struct lb_config *cfg = ctl->ctx->cfg;
	uint32_t ip;
	uint16_t port;
	uint8_t proto;
	unsigned int i;
	int found = -1;

	if (ctl_parse_ipport(s, &ip, &port, &proto) != 0) {
		fprintf(out, "bad virtual server '%s' (want [tcp:|udp:]IP:PORT)\n", s);
		return -1;
	}
	for (i = 0; i < cfg->n_vs; i++) {
		const struct lb_cfg_vs *v = &cfg->vs[i];

		if (v->vip != ip || (port != 0 && v->port != port) ||
		    (proto != 0 && v->proto != proto))
			continue;
		if (found >= 0) {
			fprintf(out, "virtual server '%s' is ambiguous (give port and "
				"tcp:/udp:)\n", s);
			return -1;
		}
		found = (int)i;
	}
	if (found < 0)
		fprintf(out, "unknown virtual server '%s'\n", s);
	return found;
}

/* The global (config order) index of a real server of virtual server vsi. */
static int
find_rs(struct lb_ctl *ctl, int vsi, const char *vs_s, const char *s, FILE *out)
{
	const struct lb_config *cfg = ctl->ctx->cfg;
	const struct lb_cfg_vs *v = &cfg->vs[vsi];
	unsigned int i, k = 0;
	uint32_t ip;
	uint16_t port;
	uint8_t proto;
	int found = -1;

	if (ctl_parse_ipport(s, &ip, &port, &proto) != 0 || proto != 0) {
		fprintf(out, "bad real server '%s' (want IP[:PORT])\n", s);
		return -1;
	}
	for (i = 0; i < (unsigned int)vsi; i++)
		k += cfg->vs[i].n_rs;
	for (i = 0; i < v->n_rs; i++) {
		uint16_t rp = v->rs[i].port != 0 ? v->rs[i].port : v->port;

		if (v->rs[i].addr.ip == ip && (port == 0 || port == rp)) {
			found = (int)(k + i);
			break;
		}
	}
	if (found < 0)
		fprintf(out, "unknown real server '%s' in virtual server '%s'\n", s, vs_s);
	return found;
}

static void
json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(out, "\\u%04x", *s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

/* ---- list ---- */

enum list_mode { LIST_PLAIN, LIST_STATS, LIST_RATE };

struct vs_sum {
	struct lb_rs_total t;
	double cps, pps, bps;
};

static void
vs_sum(struct lb_ctl *ctl, const struct lb_svc_vs *vs, struct vs_sum *s)
{
	uint32_t j;

	memset(s, 0, sizeof(*s));
	for (j = 0; j < vs->n_rs; j++) {
		struct lb_rs_total t;
		uint32_t id = vs->rs[j].id;

		lb_ctrl_rs_total(ctl->ctx, id, &t);
		s->t.conns += t.conns;
		s->t.pkts += t.pkts;
		s->t.bytes += t.bytes;
		s->t.active += t.active;
		s->t.inactive += t.inactive;
		s->cps += ctl->rate[id].cps;
		s->pps += ctl->rate[id].pps;
		s->bps += ctl->rate[id].bps;
	}
}

static const char *
fwd_name(enum lb_fwd_kind k)
{
	switch (k) {
	case LB_FWD_DR:
		return "Route";
	case LB_FWD_TUN:
		return "Tunnel";
	default:
		return "Masq";
	}
}

static void
list_text(struct lb_ctl *ctl, enum list_mode mode, FILE *out)
{
	const struct lb_ctx *ctx = ctl->ctx;
	const struct lb_svc *svc = ctx->sh->svc;
	char a[INET_ADDRSTRLEN], ep[32];
	uint32_t i, j;

	fprintf(out, "lbapp %s (connection table size=%u per worker, %u worker%s)\n",
		"0.1.0", ctx->sc.conn_table_size, ctx->n_workers, ctx->n_workers == 1 ? "" : "s");
	switch (mode) {
	case LIST_PLAIN:
		fprintf(out, "Prot LocalAddress:Port Scheduler Flags\n"
			"  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn "
			"State\n");
		break;
	case LIST_STATS:
		fprintf(out, "Prot LocalAddress:Port               Conns   InPkts  OutPkts  "
			"InBytes OutBytes\n  -> RemoteAddress:Port\n");
		break;
	case LIST_RATE:
		fprintf(out, "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    "
			"InBPS   OutBPS\n  -> RemoteAddress:Port\n");
		break;
	}
	for (i = 0; i < ctx->cfg->n_vs; i++) {
		const struct lb_svc_vs *vs = &svc->vs[ctx->ids.vs_id != NULL ?
						      ctx->ids.vs_id[i] : i];
		struct vs_sum s;

		snprintf(ep, sizeof(ep), "%s:%u", ip_s(vs->vip, a), rte_be_to_cpu_16(vs->port));
		vs_sum(ctl, vs, &s);
		if (mode == LIST_PLAIN) {
			fprintf(out, "%s  %s %s", proto_s(vs->proto), ep,
				lb_cfg_sched_name(ctx->cfg->vs[i].sched));
			if (vs->persist_timeout != 0)
				fprintf(out, " persistent %u", vs->persist_timeout);
			fprintf(out, "%s\n", vs->active ? "" : " (backup: VIP not owned)");
		} else if (mode == LIST_STATS) {
			fprintf(out, "%s  %-30s %8" PRIu64 " %8" PRIu64 " %8d %8" PRIu64 " %8d\n",
				proto_s(vs->proto), ep, s.t.conns, s.t.pkts, 0, s.t.bytes, 0);
		} else {
			fprintf(out, "%s  %-30s %8.0f %8.0f %8d %8.0f %8d\n", proto_s(vs->proto),
				ep, s.cps, s.pps, 0, s.bps, 0);
		}
		for (j = 0; j < vs->n_rs; j++) {
			const struct lb_svc_rs *rs = &vs->rs[j];
			struct lb_rs_total t;
			const struct ctl_rate *r = &ctl->rate[rs->id];

			lb_ctrl_rs_total(ctx, rs->id, &t);
			snprintf(ep, sizeof(ep), "%s:%u", ip_s(rs->ip, a),
				 rte_be_to_cpu_16(rs->port));
			if (mode == LIST_PLAIN)
				fprintf(out, "  -> %-28s %-7s %-6u %-10u %-9u %s\n", ep,
					fwd_name(vs->kind), rs->weight, t.active, t.inactive,
					lb_ctrl_rs_health(ctx, rs->id));
			else if (mode == LIST_STATS)
				fprintf(out, "  -> %-28s %8" PRIu64 " %8" PRIu64 " %8d %8" PRIu64
					" %8d\n", ep, t.conns, t.pkts, 0, t.bytes, 0);
			else
				fprintf(out, "  -> %-28s %8.0f %8.0f %8d %8.0f %8d\n", ep, r->cps,
					r->pps, 0, r->bps, 0);
		}
	}
}

static void
list_json(struct lb_ctl *ctl, FILE *out)
{
	const struct lb_ctx *ctx = ctl->ctx;
	const struct lb_svc *svc = ctx->sh->svc;
	char a[INET_ADDRSTRLEN];
	uint32_t i, j;

	fprintf(out, "{\"services\": [");
	for (i = 0; i < ctx->cfg->n_vs; i++) {
		uint32_t vid = ctx->ids.vs_id != NULL ? ctx->ids.vs_id[i] : i;
		const struct lb_svc_vs *vs = &svc->vs[vid];
		struct vs_sum s;

		vs_sum(ctl, vs, &s);
		fprintf(out, "%s\n {\"id\": %u, \"protocol\": \"%s\", \"address\": \"%s\", "
			"\"port\": %u, \"scheduler\": \"%s\", \"forward\": \"%s\", "
			"\"persistence_timeout\": %u, \"active\": %s, \"conns\": %" PRIu64
			", \"inpkts\": %" PRIu64 ", \"inbytes\": %" PRIu64 ", \"cps\": %.1f, "
			"\"inpps\": %.1f, \"inbps\": %.1f, \"real_servers\": [",
			i == 0 ? "" : ",", vid, proto_s(vs->proto), ip_s(vs->vip, a),
			rte_be_to_cpu_16(vs->port), lb_cfg_sched_name(ctx->cfg->vs[i].sched),
			fwd_name(vs->kind), vs->persist_timeout, vs->active ? "true" : "false",
			s.t.conns, s.t.pkts, s.t.bytes, s.cps, s.pps, s.bps);
		for (j = 0; j < vs->n_rs; j++) {
			const struct lb_svc_rs *rs = &vs->rs[j];
			const struct ctl_rate *r = &ctl->rate[rs->id];
			struct lb_rs_total t;

			lb_ctrl_rs_total(ctx, rs->id, &t);
			fprintf(out, "%s\n  {\"id\": %u, \"address\": \"%s\", \"port\": %u, "
				"\"forward\": \"%s\", \"weight\": %u, \"config_weight\": %u, "
				"\"active_conns\": %u, \"inactive_conns\": %u, \"state\": ",
				j == 0 ? "" : ",", rs->id, ip_s(rs->ip, a),
				rte_be_to_cpu_16(rs->port), fwd_name(vs->kind), rs->weight,
				rs->cfg_weight, t.active, t.inactive);
			json_str(out, lb_ctrl_rs_health(ctx, rs->id));
			fprintf(out, ", \"conns\": %" PRIu64 ", \"inpkts\": %" PRIu64
				", \"inbytes\": %" PRIu64 ", \"cps\": %.1f, \"inpps\": %.1f, "
				"\"inbps\": %.1f}", t.conns, t.pkts, t.bytes, r->cps, r->pps, r->bps);
		}
		fprintf(out, "]}");
	}
	fprintf(out, "\n]}\n");
}

static int
cmd_list(struct lb_ctl *ctl, int argc, char **argv, FILE *out)
{
	enum list_mode mode = LIST_PLAIN;
	bool json = false;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--stats") == 0 && mode == LIST_PLAIN)
			mode = LIST_STATS;
		else if (strcmp(argv[i], "--rate") == 0 && mode == LIST_PLAIN)
			mode = LIST_RATE;
		else if (strcmp(argv[i], "--json") == 0)
			json = true;
		else {
			fprintf(out, "list: bad option '%s' (--stats, --rate, --json; "
				"--stats and --rate exclude each other)\n", argv[i]);
			return CTL_ERR;
		}
	}
	if (json)
		list_json(ctl, out);
	else
		list_text(ctl, mode, out);
	return CTL_OK;
}

/* ---- vrrp ---- */

static int
cmd_vrrp(struct lb_ctl *ctl, int argc, char **argv, FILE *out)
{
	const struct lb_ctx *ctx = ctl->ctx;
	struct lb_vrrp_view v;
	char a[INET_ADDRSTRLEN];
	bool json = argc == 2 && strcmp(argv[1], "--json") == 0;
	unsigned int i, e, shown;

	if (argc > 2 || (argc == 2 && !json)) {
		fprintf(out, "vrrp: bad option '%s' (--json)\n", argv[1]);
		return CTL_ERR;
	}
	if (json)
		fprintf(out, "{\"instances\": [");
	else
		fprintf(out, "%-16s %-8s %4s %-8s %8s %9s %-15s %10s %10s %10s %s\n", "Instance",
			"Iface", "VRID", "State", "Priority", "Effective", "Master", "AdvertsIn",
			"AdvertsOut", "SplitBrain", "Errors");
	for (i = 0; i < ctx->cfg->n_vrrp; i++) {
		if (lb_ctrl_vrrp_view(ctx, i, &v) != 0)
			continue;
		if (v.master_ip != 0)
			ip_s(v.master_ip, a);
		else
			strcpy(a, "-");
		if (json) {
			fprintf(out, "%s\n {\"name\": ", i == 0 ? "" : ",");
			json_str(out, v.name);
			fprintf(out, ", \"interface\": ");
			json_str(out, v.interface);
			fprintf(out, ", \"vrid\": %u, \"version\": %u, \"unicast\": %s, "
				"\"state\": \"%s\", \"priority\": %u, "
				"\"effective_priority\": %u, \"track_delta\": %d, "
				"\"track_fault\": %s, \"master\": \"%s\", \"adverts_in\": %"
				PRIu64 ", \"adverts_out\": %" PRIu64 ", \"become_master\": %" PRIu64
				", \"split_brain\": %" PRIu64 ", \"smtp_alerts_unsent\": %" PRIu64
				", \"errors\": {", v.vrid, v.version, v.unicast ? "true" : "false",
				v.state, v.priority, v.effective_priority, v.track_delta,
				v.track_fault ? "true" : "false", a, v.adverts_in, v.adverts_out,
				v.become_master, v.split_brain, v.smtp_alerts_unsent);
			for (e = 0; e < v.n_errors; e++)
				fprintf(out, "%s\"%s\": %" PRIu64, e == 0 ? "" : ", ",
					v.errors[e].reason, v.errors[e].count);
			fprintf(out, "}}");
			continue;
		}
		fprintf(out, "%-16s %-8s %4u %-8s %8u %9u %-15s %10" PRIu64 " %10" PRIu64 " %10"
			PRIu64 " ", v.name, v.interface, v.vrid, v.state, v.priority,
			v.effective_priority, a, v.adverts_in, v.adverts_out, v.split_brain);
		shown = 0;
		for (e = 0; e < v.n_errors; e++)
			if (v.errors[e].count > 0)
				fprintf(out, "%s%s=%" PRIu64, shown++ == 0 ? "" : ",",
					v.errors[e].reason, v.errors[e].count);
		if (shown == 0)
			fprintf(out, "none");
		fputc('\n', out);
	}
	if (json)
		fprintf(out, "\n]}\n");
	return CTL_OK;
}

/* ---- weight, drain, enable, disable ---- */

static int
ovr_alloc(struct lb_ctx *ctx)
{
	uint32_t id;

	if (ctx->ovr != NULL)
		return 0;
	ctx->ovr = calloc(LB_MAX_RS, sizeof(*ctx->ovr));
	if (ctx->ovr == NULL)
		return -ENOMEM;
	for (id = 0; id < LB_MAX_RS; id++)
		ctx->ovr[id].weight = -1;
	return 0;
}

static int
cmd_rs_change(struct lb_ctl *ctl, int argc, char **argv, FILE *out)
{
	struct lb_ctx *ctx = ctl->ctx;
	const char *cmd = argv[0];
	bool is_weight = strcmp(cmd, "weight") == 0;
	const struct lb_svc_rs *rs;
	struct lb_svc_override old;
	char a[INET_ADDRSTRLEN];
	uint32_t w = 0, id;
	int vsi, k, ret;

	if (argc != (is_weight ? 4 : 3)) {
		fprintf(out, "usage: %s VS RS%s\n", cmd, is_weight ? " WEIGHT" : "");
		return CTL_ERR;
	}
	if (is_weight && ctl_parse_u32(argv[3], 65535, &w) != 0) {
		fprintf(out, "weight: bad weight '%s' (0..65535)\n", argv[3]);
		return CTL_ERR;
	}
	vsi = find_vs(ctl, argv[1], out);
	if (vsi < 0)
		return CTL_ERR;
	k = find_rs(ctl, vsi, argv[1], argv[2], out);
	if (k < 0)
		return CTL_ERR;
	if (lb_ctrl_ids_init(ctx) != 0 || ovr_alloc(ctx) != 0) {
		fprintf(out, "out of memory\n");
		return CTL_ERR;
	}
	id = ctx->ids.rs_id[k];
	old = ctx->ovr[id];
	if (is_weight) {
		ctx->ovr[id].weight = w;
	} else if (strcmp(cmd, "drain") == 0) {
		ctx->ovr[id].weight = 0;
	} else if (strcmp(cmd, "enable") == 0) {
		ctx->ovr[id].weight = -1;
		ctx->ovr[id].disabled = false;
	} else {
		ctx->ovr[id].disabled = true;
	}
	ret = lb_ctrl_publish(ctx);
	if (ret != 0) {
		ctx->ovr[id] = old;
		fprintf(out, "%s: cannot publish the change: %s\n", cmd, strerror(-ret));
		return CTL_ERR;
	}
	rs = &ctx->sh->svc->rs_all[k];
	lb_log(ctx, LB_LOG_NOTICE, "lbctl %s: real server %s:%u of %s: weight %u%s%s", cmd,
	       ip_s(rs->ip, a), rte_be_to_cpu_16(rs->port), argv[1], rs->weight,
	       ctx->ovr[id].weight >= 0 ? " (runtime)" : " (config)",
	       rs->disabled ? ", disabled" : "");
	fprintf(out, "%s:%u: weight %u%s\n", a, rte_be_to_cpu_16(rs->port), rs->weight,
		rs->disabled ? ", disabled" : "");
	return CTL_OK;
}

static int
cmd_reload(struct lb_ctl *ctl, int argc, char **argv, FILE *out)
{
	RTE_SET_USED(argv);
	if (argc != 1) {
		fprintf(out, "reload takes no argument\n");
		return CTL_ERR;
	}
	return lb_ctrl_reload(ctl->ctx, out) == 0 ? CTL_OK : CTL_ERR;
}

/* ---- conn ---- */

static int
parse_state(const char *s, uint8_t *st)
{
	unsigned int i;

	for (i = 1; i < LB_CONN__MAX; i++)
		if (strcasecmp(s, lb_conn_state_name(i)) == 0) {
			*st = (uint8_t)i;
			return 0;
		}
	return -EINVAL;
}

static int
cmd_conn(struct lb_ctl *ctl, int client, int argc, char **argv, FILE *out)
{
	struct lb_ctx *ctx = ctl->ctx;
	struct lb_conn_filter f = { .rs_id = UINT32_MAX };
	uint32_t max = CONN_DEFAULT_MAX, rip = 0, ip;
	uint16_t rport = 0, port;
	uint8_t proto;
	bool json = false;
	unsigned int i;
	int a;

	if (client < 0) {
		fprintf(out, "conn needs a client\n");
		return CTL_ERR;
	}
	for (a = 1; a < argc; a++) {
		const char *o = argv[a], *v = a + 1 < argc ? argv[a + 1] : NULL;

		if (strcmp(o, "--json") == 0) {
			json = true;
			continue;
		}
		if (v == NULL) {
			fprintf(out, "conn: bad option '%s' (--client IP[:PORT], "
				"--vip IP[:PORT], --rs IP[:PORT], --proto tcp|udp, --state S, "
				"-n MAX, --json)\n", o);
			return CTL_ERR;
		}
		a++;
		if (strcmp(o, "--client") == 0 &&
		    ctl_parse_ipport(v, &ip, &port, &proto) == 0 && proto == 0) {
			f.saddr = ip;
			f.sport = rte_cpu_to_be_16(port);
		} else if (strcmp(o, "--vip") == 0 &&
			   ctl_parse_ipport(v, &ip, &port, &proto) == 0) {
			f.daddr = ip;
			f.dport = rte_cpu_to_be_16(port);
			if (proto != 0)
				f.proto = proto;
		} else if (strcmp(o, "--rs") == 0 &&
			   ctl_parse_ipport(v, &rip, &rport, &proto) == 0 && proto == 0) {
			continue;
		} else if (strcmp(o, "--proto") == 0 && strcasecmp(v, "tcp") == 0) {
			f.proto = IPPROTO_TCP;
		} else if (strcmp(o, "--proto") == 0 && strcasecmp(v, "udp") == 0) {
			f.proto = IPPROTO_UDP;
		} else if (strcmp(o, "--state") == 0 && parse_state(v, &f.state) == 0) {
			continue;
		} else if (strcmp(o, "-n") == 0 && ctl_parse_u32(v, CONN_MAX, &max) == 0) {
			continue;
		} else {
			fprintf(out, "conn: bad value '%s' for '%s'\n", v, o);
			return CTL_ERR;
		}
	}
	if (rip != 0) {
		/* A real server address names an id; with --vip it is unique. */
		const struct lb_svc *svc = ctx->sh->svc;
		int found = 0;

		for (i = 0; i < svc->n_rs; i++) {
			const struct lb_svc_rs *r = &svc->rs_all[i];
			const struct lb_svc_vs *v = &svc->vs[r->vs_id];

			if (r->ip != rip || (rport != 0 && rte_be_to_cpu_16(r->port) != rport) ||
			    (f.daddr != 0 && v->vip != f.daddr) ||
			    (f.dport != 0 && v->port != f.dport))
				continue;
			f.rs_id = r->id;
			found++;
		}
		if (found != 1) {
			fprintf(out, "conn: real server '%s' %s\n", argv[a - 1],
				found == 0 ? "is unknown" : "is in several services: add --vip");
			return CTL_ERR;
		}
	}
	if (ctl->conn_client >= 0 || ctl->conn_stale) {
		fprintf(out, "conn: another sample is in progress, retry\n");
		return CTL_ERR;
	}
	if (ctl->req == NULL || ctl->req_max < max) {
		free(ctl->req);
		free(ctl->req_out);
		ctl->req = calloc(ctx->n_workers, sizeof(*ctl->req));
		ctl->req_out = calloc((size_t)ctx->n_workers * RTE_MAX(max, 1u),
				      sizeof(*ctl->req_out));
		ctl->req_max = RTE_MAX(max, 1u);
		if (ctl->req == NULL || ctl->req_out == NULL) {
			free(ctl->req);
			free(ctl->req_out);
			ctl->req = NULL;
			ctl->req_out = NULL;
			fprintf(out, "out of memory\n");
			return CTL_ERR;
		}
	}
	for (i = 0; i < ctx->n_workers; i++) {
		struct lb_conn_sample_req *r = &ctl->req[i];

		memset(r, 0, sizeof(*r));
		r->filter = f;
		r->max = max;
		r->out = &ctl->req_out[(size_t)i * ctl->req_max];
		__atomic_store_n(&ctx->workers[i]->req, r, __ATOMIC_RELEASE);
	}
	ctl->conn_client = client;
	ctl->conn_json = json;
	ctl->conn_deadline = rte_rdtsc() + rte_get_tsc_hz() * CONN_TIMEOUT_S;
	return CTL_PENDING;
}

static void
conn_print(struct lb_ctl *ctl, FILE *out)
{
	const struct lb_ctx *ctx = ctl->ctx;
	const struct lb_svc *svc = ctx->sh->svc;
	uint32_t now = lb_ctrl_now(ctx), shown = 0, i, k, want = ctl->req[0].max;
	uint64_t matched = 0;
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN], r[INET_ADDRSTRLEN];

	for (i = 0; i < ctx->n_workers; i++)
		matched += ctl->req[i].matched;
	if (ctl->conn_json)
		fprintf(out, "{\"matched\": %" PRIu64 ", \"connections\": [", matched);
	else
		fprintf(out, "Pro Expire State       Source                Virtual               "
			"Destination           Worker\n");
	for (i = 0; i < ctx->n_workers; i++)
		for (k = 0; k < ctl->req[i].n && shown < want; k++, shown++) {
			const struct lb_conn *c = &ctl->req[i].out[k];
			const struct lb_svc_rs *rs = NULL;
			uint32_t left = c->expire - now, j;
			char se[32], de[32], re[32] = "?";

			for (j = 0; j < svc->n_rs; j++)
				if (svc->rs_all[j].id == c->rs_id)
					rs = &svc->rs_all[j];
			snprintf(se, sizeof(se), "%s:%u", ip_s(c->key.saddr, s),
				 rte_be_to_cpu_16(c->key.sport));
			snprintf(de, sizeof(de), "%s:%u", ip_s(c->key.daddr, d),
				 rte_be_to_cpu_16(c->key.dport));
			if (rs != NULL)
				snprintf(re, sizeof(re), "%s:%u", ip_s(rs->ip, r),
					 rte_be_to_cpu_16(rs->port));
			if ((int32_t)left < 0)
				left = 0;
			if (ctl->conn_json)
				fprintf(out, "%s\n {\"protocol\": \"%s\", \"expire\": %u, "
					"\"state\": \"%s\", \"source\": \"%s\", \"virtual\": \"%s\", "
					"\"destination\": \"%s\", \"worker\": %u}",
					shown == 0 ? "" : ",", proto_s(c->key.proto), left,
					lb_conn_state_name(c->state), se, de, re, i);
			else
				fprintf(out, "%-3s %02u:%02u  %-11s %-21s %-21s %-21s %u\n",
					proto_s(c->key.proto), left / 60, left % 60,
					lb_conn_state_name(c->state), se, de, re, i);
		}
	if (ctl->conn_json)
		fprintf(out, "\n], \"shown\": %u}\n", shown);
	else
		fprintf(out, "%" PRIu64 " connection%s matched, %u shown\n", matched,
			matched == 1 ? "" : "s", shown);
}

void
ctl_conn_poll(struct lb_ctl *ctl)
{
	struct lb_ctx *ctx = ctl->ctx;
	bool done = true, timeout;
	char *text = NULL;
	size_t len = 0;
	unsigned int i;
	FILE *out;

	if (ctl->conn_client < 0 && !ctl->conn_stale)
		return;
	for (i = 0; i < ctx->n_workers; i++)
		if (__atomic_load_n(&ctx->workers[i]->req, __ATOMIC_ACQUIRE) != NULL)
			done = false;
	if (done && ctl->conn_stale) {
		ctl->conn_stale = false;
		return;
	}
	timeout = rte_rdtsc() > ctl->conn_deadline;
	if (!done && !timeout)
		return;
	if (ctl->conn_client < 0)
		return;
	out = open_memstream(&text, &len);
	if (out == NULL)
		return;
	if (done)
		conn_print(ctl, out);
	else
		fprintf(out, "conn: workers did not answer within %d s\n", CONN_TIMEOUT_S);
	fclose(out);
	ctl_finish(ctl, ctl->conn_client, done ? CTL_OK : CTL_ERR, text, len);
	free(text);
	ctl->conn_stale = !done;
	ctl->conn_client = -1;
}

/* ---- rates ---- */

void
ctl_rate_cb(struct rte_timer *t, void *arg)
{
	struct lb_ctl *ctl = arg;
	const struct lb_svc *svc = ctl->ctx->sh->svc;
	const double period = 2.0;
	uint32_t i;

	RTE_SET_USED(t);
	for (i = 0; i < svc->n_rs; i++) {
		uint32_t id = svc->rs_all[i].id;
		struct ctl_rate *r = &ctl->rate[id];
		struct lb_rs_total tot;

		lb_ctrl_rs_total(ctl->ctx, id, &tot);
		r->cps = (double)(tot.conns - r->conns) / period;
		r->pps = (double)(tot.pkts - r->pkts) / period;
		r->bps = (double)(tot.bytes - r->bytes) / period;
		r->conns = tot.conns;
		r->pkts = tot.pkts;
		r->bytes = tot.bytes;
	}
}

/* ---- dispatch ---- */

int
ctl_dispatch(struct lb_ctl *ctl, int client, int argc, char **argv, FILE *out)
{
	const char *c = argv[0];

	lb_log(ctl->ctx, LB_LOG_DEBUG, "lbctl: %s (%d argument%s)", c, argc - 1,
	       argc == 2 ? "" : "s");
	if (strcmp(c, "list") == 0)
		return cmd_list(ctl, argc, argv, out);
	if (strcmp(c, "vrrp") == 0)
		return cmd_vrrp(ctl, argc, argv, out);
	if (strcmp(c, "conn") == 0)
		return cmd_conn(ctl, client, argc, argv, out);
	if (strcmp(c, "weight") == 0 || strcmp(c, "drain") == 0 ||
	    strcmp(c, "enable") == 0 || strcmp(c, "disable") == 0)
		return cmd_rs_change(ctl, argc, argv, out);
	if (strcmp(c, "reload") == 0)
		return cmd_reload(ctl, argc, argv, out);
	if (strcmp(c, "capture") == 0) {
		if (client < 0) {
			fprintf(out, "capture needs a client\n");
			return CTL_ERR;
		}
		return ctl_capture_start(ctl, client, argc, argv, out);
	}
	fprintf(out, "unknown command '%s' (list, vrrp, conn, weight, drain, enable, disable, "
		"reload, capture)\n", c);
	return CTL_ERR;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lb.conf semantic pass for virtual_server, real_server and the checkers,
 * virtual_server_group and local_address_group.
 *
 * Checker timers inherit checker <- real_server <- virtual_server <-
 * keepalived's default for the checker type; they are resolved when the
 * virtual_server block ends, so the order of lines inside it does not matter.
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lb_cfg.h"
#include "lb_cfg_int.h"

#define HOUR_MS (3600u * 1000u)
#define DAY_MS (24u * HOUR_MS)

static const char *const sched_names[LB_SCHED__MAX] = {
	[LB_SCHED_RR] = "rr",
	[LB_SCHED_WRR] = "wrr",
	[LB_SCHED_LC] = "lc",
	[LB_SCHED_WLC] = "wlc",
	[LB_SCHED_SH] = "sh",
	[LB_SCHED_DH] = "dh",
	[LB_SCHED_MH] = "mh",
	[LB_SCHED_SED] = "sed",
	[LB_SCHED_NQ] = "nq",
	[LB_SCHED_LBLC] = "lblc",
	[LB_SCHED_LBLCR] = "lblcr",
	[LB_SCHED_FO] = "fo",
	[LB_SCHED_OVF] = "ovf",
};

static const char *const kind_names[LB_FWD__MAX] = {
	[LB_FWD_DR] = "DR",
	[LB_FWD_NAT] = "NAT",
	[LB_FWD_TUN] = "TUN",
	[LB_FWD_FNAT] = "FNAT",
};

static const char *const chk_names[LB_CHK__MAX] = {
	[LB_CHK_TCP] = "TCP_CHECK",
	[LB_CHK_HTTP] = "HTTP_GET",
	[LB_CHK_SSL] = "SSL_GET",
	[LB_CHK_MISC] = "MISC_CHECK",
	[LB_CHK_SMTP] = "SMTP_CHECK",
	[LB_CHK_DNS] = "DNS_CHECK",
	[LB_CHK_UDP] = "UDP_CHECK",
	[LB_CHK_PING] = "PING_CHECK",
};

/* Inheritable real_server flags it set itself. */
enum {
	RF_INHIBIT = 1u << 0,
	RF_ALPHA = 1u << 1,
	RF_VHOST = 1u << 2,
	RF_SMTP = 1u << 3,
};

/* ---- checkers ---- */

static int
h_chk_port(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	uint16_t *p = (uint16_t *)(void *)((char *)obj + def->off);

	lb_cfg_get_port(s, st, st->vals[0], p);
	return 0;
}

static int
h_status(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_url *u = obj;
	struct lb_cfg_status_range r, *arr;
	unsigned int i;
	uint64_t lo, hi;
	const char *dash;
	char buf[8];

	(void)def;
	for (i = 0; i < st->n_vals; i++) {
		const char *v = st->vals[i];

		dash = strchr(v, '-');
		if (dash != NULL && (size_t)(dash - v) < sizeof(buf)) {
			memcpy(buf, v, dash - v);
			buf[dash - v] = '\0';
		}
		if (dash == NULL ? !lb_cfg_get_uint(s, st, "status_code", v, 100, 599, &lo) :
				((size_t)(dash - v) >= sizeof(buf) ||
				 !lb_cfg_get_uint(s, st, "status_code", buf, 100, 599, &lo) ||
				 !lb_cfg_get_uint(s, st, "status_code", dash + 1, 100, 599, &hi)))
			continue;
		if (dash == NULL)
			hi = lo;
		if (hi < lo) {
			lb_cfg_error(s->d, st->file, st->line,
				"invalid status_code range '%s': %" PRIu64 " is below %" PRIu64,
				v, hi, lo);
			continue;
		}
		r.lo = (uint16_t)lo;
		r.hi = (uint16_t)hi;
		arr = lb_cfg_grow(u->status, u->n_status, sizeof(*arr));
		if (arr == NULL)
			return -ENOMEM;
		u->status = arr;
		arr[u->n_status++] = r;
	}
	return 0;
}

static int
h_digest(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_url *u = obj;
	const char *v = st->vals[0];
	unsigned int i;

	(void)def;
	for (i = 0; v[i] != '\0' && isxdigit((unsigned char)v[i]); i++)
		;
	if (i != 32 || v[i] != '\0') {
		lb_cfg_error(s->d, st->file, st->line,
			"invalid digest '%s': must be 32 hexadecimal digits (an MD5 sum)", v);
		return 0;
	}
	for (i = 0; i < 32; i++)
		u->digest[i] = (char)tolower((unsigned char)v[i]);
	u->digest[32] = '\0';
	return 0;
}

static int
h_path(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_url *u = obj;

	(void)def;
	if (st->vals[0][0] == '\0') {
		lb_cfg_error(s->d, st->file, st->line, "empty path");
		return 0;
	}
	u->path = lb_cfg_strdup(s, st->vals[0], strlen(st->vals[0]));
	return u->path == NULL ? -ENOMEM : 0;
}

#define U struct lb_cfg_url
static const struct kw_def kw_url[] = {
	KW("path", h_path, 1, 1, BLK_NO, KW_ONCE),
	KW("digest", h_digest, 1, 1, BLK_NO, KW_ONCE),
	KW("status_code", h_status, 1, VALS_ANY, BLK_NO, 0),
	KW_STR("virtualhost", U, virtualhost),
	KW_IGN("regex"),
	KW_IGN("regex_no_match"),
	KW_IGN("regex_options"),
	KW_IGN("regex_stack"),
	KW_IGN("regex_min_offset"),
	KW_IGN("regex_max_offset"),
	KW_IGN("regex_use_jit"),
};
#undef U

const struct kw_table lb_cfg_tb_url = TABLE("url", kw_url);

static int
h_url(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	const struct lb_cfg_stmt *seen[LB_CFG_NELEM(kw_url)] = { NULL };
	struct lb_cfg_checker *c = obj;
	struct lb_cfg_url *arr, *u;
	int rc;

	(void)def;
	arr = lb_cfg_grow(c->urls, c->n_urls, sizeof(*arr));
	if (arr == NULL)
		return -ENOMEM;
	c->urls = arr;
	u = &arr[c->n_urls++];
	u->line = st->line;
	rc = lb_cfg_sem_walk(s, &lb_cfg_tb_url, st->child, u, seen);
	if (rc < 0)
		return rc;
	if (u->path == NULL)
		lb_cfg_error(s->d, st->file, st->line, "url without path");
	if (u->n_status == 0) {
		u->status = calloc(1, sizeof(*u->status));
		if (u->status == NULL)
			return -ENOMEM;
		u->status[0].lo = 200;
		u->status[0].hi = 299;
		u->n_status = 1;
	}
	return 0;
}

static int
h_http_protocol(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_checker *c = obj;
	const char *v = st->vals[0];

	(void)def;
	if (strcmp(v, "1.0") == 0 || strcmp(v, "1.0C") == 0 || strcmp(v, "1.0c") == 0)
		c->http_protocol = 10;
	else if (strcmp(v, "1.1") == 0)
		c->http_protocol = 11;
	else if (strcmp(v, "0.9") == 0)
		c->http_protocol = 9;
	else
		lb_cfg_error(s->d, st->file, st->line,
			"invalid http_protocol '%s': must be 0.9, 1.0, 1.0C or 1.1", v);
	return 0;
}

static int
h_misc_path(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_checker *c = obj;
	size_t len = 0;
	unsigned int i;
	char *p;

	(void)def;
	for (i = 0; i < st->n_vals; i++)
		len += strlen(st->vals[i]) + 1;
	if (len <= 1) {
		lb_cfg_error(s->d, st->file, st->line, "empty command for '%s'", st->kw);
		return 0;
	}
	p = lb_cfg_strdup(s, NULL, len);
	if (p == NULL)
		return -ENOMEM;
	for (i = 0; i < st->n_vals; i++) {
		if (i > 0)
			strcat(p, " ");
		strcat(p, st->vals[i]);
	}
	c->misc_path.cmd = p;
	return 0;
}

static int
h_misc_user(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_checker *c = obj;

	(void)def;
	if (!lb_cfg_get_str(s, st, "user", st->vals[0], c->misc_path.user,
			sizeof(c->misc_path.user)))
		return 0;
	if (st->n_vals > 1)
		lb_cfg_get_str(s, st, "group", st->vals[1], c->misc_path.group,
			sizeof(c->misc_path.group));
	return 0;
}

static int
h_dns_type(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	static const char *const types[] = { "A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA" };
	struct lb_cfg_checker *c = obj;
	const char *sg;
	unsigned int i;

	(void)def;
	for (i = 0; i < LB_CFG_NELEM(types); i++)
		if (strcasecmp(st->vals[0], types[i]) == 0) {
			strcpy(c->dns_type, types[i]);
			return 0;
		}
	sg = lb_cfg_suggest(st->vals[0], types, LB_CFG_NELEM(types));
	lb_cfg_error(s->d, st->file, st->line,
		"invalid DNS type '%s': must be A, NS, CNAME, SOA, MX, TXT or AAAA%s%s%s",
		st->vals[0], sg != NULL ? "; did you mean '" : "", sg != NULL ? sg : "",
		sg != NULL ? "'?" : "");
	return 0;
}

/* Hex bytes ("0a0b", spaces not allowed) into a config-owned buffer. */
static bool
get_hex(struct sem *s, const struct lb_cfg_stmt *st, const char *v, uint8_t **out,
		unsigned int *len)
{
	size_t n = strlen(v), i;
	char *buf;

	if (n >= 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
		v += 2;
		n -= 2;
	}
	if (n == 0 || n % 2 != 0 || strspn(v, "0123456789abcdefABCDEF") != n) {
		lb_cfg_error(s->d, st->file, st->line,
			"invalid %s '%s': must be an even number of hexadecimal digits",
			st->kw, v);
		return false;
	}
	buf = lb_cfg_strdup(s, NULL, n / 2);
	if (buf == NULL)
		return false;
	for (i = 0; i < n / 2; i++) {
		char b[3] = { v[2 * i], v[2 * i + 1], '\0' };

		buf[i] = (char)strtoul(b, NULL, 16);
	}
	*out = (uint8_t *)buf;
	*len = (unsigned int)(n / 2);
	return true;
}

static int
h_payload(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_checker *c = obj;

	(void)def;
	get_hex(s, st, st->vals[0], &c->payload, &c->payload_len);
	return 0;
}

static int
h_require_reply(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_checker *c = obj;

	(void)def;
	c->require_reply = true;
	if (st->n_vals > 0)
		get_hex(s, st, st->vals[0], &c->reply, &c->reply_len);
	return 0;
}

static int
h_smtp_host(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	(void)obj;
	(void)def;
	lb_cfg_warn(s->d, st->file, st->line,
		"'host' blocks in SMTP_CHECK are deprecated by keepalived and not implemented "
		"by lbapp; ignored (use one SMTP_CHECK per host with connect_ip)");
	return 0;
}

#define C struct lb_cfg_checker
#define CHK_COMMON \
	KW_ADDR("connect_ip", C, connect_ip), \
	KWX("connect_port", h_chk_port, 1, 1, BLK_NO, KW_ONCE, offsetof(C, connect_port), 0, 0), \
	KW_ADDR("bindto", C, bindto), \
	KWX("bind_port", h_chk_port, 1, 1, BLK_NO, KW_ONCE, offsetof(C, bind_port), 0, 0), \
	KW_NAME("bind_if", C, bind_if), \
	KW_U32("fwmark", C, fwmark, 1, UINT32_MAX), \
	KW_MS("connect_timeout", C, connect_timeout_ms, 1, HOUR_MS), \
	KW_U32("retry", C, retry, 0, 1000000), \
	KW_ALIAS("nb_get_retry", "retry", lb_cfg_h_u32, 1, 1, BLK_NO, KW_ONCE, \
		offsetof(C, retry), 0, 1000000), \
	KW_MS("delay_before_retry", C, delay_before_retry_ms, 0, DAY_MS), \
	KW_MS("delay_loop", C, delay_loop_ms, 1, DAY_MS), \
	KW_MS("warmup", C, warmup_ms, 0, DAY_MS), \
	KW_FLAG("alpha", C, alpha), \
	KW_IGN("log_all_failures"), \
	KW_IGN("dynamic")

static const struct kw_def kw_chk_tcp[] = { CHK_COMMON };
static const struct kw_def kw_chk_ping[] = { CHK_COMMON };
static const struct kw_def kw_chk_http[] = {
	CHK_COMMON,
	KW("url", h_url, 0, 0, BLK_YES, 0),
	KW_STR("virtualhost", C, virtualhost),
	KW("http_protocol", h_http_protocol, 1, 1, BLK_NO, KW_ONCE),
	KW_FLAG("enable_sni", C, enable_sni),
	KW_IGN("fast_recovery"),
	KW_IGN("tls_compliant"),
};
static const struct kw_def kw_chk_misc[] = {
	CHK_COMMON,
	KW("misc_path", h_misc_path, 1, VALS_ANY, BLK_NO, KW_ONCE),
	KW_MS("misc_timeout", C, misc_timeout_ms, 1, DAY_MS),
	KW_FLAG("misc_dynamic", C, misc_dynamic),
	KW("user", h_misc_user, 1, 2, BLK_NO, KW_ONCE),
};
static const struct kw_def kw_chk_smtp[] = {
	CHK_COMMON,
	KW_STR("helo_name", C, helo_name),
	KW("host", h_smtp_host, 0, 0, BLK_YES, 0),
};
static const struct kw_def kw_chk_dns[] = {
	CHK_COMMON,
	KW("type", h_dns_type, 1, 1, BLK_NO, KW_ONCE),
	KW_STR("name", C, dns_name),
};
static const struct kw_def kw_chk_udp[] = {
	CHK_COMMON,
	KW("payload", h_payload, 1, 1, BLK_NO, KW_ONCE),
	KW("require_reply", h_require_reply, 0, 1, BLK_NO, KW_ONCE),
	KW_U32("min_reply_length", C, min_reply_len, 0, 65535),
	KW_U32("max_reply_length", C, max_reply_len, 0, 65535),
};
#undef C

const struct kw_table lb_cfg_tb_checkers[LB_CHK__MAX] = {
	[LB_CHK_TCP] = TABLE("TCP_CHECK", kw_chk_tcp),
	[LB_CHK_HTTP] = TABLE("HTTP_GET", kw_chk_http),
	[LB_CHK_SSL] = TABLE("SSL_GET", kw_chk_http),
	[LB_CHK_MISC] = TABLE("MISC_CHECK", kw_chk_misc),
	[LB_CHK_SMTP] = TABLE("SMTP_CHECK", kw_chk_smtp),
	[LB_CHK_DNS] = TABLE("DNS_CHECK", kw_chk_dns),
	[LB_CHK_UDP] = TABLE("UDP_CHECK", kw_chk_udp),
	[LB_CHK_PING] = TABLE("PING_CHECK", kw_chk_ping),
};

static int
h_checker(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_rs *rs = obj;
	struct lb_cfg_checker *arr, *c;
	enum lb_chk_type t = (enum lb_chk_type)def->lo;
	int rc;

	arr = lb_cfg_grow(rs->checkers, rs->n_checkers, sizeof(*arr));
	if (arr == NULL)
		return -ENOMEM;
	rs->checkers = arr;
	c = &arr[rs->n_checkers++];
	c->type = t;
	c->connect_timeout_ms = UNSET_U32;
	c->retry = UNSET_U32;
	c->delay_before_retry_ms = UNSET_U32;
	c->delay_loop_ms = UNSET_U32;
	c->warmup_ms = UNSET_U32;
	c->misc_timeout_ms = UNSET_U32;
	c->http_protocol = 10;
	strcpy(c->helo_name, "smtpchecker.keepalived.org");
	strcpy(c->dns_type, "SOA");
	strcpy(c->dns_name, ".");
	c->line = st->line;
	c->file = st->file;
	rc = lb_cfg_sem_block(s, &lb_cfg_tb_checkers[t], st->child, c);
	if (rc < 0)
		return rc;
	if ((t == LB_CHK_HTTP || t == LB_CHK_SSL) && c->n_urls == 0)
		lb_cfg_error(s->d, st->file, st->line, "%s without url { }", st->kw);
	if (t == LB_CHK_MISC && c->misc_path.cmd == NULL)
		lb_cfg_error(s->d, st->file, st->line, "MISC_CHECK without misc_path");
	if (c->max_reply_len != 0 && c->max_reply_len < c->min_reply_len)
		lb_cfg_error(s->d, st->file, st->line,
			"max_reply_length %u is below min_reply_length %u", c->max_reply_len,
			c->min_reply_len);
	return 0;
}

/* ---- real_server ---- */

#define R struct lb_cfg_rs
static const struct kw_def kw_rs[] = {
	KW_U32("weight", R, weight, 0, 65535),
	KWX("TCP_CHECK", h_checker, 0, 0, BLK_YES, 0, 0, LB_CHK_TCP, 0),
	KWX("HTTP_GET", h_checker, 0, 0, BLK_YES, 0, 0, LB_CHK_HTTP, 0),
	KWX("SSL_GET", h_checker, 0, 0, BLK_YES, 0, 0, LB_CHK_SSL, 0),
	KWX("MISC_CHECK", h_checker, 0, 0, BLK_YES, 0, 0, LB_CHK_MISC, 0),
	KWX("SMTP_CHECK", h_checker, 0, 0, BLK_YES, 0, 0, LB_CHK_SMTP, 0),
	KWX("DNS_CHECK", h_checker, 0, 0, BLK_YES, 0, 0, LB_CHK_DNS, 0),
	KWX("UDP_CHECK", h_checker, 0, 0, BLK_YES, 0, 0, LB_CHK_UDP, 0),
	KWX("PING_CHECK", h_checker, 0, 0, BLK_YES, 0, 0, LB_CHK_PING, 0),
	KWX("inhibit_on_failure", lb_cfg_h_flag, 0, 1, BLK_NO, KW_ONCE,
		offsetof(R, inhibit_on_failure), RF_INHIBIT, 1),
	KW_CMD("notify_up", R, notify_up),
	KW_CMD("notify_down", R, notify_down),
	KW_U32("uthreshold", R, uthreshold, 0, UINT32_MAX),
	KW_U32("lthreshold", R, lthreshold, 0, UINT32_MAX),
	KWX("alpha", lb_cfg_h_flag, 0, 1, BLK_NO, KW_ONCE, offsetof(R, alpha), RF_ALPHA, 1),
	KWX("smtp_alert", lb_cfg_h_tri, 0, 1, BLK_NO, KW_ONCE, offsetof(R, smtp_alert),
		RF_SMTP, 1),
	KWX("virtualhost", lb_cfg_h_str, 1, 1, BLK_NO, KW_ONCE, offsetof(R, virtualhost),
		RF_VHOST, LB_CFG_STR_MAX),
	KW_MS("delay_loop", R, delay_loop_ms, 1, DAY_MS),
	KW_MS("connect_timeout", R, connect_timeout_ms, 1, HOUR_MS),
	KW_U32("retry", R, retry, 0, 1000000),
	KW_ALIAS("nb_get_retry", "retry", lb_cfg_h_u32, 1, 1, BLK_NO, KW_ONCE,
		offsetof(R, retry), 0, 1000000),
	KW_MS("delay_before_retry", R, delay_before_retry_ms, 0, DAY_MS),
	KW_MS("warmup", R, warmup_ms, 0, DAY_MS),
	KW_IGN("BFD_CHECK"),
	KW_IGN("FILE_CHECK"),
	KW_IGN("weight_reverse"),
};
#undef R

const struct kw_table lb_cfg_tb_rs = TABLE("real_server", kw_rs);

static int
h_rs(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	const struct lb_cfg_stmt *seen[LB_CFG_NELEM(kw_rs)] = { NULL };
	struct lb_cfg_vs *vs = obj;
	struct lb_cfg_rs *arr, *rs;
	struct lb_cfg_addr a;
	uint16_t port = 0, p1, p2;
	uint32_t *fl, f = 0;
	bool ok;
	unsigned int i;
	int rc;

	(void)def;
	memset(&a, 0, sizeof(a));
	ok = lb_cfg_get_addr(s, st, st->vals[0], false, &a);
	if (st->n_vals > 1 && !lb_cfg_get_port(s, st, st->vals[1], &port))
		ok = false;
	if (ok && a.family == AF_INET6 && !lb_cfg_caps_ipv6()) {
		lb_cfg_error(s->d, st->file, st->line,
			"IPv6 real_server %s is not supported by lbapp yet", st->vals[0]);
		ok = false;
	}
	for (i = 0; ok && i < vs->n_rs; i++) {
		const struct lb_cfg_rs *o = &vs->rs[i];

		p1 = o->port != 0 ? o->port : vs->port;
		p2 = port != 0 ? port : vs->port;
		if (lb_cfg_addr_eq(&o->addr, &a) && p1 == p2) {
			lb_cfg_error(s->d, st->file, st->line,
				"duplicate real_server %s %u (first defined at %s:%u)",
				st->vals[0], p2, o->file, o->line);
			break;
		}
	}
	arr = lb_cfg_grow(vs->rs, vs->n_rs, sizeof(*arr));
	if (arr == NULL)
		return -ENOMEM;
	vs->rs = arr;
	fl = realloc(s->rs_flags, (vs->n_rs + 1) * sizeof(*fl));
	if (fl == NULL)
		return -ENOMEM;
	s->rs_flags = fl;
	rs = &arr[vs->n_rs++];
	rs->addr = a;
	rs->port = port;
	rs->weight = 1;
	rs->smtp_alert = -1;
	rs->delay_loop_ms = UNSET_U32;
	rs->connect_timeout_ms = UNSET_U32;
	rs->retry = UNSET_U32;
	rs->delay_before_retry_ms = UNSET_U32;
	rs->warmup_ms = UNSET_U32;
	rs->line = st->line;
	rs->file = st->file;
	rc = lb_cfg_sem_walk(s, &lb_cfg_tb_rs, st->child, rs, seen);
	for (i = 0; i < lb_cfg_tb_rs.n; i++)
		if (seen[i] != NULL && (kw_rs[i].fn == lb_cfg_h_flag ||
				kw_rs[i].fn == lb_cfg_h_tri || kw_rs[i].fn == lb_cfg_h_str))
			f |= (uint32_t)kw_rs[i].lo;
	fl[vs->n_rs - 1] = f;
	if (rs->lthreshold != 0 && rs->uthreshold != 0 && rs->lthreshold > rs->uthreshold)
		lb_cfg_error(s->d, st->file, st->line,
			"lthreshold %u is above uthreshold %u", rs->lthreshold, rs->uthreshold);
	return rc;
}

/* ---- virtual_server ---- */

static int
h_lb_algo(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_vs *vs = obj;
	const char *v = st->vals[0], *sg;
	unsigned int i;

	(void)def;
	for (i = 0; i < LB_SCHED__MAX; i++) {
		if (strcmp(v, sched_names[i]) != 0)
			continue;
		vs->sched = (enum lb_sched_algo)i;
		if (!lb_cfg_sched_supported(vs->sched))
			lb_cfg_error(s->d, st->file, st->line,
				"scheduler '%s' is not supported by lbapp yet", v);
		return 0;
	}
	sg = lb_cfg_suggest(v, sched_names, LB_SCHED__MAX);
	if (sg != NULL)
		lb_cfg_error(s->d, st->file, st->line,
			"unknown scheduler '%s'; did you mean '%s'?", v, sg);
	else
		lb_cfg_error(s->d, st->file, st->line, "unknown scheduler '%s'", v);
	return 0;
}

/* Supported kinds as "DR" / "DR and NAT" / "DR, NAT and TUN". */
static void
kinds_supported(char *buf, size_t len)
{
	unsigned int i, n = 0, k = 0;

	for (i = 0; i < LB_FWD__MAX; i++)
		n += lb_cfg_kind_supported((enum lb_fwd_kind)i);
	buf[0] = '\0';
	for (i = 0; i < LB_FWD__MAX; i++) {
		if (!lb_cfg_kind_supported((enum lb_fwd_kind)i))
			continue;
		k++;
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
			k == 1 ? "" : k == n ? " and " : ", ", kind_names[i]);
	}
}

static bool
parse_kind(const char *v, enum lb_fwd_kind *kind)
{
	unsigned int i;

	if (strcmp(v, "FULLNAT") == 0) {
		*kind = LB_FWD_FNAT;
		return true;
	}
	for (i = 0; i < LB_FWD__MAX; i++)
		if (strcmp(v, kind_names[i]) == 0) {
			*kind = (enum lb_fwd_kind)i;
			return true;
		}
	return false;
}

static void
bad_kind(struct sem *s, const struct lb_cfg_stmt *st, const char *v)
{
	const char *sg = lb_cfg_suggest(v, kind_names, LB_FWD__MAX);

	if (sg != NULL)
		lb_cfg_error(s->d, st->file, st->line,
			"invalid %s '%s'; did you mean '%s'?", st->kw, v, sg);
	else
		lb_cfg_error(s->d, st->file, st->line,
			"invalid %s '%s': must be DR, NAT, TUN or FNAT", st->kw, v);
}

static int
h_lb_kind(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_vs *vs = obj;
	const char *v = st->vals[0];
	char ok[64];

	(void)def;
	if (!parse_kind(v, &vs->kind)) {
		bad_kind(s, st, v);
		return 0;
	}
	if (!lb_cfg_kind_supported(vs->kind)) {
		kinds_supported(ok, sizeof(ok));
		lb_cfg_error(s->d, st->file, st->line,
			"%s %s is not supported by lbapp yet (only %s %s)", st->kw, v, ok,
			strchr(ok, ' ') != NULL ? "are" : "is");
	}
	return 0;
}

static int
h_sorry_kind(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_vs *vs = obj;

	(void)def;
	if (!parse_kind(st->vals[0], &vs->sorry_kind))
		bad_kind(s, st, st->vals[0]);
	return 0;
}

static int
h_protocol(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_vs *vs = obj;
	const char *v = st->vals[0];

	(void)def;
	if (strcasecmp(v, "TCP") == 0)
		vs->proto = IPPROTO_TCP;
	else if (strcasecmp(v, "UDP") == 0)
		vs->proto = IPPROTO_UDP;
	else if (strcasecmp(v, "SCTP") == 0)
		vs->proto = IPPROTO_SCTP;
	else
		lb_cfg_error(s->d, st->file, st->line,
			"invalid protocol '%s': must be TCP, UDP or SCTP", v);
	return 0;
}

static int
h_persistence(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_vs *vs = obj;
	uint64_t v;

	(void)def;
	if (st->n_vals == 0) {
		vs->persistence_timeout = 360;	/* keepalived's default */
		return 0;
	}
	if (lb_cfg_get_uint(s, st, st->kw, st->vals[0], 0, UINT32_MAX / 1000, &v))
		vs->persistence_timeout = (uint32_t)v;
	return 0;
}

/* A netmask (255.255.255.0) or a prefix length. */
static int
h_granularity(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_vs *vs = obj;
	struct lb_cfg_addr a;
	uint64_t plen;
	uint32_t m;

	(void)def;
	if (strchr(st->vals[0], '.') == NULL) {
		if (lb_cfg_get_uint(s, st, st->kw, st->vals[0], 1, 128, &plen))
			vs->persistence_granularity = (uint8_t)plen;
		return 0;
	}
	if (!lb_cfg_parse_addr(st->vals[0], &a) || a.family != AF_INET) {
		lb_cfg_error(s->d, st->file, st->line,
			"invalid persistence_granularity '%s': not a netmask", st->vals[0]);
		return 0;
	}
	m = ntohl(a.ip);
	if (m == 0 || (~m & (~m + 1)) != 0) {
		lb_cfg_error(s->d, st->file, st->line,
			"invalid persistence_granularity '%s': not a contiguous netmask",
			st->vals[0]);
		return 0;
	}
	vs->persistence_granularity = (uint8_t)(32 - __builtin_ctz(m));
	return 0;
}

static int
h_sorry(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_vs *vs = obj;
	struct lb_cfg_addr a;
	uint16_t port = 0;

	(void)def;
	if (!lb_cfg_get_addr(s, st, st->vals[0], false, &a))
		return 0;
	if (st->n_vals > 1 && !lb_cfg_get_port(s, st, st->vals[1], &port))
		return 0;
	vs->has_sorry_server = true;
	vs->sorry_server = a;
	vs->sorry_port = port;
	return 0;
}

static int
h_sched_flag(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_vs *vs = obj;

	(void)s;
	(void)st;
	if (def->lo == 0)
		vs->sched_flag_port = true;
	else
		vs->sched_flag_fallback = true;
	return 0;
}

#define VS struct lb_cfg_vs
static const struct kw_def kw_vs[] = {
	KW_MS("delay_loop", VS, delay_loop_ms, 1, DAY_MS),
	KW("lb_algo", h_lb_algo, 1, 1, BLK_NO, KW_ONCE),
	KW_ALIAS("lvs_sched", "lb_algo", h_lb_algo, 1, 1, BLK_NO, KW_ONCE, 0, 0, 0),
	KW("lb_kind", h_lb_kind, 1, 1, BLK_NO, KW_ONCE),
	KW_ALIAS("lvs_method", "lb_kind", h_lb_kind, 1, 1, BLK_NO, KW_ONCE, 0, 0, 0),
	KW("protocol", h_protocol, 1, 1, BLK_NO, KW_ONCE),
	KW("persistence_timeout", h_persistence, 0, 1, BLK_NO, KW_ONCE),
	KW("persistence_granularity", h_granularity, 1, 1, BLK_NO, KW_ONCE),
	KW("real_server", h_rs, 1, 2, BLK_ANY, 0),
	KW_FLAG("ha_suspend", VS, ha_suspend),
	KW_FLAG("ops", VS, ops),
	KW_STR("virtualhost", VS, virtualhost),
	KW_FLAG("alpha", VS, alpha),
	KW_FLAG("omega", VS, omega),
	KW_U32("quorum", VS, quorum, 1, UINT32_MAX),
	KW_U32("hysteresis", VS, hysteresis, 0, UINT32_MAX),
	KW_CMD("quorum_up", VS, quorum_up),
	KW_CMD("quorum_down", VS, quorum_down),
	KW("sorry_server", h_sorry, 1, 2, BLK_NO, KW_ONCE),
	KW_FLAG("sorry_server_inhibit", VS, sorry_server_inhibit),
	KW("sorry_server_lvs_method", h_sorry_kind, 1, 1, BLK_NO, KW_ONCE),
	KW_FLAG("inhibit_on_failure", VS, inhibit_on_failure),
	KW_TRI("smtp_alert", VS, smtp_alert),
	KW_NAME("laddr_group_name", VS, laddr_group),
	KW_MS("connect_timeout", VS, connect_timeout_ms, 1, HOUR_MS),
	KW_U32("retry", VS, retry, 0, 1000000),
	KW_ALIAS("nb_get_retry", "retry", lb_cfg_h_u32, 1, 1, BLK_NO, KW_ONCE,
		offsetof(VS, retry), 0, 1000000),
	KW_MS("delay_before_retry", VS, delay_before_retry_ms, 0, DAY_MS),
	KW_MS("warmup", VS, warmup_ms, 0, DAY_MS),
	KWX("mh-port", h_sched_flag, 0, 0, BLK_NO, KW_ONCE, 0, 0, 0),
	KWX("sh-port", h_sched_flag, 0, 0, BLK_NO, KW_ONCE, 0, 0, 0),
	KWX("mh-fallback", h_sched_flag, 0, 0, BLK_NO, KW_ONCE, 0, 1, 0),
	KWX("sh-fallback", h_sched_flag, 0, 0, BLK_NO, KW_ONCE, 0, 1, 0),
	KW_IGN("persistence_engine"),
	KW_IGN("ip_family"),
	KW_IGN("flag-1"),
	KW_IGN("flag-2"),
	KW_IGN("flag-3"),
	KW_IGN("syn_proxy"),
	KW_IGN("expire_quiescent_conn"),
	KW_IGN("retry_real_server_on_failure"),
	KW_IGN("establish_timeout"),
};
#undef VS

const struct kw_table lb_cfg_tb_vs = TABLE("virtual_server", kw_vs);

#define INHERIT(f, from) do { if ((f) == UNSET_U32) (f) = (from); } while (0)

/* Fill the checker timers and the real servers' inherited values. */
static void
vs_inherit(struct sem *s, struct lb_cfg_vs *vs)
{
	unsigned int i, j;

	for (i = 0; i < vs->n_rs; i++) {
		struct lb_cfg_rs *rs = &vs->rs[i];
		uint32_t f = s->rs_flags != NULL ? s->rs_flags[i] : 0;

		if (!(f & RF_INHIBIT))
			rs->inhibit_on_failure = vs->inhibit_on_failure;
		if (!(f & RF_ALPHA))
			rs->alpha = vs->alpha;
		if (!(f & RF_VHOST))
			memcpy(rs->virtualhost, vs->virtualhost, sizeof(rs->virtualhost));
		if (!(f & RF_SMTP))
			rs->smtp_alert = vs->smtp_alert;
		INHERIT(rs->delay_loop_ms, vs->delay_loop_ms);
		INHERIT(rs->connect_timeout_ms, vs->connect_timeout_ms);
		INHERIT(rs->retry, vs->retry);
		INHERIT(rs->delay_before_retry_ms, vs->delay_before_retry_ms);
		INHERIT(rs->warmup_ms, vs->warmup_ms);
		for (j = 0; j < rs->n_checkers; j++) {
			struct lb_cfg_checker *c = &rs->checkers[j];

			INHERIT(c->delay_loop_ms, rs->delay_loop_ms);
			INHERIT(c->connect_timeout_ms, rs->connect_timeout_ms);
			INHERIT(c->retry, rs->retry);
			INHERIT(c->delay_before_retry_ms, rs->delay_before_retry_ms);
			INHERIT(c->warmup_ms, rs->warmup_ms);
			/* keepalived's per-type defaults */
			INHERIT(c->connect_timeout_ms, 5 * 1000);
			INHERIT(c->retry, c->type == LB_CHK_DNS ? 3 : 1);
			INHERIT(c->delay_before_retry_ms,
				c->type == LB_CHK_HTTP || c->type == LB_CHK_SSL ? 3 * 1000 :
				c->type == LB_CHK_DNS ? c->delay_loop_ms : 1000);
			INHERIT(c->warmup_ms, 0);
			INHERIT(c->misc_timeout_ms, c->delay_loop_ms);
			if (!c->alpha)
				c->alpha = rs->alpha;
			if (c->virtualhost[0] == '\0')
				memcpy(c->virtualhost, rs->virtualhost, sizeof(c->virtualhost));
		}
	}
}

/* Is a vs (address form) the same service as one defined earlier? */
static void
check_vs_dup(struct sem *s, const struct lb_cfg_stmt *st, const struct lb_cfg_vs *vs)
{
	const struct lb_config *cfg = s->cfg;
	char ipb[INET6_ADDRSTRLEN];
	unsigned int i;

	for (i = 0; i + 1 < cfg->n_vs; i++) {
		const struct lb_cfg_vs *o = &cfg->vs[i];
		bool same;

		if (o->form != vs->form || o->proto != vs->proto)
			continue;
		switch (vs->form) {
		case LB_VS_ADDR:
			same = o->port == vs->port && lb_cfg_addr_eq(&o->addr, &vs->addr);
			break;
		case LB_VS_FWMARK:
			same = o->fwmark == vs->fwmark;
			break;
		default:
			same = strcmp(o->group, vs->group) == 0;
			break;
		}
		if (!same)
			continue;
		if (vs->form == LB_VS_ADDR)
			lb_cfg_error(s->d, st->file, st->line,
				"duplicate virtual_server %s %u %s (first defined at %s:%u)",
				lb_cfg_addr_str(&vs->addr, ipb, sizeof(ipb)), vs->port,
				vs->proto == IPPROTO_UDP ? "UDP" :
				vs->proto == IPPROTO_SCTP ? "SCTP" : "TCP", o->file, o->line);
		else
			lb_cfg_error(s->d, st->file, st->line,
				"duplicate virtual_server %s %s (first defined at %s:%u)",
				st->vals[0], st->vals[1], o->file, o->line);
		return;
	}
}

int
lb_cfg_h_vs(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	const struct lb_cfg_stmt *seen[LB_CFG_NELEM(kw_vs)] = { NULL };
	const struct lb_cfg_stmt *ps;
	struct lb_config *cfg = s->cfg;
	struct lb_cfg_vs *arr, *vs;
	struct lb_cfg_addr a;
	uint16_t port = 0;
	uint64_t mark = 0;
	enum lb_vs_form form = LB_VS_ADDR;
	bool ok = false;
	int rc;

	(void)obj;
	(void)def;
	memset(&a, 0, sizeof(a));
	if (strcmp(st->vals[0], "fwmark") == 0 || strcmp(st->vals[0], "group") == 0) {
		form = st->vals[0][0] == 'f' ? LB_VS_FWMARK : LB_VS_GROUP;
		if (st->n_vals < 2)
			lb_cfg_error(s->d, st->file, st->line, "virtual_server %s needs a %s",
				st->vals[0], form == LB_VS_FWMARK ? "mark" : "group name");
		else if (form == LB_VS_FWMARK)
			ok = lb_cfg_get_uint(s, st, "fwmark", st->vals[1], 1, UINT32_MAX, &mark);
		else
			ok = strlen(st->vals[1]) < LB_CFG_NAME_MAX;
		if (ok && !lb_cfg_vs_form_supported(form)) {
			lb_cfg_error(s->d, st->file, st->line,
				"virtual_server %s is not supported by lbapp yet", st->vals[0]);
			ok = false;
		}
	} else if (st->n_vals < 2) {
		lb_cfg_error(s->d, st->file, st->line,
			"virtual_server needs an address and a port");
	} else {
		ok = lb_cfg_get_addr(s, st, st->vals[0], false, &a) &&
			lb_cfg_get_port(s, st, st->vals[1], &port);
	}

	arr = lb_cfg_grow(cfg->vs, cfg->n_vs, sizeof(*arr));
	if (arr == NULL)
		return -ENOMEM;
	cfg->vs = arr;
	vs = &arr[cfg->n_vs++];
	vs->form = form;
	vs->addr = a;
	vs->vip = a.family == AF_INET ? a.ip : 0;
	vs->port = ok ? port : 0;	/* port 0 (address form) marks a bad header */
	vs->fwmark = (uint32_t)mark;
	if (form == LB_VS_GROUP && st->n_vals > 1 && ok)
		strcpy(vs->group, st->vals[1]);
	vs->group_idx = -1;
	vs->laddr_group_idx = -1;
	vs->proto = IPPROTO_TCP;
	vs->sched = LB_SCHED_WLC;	/* keepalived leaves it to IPVS: wlc */
	vs->kind = LB_FWD_NAT;		/* keepalived's default */
	vs->delay_loop_ms = 60 * 1000;
	vs->persistence_granularity = a.family == AF_INET6 ? 128 : 32;
	vs->quorum = 1;
	vs->smtp_alert = -1;
	vs->connect_timeout_ms = UNSET_U32;
	vs->retry = UNSET_U32;
	vs->delay_before_retry_ms = UNSET_U32;
	vs->warmup_ms = UNSET_U32;
	vs->line = st->line;
	vs->file = st->file;
	free(s->rs_flags);
	s->rs_flags = NULL;
	rc = lb_cfg_sem_walk(s, &lb_cfg_tb_vs, st->child, vs, seen);
	if (rc < 0)
		return rc;
	if (!lb_cfg_given(&lb_cfg_tb_vs, seen, "sorry_server_lvs_method"))
		vs->sorry_kind = vs->kind;
	if (vs->smtp_alert < 0)
		vs->smtp_alert = cfg->global.smtp_alert_checker >= 0 ?
			cfg->global.smtp_alert_checker : cfg->global.smtp_alert;
	vs_inherit(s, vs);
	if (!ok)
		return 0;
	if (vs->form == LB_VS_ADDR && a.family == AF_INET6 && !lb_cfg_caps_ipv6())
		lb_cfg_error(s->d, st->file, st->line,
			"IPv6 virtual_server %s is not supported by lbapp yet", st->vals[0]);
	else if (!lb_cfg_vs_proto_supported(a.family, vs->proto) &&
			(ps = lb_cfg_seen(&lb_cfg_tb_vs, seen, "protocol")) != NULL)
		lb_cfg_error(s->d, ps->file, ps->line,
			"protocol %s is not supported by lbapp yet", ps->vals[0]);
	if (!lb_cfg_given(&lb_cfg_tb_vs, seen, "lb_kind") && !lb_cfg_kind_supported(vs->kind))
		lb_cfg_error(s->d, st->file, st->line,
			"lb_kind not given; keepalived's default NAT is not supported yet, "
			"add 'lb_kind DR'");
	if (!lb_cfg_given(&lb_cfg_tb_vs, seen, "lb_algo") && !lb_cfg_sched_supported(vs->sched))
		lb_cfg_error(s->d, st->file, st->line,
			"lb_algo not given; keepalived's default wlc is not supported yet");
	if (vs->kind == LB_FWD_FNAT && vs->laddr_group[0] == '\0')
		lb_cfg_error(s->d, st->file, st->line,
			"lb_kind FNAT needs laddr_group_name (a local_address_group)");
	if (vs->kind != LB_FWD_FNAT && vs->laddr_group[0] != '\0')
		lb_cfg_warn(s->d, st->file, st->line,
			"laddr_group_name is only used with lb_kind FNAT; ignored");
	check_vs_dup(s, st, vs);
	return 0;
}

/* ---- virtual_server_group ---- */

/* "A.B.C.D-E" (last octet) or "X::Y-Z" (last group, hex): first and last address. */
static bool
parse_range(const char *v, struct lb_cfg_addr *first, struct lb_cfg_addr *last)
{
	const char *dash = strrchr(v, '-');
	char buf[INET6_ADDRSTRLEN];
	unsigned long end;
	char *e;

	if (dash == NULL) {
		if (!lb_cfg_parse_addr(v, first))
			return false;
		*last = *first;
		return true;
	}
	if ((size_t)(dash - v) >= sizeof(buf))
		return false;
	memcpy(buf, v, dash - v);
	buf[dash - v] = '\0';
	if (!lb_cfg_parse_addr(buf, first) || dash[1] == '\0')
		return false;
	*last = *first;
	if (first->family == AF_INET) {
		uint32_t h = ntohl(first->ip);

		end = strtoul(dash + 1, &e, 10);
		if (*e != '\0' || end > 255 || end < (h & 0xff))
			return false;
		last->ip = htonl((h & ~0xffu) | (uint32_t)end);
	} else {
		unsigned int cur = (unsigned int)first->ip6.s6_addr[14] << 8 |
			first->ip6.s6_addr[15];

		end = strtoul(dash + 1, &e, 16);
		if (*e != '\0' || end > 0xffff || end < cur)
			return false;
		last->ip6.s6_addr[14] = (uint8_t)(end >> 8);
		last->ip6.s6_addr[15] = (uint8_t)end;
	}
	return true;
}

int
lb_cfg_h_vsg(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_config *cfg = s->cfg;
	const struct lb_cfg_stmt *c;
	struct lb_cfg_vsg *arr, *g;
	struct lb_cfg_vsg_entry e, *ea;
	unsigned int i;
	uint64_t v;

	(void)obj;
	(void)def;
	for (i = 0; i < cfg->n_vsgs; i++)
		if (strcmp(cfg->vsgs[i].name, st->vals[0]) == 0)
			lb_cfg_error(s->d, st->file, st->line,
				"duplicate virtual_server_group '%s' (first defined at %s:%u)",
				st->vals[0], cfg->vsgs[i].file, cfg->vsgs[i].line);
	arr = lb_cfg_grow(cfg->vsgs, cfg->n_vsgs, sizeof(*arr));
	if (arr == NULL)
		return -ENOMEM;
	cfg->vsgs = arr;
	g = &arr[cfg->n_vsgs++];
	g->line = st->line;
	g->file = st->file;
	lb_cfg_get_str(s, st, "virtual_server_group name", st->vals[0], g->name, sizeof(g->name));
	for (c = st->child; c != NULL; c = c->next) {
		memset(&e, 0, sizeof(e));
		e.line = c->line;
		if (c->has_block) {
			lb_cfg_error(s->d, c->file, c->line,
				"unexpected { } block in virtual_server_group");
			continue;
		}
		if (strcmp(c->kw, "fwmark") == 0) {
			if (c->n_vals != 1) {
				lb_cfg_error(s->d, c->file, c->line, "fwmark takes one mark");
				continue;
			}
			if (!lb_cfg_get_uint(s, c, "fwmark", c->vals[0], 1, UINT32_MAX, &v))
				continue;
			e.is_fwmark = true;
			e.fwmark = (uint32_t)v;
		} else {
			if (!parse_range(c->kw, &e.addr, &e.addr_end)) {
				lb_cfg_error(s->d, c->file, c->line,
					"invalid virtual_server_group entry '%s': expected IP, "
					"IP-LAST or fwmark N", c->kw);
				continue;
			}
			if (c->n_vals > 1) {
				lb_cfg_error(s->d, c->file, c->line,
					"too many values for '%s' (expected IP PORT)", c->kw);
				continue;
			}
			if (c->n_vals == 1 && !lb_cfg_get_port(s, c, c->vals[0], &e.port))
				continue;
		}
		ea = lb_cfg_grow(g->entries, g->n_entries, sizeof(*ea));
		if (ea == NULL)
			return -ENOMEM;
		g->entries = ea;
		ea[g->n_entries++] = e;
	}
	if (g->n_entries == 0)
		lb_cfg_warn(s->d, st->file, st->line, "virtual_server_group '%s' is empty",
			g->name);
	return 0;
}

/* ---- local_address_group (DPVS FULLNAT) ---- */

int
lb_cfg_h_laddr(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_config *cfg = s->cfg;
	const struct lb_cfg_stmt *c;
	struct lb_cfg_laddr_group *arr, *g;
	struct lb_cfg_laddr_entry e, *ea;
	unsigned int i;

	(void)obj;
	(void)def;
	for (i = 0; i < cfg->n_laddr_groups; i++)
		if (strcmp(cfg->laddr_groups[i].name, st->vals[0]) == 0)
			lb_cfg_error(s->d, st->file, st->line,
				"duplicate local_address_group '%s' (first defined at %s:%u)",
				st->vals[0], cfg->laddr_groups[i].file, cfg->laddr_groups[i].line);
	arr = lb_cfg_grow(cfg->laddr_groups, cfg->n_laddr_groups, sizeof(*arr));
	if (arr == NULL)
		return -ENOMEM;
	cfg->laddr_groups = arr;
	g = &arr[cfg->n_laddr_groups++];
	g->line = st->line;
	g->file = st->file;
	lb_cfg_get_str(s, st, "local_address_group name", st->vals[0], g->name, sizeof(g->name));
	for (c = st->child; c != NULL; c = c->next) {
		memset(&e, 0, sizeof(e));
		e.line = c->line;
		if (c->has_block) {
			lb_cfg_error(s->d, c->file, c->line,
				"unexpected { } block in local_address_group");
			continue;
		}
		if (!parse_range(c->kw, &e.addr, &e.addr_end)) {
			lb_cfg_error(s->d, c->file, c->line,
				"invalid local_address_group entry '%s': expected IP or IP-LAST",
				c->kw);
			continue;
		}
		if (c->n_vals > 1) {
			lb_cfg_error(s->d, c->file, c->line,
				"too many values for '%s' (expected IP [IFNAME])", c->kw);
			continue;
		}
		if (c->n_vals == 1 &&
				!lb_cfg_get_str(s, c, "interface", c->vals[0], e.dev, sizeof(e.dev)))
			continue;
		ea = lb_cfg_grow(g->entries, g->n_entries, sizeof(*ea));
		if (ea == NULL)
			return -ENOMEM;
		g->entries = ea;
		ea[g->n_entries++] = e;
	}
	if (g->n_entries == 0)
		lb_cfg_error(s->d, st->file, st->line, "local_address_group '%s' is empty",
			g->name);
	return 0;
}

/* ---- whole-file checks ---- */

#define LADDR_MAX 65536	/* addresses one local_address_group may expand to */

/* Expand a local_address_group's IPv4 entries and ranges into one address list. */
static void
laddr_expand(struct sem *s, struct lb_cfg_laddr_group *g)
{
	unsigned int i, k, n = 0;
	uint32_t a, b, h;

	for (i = 0; i < g->n_entries; i++) {
		if (g->entries[i].addr.family != AF_INET)
			continue;
		a = ntohl(g->entries[i].addr.ip);
		b = ntohl(g->entries[i].addr_end.ip);
		n += b >= a ? b - a + 1 : 1;
		if (n > LADDR_MAX) {
			lb_cfg_error(s->d, g->file, g->entries[i].line,
				"local_address_group %s expands to more than %d addresses",
				g->name, LADDR_MAX);
			return;
		}
	}
	g->addrs = calloc(n > 0 ? n : 1, sizeof(*g->addrs));
	if (g->addrs == NULL) {
		lb_cfg_error(s->d, g->file, g->line, "out of memory");
		return;
	}
	for (i = 0; i < g->n_entries; i++) {
		if (g->entries[i].addr.family != AF_INET)
			continue;
		a = ntohl(g->entries[i].addr.ip);
		b = ntohl(g->entries[i].addr_end.ip);
		if (b < a)
			b = a;
		for (h = a;; h++) {
			for (k = 0; k < g->n_addrs; k++)
				if (g->addrs[k] == htonl(h))
					break;
			if (k == g->n_addrs) {
				g->addrs[g->n_addrs++] = htonl(h);
			} else {
				struct in_addr ia = { .s_addr = htonl(h) };
				char ipb[INET_ADDRSTRLEN];

				lb_cfg_error(s->d, g->file, g->entries[i].line,
					"local address %s given twice in local_address_group '%s'",
					inet_ntop(AF_INET, &ia, ipb, sizeof(ipb)), g->name);
			}
			if (h == b)
				break;
		}
	}
}

void
lb_cfg_vs_finish(struct sem *s)
{
	struct lb_config *cfg = s->cfg;
	char ipb[INET6_ADDRSTRLEN];
	unsigned int i, j;

	for (i = 0; i < cfg->n_laddr_groups; i++)
		laddr_expand(s, &cfg->laddr_groups[i]);

	for (i = 0; i < cfg->n_vs; i++) {
		struct lb_cfg_vs *vs = &cfg->vs[i];

		if (vs->form == LB_VS_GROUP && vs->group[0] != '\0') {
			for (j = 0; j < cfg->n_vsgs; j++)
				if (strcmp(cfg->vsgs[j].name, vs->group) == 0)
					vs->group_idx = (int)j;
			if (vs->group_idx < 0)
				lb_cfg_error(s->d, vs->file, vs->line,
					"virtual_server group '%s' names no virtual_server_group",
					vs->group);
		}
		if (vs->laddr_group[0] != '\0') {
			for (j = 0; j < cfg->n_laddr_groups; j++)
				if (strcmp(cfg->laddr_groups[j].name, vs->laddr_group) == 0)
					vs->laddr_group_idx = (int)j;
			if (vs->laddr_group_idx < 0)
				lb_cfg_error(s->d, vs->file, vs->line,
					"laddr_group_name '%s' names no local_address_group",
					vs->laddr_group);
		}
		if (vs->form != LB_VS_ADDR || vs->port == 0 || vs->addr.family != AF_INET ||
				lb_cfg_vrrp_for_vip(cfg, vs->vip) != NULL)
			continue;
		lb_cfg_warn(s->d, vs->file, vs->line,
			"virtual_server address %s is not a virtual_ipaddress of any vrrp_instance",
			lb_cfg_addr_str(&vs->addr, ipb, sizeof(ipb)));
	}
}

void
lb_cfg_vs_free(struct lb_config *cfg)
{
	unsigned int i, j, k, u;

	for (i = 0; i < cfg->n_vs; i++) {
		struct lb_cfg_vs *vs = &cfg->vs[i];

		for (j = 0; j < vs->n_rs; j++) {
			struct lb_cfg_rs *rs = &vs->rs[j];

			for (k = 0; k < rs->n_checkers; k++) {
				for (u = 0; u < rs->checkers[k].n_urls; u++)
					free(rs->checkers[k].urls[u].status);
				free(rs->checkers[k].urls);
			}
			free(rs->checkers);
		}
		free(vs->rs);
	}
	free(cfg->vs);
	for (i = 0; i < cfg->n_vsgs; i++)
		free(cfg->vsgs[i].entries);
	free(cfg->vsgs);
	for (i = 0; i < cfg->n_laddr_groups; i++) {
		free(cfg->laddr_groups[i].entries);
		free(cfg->laddr_groups[i].addrs);
	}
	free(cfg->laddr_groups);
}

const char *
lb_cfg_sched_name(enum lb_sched_algo algo)
{
	if ((unsigned int)algo >= LB_SCHED__MAX)
		return "?";
	return sched_names[algo];
}

const char *
lb_cfg_kind_name(enum lb_fwd_kind kind)
{
	if ((unsigned int)kind >= LB_FWD__MAX)
		return "?";
	return kind_names[kind];
}

const char *
lb_cfg_checker_name(enum lb_chk_type type)
{
	if ((unsigned int)type >= LB_CHK__MAX)
		return "?";
	return chk_names[type];
}

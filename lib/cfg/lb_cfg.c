/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lb.conf semantic pass: statement tree -> struct lb_config.
 *
 * Each block type has a keyword table (name, handler, value count, block or
 * not, flags); the generic walker sem_walk() checks what the table says and
 * calls the handler, so a new keyword is one table line and one handler.
 * Keywords that keepalived knows but lbapp does not implement yet are in the
 * tables with KW_NOTIMPL: they are warned about and skipped with their block.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lb_cfg.h"
#include "lb_cfg_int.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define VALS_ANY UINT8_MAX
#define UNSET_U32 UINT32_MAX
#define CFG_FILE_MAX (16u << 20)

/* Keyword flags. */
#define KW_ONCE 0x1		/* warn when given twice in one block */
#define KW_NOTIMPL 0x2		/* keepalived's, not lbapp's yet: warn, skip */

enum kw_blk {
	BLK_NO,
	BLK_YES,
	BLK_ANY,
};

struct sem {
	struct lb_cfg_diag *d;
	struct lb_config *cfg;
};

typedef int (*kw_fn_t)(struct sem *s, const struct lb_cfg_stmt *st, void *obj);

struct kw_def {
	const char *name;
	kw_fn_t fn;
	uint8_t min_vals;
	uint8_t max_vals;
	uint8_t blk;
	uint8_t flags;
};

struct kw_table {
	const char *name;	/* block name for messages, NULL at top level */
	const struct kw_def *kws;
	unsigned int n;
};

#define KW(n, f, mn, mx, b, fl) { .name = (n), .fn = (f), .min_vals = (mn), \
	.max_vals = (mx), .blk = (b), .flags = (fl) }
#define KW_SKIP(n) KW(n, NULL, 0, VALS_ANY, BLK_ANY, KW_NOTIMPL)
#define TABLE(nm, arr) { .name = (nm), .kws = (arr), .n = NELEM(arr) }

/* Per-block objects handed to the handlers. */
struct vrrp_ctx {
	struct lb_cfg_vrrp *v;
};

struct auth_ctx {
	struct lb_cfg_vrrp *v;
};

struct vs_ctx {
	struct lb_cfg_vs *vs;
};

static int sem_walk(struct sem *s, const struct kw_table *tb, const struct lb_cfg_stmt *list,
		void *obj, const struct lb_cfg_stmt **seen);
static int sem_block(struct sem *s, const struct kw_table *tb,
		const struct lb_cfg_stmt *list, void *obj);
static bool given(const struct kw_table *tb, const struct lb_cfg_stmt *const *seen,
		const char *kw);

/* ---- small parsers ---- */

static bool
parse_u64(const char *str, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (*str == '\0')
		return false;
	for (; *str != '\0'; str++) {
		if (*str < '0' || *str > '9')
			return false;
		v = v * 10 + (uint64_t)(*str - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

/* Decimal seconds ("1", "0.1", "2.500") to milliseconds. */
static bool
parse_secs_ms(const char *str, uint64_t *ms)
{
	uint64_t secs = 0, frac = 0;
	unsigned int nd = 0;
	bool digits = false;

	for (; *str >= '0' && *str <= '9'; str++) {
		secs = secs * 10 + (uint64_t)(*str - '0');
		digits = true;
		if (secs > 1000000000)
			return false;
	}
	if (*str == '.') {
		for (str++; *str >= '0' && *str <= '9'; str++) {
			digits = true;
			if (nd < 3)
				frac = frac * 10 + (uint64_t)(*str - '0');
			else if (*str != '0')
				return false;	/* finer than 1 ms */
			nd++;
		}
		for (; nd < 3; nd++)
			frac *= 10;
	}
	if (*str != '\0' || !digits)
		return false;
	*ms = secs * 1000 + frac;
	return true;
}

static const char *
ip_str(uint32_t ip, char *buf, size_t len)
{
	struct in_addr a = { .s_addr = ip };

	return inet_ntop(AF_INET, &a, buf, len);
}

/* Optimal string alignment distance, or 3 when it is over 2. */
static unsigned int
edit_distance(const char *a, const char *b)
{
	unsigned int la = strlen(a), lb = strlen(b), i, j;
	unsigned int rows[3][65], *pp, *p, *c, best;

	if (la > 64 || lb > 64 || (la > lb ? la - lb : lb - la) > 2)
		return 3;
	pp = rows[0];
	p = rows[1];
	c = rows[2];
	for (j = 0; j <= lb; j++)
		p[j] = j;
	for (i = 1; i <= la; i++) {
		unsigned int *t;

		c[0] = i;
		best = c[0];
		for (j = 1; j <= lb; j++) {
			unsigned int cost = a[i - 1] == b[j - 1] ? 0 : 1;
			unsigned int v = p[j] + 1;

			if (c[j - 1] + 1 < v)
				v = c[j - 1] + 1;
			if (p[j - 1] + cost < v)
				v = p[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
					pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			c[j] = v;
			if (v < best)
				best = v;
		}
		if (best > 2)
			return 3;
		t = pp;
		pp = p;
		p = c;
		c = t;
	}
	return p[lb] > 2 ? 3 : p[lb];
}

/* Closest name (distance <= 2, and less than the word's length), or NULL. */
static const char *
suggest(const char *word, const char *const *names, unsigned int n)
{
	unsigned int i, d, best_d = 3, len = strlen(word);
	const char *best = NULL;

	for (i = 0; i < n; i++) {
		if (strcasecmp(word, names[i]) == 0)
			return names[i];
		d = edit_distance(word, names[i]);
		if (d < best_d && d < len) {
			best_d = d;
			best = names[i];
		}
	}
	return best;
}

static const char *
suggest_kw(const char *word, const struct kw_table *tb)
{
	const char *names[128];
	unsigned int i, n = 0;

	for (i = 0; i < tb->n && n < 128; i++)
		names[n++] = tb->kws[i].name;
	return suggest(word, names, n);
}

/* ---- value helpers: report and return false on a bad value ---- */

static bool
get_uint(struct sem *s, const struct lb_cfg_stmt *st, const char *what, const char *val,
		uint64_t min, uint64_t max, uint64_t *out)
{
	if (parse_u64(val, max, out) && *out >= min)
		return true;
	lb_cfg_error(s->d, st->file, st->line,
		"invalid %s '%s': must be an integer from %" PRIu64 " to %" PRIu64,
		what, val, min, max);
	return false;
}

static bool
get_port(struct sem *s, const struct lb_cfg_stmt *st, const char *val, uint16_t *port)
{
	uint64_t v;

	if (!get_uint(s, st, "port", val, 1, 65535, &v))
		return false;
	*port = (uint16_t)v;
	return true;
}

static bool
get_timer(struct sem *s, const struct lb_cfg_stmt *st, const char *val,
		uint64_t min_ms, uint64_t max_ms, uint32_t *out)
{
	uint64_t ms;

	if (!parse_secs_ms(val, &ms)) {
		lb_cfg_error(s->d, st->file, st->line,
			"invalid %s '%s': must be a number of seconds (e.g. 1 or 0.5)",
			st->kw, val);
		return false;
	}
	if (ms < min_ms) {
		lb_cfg_error(s->d, st->file, st->line,
			"invalid %s '%s': must be greater than 0", st->kw, val);
		return false;
	}
	if (ms > max_ms) {
		lb_cfg_error(s->d, st->file, st->line,
			"invalid %s '%s': must be at most %" PRIu64 " seconds",
			st->kw, val, max_ms / 1000);
		return false;
	}
	*out = (uint32_t)ms;
	return true;
}

static bool
get_str(struct sem *s, const struct lb_cfg_stmt *st, const char *what, const char *val,
		char *dst, size_t size)
{
	size_t len = strlen(val);

	if (len == 0) {
		lb_cfg_error(s->d, st->file, st->line, "empty %s", what);
		return false;
	}
	if (len >= size) {
		lb_cfg_error(s->d, st->file, st->line,
			"%s '%s' is too long (at most %zu characters)", what, val, size - 1);
		return false;
	}
	memcpy(dst, val, len + 1);
	return true;
}

/* IPv4 address, with "/len" when prefix_ok. */
static bool
get_addr(struct sem *s, const struct lb_cfg_stmt *st, const char *val, bool prefix_ok,
		struct lb_cfg_addr *a)
{
	const char *slash = strchr(val, '/');
	size_t alen = slash != NULL ? (size_t)(slash - val) : strlen(val);
	char buf[INET_ADDRSTRLEN];
	struct in_addr in;
	uint64_t plen = 32;

	if (strchr(val, ':') != NULL) {
		lb_cfg_error(s->d, st->file, st->line,
			"IPv6 address '%s' is not supported by lbapp yet", val);
		return false;
	}
	if (alen >= sizeof(buf))
		goto bad;
	memcpy(buf, val, alen);
	buf[alen] = '\0';
	if (inet_pton(AF_INET, buf, &in) != 1)
		goto bad;
	if (slash != NULL) {
		if (!prefix_ok) {
			lb_cfg_error(s->d, st->file, st->line,
				"invalid address '%s': no /prefix expected here", val);
			return false;
		}
		if (!parse_u64(slash + 1, 32, &plen)) {
			lb_cfg_error(s->d, st->file, st->line,
				"invalid address '%s': prefix length must be 0-32", val);
			return false;
		}
	}
	a->ip = in.s_addr;
	a->prefixlen = (uint8_t)plen;
	return true;
bad:
	lb_cfg_error(s->d, st->file, st->line, "invalid address '%s': not an IPv4 address", val);
	return false;
}

static void *
grow(void *arr, unsigned int n, size_t size)
{
	char *p = realloc(arr, (n + 1) * size);

	if (p != NULL)
		memset(p + n * size, 0, size);
	return p;
}

/* ---- global_defs ---- */

static int
h_router_id(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct lb_cfg_global *g = obj;

	get_str(s, st, st->kw, st->vals[0], g->router_id, sizeof(g->router_id));
	return 0;
}

static int
add_email(struct sem *s, const struct lb_cfg_stmt *st, const char *addr)
{
	struct lb_cfg_global *g = &s->cfg->global;
	char **e;

	if (strlen(addr) >= LB_CFG_STR_MAX) {
		lb_cfg_error(s->d, st->file, st->line,
			"e-mail address '%s' is too long (at most %d characters)",
			addr, LB_CFG_STR_MAX - 1);
		return 0;
	}
	e = grow(g->emails, g->n_emails, sizeof(*e));
	if (e == NULL)
		return -ENOMEM;
	g->emails = e;
	e[g->n_emails] = strdup(addr);
	if (e[g->n_emails] == NULL)
		return -ENOMEM;
	g->n_emails++;
	return 0;
}

static int
h_email(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	const struct lb_cfg_stmt *c;
	unsigned int i;
	int rc;

	(void)obj;
	for (c = st->child; c != NULL; c = c->next) {
		if (c->has_block) {
			lb_cfg_error(s->d, c->file, c->line,
				"unexpected { } block in notification_email");
			continue;
		}
		rc = add_email(s, c, c->kw);
		for (i = 0; rc == 0 && i < c->n_vals; i++)
			rc = add_email(s, c, c->vals[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int
h_email_from(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct lb_cfg_global *g = obj;

	get_str(s, st, st->kw, st->vals[0], g->email_from, sizeof(g->email_from));
	return 0;
}

static int
h_smtp_server(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct lb_cfg_global *g = obj;
	struct lb_cfg_addr a;
	uint16_t port = 25;

	if (!get_addr(s, st, st->vals[0], false, &a))
		return 0;
	if (st->n_vals > 1 && !get_port(s, st, st->vals[1], &port))
		return 0;
	g->smtp_server = a.ip;
	g->smtp_port = port;
	return 0;
}

static int
h_smtp_timeout(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct lb_cfg_global *g = obj;

	get_timer(s, st, st->vals[0], 1, 3600 * 1000, &g->smtp_connect_timeout_ms);
	return 0;
}

static int
h_vrrp_version(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct lb_cfg_global *g = obj;
	uint64_t v;

	if (get_uint(s, st, st->kw, st->vals[0], 2, 3, &v))
		g->vrrp_version = (uint8_t)v;
	return 0;
}

static int
h_g_garp_delay(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct lb_cfg_global *g = obj;

	get_timer(s, st, st->vals[0], 0, 3600 * 1000, &g->garp_master_delay_ms);
	return 0;
}

static int
h_g_garp_repeat(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct lb_cfg_global *g = obj;
	uint64_t v;

	if (get_uint(s, st, st->kw, st->vals[0], 0, 65535, &v))
		g->garp_master_repeat = (uint32_t)v;
	return 0;
}

static const struct kw_def kw_global[] = {
	KW("router_id", h_router_id, 1, 1, BLK_NO, KW_ONCE),
	KW("lvs_id", h_router_id, 1, 1, BLK_NO, KW_ONCE),
	KW("notification_email", h_email, 0, 0, BLK_YES, 0),
	KW("notification_email_from", h_email_from, 1, 1, BLK_NO, KW_ONCE),
	KW("smtp_server", h_smtp_server, 1, 2, BLK_NO, KW_ONCE),
	KW("smtp_connect_timeout", h_smtp_timeout, 1, 1, BLK_NO, KW_ONCE),
	KW("vrrp_version", h_vrrp_version, 1, 1, BLK_NO, KW_ONCE),
	KW("vrrp_garp_master_delay", h_g_garp_delay, 1, 1, BLK_NO, KW_ONCE),
	KW("vrrp_garp_master_repeat", h_g_garp_repeat, 1, 1, BLK_NO, KW_ONCE),
	KW_SKIP("smtp_helo_name"),
	KW_SKIP("smtp_alert"),
	KW_SKIP("smtp_alert_vrrp"),
	KW_SKIP("smtp_alert_checker"),
	KW_SKIP("enable_script_security"),
	KW_SKIP("script_user"),
	KW_SKIP("vrrp_mcast_group4"),
	KW_SKIP("vrrp_mcast_group6"),
	KW_SKIP("vrrp_skip_check_adv_addr"),
	KW_SKIP("vrrp_strict"),
	KW_SKIP("vrrp_garp_interval"),
	KW_SKIP("vrrp_gna_interval"),
	KW_SKIP("vrrp_garp_master_refresh"),
	KW_SKIP("vrrp_garp_master_refresh_repeat"),
	KW_SKIP("vrrp_garp_lower_prio_delay"),
	KW_SKIP("vrrp_garp_lower_prio_repeat"),
	KW_SKIP("vrrp_lower_prio_no_advert"),
	KW_SKIP("vrrp_higher_prio_send_advert"),
	KW_SKIP("vrrp_check_unicast_src"),
	KW_SKIP("vrrp_iptables"),
	KW_SKIP("vrrp_ipsets"),
	KW_SKIP("vrrp_priority"),
	KW_SKIP("vrrp_no_swap"),
	KW_SKIP("vrrp_rt_priority"),
	KW_SKIP("vrrp_notify_fifo"),
	KW_SKIP("vrrp_notify_fifo_script"),
	KW_SKIP("checker_priority"),
	KW_SKIP("checker_no_swap"),
	KW_SKIP("checker_rt_priority"),
	KW_SKIP("lvs_sync_daemon"),
	KW_SKIP("lvs_flush"),
	KW_SKIP("lvs_flush_on_stop"),
	KW_SKIP("lvs_timeouts"),
	KW_SKIP("lvs_notify_fifo"),
	KW_SKIP("lvs_notify_fifo_script"),
	KW_SKIP("notify_fifo"),
	KW_SKIP("notify_fifo_script"),
	KW_SKIP("dynamic_interfaces"),
	KW_SKIP("max_auto_priority"),
	KW_SKIP("default_interface"),
	KW_SKIP("net_namespace"),
	KW_SKIP("instance"),
	KW_SKIP("use_pid_dir"),
	KW_SKIP("linkbeat_use_polling"),
	KW_SKIP("enable_traps"),
	KW_SKIP("enable_snmp_vrrp"),
	KW_SKIP("enable_snmp_checker"),
	KW_SKIP("enable_snmp_rfc"),
	KW_SKIP("snmp_socket"),
	KW_SKIP("process_names"),
};

static const struct kw_table tb_global = TABLE("global_defs", kw_global);

/* ---- vrrp_instance ---- */

static int
h_state(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct vrrp_ctx *vc = obj;

	if (strcmp(st->vals[0], "MASTER") == 0)
		vc->v->state = LB_VRRP_MASTER;
	else if (strcmp(st->vals[0], "BACKUP") == 0)
		vc->v->state = LB_VRRP_BACKUP;
	else
		lb_cfg_error(s->d, st->file, st->line,
			"invalid state '%s': must be MASTER or BACKUP", st->vals[0]);
	return 0;
}

static int
h_interface(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct vrrp_ctx *vc = obj;

	get_str(s, st, st->kw, st->vals[0], vc->v->interface, sizeof(vc->v->interface));
	return 0;
}

static int
h_vrid(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct vrrp_ctx *vc = obj;
	uint64_t v;

	if (get_uint(s, st, st->kw, st->vals[0], 1, 255, &v))
		vc->v->vrid = (uint8_t)v;
	return 0;
}

static int
h_priority(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct vrrp_ctx *vc = obj;
	uint64_t v;

	if (get_uint(s, st, st->kw, st->vals[0], 1, 255, &v))
		vc->v->priority = (uint8_t)v;
	return 0;
}

static int
h_advert_int(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct vrrp_ctx *vc = obj;

	get_timer(s, st, st->vals[0], 1, 255 * 1000, &vc->v->advert_int_ms);
	return 0;
}

static int
h_nopreempt(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct vrrp_ctx *vc = obj;

	(void)s;
	(void)st;
	vc->v->nopreempt = true;
	return 0;
}

static int
h_garp_delay(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct vrrp_ctx *vc = obj;

	get_timer(s, st, st->vals[0], 0, 3600 * 1000, &vc->v->garp_master_delay_ms);
	return 0;
}

static int
h_garp_repeat(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct vrrp_ctx *vc = obj;
	uint64_t v;

	if (get_uint(s, st, st->kw, st->vals[0], 0, 65535, &v))
		vc->v->garp_master_repeat = (uint32_t)v;
	return 0;
}

/* "dev IF" and "label L" are kept; these are keepalived's, ignored with a warning. */
static const char *const vip_opts_arg[] = { "brd", "broadcast", "scope", "peer",
	"preferred_lft" };
static const char *const vip_opts_flag[] = { "home", "-nodad", "nodad", "noprefixroute",
	"autojoin", "no_track" };

/* Is this VIP in an earlier entry or instance? */
static void
check_vip_dup(struct sem *s, const struct lb_cfg_stmt *st, const struct lb_cfg_vrrp *cur,
		uint32_t ip)
{
	unsigned int i, j;

	for (i = 0; i < s->cfg->n_vrrp; i++) {
		const struct lb_cfg_vrrp *o = &s->cfg->vrrp[i];

		for (j = 0; j < o->n_vips; j++) {
			const struct lb_cfg_vip *ov = &o->vips[j];

			if (ov->addr.ip != ip)
				continue;
			if (o == cur)
				lb_cfg_error(s->d, st->file, st->line,
					"duplicate virtual_ipaddress %s (first at %s:%u)",
					st->kw, ov->file, ov->line);
			else
				lb_cfg_error(s->d, st->file, st->line,
					"%s is already a virtual_ipaddress of vrrp_instance '%s' "
					"(%s:%u)", st->kw, o->name, ov->file, ov->line);
			return;
		}
	}
}

static void
warn_vip_opt(struct sem *s, const struct lb_cfg_stmt *st, const char *opt)
{
	lb_cfg_warn(s->d, st->file, st->line,
		"virtual_ipaddress option '%s' is not implemented by lbapp yet; ignored", opt);
}

static bool
in_list(const char *w, const char *const *list, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (strcmp(w, list[i]) == 0)
			return true;
	return false;
}

static int
add_vip(struct sem *s, const struct lb_cfg_stmt *st, struct lb_cfg_vrrp *v)
{
	static const char *const opts[] = { "dev", "label", "brd", "broadcast", "scope", "peer",
		"preferred_lft", "home", "-nodad", "nodad", "noprefixroute", "autojoin",
		"no_track" };
	struct lb_cfg_vip vip;
	struct lb_cfg_vip *nv;
	unsigned int i, errs = s->d->n_errors;
	const char *o, *sg;

	memset(&vip, 0, sizeof(vip));
	vip.line = st->line;
	vip.file = st->file;
	if (st->has_block)
		lb_cfg_error(s->d, st->file, st->line,
			"unexpected { } block in virtual_ipaddress");
	if (!get_addr(s, st, st->kw, true, &vip.addr))
		return 0;
	for (i = 0; i < st->n_vals; i++) {
		o = st->vals[i];
		if (in_list(o, vip_opts_flag, NELEM(vip_opts_flag))) {
			warn_vip_opt(s, st, o);
			continue;
		}
		if (!in_list(o, opts, 2) && !in_list(o, vip_opts_arg, NELEM(vip_opts_arg))) {
			sg = suggest(o, opts, NELEM(opts));
			if (sg != NULL)
				lb_cfg_error(s->d, st->file, st->line,
					"unknown virtual_ipaddress option '%s'; did you mean '%s'?",
					o, sg);
			else
				lb_cfg_error(s->d, st->file, st->line,
					"unknown virtual_ipaddress option '%s'", o);
			continue;
		}
		if (i + 1 >= st->n_vals) {
			lb_cfg_error(s->d, st->file, st->line, "missing value for '%s'", o);
			break;
		}
		i++;
		if (strcmp(o, "dev") == 0)
			get_str(s, st, o, st->vals[i], vip.dev, sizeof(vip.dev));
		else if (strcmp(o, "label") == 0)
			get_str(s, st, o, st->vals[i], vip.label, sizeof(vip.label));
		else
			warn_vip_opt(s, st, o);
	}
	if (s->d->n_errors != errs)
		return 0;
	check_vip_dup(s, st, v, vip.addr.ip);
	nv = grow(v->vips, v->n_vips, sizeof(*nv));
	if (nv == NULL)
		return -ENOMEM;
	v->vips = nv;
	nv[v->n_vips++] = vip;
	return 0;
}

static int
h_vips(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct vrrp_ctx *vc = obj;
	const struct lb_cfg_stmt *c;
	int rc;

	for (c = st->child; c != NULL; c = c->next) {
		rc = add_vip(s, c, vc->v);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int
h_auth_type(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct auth_ctx *ac = obj;

	if (strcmp(st->vals[0], "PASS") == 0)
		ac->v->auth_type = LB_VRRP_AUTH_PASS;
	else if (strcmp(st->vals[0], "AH") == 0)
		ac->v->auth_type = LB_VRRP_AUTH_AH;
	else
		lb_cfg_error(s->d, st->file, st->line,
			"invalid auth_type '%s': must be PASS or AH", st->vals[0]);
	return 0;
}

static int
h_auth_pass(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct auth_ctx *ac = obj;
	size_t len = strlen(st->vals[0]);

	if (len > sizeof(ac->v->auth_pass) - 1) {
		/* keepalived silently uses the first 8: refuse instead */
		lb_cfg_error(s->d, st->file, st->line,
			"auth_pass is longer than %zu characters (VRRP carries only %zu)",
			sizeof(ac->v->auth_pass) - 1, sizeof(ac->v->auth_pass) - 1);
		return 0;
	}
	memcpy(ac->v->auth_pass, st->vals[0], len + 1);
	return 0;
}

static const struct kw_def kw_auth[] = {
	KW("auth_type", h_auth_type, 1, 1, BLK_NO, KW_ONCE),
	KW("auth_pass", h_auth_pass, 1, 1, BLK_NO, KW_ONCE),
};

static const struct kw_table tb_auth = TABLE("authentication", kw_auth);

static int
h_auth(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct vrrp_ctx *vc = obj;
	const struct lb_cfg_stmt *seen[NELEM(kw_auth)] = { NULL };
	struct auth_ctx ac = { .v = vc->v };
	int rc;

	vc->v->auth_type = LB_VRRP_AUTH_NONE;
	rc = sem_walk(s, &tb_auth, st->child, &ac, seen);
	if (rc < 0)
		return rc;
	if (!given(&tb_auth, seen, "auth_type"))
		lb_cfg_error(s->d, st->file, st->line, "authentication without auth_type");
	if (!given(&tb_auth, seen, "auth_pass"))
		lb_cfg_error(s->d, st->file, st->line, "authentication without auth_pass");
	return 0;
}

static const struct kw_def kw_vrrp[] = {
	KW("state", h_state, 1, 1, BLK_NO, KW_ONCE),
	KW("interface", h_interface, 1, 1, BLK_NO, KW_ONCE),
	KW("virtual_router_id", h_vrid, 1, 1, BLK_NO, KW_ONCE),
	KW("priority", h_priority, 1, 1, BLK_NO, KW_ONCE),
	KW("advert_int", h_advert_int, 1, 1, BLK_NO, KW_ONCE),
	KW("nopreempt", h_nopreempt, 0, 0, BLK_NO, KW_ONCE),
	KW("garp_master_delay", h_garp_delay, 1, 1, BLK_NO, KW_ONCE),
	KW("garp_master_repeat", h_garp_repeat, 1, 1, BLK_NO, KW_ONCE),
	KW("virtual_ipaddress", h_vips, 0, 0, BLK_YES, 0),
	KW("authentication", h_auth, 0, 0, BLK_YES, KW_ONCE),
	KW_SKIP("virtual_ipaddress_excluded"),
	KW_SKIP("virtual_routes"),
	KW_SKIP("virtual_rules"),
	KW_SKIP("track_interface"),
	KW_SKIP("track_script"),
	KW_SKIP("track_process"),
	KW_SKIP("track_file"),
	KW_SKIP("track_bfd"),
	KW_SKIP("dont_track_primary"),
	KW_SKIP("unicast_peer"),
	KW_SKIP("unicast_src_ip"),
	KW_SKIP("unicast_ttl"),
	KW_SKIP("unicast_fault_no_peer"),
	KW_SKIP("mcast_src_ip"),
	KW_SKIP("preempt_delay"),
	KW_SKIP("notify_master"),
	KW_SKIP("notify_backup"),
	KW_SKIP("notify_fault"),
	KW_SKIP("notify_stop"),
	KW_SKIP("notify_deleted"),
	KW_SKIP("notify_master_rx_lower_pri"),
	KW_SKIP("notify"),
	KW_SKIP("notify_priority_changes"),
	KW_SKIP("smtp_alert"),
	KW_SKIP("lvs_sync_daemon_interface"),
	KW_SKIP("garp_master_refresh"),
	KW_SKIP("garp_master_refresh_repeat"),
	KW_SKIP("garp_lower_prio_delay"),
	KW_SKIP("garp_lower_prio_repeat"),
	KW_SKIP("garp_interval"),
	KW_SKIP("gna_interval"),
	KW_SKIP("lower_prio_no_advert"),
	KW_SKIP("higher_prio_send_advert"),
	KW_SKIP("version"),
	KW_SKIP("use_vmac"),
	KW_SKIP("vmac_xmit_base"),
	KW_SKIP("native_ipv6"),
	KW_SKIP("accept"),
	KW_SKIP("no_accept"),
	KW_SKIP("strict_mode"),
	KW_SKIP("skip_check_adv_addr"),
	KW_SKIP("check_unicast_src"),
	KW_SKIP("promote_secondaries"),
	KW_SKIP("kernel_rx_buf_size"),
	KW_SKIP("debug"),
};

static const struct kw_table tb_vrrp = TABLE("vrrp_instance", kw_vrrp);

static int
h_vrrp(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	const struct lb_cfg_stmt *seen[NELEM(kw_vrrp)] = { NULL };
	struct lb_config *cfg = s->cfg;
	struct vrrp_ctx vc = { .v = NULL };
	struct lb_cfg_vrrp *arr, *v;
	unsigned int i;
	int rc;

	(void)obj;
	for (i = 0; i < cfg->n_vrrp; i++)
		if (strcmp(cfg->vrrp[i].name, st->vals[0]) == 0)
			lb_cfg_error(s->d, st->file, st->line,
				"duplicate vrrp_instance '%s' (first defined at %s:%u)",
				st->vals[0], cfg->vrrp[i].file, cfg->vrrp[i].line);
	arr = grow(cfg->vrrp, cfg->n_vrrp, sizeof(*arr));
	if (arr == NULL)
		return -ENOMEM;
	cfg->vrrp = arr;
	v = &arr[cfg->n_vrrp++];
	v->state = LB_VRRP_BACKUP;
	v->priority = 100;
	v->advert_int_ms = 1000;
	v->garp_master_delay_ms = UNSET_U32;
	v->garp_master_repeat = UNSET_U32;
	v->line = st->line;
	v->file = st->file;
	get_str(s, st, "vrrp_instance name", st->vals[0], v->name, sizeof(v->name));
	vc.v = v;
	rc = sem_walk(s, &tb_vrrp, st->child, &vc, seen);
	if (rc < 0)
		return rc;
	if (!given(&tb_vrrp, seen, "interface"))
		lb_cfg_error(s->d, st->file, st->line,
			"vrrp_instance '%s' has no interface", v->name);
	if (!given(&tb_vrrp, seen, "virtual_router_id"))
		lb_cfg_error(s->d, st->file, st->line,
			"vrrp_instance '%s' has no virtual_router_id", v->name);
	if (v->vrid == 0 || v->interface[0] == '\0')
		return 0;
	for (i = 0; i + 1 < cfg->n_vrrp; i++) {
		const struct lb_cfg_vrrp *o = &cfg->vrrp[i];

		if (o->vrid == v->vrid && strcmp(o->interface, v->interface) == 0) {
			lb_cfg_error(s->d, st->file, st->line,
				"virtual_router_id %u on %s is already used by vrrp_instance "
				"'%s' (%s:%u)", v->vrid, v->interface, o->name, o->file, o->line);
			break;
		}
	}
	return 0;
}

/* ---- virtual_server and real_server ---- */

static int
h_weight(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct lb_cfg_rs *rs = obj;
	uint64_t v;

	if (get_uint(s, st, st->kw, st->vals[0], 0, 65535, &v))
		rs->weight = (uint32_t)v;
	return 0;
}

static const struct kw_def kw_rs[] = {
	KW("weight", h_weight, 1, 1, BLK_NO, KW_ONCE),
	KW_SKIP("TCP_CHECK"),
	KW_SKIP("HTTP_GET"),
	KW_SKIP("SSL_GET"),
	KW_SKIP("MISC_CHECK"),
	KW_SKIP("SMTP_CHECK"),
	KW_SKIP("DNS_CHECK"),
	KW_SKIP("UDP_CHECK"),
	KW_SKIP("PING_CHECK"),
	KW_SKIP("BFD_CHECK"),
	KW_SKIP("FILE_CHECK"),
	KW_SKIP("inhibit_on_failure"),
	KW_SKIP("notify_up"),
	KW_SKIP("notify_down"),
	KW_SKIP("uthreshold"),
	KW_SKIP("lthreshold"),
	KW_SKIP("smtp_alert"),
	KW_SKIP("virtualhost"),
	KW_SKIP("alpha"),
	KW_SKIP("connect_timeout"),
	KW_SKIP("retry"),
	KW_SKIP("delay_before_retry"),
	KW_SKIP("warmup"),
	KW_SKIP("delay_loop"),
};

static const struct kw_table tb_rs = TABLE("real_server", kw_rs);

static int
h_rs(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct vs_ctx *vc = obj;
	struct lb_cfg_vs *vs = vc->vs;
	struct lb_cfg_rs *arr, *rs;
	struct lb_cfg_addr a = { 0, 0 };
	uint16_t port = 0, p1, p2;
	bool ok;
	unsigned int i;

	ok = get_addr(s, st, st->vals[0], false, &a);
	if (st->n_vals > 1 && !get_port(s, st, st->vals[1], &port))
		ok = false;
	for (i = 0; ok && i < vs->n_rs; i++) {
		const struct lb_cfg_rs *o = &vs->rs[i];

		p1 = o->port != 0 ? o->port : vs->port;
		p2 = port != 0 ? port : vs->port;
		if (o->addr.ip == a.ip && p1 == p2) {
			lb_cfg_error(s->d, st->file, st->line,
				"duplicate real_server %s %u (first defined at %s:%u)",
				st->vals[0], p2, o->file, o->line);
			break;
		}
	}
	arr = grow(vs->rs, vs->n_rs, sizeof(*arr));
	if (arr == NULL)
		return -ENOMEM;
	vs->rs = arr;
	rs = &arr[vs->n_rs++];
	rs->addr = a;
	rs->port = port;
	rs->weight = 1;
	rs->line = st->line;
	rs->file = st->file;
	return sem_block(s, &tb_rs, st->child, rs);
}

static const char *const sched_names[LB_SCHED__MAX] = {
	[LB_SCHED_RR] = "rr",
	[LB_SCHED_WRR] = "wrr",
	[LB_SCHED_LC] = "lc",
	[LB_SCHED_WLC] = "wlc",
};

/* keepalived's schedulers that lbapp does not have. */
static const char *const sched_unsupported[] = { "lblc", "lblcr", "sh", "dh", "mh", "sed",
	"nq", "fo", "ovf" };

static const char *const kind_names[LB_FWD__MAX] = {
	[LB_FWD_DR] = "DR",
	[LB_FWD_NAT] = "NAT",
	[LB_FWD_TUN] = "TUN",
	[LB_FWD_FNAT] = "FNAT",
};

static int
h_delay_loop(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct vs_ctx *vc = obj;

	get_timer(s, st, st->vals[0], 1, 86400 * 1000, &vc->vs->delay_loop_ms);
	return 0;
}

static int
h_lb_algo(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	const char *all[LB_SCHED__MAX + NELEM(sched_unsupported)];
	struct vs_ctx *vc = obj;
	const char *v = st->vals[0], *sg;
	unsigned int i, n = 0;

	for (i = 0; i < LB_SCHED__MAX; i++) {
		if (strcmp(v, sched_names[i]) == 0) {
			vc->vs->sched = (enum lb_sched_algo)i;
			return 0;
		}
		all[n++] = sched_names[i];
	}
	if (in_list(v, sched_unsupported, NELEM(sched_unsupported))) {
		lb_cfg_error(s->d, st->file, st->line,
			"scheduler '%s' is not supported by lbapp yet", v);
		return 0;
	}
	for (i = 0; i < NELEM(sched_unsupported); i++)
		all[n++] = sched_unsupported[i];
	sg = suggest(v, all, n);
	if (sg != NULL)
		lb_cfg_error(s->d, st->file, st->line,
			"unknown scheduler '%s'; did you mean '%s'?", v, sg);
	else
		lb_cfg_error(s->d, st->file, st->line, "unknown scheduler '%s'", v);
	return 0;
}

static int
h_lb_kind(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct vs_ctx *vc = obj;
	const char *v = st->vals[0], *sg;
	unsigned int i;

	for (i = 0; i < LB_FWD__MAX; i++) {
		if (strcmp(v, kind_names[i]) == 0) {
			vc->vs->kind = (enum lb_fwd_kind)i;
			return 0;
		}
	}
	if (strcmp(v, "FULLNAT") == 0) {
		vc->vs->kind = LB_FWD_FNAT;
		return 0;
	}
	sg = suggest(v, kind_names, LB_FWD__MAX);
	if (sg != NULL)
		lb_cfg_error(s->d, st->file, st->line,
			"invalid %s '%s'; did you mean '%s'?", st->kw, v, sg);
	else
		lb_cfg_error(s->d, st->file, st->line,
			"invalid %s '%s': must be DR, NAT, TUN or FNAT", st->kw, v);
	return 0;
}

static int
h_laddr_group_name(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct vs_ctx *vc = obj;

	get_str(s, st, st->kw, st->vals[0], vc->vs->laddr_group_name,
		sizeof(vc->vs->laddr_group_name));
	return 0;
}

static int
h_protocol(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct vs_ctx *vc = obj;
	const char *v = st->vals[0];

	if (strcasecmp(v, "TCP") == 0)
		vc->vs->proto = IPPROTO_TCP;
	else if (strcasecmp(v, "UDP") == 0)
		vc->vs->proto = IPPROTO_UDP;
	else if (strcasecmp(v, "SCTP") == 0)
		lb_cfg_error(s->d, st->file, st->line,
			"protocol %s is not supported by lbapp yet", v);
	else
		lb_cfg_error(s->d, st->file, st->line,
			"invalid protocol '%s': must be TCP or UDP", v);
	return 0;
}

static int
h_persistence(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct vs_ctx *vc = obj;
	uint64_t v;

	if (st->n_vals == 0) {
		vc->vs->persistence_timeout = 360;	/* keepalived's default */
		return 0;
	}
	if (get_uint(s, st, st->kw, st->vals[0], 0, UINT32_MAX / 1000, &v))
		vc->vs->persistence_timeout = (uint32_t)v;
	return 0;
}

static const struct kw_def kw_vs[] = {
	KW("delay_loop", h_delay_loop, 1, 1, BLK_NO, KW_ONCE),
	KW("lb_algo", h_lb_algo, 1, 1, BLK_NO, KW_ONCE),
	KW("lvs_sched", h_lb_algo, 1, 1, BLK_NO, KW_ONCE),
	KW("lb_kind", h_lb_kind, 1, 1, BLK_NO, KW_ONCE),
	KW("lvs_method", h_lb_kind, 1, 1, BLK_NO, KW_ONCE),
	KW("protocol", h_protocol, 1, 1, BLK_NO, KW_ONCE),
	KW("laddr_group_name", h_laddr_group_name, 1, 1, BLK_NO, KW_ONCE),
	KW("persistence_timeout", h_persistence, 0, 1, BLK_NO, KW_ONCE),
	KW("real_server", h_rs, 1, 2, BLK_ANY, 0),
	KW_SKIP("persistence_granularity"),
	KW_SKIP("persistence_engine"),
	KW_SKIP("ha_suspend"),
	KW_SKIP("virtualhost"),
	KW_SKIP("alpha"),
	KW_SKIP("omega"),
	KW_SKIP("quorum"),
	KW_SKIP("quorum_up"),
	KW_SKIP("quorum_down"),
	KW_SKIP("hysteresis"),
	KW_SKIP("sorry_server"),
	KW_SKIP("sorry_server_inhibit"),
	KW_SKIP("sorry_server_lvs_method"),
	KW_SKIP("inhibit_on_failure"),
	KW_SKIP("ops"),
	KW_SKIP("ip_family"),
	KW_SKIP("smtp_alert"),
	KW_SKIP("connect_timeout"),
	KW_SKIP("retry"),
	KW_SKIP("delay_before_retry"),
	KW_SKIP("warmup"),
	KW_SKIP("mh-port"),
	KW_SKIP("mh-fallback"),
	KW_SKIP("sh-port"),
	KW_SKIP("sh-fallback"),
	KW_SKIP("flag-1"),
	KW_SKIP("flag-2"),
	KW_SKIP("flag-3"),
};

static const struct kw_table tb_vs = TABLE("virtual_server", kw_vs);

static int
h_vs(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	const struct lb_cfg_stmt *seen[NELEM(kw_vs)] = { NULL };
	struct lb_config *cfg = s->cfg;
	struct vs_ctx vc = { .vs = NULL };
	struct lb_cfg_vs *arr, *vs;
	struct lb_cfg_addr a = { 0, 0 };
	uint16_t port = 0;
	char ipb[INET_ADDRSTRLEN];
	bool ok = false;
	unsigned int i;
	int rc;

	(void)obj;
	if (strcmp(st->vals[0], "fwmark") == 0 || strcmp(st->vals[0], "group") == 0)
		lb_cfg_error(s->d, st->file, st->line,
			"virtual_server %s is not supported by lbapp yet", st->vals[0]);
	else if (st->n_vals < 2)
		lb_cfg_error(s->d, st->file, st->line,
			"virtual_server needs an address and a port");
	else
		ok = get_addr(s, st, st->vals[0], false, &a) &&
			get_port(s, st, st->vals[1], &port);

	arr = grow(cfg->vs, cfg->n_vs, sizeof(*arr));
	if (arr == NULL)
		return -ENOMEM;
	cfg->vs = arr;
	vs = &arr[cfg->n_vs++];
	vs->vip = a.ip;
	vs->port = ok ? port : 0;	/* port 0 marks a VS with a bad header */
	vs->proto = IPPROTO_TCP;
	vs->sched = LB_SCHED_WLC;	/* keepalived leaves it to IPVS: wlc */
	vs->kind = LB_FWD_NAT;		/* keepalived's default */
	vs->laddr_group = -1;
	vs->delay_loop_ms = 60 * 1000;
	vs->line = st->line;
	vs->file = st->file;
	vc.vs = vs;
	rc = sem_walk(s, &tb_vs, st->child, &vc, seen);
	if (rc < 0 || !ok)
		return rc;
	for (i = 0; i + 1 < cfg->n_vs; i++) {
		const struct lb_cfg_vs *o = &cfg->vs[i];

		if (o->port == vs->port && o->vip == vs->vip && o->proto == vs->proto) {
			lb_cfg_error(s->d, st->file, st->line,
				"duplicate virtual_server %s %u %s (first defined at %s:%u)",
				ip_str(vs->vip, ipb, sizeof(ipb)), vs->port,
				vs->proto == IPPROTO_UDP ? "UDP" : "TCP", o->file, o->line);
			break;
		}
	}
	return 0;
}

/* ---- top level ---- */

/* "A.B.C.D" or "A.B.C.D-E" (last octet range) into the group. */
static int
laddr_add(struct sem *s, const struct lb_cfg_stmt *st, struct lb_cfg_laddr_group *g,
	  const char *val)
{
	char buf[INET_ADDRSTRLEN + 4];
	const char *dash = strchr(val, '-');
	struct lb_cfg_addr a;
	uint64_t last = 0;
	uint32_t first, ip, *arr;
	unsigned int i, o;

	if (strlen(val) >= sizeof(buf)) {
		lb_cfg_error(s->d, st->file, st->line, "invalid local address '%s'", val);
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", val);
	if (dash != NULL)
		buf[dash - val] = '\0';
	if (!get_addr(s, st, buf, false, &a))
		return 0;
	first = ntohl(a.ip) & 0xff;
	if (dash == NULL) {
		last = first;
	} else if (!parse_u64(dash + 1, 255, &last) || last < first) {
		lb_cfg_error(s->d, st->file, st->line,
			"invalid local address range '%s': want A.B.C.D-E with D <= E <= 255", val);
		return 0;
	}
	for (o = first; o <= last; o++) {
		ip = htonl((ntohl(a.ip) & ~0xffu) | o);
		for (i = 0; i < g->n_addrs; i++)
			if (g->addrs[i] == ip)
				break;
		if (i < g->n_addrs) {
			lb_cfg_error(s->d, st->file, st->line,
				"local address %s given twice in local_address_group '%s'",
				ip_str(ip, buf, sizeof(buf)), g->name);
			continue;
		}
		arr = grow(g->addrs, g->n_addrs, sizeof(*arr));
		if (arr == NULL)
			return -ENOMEM;
		g->addrs = arr;
		arr[g->n_addrs++] = ip;
	}
	return 0;
}

static int
h_laddr_group(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	struct lb_config *cfg = s->cfg;
	struct lb_cfg_laddr_group *arr, *g;
	const struct lb_cfg_stmt *c;
	unsigned int i;
	int rc;

	(void)obj;
	arr = grow(cfg->laddr_groups, cfg->n_laddr_groups, sizeof(*arr));
	if (arr == NULL)
		return -ENOMEM;
	cfg->laddr_groups = arr;
	g = &arr[cfg->n_laddr_groups++];
	memset(g, 0, sizeof(*g));
	g->line = st->line;
	g->file = st->file;
	get_str(s, st, st->kw, st->vals[0], g->name, sizeof(g->name));
	for (i = 0; i + 1 < cfg->n_laddr_groups; i++)
		if (strcmp(cfg->laddr_groups[i].name, g->name) == 0)
			lb_cfg_error(s->d, st->file, st->line,
				"duplicate local_address_group '%s' (first defined at %s:%u)",
				g->name, cfg->laddr_groups[i].file, cfg->laddr_groups[i].line);
	for (c = st->child; c != NULL; c = c->next) {
		rc = laddr_add(s, c, g, c->kw);
		for (i = 0; rc == 0 && i < c->n_vals; i++)
			rc = laddr_add(s, c, g, c->vals[i]);
		if (rc < 0)
			return rc;
	}
	if (g->n_addrs == 0)
		lb_cfg_error(s->d, st->file, st->line,
			"local_address_group '%s' has no address", g->name);
	return 0;
}


static int
h_global(struct sem *s, const struct lb_cfg_stmt *st, void *obj)
{
	(void)obj;
	return sem_block(s, &tb_global, st->child, &s->cfg->global);
}

static const struct kw_def kw_top[] = {
	KW("global_defs", h_global, 0, 0, BLK_YES, 0),
	KW("vrrp_instance", h_vrrp, 1, 1, BLK_YES, 0),
	KW("virtual_server", h_vs, 1, 2, BLK_YES, 0),
	KW("local_address_group", h_laddr_group, 1, 1, BLK_YES, 0),
	KW_SKIP("vrrp_script"),
	KW_SKIP("vrrp_sync_group"),
	KW_SKIP("virtual_server_group"),
	KW_SKIP("static_ipaddress"),
	KW_SKIP("static_routes"),
	KW_SKIP("static_rules"),
	KW_SKIP("garp_group"),
	KW_SKIP("vrrp_track_file"),
	KW_SKIP("track_file"),
	KW_SKIP("vrrp_track_process"),
	KW_SKIP("bfd_instance"),
};

static const struct kw_table tb_top = TABLE(NULL, kw_top);

/* Tables searched for "it belongs in X" hints. */
static const struct kw_table *const all_tables[] = {
	&tb_top, &tb_global, &tb_vrrp, &tb_vs, &tb_rs, &tb_auth,
};

static const struct kw_def *
find_kw(const struct kw_table *tb, const char *kw)
{
	unsigned int i;

	for (i = 0; i < tb->n; i++)
		if (strcmp(tb->kws[i].name, kw) == 0)
			return &tb->kws[i];
	return NULL;
}

static void
unknown_kw(struct sem *s, const struct kw_table *tb, const struct lb_cfg_stmt *st)
{
	const char *where = tb->name != NULL ? tb->name : "top level";
	const char *sg;
	unsigned int i;

	for (i = 0; i < NELEM(all_tables); i++) {
		const struct kw_table *o = all_tables[i];

		if (o == tb || find_kw(o, st->kw) == NULL)
			continue;
		lb_cfg_error(s->d, st->file, st->line, "'%s' is not valid %s %s (it belongs %s %s)",
			st->kw, tb->name != NULL ? "in" : "at", where,
			o->name != NULL ? "in" : "at", o->name != NULL ? o->name : "top level");
		return;
	}
	sg = suggest_kw(st->kw, tb);
	if (tb->name == NULL) {
		if (sg != NULL)
			lb_cfg_error(s->d, st->file, st->line,
				"unknown top-level block '%s'; did you mean '%s'?", st->kw, sg);
		else
			lb_cfg_error(s->d, st->file, st->line,
				"unknown top-level block '%s'", st->kw);
		return;
	}
	if (sg != NULL)
		lb_cfg_error(s->d, st->file, st->line,
			"unknown keyword '%s' in %s; did you mean '%s'?", st->kw, tb->name, sg);
	else
		lb_cfg_error(s->d, st->file, st->line,
			"unknown keyword '%s' in %s", st->kw, tb->name);
}

/* Check a statement against its table entry; false when it must be skipped. */
static bool
check_shape(struct sem *s, const struct kw_def *def, const struct lb_cfg_stmt *st)
{
	bool ok = true;

	if (def->blk == BLK_YES && !st->has_block) {
		lb_cfg_error(s->d, st->file, st->line, "'%s' needs a { } block", st->kw);
		ok = false;
	} else if (def->blk == BLK_NO && st->has_block) {
		lb_cfg_error(s->d, st->file, st->line, "'%s' does not take a { } block", st->kw);
		ok = false;
	}
	if (st->n_vals < def->min_vals) {
		lb_cfg_error(s->d, st->file, st->line, "missing value for '%s'", st->kw);
		ok = false;
	} else if (def->max_vals != VALS_ANY && st->n_vals > def->max_vals) {
		if (def->max_vals == 0)
			lb_cfg_error(s->d, st->file, st->line,
				"too many values for '%s' (it takes none)", st->kw);
		else
			lb_cfg_error(s->d, st->file, st->line,
				"too many values for '%s' (at most %u)", st->kw, def->max_vals);
		ok = false;
	}
	return ok;
}

/* Index of a keyword's slot: aliases share their handler, and so a slot. */
static unsigned int
kw_slot(const struct kw_table *tb, const struct kw_def *def)
{
	unsigned int j;

	if (def->fn == NULL)
		return (unsigned int)(def - tb->kws);
	for (j = 0; tb->kws[j].fn != def->fn; j++)
		;
	return j;
}

/* Was the keyword (or an alias) in the block walked with this seen[]? */
static bool
given(const struct kw_table *tb, const struct lb_cfg_stmt *const *seen, const char *kw)
{
	const struct kw_def *def = find_kw(tb, kw);

	return def != NULL && seen[kw_slot(tb, def)] != NULL;
}

/*
 * Walk one block's statements with its keyword table. seen[] (tb->n slots,
 * zeroed) gets the last statement of each keyword given, even a bad one.
 */
static int
sem_walk(struct sem *s, const struct kw_table *tb, const struct lb_cfg_stmt *list, void *obj,
		const struct lb_cfg_stmt **seen)
{
	const struct lb_cfg_stmt *st;
	const struct kw_def *def;
	unsigned int idx;
	int rc = 0;

	for (st = list; st != NULL && rc == 0; st = st->next) {
		if (strcmp(st->kw, "include") == 0) {
			lb_cfg_error(s->d, st->file, st->line,
				"'include' is not supported by lbapp yet");
			continue;
		}
		if (st->kw[0] == '$') {
			lb_cfg_error(s->d, st->file, st->line,
				"parameters ('%s') are not supported by lbapp yet", st->kw);
			continue;
		}
		if (st->kw[0] == '@') {
			lb_cfg_error(s->d, st->file, st->line,
				"conditional lines ('%s') are not supported by lbapp yet", st->kw);
			continue;
		}
		def = find_kw(tb, st->kw);
		if (def == NULL) {
			unknown_kw(s, tb, st);
			continue;
		}
		idx = kw_slot(tb, def);
		if ((def->flags & KW_ONCE) && seen[idx] != NULL)
			lb_cfg_warn(s->d, st->file, st->line,
				"'%s' given again (first at %s:%u); the last one is used",
				st->kw, seen[idx]->file, seen[idx]->line);
		seen[idx] = st;
		if (def->flags & KW_NOTIMPL) {
			lb_cfg_warn(s->d, st->file, st->line,
				"'%s' is not implemented by lbapp yet; ignored", st->kw);
			continue;
		}
		if (!check_shape(s, def, st))
			continue;
		rc = def->fn(s, st, obj);
	}
	return rc;
}

static int
sem_block(struct sem *s, const struct kw_table *tb, const struct lb_cfg_stmt *list, void *obj)
{
	const struct lb_cfg_stmt **seen;
	int rc;

	seen = calloc(tb->n, sizeof(*seen));
	if (seen == NULL)
		return -ENOMEM;
	rc = sem_walk(s, tb, list, obj, seen);
	free(seen);
	return rc;
}

/* Checks that need the whole file (global_defs may come last). */
static void
finish(struct sem *s)
{
	struct lb_config *cfg = s->cfg;
	const struct lb_cfg_global *g = &cfg->global;
	char ipb[INET_ADDRSTRLEN];
	unsigned int i;

	for (i = 0; i < cfg->n_vrrp; i++) {
		struct lb_cfg_vrrp *v = &cfg->vrrp[i];

		if (v->garp_master_delay_ms == UNSET_U32)
			v->garp_master_delay_ms = g->garp_master_delay_ms;
		if (v->garp_master_repeat == UNSET_U32)
			v->garp_master_repeat = g->garp_master_repeat;
		if (g->vrrp_version == 2 && v->advert_int_ms % 1000 != 0)
			lb_cfg_warn(s->d, v->file, v->line,
				"vrrp_instance '%s': advert_int %u.%03u s is not whole seconds, "
				"which VRRP version 2 cannot advertise (use vrrp_version 3)",
				v->name, v->advert_int_ms / 1000, v->advert_int_ms % 1000);
		if (g->vrrp_version == 3 && v->advert_int_ms > 40950)
			lb_cfg_error(s->d, v->file, v->line,
				"vrrp_instance '%s': advert_int is over 40.95 s, "
				"the most VRRP version 3 can advertise", v->name);
		if (g->vrrp_version == 3 && v->auth_type != LB_VRRP_AUTH_NONE)
			lb_cfg_warn(s->d, v->file, v->line,
				"vrrp_instance '%s': authentication is ignored with VRRP version 3",
				v->name);
	}
	for (i = 0; i < cfg->n_vs; i++) {
		struct lb_cfg_vs *vs = &cfg->vs[i];
		unsigned int j;

		if (vs->laddr_group_name[0] != '\0') {
			for (j = 0; j < cfg->n_laddr_groups; j++)
				if (strcmp(cfg->laddr_groups[j].name, vs->laddr_group_name) == 0)
					vs->laddr_group = (int)j;
			if (vs->laddr_group < 0)
				lb_cfg_error(s->d, vs->file, vs->line,
					"laddr_group_name '%s': no local_address_group of that name",
					vs->laddr_group_name);
			else if (vs->kind != LB_FWD_FNAT)
				lb_cfg_warn(s->d, vs->file, vs->line,
					"laddr_group_name is only used by lb_kind FNAT; ignored");
		} else if (vs->kind == LB_FWD_FNAT) {
			lb_cfg_error(s->d, vs->file, vs->line,
				"lb_kind FNAT needs laddr_group_name (a local_address_group)");
		}
		if (vs->port == 0 || lb_cfg_vrrp_for_vip(cfg, vs->vip) != NULL)
			continue;
		lb_cfg_warn(s->d, vs->file, vs->line,
			"virtual_server address %s is not a virtual_ipaddress of any vrrp_instance",
			ip_str(vs->vip, ipb, sizeof(ipb)));
	}
}

/* ---- public API ---- */

void
lb_cfg_free(struct lb_config *cfg)
{
	unsigned int i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->global.n_emails; i++)
		free(cfg->global.emails[i]);
	free(cfg->global.emails);
	for (i = 0; i < cfg->n_vrrp; i++)
		free(cfg->vrrp[i].vips);
	free(cfg->vrrp);
	for (i = 0; i < cfg->n_vs; i++)
		free(cfg->vs[i].rs);
	free(cfg->vs);
	for (i = 0; i < cfg->n_laddr_groups; i++)
		free(cfg->laddr_groups[i].addrs);
	free(cfg->laddr_groups);
	for (i = 0; i < cfg->n_files; i++)
		free(cfg->files[i]);
	free(cfg->files);
	free(cfg);
}

static struct lb_config *
cfg_parse(const char *text, size_t len, const char *name, FILE *diag)
{
	struct lb_cfg_diag d = { .out = diag != NULL ? diag : stderr };
	struct lb_cfg_stmt *tree = NULL;
	struct sem s = { .d = &d };
	struct lb_config *cfg;
	bool structure_ok = false;
	int rc = -ENOMEM;

	cfg = calloc(1, sizeof(*cfg));
	if (cfg == NULL)
		goto fail;
	cfg->files = calloc(1, sizeof(*cfg->files));
	if (cfg->files == NULL)
		goto fail;
	cfg->files[0] = strdup(name != NULL ? name : "<string>");
	if (cfg->files[0] == NULL)
		goto fail;
	cfg->n_files = 1;
	cfg->global.smtp_port = 25;
	cfg->global.smtp_connect_timeout_ms = 30 * 1000;
	cfg->global.vrrp_version = 2;
	cfg->global.garp_master_delay_ms = 5 * 1000;
	cfg->global.garp_master_repeat = 5;
	s.cfg = cfg;

	rc = lb_cfg_lex(&d, cfg->files[0], text, len, &tree, &structure_ok);
	if (rc < 0)
		goto fail;
	/* With broken braces the tree means something else: stop there. */
	if (structure_ok) {
		rc = sem_block(&s, &tb_top, tree, NULL);
		if (rc < 0)
			goto fail;
		finish(&s);
	}
	lb_cfg_stmt_free(tree);
	tree = NULL;
	cfg->n_warnings = d.n_warnings;
	if (d.n_errors > 0) {
		rc = -EINVAL;
		goto fail;
	}
	fflush(d.out);
	return cfg;
fail:
	fflush(d.out);
	lb_cfg_stmt_free(tree);
	lb_cfg_free(cfg);
	errno = -rc;
	return NULL;
}

struct lb_config *
lb_cfg_parse_string(const char *text, const char *name, FILE *diag)
{
	if (text == NULL) {
		errno = EINVAL;
		return NULL;
	}
	return cfg_parse(text, strlen(text), name, diag);
}

struct lb_config *
lb_cfg_load(const char *path, FILE *diag)
{
	struct lb_config *cfg = NULL;
	size_t len = 0, cap = 0, n;
	char *buf = NULL, *nb;
	FILE *f;
	int err;

	if (path == NULL) {
		errno = EINVAL;
		return NULL;
	}
	f = fopen(path, "r");
	if (f == NULL)
		return NULL;
	for (;;) {
		if (len == cap) {
			if (cap >= CFG_FILE_MAX) {
				err = EFBIG;
				goto out;
			}
			cap = cap == 0 ? 16384 : cap * 2;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				err = ENOMEM;
				goto out;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0) {
			if (ferror(f)) {
				err = errno != 0 ? errno : EIO;
				goto out;
			}
			break;
		}
	}
	cfg = cfg_parse(buf, len, path, diag);
	err = cfg == NULL ? errno : 0;
out:
	fclose(f);
	free(buf);
	errno = err;
	return cfg;
}

const struct lb_cfg_vrrp *
lb_cfg_vrrp_for_vip(const struct lb_config *cfg, uint32_t ip)
{
	unsigned int i, j;

	if (cfg == NULL)
		return NULL;
	for (i = 0; i < cfg->n_vrrp; i++)
		for (j = 0; j < cfg->vrrp[i].n_vips; j++)
			if (cfg->vrrp[i].vips[j].addr.ip == ip)
				return &cfg->vrrp[i];
	return NULL;
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

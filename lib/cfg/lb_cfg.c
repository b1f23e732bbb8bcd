/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lb.conf semantic pass, core: value helpers, the keyword walker, the
 * top-level table, cross-block checks and the public API.
 *
 * Each block type has a keyword table (name, handler, value count, block or
 * not, flags, field offset and range for the generic handlers); the walker
 * lb_cfg_sem_walk() checks what the table says and calls the handler, so a
 * new keyword is one table line. The block tables are in lb_cfg_vrrp.c
 * (global_defs, vrrp_*) and lb_cfg_vs.c (virtual servers, checkers). What
 * this build forwards with is decided in lb_cfg_caps.c only.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>

#include "lb_cfg.h"
#include "lb_cfg_int.h"

#define CFG_FILE_MAX (16u << 20)

/* Strings owned by a config: one allocation each, chained. */
struct str_node {
	struct str_node *next;
	char s[];
};

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
const char *
lb_cfg_suggest(const char *word, const char *const *names, unsigned int n)
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


static bool
parse_i64(const char *str, int64_t min, int64_t max, int64_t *out)
{
	uint64_t v;
	bool neg = false;

	if (*str == '-' || *str == '+') {
		neg = *str == '-';
		str++;
	}
	if (!parse_u64(str, (uint64_t)INT64_MAX, &v))
		return false;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return *out >= min && *out <= max;
}

const char *
lb_cfg_addr_str(const struct lb_cfg_addr *a, char *buf, size_t len)
{
	struct in_addr in = { .s_addr = a->ip };

	if (a->family == AF_INET6)
		return inet_ntop(AF_INET6, &a->ip6, buf, len);
	return inet_ntop(AF_INET, &in, buf, len);
}

bool
lb_cfg_addr_eq(const struct lb_cfg_addr *a, const struct lb_cfg_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET6)
		return memcmp(&a->ip6, &b->ip6, sizeof(a->ip6)) == 0;
	return a->ip == b->ip;
}

bool
lb_cfg_in_list(const char *w, const char *const *list, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (strcmp(w, list[i]) == 0)
			return true;
	return false;
}

static const char *
suggest_kw(const char *word, const struct kw_table *tb)
{
	const char *names[256];
	unsigned int i, n = 0;

	for (i = 0; i < tb->n && n < LB_CFG_NELEM(names); i++)
		names[n++] = tb->kws[i].name;
	return lb_cfg_suggest(word, names, n);
}

void *
lb_cfg_grow(void *arr, unsigned int n, size_t size)
{
	char *p = realloc(arr, (n + 1) * size);

	if (p != NULL)
		memset(p + n * size, 0, size);
	return p;
}

char *
lb_cfg_strdup(struct sem *s, const char *str, size_t len)
{
	struct str_node *n = calloc(1, sizeof(*n) + len + 1);

	if (n == NULL)
		return NULL;
	if (str != NULL)
		memcpy(n->s, str, len);
	n->s[len] = '\0';
	n->next = s->cfg->priv;
	s->cfg->priv = n;
	return n->s;
}

/* ---- value helpers: report and return false on a bad value ---- */

bool
lb_cfg_get_uint(struct sem *s, const struct lb_cfg_stmt *st, const char *what, const char *val,
		uint64_t min, uint64_t max, uint64_t *out)
{
	if (parse_u64(val, max, out) && *out >= min)
		return true;
	lb_cfg_error(s->d, st->file, st->line,
		"invalid %s '%s': must be an integer from %" PRIu64 " to %" PRIu64,
		what, val, min, max);
	return false;
}

bool
lb_cfg_get_int(struct sem *s, const struct lb_cfg_stmt *st, const char *what, const char *val,
		int64_t min, int64_t max, int64_t *out)
{
	if (parse_i64(val, min, max, out))
		return true;
	lb_cfg_error(s->d, st->file, st->line,
		"invalid %s '%s': must be an integer from %" PRId64 " to %" PRId64,
		what, val, min, max);
	return false;
}

bool
lb_cfg_get_port(struct sem *s, const struct lb_cfg_stmt *st, const char *val, uint16_t *port)
{
	uint64_t v;

	if (!lb_cfg_get_uint(s, st, "port", val, 1, 65535, &v))
		return false;
	*port = (uint16_t)v;
	return true;
}

bool
lb_cfg_get_timer(struct sem *s, const struct lb_cfg_stmt *st, const char *val,
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
		if (min_ms == 1)
			lb_cfg_error(s->d, st->file, st->line,
				"invalid %s '%s': must be greater than 0", st->kw, val);
		else
			lb_cfg_error(s->d, st->file, st->line,
				"invalid %s '%s': must be at least %" PRIu64 ".%03" PRIu64
				" seconds", st->kw, val, min_ms / 1000, min_ms % 1000);
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

bool
lb_cfg_get_str(struct sem *s, const struct lb_cfg_stmt *st, const char *what, const char *val,
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

bool
lb_cfg_get_bool(struct sem *s, const struct lb_cfg_stmt *st, const char *val, bool *out)
{
	static const char *const yes[] = { "on", "true", "yes" };
	static const char *const no[] = { "off", "false", "no" };
	unsigned int i;

	for (i = 0; i < LB_CFG_NELEM(yes); i++) {
		if (strcasecmp(val, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(val, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	lb_cfg_error(s->d, st->file, st->line,
		"invalid %s '%s': must be on, off, true, false, yes or no", st->kw, val);
	return false;
}

/* IPv4 or IPv6 address with an optional "/len"; false when malformed. */
static bool
parse_addr(const char *val, bool prefix_ok, struct lb_cfg_addr *a, bool *bad_prefix)
{
	const char *slash = strchr(val, '/');
	size_t alen = slash != NULL ? (size_t)(slash - val) : strlen(val);
	char buf[INET6_ADDRSTRLEN];
	struct lb_cfg_addr r;
	uint64_t plen;

	*bad_prefix = false;
	memset(&r, 0, sizeof(r));
	if (alen >= sizeof(buf) || alen == 0)
		return false;
	memcpy(buf, val, alen);
	buf[alen] = '\0';
	if (strchr(buf, ':') != NULL) {
		if (inet_pton(AF_INET6, buf, &r.ip6) != 1)
			return false;
		r.family = AF_INET6;
		r.prefixlen = 128;
	} else {
		struct in_addr in;

		if (inet_pton(AF_INET, buf, &in) != 1)
			return false;
		r.family = AF_INET;
		r.ip = in.s_addr;
		r.prefixlen = 32;
	}
	if (slash != NULL) {
		if (!prefix_ok || !parse_u64(slash + 1, r.prefixlen, &plen)) {
			*bad_prefix = true;
			return false;
		}
		r.prefixlen = (uint8_t)plen;
	}
	*a = r;
	return true;
}

bool
lb_cfg_parse_addr(const char *val, struct lb_cfg_addr *a)
{
	bool bp;

	return parse_addr(val, false, a, &bp);
}

bool
lb_cfg_get_addr(struct sem *s, const struct lb_cfg_stmt *st, const char *val, bool prefix_ok,
		struct lb_cfg_addr *a)
{
	bool bad_prefix;

	if (parse_addr(val, prefix_ok, a, &bad_prefix))
		return true;
	if (bad_prefix && !prefix_ok)
		lb_cfg_error(s->d, st->file, st->line,
			"invalid address '%s': no /prefix expected here", val);
	else if (bad_prefix)
		lb_cfg_error(s->d, st->file, st->line,
			"invalid address '%s': prefix length must be 0-%u", val,
			strchr(val, ':') != NULL ? 128u : 32u);
	else if (strchr(val, ':') != NULL)
		lb_cfg_error(s->d, st->file, st->line,
			"invalid address '%s': not an IPv6 address", val);
	else
		lb_cfg_error(s->d, st->file, st->line,
			"invalid address '%s': not an IPv4 address", val);
	return false;
}

/* vals[first] is the command (quoted as a whole), then optional user and group. */
int
lb_cfg_set_cmd(struct sem *s, const struct lb_cfg_stmt *st, unsigned int first,
		struct lb_cfg_cmd *c)
{
	const char *cmd = st->vals[first];

	if (*cmd == '\0') {
		lb_cfg_error(s->d, st->file, st->line, "empty command for '%s'", st->kw);
		return 0;
	}
	if (st->n_vals > first + 1 &&
			!lb_cfg_get_str(s, st, "user", st->vals[first + 1], c->user,
				sizeof(c->user)))
		return 0;
	if (st->n_vals > first + 2 &&
			!lb_cfg_get_str(s, st, "group", st->vals[first + 2], c->group,
				sizeof(c->group)))
		return 0;
	c->cmd = lb_cfg_strdup(s, cmd, strlen(cmd));
	return c->cmd == NULL ? -ENOMEM : 0;
}

/* ---- generic handlers ---- */

#define FIELD(obj, def, T) ((T *)(void *)((char *)(obj) + (def)->off))

int
lb_cfg_h_flag(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	bool v = true;

	if (st->n_vals > 0 && !lb_cfg_get_bool(s, st, st->vals[0], &v))
		return 0;
	*FIELD(obj, def, bool) = v;
	return 0;
}

int
lb_cfg_h_noflag(struct sem *s, const struct lb_cfg_stmt *st, void *obj,
		const struct kw_def *def)
{
	(void)s;
	(void)st;
	*FIELD(obj, def, bool) = false;
	return 0;
}

int
lb_cfg_h_tri(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	bool v = true;

	if (st->n_vals > 0 && !lb_cfg_get_bool(s, st, st->vals[0], &v))
		return 0;
	*FIELD(obj, def, int) = v ? 1 : 0;
	return 0;
}

int
lb_cfg_h_u32(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	uint64_t v;

	if (lb_cfg_get_uint(s, st, st->kw, st->vals[0], (uint64_t)def->lo, (uint64_t)def->hi, &v))
		*FIELD(obj, def, uint32_t) = (uint32_t)v;
	return 0;
}

int
lb_cfg_h_u8(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	uint64_t v;

	if (lb_cfg_get_uint(s, st, st->kw, st->vals[0], (uint64_t)def->lo, (uint64_t)def->hi, &v))
		*FIELD(obj, def, uint8_t) = (uint8_t)v;
	return 0;
}

int
lb_cfg_h_ms(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	lb_cfg_get_timer(s, st, st->vals[0], (uint64_t)def->lo, (uint64_t)def->hi,
		FIELD(obj, def, uint32_t));
	return 0;
}

int
lb_cfg_h_name(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	lb_cfg_get_str(s, st, st->kw, st->vals[0], FIELD(obj, def, char), LB_CFG_NAME_MAX);
	return 0;
}

int
lb_cfg_h_str(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	lb_cfg_get_str(s, st, st->kw, st->vals[0], FIELD(obj, def, char), LB_CFG_STR_MAX);
	return 0;
}

int
lb_cfg_h_cmd(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_cmd *c = FIELD(obj, def, struct lb_cfg_cmd);

	memset(c, 0, sizeof(*c));
	return lb_cfg_set_cmd(s, st, 0, c);
}

int
lb_cfg_h_addr(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_addr a;

	if (lb_cfg_get_addr(s, st, st->vals[0], false, &a))
		*FIELD(obj, def, struct lb_cfg_addr) = a;
	return 0;
}

/* ---- top level ---- */

static const struct kw_def kw_top[] = {
	KW("global_defs", lb_cfg_h_global, 0, 0, BLK_YES, 0),
	KW("vrrp_instance", lb_cfg_h_vrrp, 1, 1, BLK_YES, 0),
	KW("vrrp_script", lb_cfg_h_script, 1, 1, BLK_YES, 0),
	KW("vrrp_sync_group", lb_cfg_h_sync, 1, 1, BLK_YES, 0),
	KW("virtual_server", lb_cfg_h_vs, 1, 2, BLK_YES, 0),
	KW("virtual_server_group", lb_cfg_h_vsg, 1, 1, BLK_YES, 0),
	KW("local_address_group", lb_cfg_h_laddr, 1, 1, BLK_YES, 0),
	KW_IGN("static_ipaddress"),
	KW_IGN("static_routes"),
	KW_IGN("static_rules"),
	KW_IGN("garp_group"),
	KW_IGN("vrrp_track_file"),
	KW_IGN("track_file"),
	KW_IGN("vrrp_track_process"),
	KW_IGN("track_process"),
	KW_IGN("bfd_instance"),
	KW_IGN("linkbeat_interfaces"),
	KW_IGN("deadline_instance"),
	KW_IGN("tunnel_group"),
};

static const struct kw_table tb_top = TABLE(NULL, kw_top);

/* Tables searched for "it belongs in X" hints. */
static const struct kw_table *const all_tables[] = {
	&tb_top, &lb_cfg_tb_global, &lb_cfg_tb_vrrp, &lb_cfg_tb_vs, &lb_cfg_tb_rs,
	&lb_cfg_tb_script, &lb_cfg_tb_sync, &lb_cfg_tb_url, &lb_cfg_tb_auth,
	&lb_cfg_tb_checkers[LB_CHK_TCP], &lb_cfg_tb_checkers[LB_CHK_HTTP],
	&lb_cfg_tb_checkers[LB_CHK_MISC], &lb_cfg_tb_checkers[LB_CHK_SMTP],
	&lb_cfg_tb_checkers[LB_CHK_DNS], &lb_cfg_tb_checkers[LB_CHK_UDP],
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

	for (i = 0; i < LB_CFG_NELEM(all_tables); i++) {
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

/* Index of a keyword's slot: an alias shares its canonical keyword's. */
static unsigned int
kw_slot(const struct kw_table *tb, const struct kw_def *def)
{
	const struct kw_def *canon;

	if (def->alias != NULL) {
		canon = find_kw(tb, def->alias);
		if (canon != NULL)
			return (unsigned int)(canon - tb->kws);
	}
	return (unsigned int)(def - tb->kws);
}

const struct lb_cfg_stmt *
lb_cfg_seen(const struct kw_table *tb, const struct lb_cfg_stmt *const *seen, const char *kw)
{
	const struct kw_def *def = find_kw(tb, kw);

	return def != NULL ? seen[kw_slot(tb, def)] : NULL;
}

bool
lb_cfg_given(const struct kw_table *tb, const struct lb_cfg_stmt *const *seen, const char *kw)
{
	return lb_cfg_seen(tb, seen, kw) != NULL;
}

int
lb_cfg_sem_walk(struct sem *s, const struct kw_table *tb, const struct lb_cfg_stmt *list,
		void *obj, const struct lb_cfg_stmt **seen)
{
	const struct lb_cfg_stmt *st;
	const struct kw_def *def;
	unsigned int idx;
	int rc = 0;

	for (st = list; st != NULL && rc == 0; st = st->next) {
		if (st->kw[0] == '$') {
			lb_cfg_error(s->d, st->file, st->line,
				"'%s' is not a defined parameter (define it first with $NAME=value)",
				st->kw);
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
		if (def->flags & KW_IGNORED) {
			lb_cfg_warn(s->d, st->file, st->line,
				"'%s' is not implemented by lbapp yet; ignored", st->kw);
			continue;
		}
		if (!check_shape(s, def, st))
			continue;
		if (lb_cfg_caps_pending(tb->name != NULL ? tb->name : "", st->kw))
			lb_cfg_warn(s->d, st->file, st->line,
				"'%s' is not implemented by lbapp yet; ignored", st->kw);
		rc = def->fn(s, st, obj, def);
	}
	return rc;
}

int
lb_cfg_sem_block(struct sem *s, const struct kw_table *tb, const struct lb_cfg_stmt *list,
		void *obj)
{
	const struct lb_cfg_stmt **seen;
	int rc;

	seen = calloc(tb->n, sizeof(*seen));
	if (seen == NULL)
		return -ENOMEM;
	rc = lb_cfg_sem_walk(s, tb, list, obj, seen);
	free(seen);
	return rc;
}

/* ---- enable_script_security (keepalived -t exits 6 on a violation) ---- */

/* A root script whose file or a directory above it a non-root user can write. */
static void
check_script(struct sem *s, const char *file, unsigned int line, const char *kw,
		struct lb_cfg_cmd *c)
{
	char path[1024], *slash;
	struct stat sb;
	size_t n;

	/* Only scripts that run as root (script_cred() resolved the user). */
	if (c->cmd == NULL || c->uid != 0)
		return;
	n = strcspn(c->cmd, " \t");
	if (c->cmd[0] != '/' || n >= sizeof(path)) {
		lb_cfg_warn(s->d, file, line, "%s: script '%.*s' is not an absolute path, "
			"which enable_script_security forbids", kw, (int)n, c->cmd);
		s->cfg->script_security_violation = true;
		return;
	}
	memcpy(path, c->cmd, n);
	path[n] = '\0';
	while (path[0] != '\0') {
		if (stat(path, &sb) != 0) {
			lb_cfg_warn(s->d, file, line, "%s: cannot check %s: %s", kw, path,
				strerror(errno));
			s->cfg->script_security_violation = true;
			return;
		}
		if (sb.st_uid != 0 || (sb.st_mode & S_IWOTH) ||
				((sb.st_mode & S_IWGRP) && sb.st_gid != 0)) {
			lb_cfg_warn(s->d, file, line, "%s: %s is writable by a non-root user, "
				"so the script must not run as root (enable_script_security)",
				kw, path);
			s->cfg->script_security_violation = true;
			return;
		}
		slash = strrchr(path, '/');
		if (slash == path)
			slash[1] = '\0';
		if (strcmp(path, "/") == 0)
			break;
		*slash = '\0';
		if (path[0] == '\0')
			strcpy(path, "/");
	}
}

/*
 * Resolve who a command runs as (keepalived: the command's user, else
 * script_user, else keepalived_script if it exists, else root); an unknown
 * user or group is an error at the command's line.
 */
static void
script_cred(struct sem *s, const char *file, unsigned int line, const char *kw,
		struct lb_cfg_cmd *c)
{
	const struct lb_cfg_global *g = &s->cfg->global;
	const char *user = c->user[0] != '\0' ? c->user : g->script_user;
	const char *group = c->user[0] != '\0' ? c->group : g->script_group;
	char buf[4096];
	struct passwd pw, *pwp = NULL;
	struct group gr, *grp = NULL;

	if (c->cmd == NULL)
		return;
	if (user[0] == '\0') {
		if (getpwnam_r("keepalived_script", &pw, buf, sizeof(buf), &pwp) != 0 ||
				pwp == NULL)
			getpwnam_r("root", &pw, buf, sizeof(buf), &pwp);
	} else {
		getpwnam_r(user, &pw, buf, sizeof(buf), &pwp);
	}
	if (pwp == NULL) {
		lb_cfg_error(s->d, file, line, "%s: unknown user '%s'", kw,
			user[0] != '\0' ? user : "root");
		return;
	}
	c->uid = (uint32_t)pw.pw_uid;
	c->gid = (uint32_t)pw.pw_gid;
	if (group[0] == '\0')
		return;
	if (getgrnam_r(group, &gr, buf, sizeof(buf), &grp) != 0 || grp == NULL) {
		lb_cfg_error(s->d, file, line, "%s: unknown group '%s'", kw, group);
		return;
	}
	c->gid = (uint32_t)gr.gr_gid;
}

typedef void (*cmd_fn)(struct sem *s, const char *file, unsigned int line, const char *kw,
		struct lb_cfg_cmd *c);

/* Every script command of the config. */
static void
each_cmd(struct sem *s, cmd_fn fn)
{
	struct lb_config *cfg = s->cfg;
	unsigned int i, j, k;

	for (i = 0; i < cfg->n_scripts; i++)
		fn(s, cfg->scripts[i].file, cfg->scripts[i].line, "vrrp_script",
			&cfg->scripts[i].script);
	for (i = 0; i < cfg->n_vrrp; i++) {
		struct lb_cfg_vrrp *v = &cfg->vrrp[i];

		fn(s, v->file, v->line, "notify_master", &v->notify_master);
		fn(s, v->file, v->line, "notify_backup", &v->notify_backup);
		fn(s, v->file, v->line, "notify_fault", &v->notify_fault);
		fn(s, v->file, v->line, "notify_stop", &v->notify_stop);
		fn(s, v->file, v->line, "notify", &v->notify);
	}
	for (i = 0; i < cfg->n_sync_groups; i++) {
		struct lb_cfg_sync_group *g = &cfg->sync_groups[i];

		fn(s, g->file, g->line, "notify_master", &g->notify_master);
		fn(s, g->file, g->line, "notify_backup", &g->notify_backup);
		fn(s, g->file, g->line, "notify_fault", &g->notify_fault);
		fn(s, g->file, g->line, "notify_stop", &g->notify_stop);
		fn(s, g->file, g->line, "notify", &g->notify);
	}
	for (i = 0; i < cfg->n_vs; i++) {
		struct lb_cfg_vs *vs = &cfg->vs[i];

		fn(s, vs->file, vs->line, "quorum_up", &vs->quorum_up);
		fn(s, vs->file, vs->line, "quorum_down", &vs->quorum_down);
		for (j = 0; j < vs->n_rs; j++) {
			struct lb_cfg_rs *rs = &vs->rs[j];

			fn(s, rs->file, rs->line, "notify_up", &rs->notify_up);
			fn(s, rs->file, rs->line, "notify_down", &rs->notify_down);
			for (k = 0; k < rs->n_checkers; k++)
				fn(s, rs->checkers[k].file, rs->checkers[k].line,
					"misc_path", &rs->checkers[k].misc_path);
		}
	}
}

static void
script_security(struct sem *s)
{
	if (s->cfg->global.enable_script_security)
		each_cmd(s, check_script);
}

/* ---- public API ---- */

void
lb_cfg_free(struct lb_config *cfg)
{
	struct str_node *n, *next;
	unsigned int i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->global.n_emails; i++)
		free(cfg->global.emails[i]);
	free(cfg->global.emails);
	lb_cfg_vrrp_free(cfg);
	lb_cfg_vs_free(cfg);
	for (i = 0; i < cfg->n_files; i++)
		free(cfg->files[i]);
	free(cfg->files);
	for (n = cfg->priv; n != NULL; n = next) {
		next = n->next;
		free(n);
	}
	free(cfg);
}

static struct lb_config *
cfg_parse(const char *text, size_t len, const char *name, const struct lb_cfg_opts *opts,
		FILE *diag)
{
	struct lb_cfg_diag d = { .out = diag != NULL ? diag : stderr };
	struct lb_cfg_pp_out pp = { .text = NULL };
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
	lb_cfg_global_defaults(&cfg->global);
	s.cfg = cfg;

	rc = lb_cfg_pp(&d, cfg, opts, text, len, &pp);
	if (rc < 0)
		goto fail;
	rc = lb_cfg_lex(&d, cfg->files[0], pp.text, pp.len, pp.map, pp.n_map, &tree,
		&structure_ok);
	if (rc < 0)
		goto fail;
	/* With broken braces the tree means something else: stop there. */
	if (structure_ok) {
		rc = lb_cfg_sem_block(&s, &tb_top, tree, NULL);
		if (rc < 0)
			goto fail;
		lb_cfg_vrrp_finish(&s);
		lb_cfg_vs_finish(&s);
		each_cmd(&s, script_cred);
		script_security(&s);
	}
	lb_cfg_stmt_free(tree);
	tree = NULL;
	free(pp.text);
	pp.text = NULL;
	free(pp.map);
	pp.map = NULL;
	free(s.vrrp_flags);
	s.vrrp_flags = NULL;
	free(s.rs_flags);
	s.rs_flags = NULL;
	cfg->n_warnings = d.n_warnings;
	if (d.n_errors > 0) {
		rc = -EINVAL;
		goto fail;
	}
	fflush(d.out);
	return cfg;
fail:
	fflush(d.out);
	free(pp.text);
	free(pp.map);
	free(s.vrrp_flags);
	free(s.rs_flags);
	lb_cfg_stmt_free(tree);
	lb_cfg_free(cfg);
	errno = -rc;
	return NULL;
}

struct lb_config *
lb_cfg_parse_string_opts(const char *text, const char *name, const struct lb_cfg_opts *opts,
		FILE *diag)
{
	if (text == NULL) {
		errno = EINVAL;
		return NULL;
	}
	return cfg_parse(text, strlen(text), name, opts, diag);
}

struct lb_config *
lb_cfg_parse_string(const char *text, const char *name, FILE *diag)
{
	return lb_cfg_parse_string_opts(text, name, NULL, diag);
}

struct lb_config *
lb_cfg_load_opts(const char *path, const struct lb_cfg_opts *opts, FILE *diag)
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
	cfg = cfg_parse(buf, len, path, opts, diag);
	err = cfg == NULL ? errno : 0;
out:
	fclose(f);
	free(buf);
	errno = err;
	return cfg;
}

struct lb_config *
lb_cfg_load(const char *path, FILE *diag)
{
	return lb_cfg_load_opts(path, NULL, diag);
}

const struct lb_cfg_vrrp *
lb_cfg_vrrp_for_vip(const struct lb_config *cfg, uint32_t ip)
{
	unsigned int i, j;

	if (cfg == NULL)
		return NULL;
	for (i = 0; i < cfg->n_vrrp; i++)
		for (j = 0; j < cfg->vrrp[i].n_vips; j++)
			if (cfg->vrrp[i].vips[j].addr.family != AF_INET6 &&
					cfg->vrrp[i].vips[j].addr.ip == ip)
				return &cfg->vrrp[i];
	return NULL;
}

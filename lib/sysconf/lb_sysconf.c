/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk.conf loader. libconfig does the syntax; everything else (known keys,
 * types, ranges, cross references) is checked here. Errors are collected,
 * sorted by file and line, and printed together.
 */

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <libconfig.h>

#include "lb_sysconf.h"

#define SC_FILE_MAX (16u << 20)	/* refuse to read more than 16 MiB */
#define SC_KEY_MAX 64		/* longest key considered for suggestions */

struct sc_err {
	const char *file;	/* NULL: the main file */
	unsigned int line;
	unsigned int seq;
	char *msg;
};

struct sc_ctx {
	const char *path;
	char *incdir;		/* directory of path, for @include; may be NULL */
	FILE *diag;
	struct lb_sysconf *sc;
	char *text;		/* contents of path, NUL-terminated */
	size_t text_len;
	struct sc_err *errs;
	unsigned int n_errs;
	unsigned int cap_errs;
	bool ports_bad;		/* ports missing or wrong: skip cross-reference errors */
	bool nomem;
};

/* One integer key: where it goes in struct lb_sysconf and its limits. */
struct sc_uint_key {
	const char *name;
	size_t off;
	size_t size;
	uint32_t min;
	uint32_t max;
	bool pow2;
};

#define SC_FIELD_SIZE(f) sizeof(((struct lb_sysconf *)0)->f)
#define SC_UINT(n, f, mn, mx, p2) \
	{ n, offsetof(struct lb_sysconf, f), SC_FIELD_SIZE(f), mn, mx, p2 }

static const struct sc_uint_key top_uints[] = {
	SC_UINT("mbufs", mbufs, 1023, (1u << 30) - 1, false),
	SC_UINT("mbuf_cache", mbuf_cache, 0, 512, false),
	SC_UINT("rx_desc", rx_desc, 64, 32768, false),
	SC_UINT("tx_desc", tx_desc, 64, 32768, false),
	SC_UINT("burst", burst, 1, 256, false),
	SC_UINT("conn_table_size", conn_table_size, 1024, 1u << 28, true),
	SC_UINT("ctl_ring_size", ctl_ring_size, 64, 1u << 24, true),
	SC_UINT("arp_refresh", arp_refresh, 1, 3600, false),
};

static const struct sc_uint_key timeout_uints[] = {
	SC_UINT("tcp_established", timeouts.tcp_established, 1, 86400, false),
	SC_UINT("tcp_syn_recv", timeouts.tcp_syn_recv, 1, 86400, false),
	SC_UINT("tcp_fin_wait", timeouts.tcp_fin_wait, 1, 86400, false),
	SC_UINT("tcp_close", timeouts.tcp_close, 1, 86400, false),
	SC_UINT("udp", timeouts.udp, 1, 86400, false),
};

static const char *const top_keys[] = {
	"ports", "neighbors", "mbufs", "mbuf_cache", "rx_desc", "tx_desc", "burst",
	"conn_table_size", "ctl_ring_size", "arp_refresh", "timeouts", "eal_args",
	"unknown_tcp", "metrics_listen", NULL,
};
static const char *const port_keys[] = { "name", "dev", "address", "host_if", NULL };
static const char *const neigh_keys[] = { "ip", "mac", "port", NULL };
static const char *const unknown_tcp_names[] = {
	[LB_UNKNOWN_TCP_MH_ONLY] = "mh-only",
	[LB_UNKNOWN_TCP_DROP] = "drop",
	[LB_UNKNOWN_TCP_SCHEDULE] = "schedule",
};
static const char *const timeout_keys[] = {
	"tcp_established", "tcp_syn_recv", "tcp_fin_wait", "tcp_close", "udp", NULL,
};

void
lb_sysconf_defaults(struct lb_sysconf *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->mbufs = 131071;
	sc->mbuf_cache = 256;
	sc->rx_desc = 1024;
	sc->tx_desc = 1024;
	sc->burst = 32;
	sc->conn_table_size = 1u << 20;
	sc->ctl_ring_size = 4096;
	sc->arp_refresh = 30;
	sc->metrics_addr = htonl(INADDR_LOOPBACK);	/* 127.0.0.1:9464 */
	sc->metrics_port = 9464;
	sc->timeouts.tcp_established = 900;
	sc->timeouts.tcp_syn_recv = 30;
	sc->timeouts.tcp_fin_wait = 120;
	sc->timeouts.tcp_close = 10;
	sc->timeouts.udp = 300;
	sc->unknown_tcp = LB_UNKNOWN_TCP_MH_ONLY;
}

void
lb_sysconf_free(struct lb_sysconf *sc)
{
	unsigned int i;

	if (sc == NULL)
		return;
	free(sc->neighbors);
	sc->neighbors = NULL;
	sc->n_neighbors = 0;
	for (i = 0; i < sc->n_eal_args && i < LB_SYSCONF_EAL_MAX; i++) {
		free(sc->eal_args[i]);
		sc->eal_args[i] = NULL;
	}
	sc->n_eal_args = 0;
}

const char *
lb_sysconf_unknown_tcp_name(enum lb_unknown_tcp p)
{
	if ((unsigned int)p >= sizeof(unknown_tcp_names) / sizeof(unknown_tcp_names[0]))
		return "?";
	return unknown_tcp_names[p];
}

int
lb_sysconf_port_by_name(const struct lb_sysconf *sc, const char *name)
{
	unsigned int i;

	for (i = 0; i < sc->n_ports; i++) {
		if (strcmp(sc->ports[i].name, name) == 0)
			return (int)i;
	}
	return -ENOENT;
}

static uint32_t
prefix_mask(uint8_t len)
{
	if (len == 0)
		return 0;
	return htonl(UINT32_MAX << (32 - len));
}

int
lb_sysconf_port_for_ip(const struct lb_sysconf *sc, uint32_t ip)
{
	unsigned int i;
	int best = -ENOENT;
	int best_len = -1;

	/* Longest prefix wins when subnets overlap. */
	for (i = 0; i < sc->n_ports; i++) {
		const struct lb_sysconf_port *p = &sc->ports[i];
		uint32_t mask = prefix_mask(p->prefixlen);

		if (p->prefixlen == 0)
			continue;
		if ((ip & mask) == (p->addr & mask) && (int)p->prefixlen > best_len) {
			best = (int)i;
			best_len = p->prefixlen;
		}
	}
	return best;
}

/* Diagnostics */

static const char *
sc_file(const struct sc_ctx *ctx, const char *file)
{
	return file == NULL ? ctx->path : file;
}

static void
sc_verror(struct sc_ctx *ctx, const char *file, unsigned int line, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

static void
sc_verror(struct sc_ctx *ctx, const char *file, unsigned int line, const char *fmt, va_list ap)
{
	struct sc_err *e;
	char *msg;

	if (ctx->n_errs == ctx->cap_errs) {
		unsigned int cap = ctx->cap_errs == 0 ? 16 : ctx->cap_errs * 2;
		struct sc_err *n = realloc(ctx->errs, cap * sizeof(*n));

		if (n == NULL)
			goto direct;
		ctx->errs = n;
		ctx->cap_errs = cap;
	}
	if (vasprintf(&msg, fmt, ap) < 0)
		goto direct_nomsg;
	e = &ctx->errs[ctx->n_errs];
	e->file = file;
	e->line = line;
	e->seq = ctx->n_errs;
	e->msg = msg;
	ctx->n_errs++;
	return;

direct:
	/* Out of memory: print now, unsorted, and still fail the load. */
	fprintf(ctx->diag, "%s:%u: error: ", sc_file(ctx, file), line);
	vfprintf(ctx->diag, fmt, ap);
	fputc('\n', ctx->diag);
direct_nomsg:
	ctx->nomem = true;
}

static void
sc_error(struct sc_ctx *ctx, const config_setting_t *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* An error at a setting's line and file. */
static void
sc_error(struct sc_ctx *ctx, const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sc_verror(ctx, config_setting_source_file(s), config_setting_source_line(s), fmt, ap);
	va_end(ap);
}

static void
sc_error_line(struct sc_ctx *ctx, const char *file, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
sc_error_line(struct sc_ctx *ctx, const char *file, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sc_verror(ctx, file, line, fmt, ap);
	va_end(ap);
}

static int
sc_err_cmp(const void *a, const void *b)
{
	const struct sc_err *x = a;
	const struct sc_err *y = b;
	int c;

	/* Main file first, then included files by name; by line; then by order found. */
	if ((x->file == NULL) != (y->file == NULL))
		return x->file == NULL ? -1 : 1;
	if (x->file != NULL) {
		c = strcmp(x->file, y->file);
		if (c != 0)
			return c;
	}
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return 0;
}

/* Print the file name as the user would open it: included files relative to incdir. */
static void
sc_print_file(const struct sc_ctx *ctx, const char *file)
{
	if (file != NULL && file[0] != '/' && ctx->incdir != NULL)
		fprintf(ctx->diag, "%s/%s", ctx->incdir, file);
	else
		fputs(sc_file(ctx, file), ctx->diag);
}

static void
sc_flush_errors(struct sc_ctx *ctx)
{
	unsigned int i;

	if (ctx->n_errs > 1)
		qsort(ctx->errs, ctx->n_errs, sizeof(ctx->errs[0]), sc_err_cmp);
	for (i = 0; i < ctx->n_errs; i++) {
		sc_print_file(ctx, ctx->errs[i].file);
		fprintf(ctx->diag, ":%u: error: %s\n", ctx->errs[i].line, ctx->errs[i].msg);
		free(ctx->errs[i].msg);
	}
	free(ctx->errs);
	ctx->errs = NULL;
	ctx->n_errs = 0;
	ctx->cap_errs = 0;
}

/* Keys */

static unsigned int
edit_distance(const char *a, const char *b)
{
	unsigned int row[SC_KEY_MAX + 1];
	size_t la = strlen(a);
	size_t lb = strlen(b);
	size_t i, j;

	if (la > SC_KEY_MAX || lb > SC_KEY_MAX)
		return UINT_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = (unsigned int)j;
	for (i = 1; i <= la; i++) {
		unsigned int diag = row[0];

		row[0] = (unsigned int)i;
		for (j = 1; j <= lb; j++) {
			unsigned int up = row[j];
			unsigned int best = diag + (a[i - 1] == b[j - 1] ? 0 : 1);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static bool
key_known(const char *const *keys, const char *name)
{
	for (; *keys != NULL; keys++) {
		if (strcmp(*keys, name) == 0)
			return true;
	}
	return false;
}

/* Report an unknown key, suggesting a known one within edit distance 2. */
static void
unknown_key(struct sc_ctx *ctx, const config_setting_t *s, const char *where,
	const char *const *keys)
{
	const char *name = config_setting_name(s);
	const char *best = NULL;
	unsigned int best_d = UINT_MAX;
	const char *const *k;
	char list[256];
	size_t used = 0;

	for (k = keys; *k != NULL; k++) {
		unsigned int d = edit_distance(name, *k);

		if (d < best_d) {
			best_d = d;
			best = *k;
		}
	}
	/* A two-letter typo of a two-letter key is not a near miss. */
	if (best != NULL && best_d <= 2 && best_d < strlen(name)) {
		sc_error(ctx, s, "unknown key '%s' %s; did you mean '%s'?", name, where, best);
		return;
	}
	list[0] = '\0';
	for (k = keys; *k != NULL && used < sizeof(list); k++) {
		int n = snprintf(list + used, sizeof(list) - used, "%s%s",
			k == keys ? "" : ", ", *k);

		if (n < 0)
			break;
		used += (size_t)n;
	}
	sc_error(ctx, s, "unknown key '%s' %s (known keys: %s)", name, where, list);
}

static const char *
type_name(int type)
{
	switch (type) {
	case CONFIG_TYPE_GROUP:
		return "a group { ... }";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "an integer";
	case CONFIG_TYPE_FLOAT:
		return "a float";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "a boolean";
	case CONFIG_TYPE_ARRAY:
		return "an array [ ... ]";
	case CONFIG_TYPE_LIST:
		return "a list ( ... )";
	default:
		return "an unknown type";
	}
}

/* Values */

static bool
is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '_' || c == '-' || c == '*';
}

/*
 * libconfig 1.5 silently wraps an integer literal wider than 32 bits
 * (3000000000 reads as a negative int). Re-read "name = literal" from the
 * source line so that such a value is reported instead of accepted.
 * Returns false when the literal cannot be found (e.g. in an @include file).
 */
static bool
literal_int(const struct sc_ctx *ctx, const config_setting_t *s, long long *v, bool *ovf)
{
	const char *name = config_setting_name(s);
	unsigned int line = config_setting_source_line(s);
	size_t nlen;
	const char *p, *end, *q;
	unsigned int l;

	if (name == NULL || config_setting_source_file(s) != NULL || ctx->text == NULL ||
			line == 0)
		return false;
	nlen = strlen(name);
	p = ctx->text;
	for (l = 1; l < line; l++) {
		p = strchr(p, '\n');
		if (p == NULL)
			return false;
		p++;
	}
	end = strchr(p, '\n');
	if (end == NULL)
		end = p + strlen(p);

	for (q = p; q + nlen <= end; q++) {
		const char *r;
		char *stop;

		if (memcmp(q, name, nlen) != 0 || (q > p && is_key_char(q[-1])) ||
				(q + nlen < end && is_key_char(q[nlen])))
			continue;
		r = q + nlen;
		while (r < end && (*r == ' ' || *r == '\t'))
			r++;
		if (r == end || (*r != '=' && *r != ':'))
			continue;
		r++;
		while (r < end && (*r == ' ' || *r == '\t'))
			r++;
		errno = 0;
		*ovf = false;
		if (r + 1 < end && r[0] == '0' && (r[1] == 'x' || r[1] == 'X')) {
			unsigned long long u = strtoull(r + 2, &stop, 16);

			if (errno == ERANGE || u > LLONG_MAX)
				*ovf = true;
			*v = u > LLONG_MAX ? LLONG_MAX : (long long)u;
			return stop != r + 2;
		} else {
			if (*r == '+' || *r == '-') {
				if (r + 1 >= end || r[1] < '0' || r[1] > '9')
					return false;
			} else if (*r < '0' || *r > '9') {
				return false;
			}
			*v = strtoll(r, &stop, 10);
			if (errno == ERANGE)
				*ovf = true;
		}
		return stop != r;
	}
	return false;
}

/* Read an integer setting; reports a type error and returns false otherwise. */
static bool
get_int(struct sc_ctx *ctx, const config_setting_t *s, const char *what, long long *v,
	bool *ovf)
{
	int type = config_setting_type(s);
	long long lit;
	bool lit_ovf;

	*ovf = false;
	if (type == CONFIG_TYPE_INT64) {
		*v = config_setting_get_int64(s);
		return true;
	}
	if (type != CONFIG_TYPE_INT) {
		sc_error(ctx, s, "'%s' must be an integer, not %s", what, type_name(type));
		return false;
	}
	*v = config_setting_get_int(s);
	if (literal_int(ctx, s, &lit, &lit_ovf) && (lit != *v || lit_ovf)) {
		*v = lit;
		*ovf = lit_ovf;
	}
	return true;
}

static bool
is_pow2(uint32_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

static void
set_uint(struct sc_ctx *ctx, const config_setting_t *s, const struct sc_uint_key *k,
	const char *what)
{
	long long v;
	bool ovf;
	uint8_t *dst = (uint8_t *)ctx->sc + k->off;

	if (!get_int(ctx, s, what, &v, &ovf))
		return;
	if (ovf || v < (long long)k->min || v > (long long)k->max) {
		if (ovf)
			sc_error(ctx, s, "'%s' is out of range (%u..%u)", what, k->min, k->max);
		else
			sc_error(ctx, s, "'%s' = %lld is out of range (%u..%u)",
				what, v, k->min, k->max);
		return;
	}
	if (k->pow2 && !is_pow2((uint32_t)v)) {
		sc_error(ctx, s, "'%s' = %lld must be a power of two (%u..%u)",
			what, v, k->min, k->max);
		return;
	}
	if (k->size == sizeof(uint16_t)) {
		uint16_t u16 = (uint16_t)v;

		memcpy(dst, &u16, sizeof(u16));
	} else {
		uint32_t u32 = (uint32_t)v;

		memcpy(dst, &u32, sizeof(u32));
	}
}

static const char *
get_string(struct sc_ctx *ctx, const config_setting_t *s, const char *what)
{
	int type = config_setting_type(s);

	if (type != CONFIG_TYPE_STRING) {
		sc_error(ctx, s, "'%s' must be a string, not %s", what, type_name(type));
		return NULL;
	}
	return config_setting_get_string(s);
}

/* Strict dotted quad, no leading zeros (inet_pton rules). */
static bool
parse_ip(const char *str, uint32_t *ip)
{
	struct in_addr a;

	if (inet_pton(AF_INET, str, &a) != 1)
		return false;
	*ip = a.s_addr;
	return true;
}

/* "a.b.c.d/len"; *has_len tells a missing prefix from a malformed one. */
static bool
parse_prefix(const char *str, uint32_t *ip, uint8_t *len, bool *has_len)
{
	char buf[INET_ADDRSTRLEN];
	const char *slash = strchr(str, '/');
	const char *d;
	size_t alen;
	unsigned int n = 0;

	*has_len = slash != NULL;
	if (slash == NULL)
		return false;
	alen = (size_t)(slash - str);
	if (alen == 0 || alen >= sizeof(buf))
		return false;
	memcpy(buf, str, alen);
	buf[alen] = '\0';
	if (!parse_ip(buf, ip))
		return false;
	d = slash + 1;
	if (*d == '\0' || strlen(d) > 2)
		return false;
	for (; *d != '\0'; d++) {
		if (*d < '0' || *d > '9')
			return false;
		n = n * 10 + (unsigned int)(*d - '0');
	}
	if (n < 1 || n > 32)
		return false;
	*len = (uint8_t)n;
	return true;
}

static bool
parse_mac(const char *str, uint8_t mac[6])
{
	unsigned int i;

	if (strlen(str) != 17)
		return false;
	for (i = 0; i < 6; i++) {
		const char *p = str + i * 3;
		unsigned int b = 0, j;

		for (j = 0; j < 2; j++) {
			char c = p[j];

			b <<= 4;
			if (c >= '0' && c <= '9')
				b |= (unsigned int)(c - '0');
			else if (c >= 'a' && c <= 'f')
				b |= (unsigned int)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				b |= (unsigned int)(c - 'A' + 10);
			else
				return false;
		}
		if (i < 5 && p[2] != ':')
			return false;
		mac[i] = (uint8_t)b;
	}
	return true;
}

static const char *
ip_str(uint32_t ip, char *buf)
{
	struct in_addr a = { .s_addr = ip };

	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static bool
name_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '_' || c == '-' || c == '.' || c == ':';
}

/* Ports */

static void
parse_port_name(struct sc_ctx *ctx, const config_setting_t *s, struct lb_sysconf_port *p)
{
	const char *v = get_string(ctx, s, "name");
	const char *c;

	if (v == NULL)
		return;
	if (v[0] == '\0') {
		sc_error(ctx, s, "port 'name' must not be empty");
		return;
	}
	if (strlen(v) >= sizeof(p->name)) {
		sc_error(ctx, s, "port name '%s' is too long (at most %zu characters)",
			v, sizeof(p->name) - 1);
		return;
	}
	for (c = v; *c != '\0'; c++) {
		if (!name_char_ok(*c)) {
			sc_error(ctx, s, "port name '%s' may only hold letters, digits and _ - . :",
				v);
			return;
		}
	}
	strcpy(p->name, v);
}

static void
parse_port_dev(struct sc_ctx *ctx, const config_setting_t *s, struct lb_sysconf_port *p)
{
	const char *v = get_string(ctx, s, "dev");
	const char *c;

	p->dev_line = config_setting_source_line(s);
	if (v == NULL)
		return;
	if (v[0] == '\0') {
		sc_error(ctx, s, "port 'dev' must not be empty");
		return;
	}
	if (strlen(v) >= sizeof(p->dev)) {
		sc_error(ctx, s, "port dev '%s' is too long (at most %zu characters)",
			v, sizeof(p->dev) - 1);
		return;
	}
	if (strchr(v, ',') != NULL) {
		sc_error(ctx, s, "port dev '%s' must be a device name without arguments; "
			"give the arguments to EAL (--vdev '%s' in eal_args)", v, v);
		return;
	}
	for (c = v; *c != '\0'; c++) {
		if (*c == ' ' || *c == '\t' || *c == '\n') {
			sc_error(ctx, s, "port dev '%s' must not contain white space", v);
			return;
		}
	}
	strcpy(p->dev, v);
}

static void
parse_port_addr(struct sc_ctx *ctx, const config_setting_t *s, struct lb_sysconf_port *p)
{
	const char *v = get_string(ctx, s, "address");
	uint32_t ip, hip, mask;
	uint8_t len;
	bool has_len;

	if (v == NULL)
		return;
	if (!parse_prefix(v, &ip, &len, &has_len)) {
		if (!has_len && parse_ip(v, &ip))
			sc_error(ctx, s, "port address '%s' needs a prefix length, e.g. '%s/24'",
				v, v);
		else
			sc_error(ctx, s, "port address '%s' is not a valid a.b.c.d/len "
				"(len 1..32)", v);
		return;
	}
	hip = ntohl(ip);
	if ((hip >> 24) == 0 || (hip >> 24) == 127 || hip >= 0xe0000000u) {
		sc_error(ctx, s, "port address '%s' is not a unicast host address", v);
		return;
	}
	mask = ntohl(prefix_mask(len));
	if (len <= 30 && ((hip & ~mask) == 0 || (hip & ~mask) == ~mask)) {
		sc_error(ctx, s, "port address '%s' is the %s address of its subnet", v,
			(hip & ~mask) == 0 ? "network" : "broadcast");
		return;
	}
	p->addr = ip;
	p->prefixlen = len;
}

/* host_if = "NAME" | true | false: the port's kernel interface (net_tap). */
static void
parse_port_host_if(struct sc_ctx *ctx, const config_setting_t *s, struct lb_sysconf_port *p,
		   bool *dflt)
{
	int type = config_setting_type(s);
	const char *v, *c;

	*dflt = false;
	if (type == CONFIG_TYPE_BOOL) {
		*dflt = config_setting_get_bool(s) != 0;
		p->host_if[0] = '\0';
		return;
	}
	v = get_string(ctx, s, "host_if");
	if (v == NULL)
		return;
	if (v[0] == '\0' || strlen(v) >= sizeof(p->host_if) || strcmp(v, ".") == 0 ||
	    strcmp(v, "..") == 0) {
		sc_error(ctx, s, "host_if '%s' is not a valid interface name (1..%zu characters; "
			"host_if = false disables it)", v, sizeof(p->host_if) - 1);
		return;
	}
	for (c = v; *c != '\0'; c++) {
		if (!name_char_ok(*c) || *c == ':') {
			sc_error(ctx, s, "host_if '%s' may only hold letters, digits and _ - .", v);
			return;
		}
	}
	strcpy(p->host_if, v);
}

static void
parse_port(struct sc_ctx *ctx, const config_setting_t *g, struct lb_sysconf_port *p)
{
	bool seen_name = false, seen_dev = false, seen_addr = false;
	bool host_if_dflt = true;
	int i, n = config_setting_length(g);

	p->line = config_setting_source_line(g);
	for (i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned int)i);
		const char *key = config_setting_name(s);

		if (strcmp(key, "name") == 0) {
			seen_name = true;
			parse_port_name(ctx, s, p);
		} else if (strcmp(key, "dev") == 0) {
			seen_dev = true;
			parse_port_dev(ctx, s, p);
		} else if (strcmp(key, "address") == 0) {
			seen_addr = true;
			parse_port_addr(ctx, s, p);
		} else if (strcmp(key, "host_if") == 0) {
			parse_port_host_if(ctx, s, p, &host_if_dflt);
		} else {
			unknown_key(ctx, s, "in a port", port_keys);
		}
	}
	if (host_if_dflt && p->name[0] != '\0') {
		if (strlen(p->name) + 3 >= sizeof(p->host_if) || strchr(p->name, ':') != NULL)
			sc_error(ctx, g, "port '%s': the default host interface name 'lb-%s' is not "
				"a valid interface name; set host_if = \"NAME\"; (at most %zu "
				"characters) or host_if = false;", p->name, p->name,
				sizeof(p->host_if) - 1);
		else {
			memcpy(p->host_if, "lb-", 3);
			memcpy(p->host_if + 3, p->name, strlen(p->name) + 1);
		}
	}
	if (!seen_name)
		sc_error(ctx, g, "port has no 'name' (e.g. name = \"eth0\";)");
	if (!seen_dev)
		sc_error(ctx, g, "port has no 'dev' (e.g. dev = \"net_af_packet0\";)");
	if (!seen_addr)
		sc_error(ctx, g, "port has no 'address' (e.g. address = \"198.18.0.2/24\";)");
}

static void
check_port_dups(struct sc_ctx *ctx, const config_setting_t *list)
{
	struct lb_sysconf *sc = ctx->sc;
	const char *file = config_setting_source_file(list);
	unsigned int i, j;
	char buf[INET_ADDRSTRLEN];

	for (i = 1; i < sc->n_ports; i++) {
		const struct lb_sysconf_port *p = &sc->ports[i];

		for (j = 0; j < i; j++) {
			const struct lb_sysconf_port *q = &sc->ports[j];

			if (p->name[0] != '\0' && strcmp(p->name, q->name) == 0) {
				sc_error_line(ctx, file, p->line,
					"duplicate port name '%s' (first at line %u)",
					p->name, q->line);
				break;
			}
		}
		for (j = 0; j < i; j++) {
			const struct lb_sysconf_port *q = &sc->ports[j];

			if (p->dev[0] != '\0' && strcmp(p->dev, q->dev) == 0) {
				sc_error_line(ctx, file, p->line,
					"duplicate port dev '%s' (first at line %u)",
					p->dev, q->line);
				break;
			}
		}
		for (j = 0; j < i; j++) {
			const struct lb_sysconf_port *q = &sc->ports[j];

			/* Same port name: already reported, and the default follows it. */
			if (p->host_if[0] != '\0' && strcmp(p->host_if, q->host_if) == 0 &&
			    strcmp(p->name, q->name) != 0) {
				sc_error_line(ctx, file, p->line,
					"duplicate host_if '%s' (first at line %u)",
					p->host_if, q->line);
				break;
			}
		}
		for (j = 0; j < i; j++) {
			const struct lb_sysconf_port *q = &sc->ports[j];

			if (p->prefixlen != 0 && q->prefixlen != 0 && p->addr == q->addr) {
				sc_error_line(ctx, file, p->line,
					"duplicate port address %s (first at line %u)",
					ip_str(p->addr, buf), q->line);
				break;
			}
		}
	}
}

static void
parse_ports(struct sc_ctx *ctx, const config_setting_t *list)
{
	struct lb_sysconf *sc = ctx->sc;
	int type = config_setting_type(list);
	int i, n;

	if (type != CONFIG_TYPE_LIST) {
		sc_error(ctx, list, "'ports' must be a list of groups, "
			"ports = ( { name = ...; dev = ...; address = ...; } ), not %s",
			type_name(type));
		return;
	}
	n = config_setting_length(list);
	if (n == 0) {
		sc_error(ctx, list, "'ports' is empty; at least one port is required");
		return;
	}
	for (i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned int)i);

		if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
			sc_error(ctx, list, "ports entry %d must be a group { ... }, not %s",
				i + 1, type_name(config_setting_type(g)));
			continue;
		}
		if (sc->n_ports == LB_MAX_PORTS) {
			sc_error(ctx, g, "too many ports (at most %d)", LB_MAX_PORTS);
			break;
		}
		parse_port(ctx, g, &sc->ports[sc->n_ports++]);
	}
	check_port_dups(ctx, list);
}

/* Neighbors */

static void
parse_neighbor(struct sc_ctx *ctx, const config_setting_t *g, struct lb_sysconf_neigh *nb,
	bool *ok)
{
	struct lb_sysconf *sc = ctx->sc;
	const config_setting_t *port_s = NULL;
	const char *port_name = NULL;
	bool have_ip = false, have_mac = false, seen_ip = false, seen_mac = false;
	char buf[INET_ADDRSTRLEN];
	int i, n = config_setting_length(g);
	int idx;

	nb->line = config_setting_source_line(g);
	*ok = false;
	for (i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned int)i);
		const char *key = config_setting_name(s);
		const char *v;

		if (strcmp(key, "ip") == 0) {
			seen_ip = true;
			v = get_string(ctx, s, "ip");
			if (v == NULL)
				continue;
			if (!parse_ip(v, &nb->ip))
				sc_error(ctx, s, "neighbor ip '%s' is not a valid a.b.c.d address",
					v);
			else
				have_ip = true;
		} else if (strcmp(key, "mac") == 0) {
			seen_mac = true;
			v = get_string(ctx, s, "mac");
			if (v == NULL)
				continue;
			if (!parse_mac(v, nb->mac))
				sc_error(ctx, s, "neighbor mac '%s' is not a valid "
					"xx:xx:xx:xx:xx:xx address", v);
			else if ((nb->mac[0] & 1) != 0 ||
					(nb->mac[0] | nb->mac[1] | nb->mac[2] | nb->mac[3] |
					 nb->mac[4] | nb->mac[5]) == 0)
				sc_error(ctx, s, "neighbor mac '%s' is not a unicast address", v);
			else
				have_mac = true;
		} else if (strcmp(key, "port") == 0) {
			port_s = s;
			port_name = get_string(ctx, s, "port");
		} else {
			unknown_key(ctx, s, "in a neighbor", neigh_keys);
		}
	}
	if (!seen_ip)
		sc_error(ctx, g, "neighbor has no 'ip' (e.g. ip = \"198.18.0.21\";)");
	if (!seen_mac)
		sc_error(ctx, g, "neighbor has no 'mac' (e.g. mac = \"02:00:00:00:00:21\";)");

	if (port_s != NULL) {
		if (port_name == NULL)
			return;
		idx = lb_sysconf_port_by_name(sc, port_name);
		if (idx < 0 && ctx->ports_bad)
			return;
		if (idx < 0) {
			sc_error(ctx, port_s, "neighbor port '%s' is not in 'ports'", port_name);
			return;
		}
	} else {
		if (!have_ip)
			return;
		/* No port given: the one whose subnet holds the address. */
		idx = lb_sysconf_port_for_ip(sc, nb->ip);
		if (idx < 0 && ctx->ports_bad)
			return;
		if (idx < 0) {
			sc_error(ctx, g, "neighbor %s is on no port's subnet; add port = \"...\"",
				ip_str(nb->ip, buf));
			return;
		}
	}
	nb->port = (unsigned int)idx;
	if (have_ip && sc->ports[idx].prefixlen != 0) {
		const struct lb_sysconf_port *p = &sc->ports[idx];
		uint32_t mask = prefix_mask(p->prefixlen);
		char pbuf[INET_ADDRSTRLEN];

		if ((nb->ip & mask) != (p->addr & mask)) {
			sc_error(ctx, port_s != NULL ? port_s : g,
				"neighbor %s is not on port '%s' subnet %s/%u",
				ip_str(nb->ip, buf), p->name, ip_str(p->addr, pbuf),
				p->prefixlen);
			return;
		}
		if (nb->ip == p->addr) {
			sc_error(ctx, g, "neighbor %s is port '%s' own address",
				ip_str(nb->ip, buf), p->name);
			return;
		}
	}
	*ok = have_ip && have_mac;
}

static void
parse_neighbors(struct sc_ctx *ctx, const config_setting_t *list)
{
	struct lb_sysconf *sc = ctx->sc;
	int type = config_setting_type(list);
	int i, n;
	char buf[INET_ADDRSTRLEN];

	if (type != CONFIG_TYPE_LIST) {
		sc_error(ctx, list, "'neighbors' must be a list of groups, "
			"neighbors = ( { ip = ...; mac = ...; port = ...; } ), not %s",
			type_name(type));
		return;
	}
	n = config_setting_length(list);
	if (n == 0)
		return;
	sc->neighbors = calloc((size_t)n, sizeof(*sc->neighbors));
	if (sc->neighbors == NULL) {
		ctx->nomem = true;
		return;
	}
	for (i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned int)i);
		struct lb_sysconf_neigh *nb = &sc->neighbors[sc->n_neighbors];
		unsigned int j;
		bool ok;

		if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
			sc_error(ctx, list, "neighbors entry %d must be a group { ... }, not %s",
				i + 1, type_name(config_setting_type(g)));
			continue;
		}
		parse_neighbor(ctx, g, nb, &ok);
		if (!ok)
			continue;
		for (j = 0; j < sc->n_neighbors; j++) {
			if (sc->neighbors[j].ip == nb->ip) {
				sc_error(ctx, g, "duplicate neighbor %s (first at line %u)",
					ip_str(nb->ip, buf), sc->neighbors[j].line);
				break;
			}
		}
		if (j == sc->n_neighbors)
			sc->n_neighbors++;
	}
}

/* Other groups */

static void
parse_timeouts(struct sc_ctx *ctx, const config_setting_t *g)
{
	int type = config_setting_type(g);
	int i, n;
	size_t k;
	char what[64];

	if (type != CONFIG_TYPE_GROUP) {
		sc_error(ctx, g, "'timeouts' must be a group { udp = 300; ... }, not %s",
			type_name(type));
		return;
	}
	n = config_setting_length(g);
	for (i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned int)i);
		const char *key = config_setting_name(s);

		for (k = 0; k < sizeof(timeout_uints) / sizeof(timeout_uints[0]); k++) {
			if (strcmp(key, timeout_uints[k].name) == 0)
				break;
		}
		if (k == sizeof(timeout_uints) / sizeof(timeout_uints[0])) {
			unknown_key(ctx, s, "in timeouts", timeout_keys);
			continue;
		}
		snprintf(what, sizeof(what), "timeouts.%s", key);
		set_uint(ctx, s, &timeout_uints[k], what);
	}
}

/* metrics_listen = "IP:PORT" (Prometheus), or "off". */
static void
parse_metrics_listen(struct sc_ctx *ctx, const config_setting_t *s)
{
	const char *v = config_setting_get_string(s);
	char buf[32], *colon, *end;
	unsigned long port;
	struct in_addr a;

	if (v == NULL) {
		sc_error(ctx, s, "'metrics_listen' must be a string, \"IP:PORT\" or \"off\"");
		return;
	}
	if (strcmp(v, "off") == 0) {
		ctx->sc->metrics_port = 0;
		return;
	}
	snprintf(buf, sizeof(buf), "%s", v);
	colon = strrchr(buf, ':');
	if (colon != NULL)
		*colon = '\0';
	port = colon != NULL ? strtoul(colon + 1, &end, 10) : 0;
	if (colon == NULL || strlen(v) >= sizeof(buf) || *end != '\0' || colon[1] == '\0' ||
	    port == 0 || port > 65535 || inet_pton(AF_INET, buf, &a) != 1) {
		sc_error(ctx, s, "metrics_listen '%s' is not IP:PORT (e.g. \"127.0.0.1:9464\") "
			 "or \"off\"", v);
		return;
	}
	ctx->sc->metrics_addr = a.s_addr;
	ctx->sc->metrics_port = (uint16_t)port;
}

static void
parse_eal_args(struct sc_ctx *ctx, const config_setting_t *a)
{
	struct lb_sysconf *sc = ctx->sc;
	int type = config_setting_type(a);
	int i, n;

	if (type != CONFIG_TYPE_ARRAY && type != CONFIG_TYPE_LIST) {
		sc_error(ctx, a, "'eal_args' must be an array of strings, "
			"eal_args = [ \"-l\", \"0-3\" ], not %s", type_name(type));
		return;
	}
	n = config_setting_length(a);
	if (n > LB_SYSCONF_EAL_MAX) {
		sc_error(ctx, a, "'eal_args' has %d entries (at most %d)", n, LB_SYSCONF_EAL_MAX);
		return;
	}
	/*
	 * libconfig gives a scalar list element the line of the token after
	 * it: report entries by index at the key's line, which is exact.
	 */
	for (i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(a, (unsigned int)i);
		const char *v;

		if (config_setting_type(s) != CONFIG_TYPE_STRING) {
			sc_error(ctx, a, "eal_args entry %d must be a string, not %s", i + 1,
				type_name(config_setting_type(s)));
			continue;
		}
		v = config_setting_get_string(s);
		if (v[0] == '\0') {
			sc_error(ctx, a, "eal_args entry %d is empty", i + 1);
			continue;
		}
		sc->eal_args[sc->n_eal_args] = strdup(v);
		if (sc->eal_args[sc->n_eal_args] == NULL) {
			ctx->nomem = true;
			return;
		}
		sc->n_eal_args++;
	}
}

static void
parse_unknown_tcp(struct sc_ctx *ctx, const config_setting_t *s)
{
	const char *v = get_string(ctx, s, "unknown_tcp");
	unsigned int i;

	if (v == NULL)
		return;
	for (i = 0; i < sizeof(unknown_tcp_names) / sizeof(unknown_tcp_names[0]); i++) {
		if (strcmp(v, unknown_tcp_names[i]) == 0) {
			ctx->sc->unknown_tcp = (enum lb_unknown_tcp)i;
			return;
		}
	}
	sc_error(ctx, s, "unknown_tcp = \"%s\": expected \"mh-only\", \"drop\" or \"schedule\"",
		 v);
}

static void
parse_root(struct sc_ctx *ctx, const config_setting_t *root)
{
	const config_setting_t *ports = NULL, *neighbors = NULL;
	int i, n = config_setting_length(root);
	unsigned int errs;
	size_t k;

	for (i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(root, (unsigned int)i);
		const char *key = config_setting_name(s);

		if (strcmp(key, "ports") == 0) {
			ports = s;
			continue;
		}
		if (strcmp(key, "neighbors") == 0) {
			neighbors = s;
			continue;
		}
		if (strcmp(key, "timeouts") == 0) {
			parse_timeouts(ctx, s);
			continue;
		}
		if (strcmp(key, "eal_args") == 0) {
			parse_eal_args(ctx, s);
			continue;
		}
		if (strcmp(key, "unknown_tcp") == 0) {
			parse_unknown_tcp(ctx, s);
			continue;
		}
		if (strcmp(key, "metrics_listen") == 0) {
			parse_metrics_listen(ctx, s);
			continue;
		}
		for (k = 0; k < sizeof(top_uints) / sizeof(top_uints[0]); k++) {
			if (strcmp(key, top_uints[k].name) == 0)
				break;
		}
		if (k < sizeof(top_uints) / sizeof(top_uints[0]))
			set_uint(ctx, s, &top_uints[k], key);
		else if (!key_known(top_keys, key))
			unknown_key(ctx, s, "at top level", top_keys);
	}
	/* Neighbors refer to ports, wherever they appear in the file. */
	errs = ctx->n_errs;
	if (ports == NULL)
		sc_error_line(ctx, NULL, 1, "missing required 'ports' (e.g. ports = ( { "
			"name = \"eth0\"; dev = \"net_af_packet0\"; address = \"198.18.0.2/24\"; "
			"} );)");
	else
		parse_ports(ctx, ports);
	ctx->ports_bad = ctx->n_errs != errs;
	if (neighbors != NULL)
		parse_neighbors(ctx, neighbors);
}

/* Loading */

static int
read_file(struct sc_ctx *ctx)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int err;

	f = fopen(ctx->path, "r");
	if (f == NULL) {
		err = errno;
		fprintf(ctx->diag, "%s: error: cannot open: %s\n", ctx->path, strerror(err));
		return -ENOENT;
	}
	for (;;) {
		size_t got;

		if (cap - len < 4096) {
			char *n;

			if (cap >= SC_FILE_MAX) {
				fprintf(ctx->diag, "%s: error: file is larger than %u bytes\n",
					ctx->path, SC_FILE_MAX);
				err = -EINVAL;
				goto fail;
			}
			cap = cap == 0 ? 16384 : cap * 2;
			n = realloc(buf, cap + 1);
			if (n == NULL) {
				err = -ENOMEM;
				goto fail;
			}
			buf = n;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		/* A directory opens fine and fails here (EISDIR). */
		fprintf(ctx->diag, "%s: error: cannot read: %s\n", ctx->path, strerror(errno));
		err = -ENOENT;
		goto fail;
	}
	fclose(f);
	buf[len] = '\0';
	if (memchr(buf, '\0', len) != NULL) {
		fprintf(ctx->diag, "%s: error: file contains a NUL byte\n", ctx->path);
		free(buf);
		return -EINVAL;
	}
	ctx->text = buf;
	ctx->text_len = len;
	return 0;

fail:
	fclose(f);
	free(buf);
	return err;
}

int
lb_sysconf_load(const char *path, struct lb_sysconf *sc, FILE *diag)
{
	struct sc_ctx ctx;
	config_t cf;
	char *slash;
	int ret;

	memset(&ctx, 0, sizeof(ctx));
	ctx.path = path;
	ctx.diag = diag == NULL ? stderr : diag;
	ctx.sc = sc;
	lb_sysconf_defaults(sc);
	snprintf(sc->file, sizeof(sc->file), "%s", path);

	ret = read_file(&ctx);
	if (ret < 0)
		return ret;

	/* @include paths are relative to the file's directory. */
	slash = strrchr(path, '/');
	if (slash != NULL) {
		ctx.incdir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
		if (ctx.incdir == NULL) {
			ret = -ENOMEM;
			goto out_text;
		}
	}

	config_init(&cf);
	if (ctx.incdir != NULL)
		config_set_include_dir(&cf, ctx.incdir);
	if (config_read_string(&cf, ctx.text) != CONFIG_TRUE) {
		const char *ef = config_error_file(&cf);

		sc_print_file(&ctx, ef);
		fprintf(ctx.diag, ":%d: error: %s\n", config_error_line(&cf),
			config_error_text(&cf));
		ret = -EINVAL;
		goto out_cf;
	}

	parse_root(&ctx, config_root_setting(&cf));

	if (ctx.n_errs > 0 || ctx.nomem) {
		ret = ctx.nomem ? -ENOMEM : -EINVAL;
		sc_flush_errors(&ctx);
		lb_sysconf_free(sc);
		lb_sysconf_defaults(sc);
		snprintf(sc->file, sizeof(sc->file), "%s", path);
		goto out_cf;
	}
	ret = 0;

out_cf:
	config_destroy(&cf);
	free(ctx.incdir);
out_text:
	free(ctx.text);
	return ret;
}

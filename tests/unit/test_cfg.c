/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for lib/cfg: the lb.conf (keepalived-style) parser.
 * Diagnostics are captured with open_memstream and compared as exact text.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <setjmp.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <cmocka.h>

#include "lb_cfg.h"

#define NAME "t.conf"

/* A valid vrrp_instance for VIP 198.18.0.100, lines 1-7. */
#define VI1 \
	"vrrp_instance VI_1 {\n" \
	"    interface eth0\n" \
	"    virtual_router_id 51\n" \
	"    virtual_ipaddress {\n" \
	"        198.18.0.100\n" \
	"    }\n" \
	"}\n"

static uint32_t
ip(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static const char *
lb_cfg_addr_str_t(const struct lb_cfg_addr *a, char *buf)
{
	return inet_ntop(a->family, a->family == AF_INET6 ? (const void *)&a->ip6 :
		(const void *)&a->ip, buf, 64);
}

static int
mkdir_in(const char *name);

/* Parse text named NAME; *diag gets everything printed (caller frees). */
static struct lb_config *
parse(const char *text, char **diag)
{
	struct lb_config *cfg;
	size_t len;
	FILE *f;
	int err;

	f = open_memstream(diag, &len);
	assert_non_null(f);
	errno = 0;
	cfg = lb_cfg_parse_string(text, NAME, f);
	err = errno;
	fclose(f);
	errno = err;
	return cfg;
}

/* Drop the warning lines of diagnostics (in place). */
static void
errors_only(char *d)
{
	char *p = d, *nl;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			break;
		if (strstr(p, ": warning: ") != NULL && strstr(p, ": warning: ") < nl)
			memmove(p, nl + 1, strlen(nl + 1) + 1);
		else
			p = nl + 1;
	}
}

/* The text must be refused with exactly these errors (warnings aside). */
static void
expect_errors(const char *text, const char *want)
{
	struct lb_config *cfg;
	char *diag = NULL;

	cfg = parse(text, &diag);
	errors_only(diag);
	if (strcmp(diag, want) != 0)
		print_message("got:\n%s", diag);
	assert_string_equal(diag, want);
	assert_null(cfg);
	free(diag);
}

/* The text must be accepted with no error. */
static struct lb_config *
expect_no_error(const char *text)
{
	struct lb_config *cfg;
	char *diag = NULL;

	cfg = parse(text, &diag);
	errors_only(diag);
	if (strcmp(diag, "") != 0)
		print_message("got:\n%s", diag);
	assert_string_equal(diag, "");
	assert_non_null(cfg);
	free(diag);
	return cfg;
}

/* The text must be refused with exactly this output. */
static void
expect_fail(const char *text, const char *want)
{
	struct lb_config *cfg;
	char *diag = NULL;
	int err;

	cfg = parse(text, &diag);
	err = errno;
	if (strcmp(diag, want) != 0)
		print_message("got:\n%s", diag);
	assert_string_equal(diag, want);
	assert_null(cfg);
	assert_int_equal(err, EINVAL);
	free(diag);
}

/* The text must be accepted with exactly this output. */
static struct lb_config *
expect_ok(const char *text, const char *want)
{
	struct lb_config *cfg;
	char *diag = NULL;

	cfg = parse(text, &diag);
	if (strcmp(diag, want) != 0)
		print_message("got:\n%s", diag);
	assert_string_equal(diag, want);
	assert_non_null(cfg);
	free(diag);
	return cfg;
}

static const char reference[] =
	"! reference deployment, director 1\n"
	"global_defs {\n"
	"   notification_email {\n"
	"     admin@example.com\n"
	"     ops@example.com\n"
	"   }\n"
	"   notification_email_from lb1@example.com\n"
	"   smtp_server 198.18.0.25 2525\n"
	"   smtp_connect_timeout 30\n"
	"   router_id LVS_DEVEL\n"
	"}\n"
	"\n"
	"vrrp_instance VI_1 {\n"
	"    state MASTER\n"
	"    interface eth0\n"
	"    virtual_router_id 51\n"
	"    priority 100\n"
	"    advert_int 1\n"
	"    authentication {\n"
	"        auth_type PASS\n"
	"        auth_pass 1111\n"
	"    }\n"
	"    virtual_ipaddress {\n"
	"        198.18.0.100/24 dev eth0 label eth0:vip\n"
	"    }\n"
	"}\n"
	"\n"
	"vrrp_instance VI_2 {\n"
	"    state BACKUP\n"
	"    interface eth0\n"
	"    virtual_router_id 52\n"
	"    priority 90\n"
	"    nopreempt\n"
	"    advert_int 2\n"
	"    garp_master_delay 10\n"
	"    garp_master_repeat 2\n"
	"    virtual_ipaddress {\n"
	"        198.18.0.101\n"
	"    }\n"
	"}\n"
	"\n"
	"virtual_server 198.18.0.100 80 {\n"
	"    delay_loop 6\n"
	"    lb_algo rr\n"
	"    lb_kind DR\n"
	"    persistence_timeout 50\n"
	"    protocol TCP\n"
	"\n"
	"    real_server 198.18.0.21 80 {\n"
	"        weight 1\n"
	"    }\n"
	"    real_server 198.18.0.22 80 {\n"
	"        weight 3\n"
	"    }\n"
	"}\n";

static void
test_reference(void **state)
{
	const struct lb_cfg_vrrp *v;
	const struct lb_cfg_vs *vs;
	struct lb_config *cfg;

	(void)state;
	cfg = expect_ok(reference, "");
	assert_int_equal(cfg->n_warnings, 0);
	assert_int_equal(cfg->n_files, 1);
	assert_string_equal(cfg->files[0], NAME);

	assert_string_equal(cfg->global.router_id, "LVS_DEVEL");
	assert_int_equal(cfg->global.n_emails, 2);
	assert_string_equal(cfg->global.emails[0], "admin@example.com");
	assert_string_equal(cfg->global.emails[1], "ops@example.com");
	assert_string_equal(cfg->global.email_from, "lb1@example.com");
	assert_int_equal(cfg->global.smtp_server, ip("198.18.0.25"));
	assert_int_equal(cfg->global.smtp_port, 2525);
	assert_int_equal(cfg->global.smtp_connect_timeout_ms, 30000);
	assert_int_equal(cfg->global.vrrp_version, 2);

	assert_int_equal(cfg->n_vrrp, 2);
	v = &cfg->vrrp[0];
	assert_string_equal(v->name, "VI_1");
	assert_int_equal(v->state, LB_VRRP_MASTER);
	assert_string_equal(v->interface, "eth0");
	assert_int_equal(v->vrid, 51);
	assert_int_equal(v->priority, 100);
	assert_int_equal(v->advert_int_ms, 1000);
	assert_false(v->nopreempt);
	assert_int_equal(v->garp_master_delay_ms, 5000);
	assert_int_equal(v->garp_master_repeat, 5);
	assert_int_equal(v->auth_type, LB_VRRP_AUTH_PASS);
	assert_string_equal(v->auth_pass, "1111");
	assert_int_equal(v->line, 13);
	assert_string_equal(v->file, NAME);
	assert_int_equal(v->n_vips, 1);
	assert_int_equal(v->vips[0].addr.ip, ip("198.18.0.100"));
	assert_int_equal(v->vips[0].addr.prefixlen, 24);
	assert_string_equal(v->vips[0].dev, "eth0");
	assert_string_equal(v->vips[0].label, "eth0:vip");
	assert_int_equal(v->vips[0].line, 24);

	v = &cfg->vrrp[1];
	assert_string_equal(v->name, "VI_2");
	assert_int_equal(v->state, LB_VRRP_BACKUP);
	assert_int_equal(v->vrid, 52);
	assert_int_equal(v->priority, 90);
	assert_true(v->nopreempt);
	assert_int_equal(v->advert_int_ms, 2000);
	assert_int_equal(v->garp_master_delay_ms, 10000);
	assert_int_equal(v->garp_master_repeat, 2);
	assert_int_equal(v->auth_type, LB_VRRP_AUTH_NONE);
	assert_int_equal(v->n_vips, 1);
	assert_int_equal(v->vips[0].addr.ip, ip("198.18.0.101"));
	assert_int_equal(v->vips[0].addr.prefixlen, 32);
	assert_string_equal(v->vips[0].dev, "");
	assert_string_equal(v->vips[0].label, "");

	assert_int_equal(cfg->n_vs, 1);
	vs = &cfg->vs[0];
	assert_int_equal(vs->vip, ip("198.18.0.100"));
	assert_int_equal(vs->port, 80);
	assert_int_equal(vs->proto, IPPROTO_TCP);
	assert_int_equal(vs->sched, LB_SCHED_RR);
	assert_int_equal(vs->kind, LB_FWD_DR);
	assert_int_equal(vs->persistence_timeout, 50);
	assert_int_equal(vs->delay_loop_ms, 6000);
	assert_int_equal(vs->line, 42);
	assert_string_equal(vs->file, NAME);
	assert_int_equal(vs->n_rs, 2);
	assert_int_equal(vs->rs[0].addr.ip, ip("198.18.0.21"));
	assert_int_equal(vs->rs[0].port, 80);
	assert_int_equal(vs->rs[0].weight, 1);
	assert_int_equal(vs->rs[0].line, 49);
	assert_int_equal(vs->rs[1].addr.ip, ip("198.18.0.22"));
	assert_int_equal(vs->rs[1].port, 80);
	assert_int_equal(vs->rs[1].weight, 3);

	assert_ptr_equal(lb_cfg_vrrp_for_vip(cfg, ip("198.18.0.100")), &cfg->vrrp[0]);
	assert_ptr_equal(lb_cfg_vrrp_for_vip(cfg, ip("198.18.0.101")), &cfg->vrrp[1]);
	assert_null(lb_cfg_vrrp_for_vip(cfg, ip("198.18.0.102")));
	lb_cfg_free(cfg);
}

static void
test_defaults(void **state)
{
	struct lb_config *cfg;
	const struct lb_cfg_vrrp *v;
	const struct lb_cfg_vs *vs;

	(void)state;
	cfg = expect_ok(VI1
		"virtual_server 198.18.0.100 443 {\n"
		"    lb_kind DR\n"
		"    real_server 198.18.0.21\n"
		"}\n", "");
	assert_string_equal(cfg->global.router_id, "");
	assert_int_equal(cfg->global.n_emails, 0);
	assert_int_equal(cfg->global.smtp_server, 0);
	assert_int_equal(cfg->global.smtp_port, 25);
	assert_int_equal(cfg->global.smtp_connect_timeout_ms, 30000);
	assert_int_equal(cfg->global.vrrp_version, 2);
	assert_int_equal(cfg->global.garp_master_delay_ms, 5000);
	assert_int_equal(cfg->global.garp_master_repeat, 5);
	v = &cfg->vrrp[0];
	assert_int_equal(v->state, LB_VRRP_BACKUP);
	assert_int_equal(v->priority, 100);
	assert_int_equal(v->advert_int_ms, 1000);
	assert_false(v->nopreempt);
	assert_int_equal(v->garp_master_delay_ms, 5000);
	assert_int_equal(v->garp_master_repeat, 5);
	vs = &cfg->vs[0];
	assert_int_equal(vs->port, 443);
	assert_int_equal(vs->proto, IPPROTO_TCP);
	assert_int_equal(vs->sched, LB_SCHED_WLC);
	assert_int_equal(vs->kind, LB_FWD_DR);
	assert_int_equal(vs->persistence_timeout, 0);
	assert_int_equal(vs->delay_loop_ms, 60000);
	assert_int_equal(vs->n_rs, 1);
	assert_int_equal(vs->rs[0].port, 0);	/* the VS port */
	assert_int_equal(vs->rs[0].weight, 1);
	lb_cfg_free(cfg);

	/* empty text: an empty, valid config */
	cfg = expect_ok("", "");
	assert_int_equal(cfg->n_vrrp, 0);
	assert_int_equal(cfg->n_vs, 0);
	lb_cfg_free(cfg);
}

/* Instances inherit the global garp values, even from a later global_defs. */
static void
test_garp_inherit(void **state)
{
	struct lb_config *cfg;

	(void)state;
	cfg = expect_ok(VI1
		"vrrp_instance VI_2 {\n"
		"    interface eth0\n"
		"    virtual_router_id 52\n"
		"    garp_master_delay 0\n"
		"    garp_master_repeat 1\n"
		"}\n"
		"global_defs {\n"
		"    vrrp_garp_master_delay 2\n"
		"    vrrp_garp_master_repeat 3\n"
		"    vrrp_version 3\n"
		"}\n", "");
	assert_int_equal(cfg->global.vrrp_version, 3);
	assert_int_equal(cfg->vrrp[0].garp_master_delay_ms, 2000);
	assert_int_equal(cfg->vrrp[0].garp_master_repeat, 3);
	assert_int_equal(cfg->vrrp[1].garp_master_delay_ms, 0);
	assert_int_equal(cfg->vrrp[1].garp_master_repeat, 1);
	lb_cfg_free(cfg);
}

static void
test_comments_and_quotes(void **state)
{
	struct lb_config *cfg;

	(void)state;
	cfg = expect_ok(
		"! a comment\n"
		"# another one\n"
		"global_defs { # comment after a brace\n"
		"    router_id lb1 ! comment after a value\n"
		"    notification_email_from \"ops#1!x@example.com\" # quoted # and !\n"
		"    notification_email {\n"
		"        \"a \\\"b\\\" \\\\c\"\n"
		"        d@example.com#no-space comment\n"
		"    }\n"
		"}\n"
		"   ! indented comment\n"
		"vrrp_instance \"VI 1\" {\n"
		"\tinterface eth0\r\n"
		"\tvirtual_router_id 51\n"
		"\tvirtual_ipaddress {\n"
		"\t\t198.18.0.100 # the VIP\n"
		"\t}\n"
		"}\n", "");
	assert_string_equal(cfg->global.router_id, "lb1");
	assert_string_equal(cfg->global.email_from, "ops#1!x@example.com");
	assert_int_equal(cfg->global.n_emails, 2);
	assert_string_equal(cfg->global.emails[0], "a \"b\" \\c");
	assert_string_equal(cfg->global.emails[1], "d@example.com");
	assert_string_equal(cfg->vrrp[0].name, "VI 1");
	assert_string_equal(cfg->vrrp[0].interface, "eth0");
	assert_int_equal(cfg->vrrp[0].line, 12);
	assert_int_equal(cfg->vrrp[0].vips[0].line, 16);
	lb_cfg_free(cfg);

	expect_fail("global_defs {\n"
		"    router_id \"lb1\n"
		"}\n",
		NAME ":2: error: unterminated quoted string\n");
}

static void
test_one_line_blocks(void **state)
{
	struct lb_config *cfg;

	(void)state;
	cfg = expect_ok(
		"global_defs { notification_email { a@example.com b@example.com } }\n"
		"vrrp_instance VI_1 { interface eth0\n"
		"    virtual_router_id 51\n"
		"    track_interface { eth1 }\n"
		"    virtual_ipaddress { 198.18.0.100 }\n"
		"    virtual_ipaddress { 198.18.0.101/32 dev eth0 }\n"
		"}\n"
		"virtual_server 198.18.0.100 80\n"
		"{\n"
		"    lb_kind DR\n"
		"    real_server 198.18.0.21 8080 { weight 7 }\n"
		"    real_server 198.18.0.22 80 { weight 0 } real_server 198.18.0.23 80 { }\n"
		"}\n", "");
	assert_int_equal(cfg->n_warnings, 0);
	assert_int_equal(cfg->vrrp[0].n_track_ifs, 1);
	assert_string_equal(cfg->vrrp[0].track_ifs[0].name, "eth1");
	assert_int_equal(cfg->global.n_emails, 2);
	assert_string_equal(cfg->global.emails[1], "b@example.com");
	assert_int_equal(cfg->vrrp[0].n_vips, 2);
	assert_int_equal(cfg->vrrp[0].vips[0].addr.ip, ip("198.18.0.100"));
	assert_int_equal(cfg->vrrp[0].vips[1].addr.ip, ip("198.18.0.101"));
	assert_string_equal(cfg->vrrp[0].vips[1].dev, "eth0");
	assert_int_equal(cfg->vs[0].line, 8);
	assert_int_equal(cfg->vs[0].n_rs, 3);
	assert_int_equal(cfg->vs[0].rs[0].port, 8080);
	assert_int_equal(cfg->vs[0].rs[0].weight, 7);
	assert_int_equal(cfg->vs[0].rs[1].weight, 0);
	assert_int_equal(cfg->vs[0].rs[2].weight, 1);
	assert_int_equal(cfg->vs[0].rs[2].line, 12);
	lb_cfg_free(cfg);
}

static void
test_missing_brace(void **state)
{
	(void)state;
	/* the last block is left open */
	expect_fail(VI1
		"virtual_server 198.18.0.100 80 {\n"
		"    lb_kind DR\n"
		"    real_server 198.18.0.21 80 {\n"
		"        weight 1\n"
		"    }\n",
		NAME ":8: error: block opened here is never closed\n");
	/* an inner block's '}' is missing: the outer '}' closes it instead */
	expect_fail(
		"vrrp_instance VI_1 {\n"
		"    interface eth0\n"
		"    virtual_router_id 51\n"
		"    virtual_ipaddress {\n"
		"        198.18.0.100\n"
		"\n"
		"}\n"
		"virtual_server 198.18.0.100 80 {\n"
		"    lb_kind DR\n"
		"}\n",
		NAME ":4: error: block opened here is never closed "
		"(the '}' on line 7 is indented for an outer block)\n");
	/* without indentation to go by: the block left open */
	expect_fail(
		"vrrp_instance VI_1 {\n"
		"interface eth0\n"
		"virtual_router_id 51\n"
		"virtual_ipaddress {\n"
		"198.18.0.100\n"
		"}\n",
		NAME ":1: error: block opened here is never closed\n");
	/* sloppy indentation is no hint: the block left open */
	expect_fail(
		"vrrp_instance VI_1 {\n"
		"    interface eth0\n"
		"    virtual_router_id 51\n"
		"    virtual_ipaddress {\n"
		"        198.18.0.100\n"
		"  }\n",
		NAME ":1: error: block opened here is never closed\n");
	/* two blocks left open */
	expect_fail(
		"global_defs {\n"
		"    notification_email {\n"
		"        a@example.com\n",
		NAME ":2: error: block opened here is never closed\n"
		NAME ":1: error: block opened here is never closed\n");
}

static void
test_extra_brace(void **state)
{
	(void)state;
	expect_fail(VI1
		"}\n",
		NAME ":8: error: extra '}' with no block open\n");
	expect_fail("}\n" VI1,
		NAME ":1: error: extra '}' with no block open\n");
	/* an extra '}' inside a block ends it early: named by its own line */
	expect_fail(
		"vrrp_instance VI_1 {\n"
		"    interface eth0\n"
		"    virtual_ipaddress {\n"
		"        198.18.0.100\n"
		"    }\n"
		"    }\n"
		"    virtual_router_id 51\n"
		"}\n",
		NAME ":6: error: extra '}': it closes the block opened on line 1 early "
		"(the '}' on line 8 is then left with no block to close)\n");
	expect_fail("{\n}\n", NAME ":1: error: '{' with no keyword before it\n");
}

static void
test_unknown_keywords(void **state)
{
	(void)state;
	expect_fail(
		"vrrp_instance VI_1 {\n"
		"    interface eth0\n"
		"    virtual_router_id 51\n"
		"    priorty 100\n"
		"    Priority 100\n"
		"    frobnicate yes\n"
		"    lb_kind DR\n"
		"}\n"
		"vrrp_instanse VI_2 {\n"
		"}\n"
		"frobnicate {\n"
		"}\n"
		"priority 5\n",
		NAME ":4: error: unknown keyword 'priorty' in vrrp_instance; "
		"did you mean 'priority'?\n"
		NAME ":5: error: unknown keyword 'Priority' in vrrp_instance; "
		"did you mean 'priority'?\n"
		NAME ":6: error: unknown keyword 'frobnicate' in vrrp_instance\n"
		NAME ":7: error: 'lb_kind' is not valid in vrrp_instance "
		"(it belongs in virtual_server)\n"
		NAME ":9: error: unknown top-level block 'vrrp_instanse'; "
		"did you mean 'vrrp_instance'?\n"
		NAME ":11: error: unknown top-level block 'frobnicate'\n"
		NAME ":13: error: 'priority' is not valid at top level "
		"(it belongs in vrrp_instance)\n");
	expect_fail(VI1
		"virtual_server 198.18.0.100 80 {\n"
		"    lb_kind DR\n"
		"    real_server 198.18.0.21 80 {\n"
		"        wieght 2\n"
		"    }\n"
		"    weight 2\n"
		"    vrrp_instance X {\n"
		"    }\n"
		"}\n",
		NAME ":11: error: unknown keyword 'wieght' in real_server; "
		"did you mean 'weight'?\n"
		NAME ":13: error: 'weight' is not valid in virtual_server "
		"(it belongs in real_server)\n"
		NAME ":14: error: 'vrrp_instance' is not valid in virtual_server "
		"(it belongs at top level)\n");
}

static void
test_aliases(void **state)
{
	struct lb_config *cfg;

	(void)state;
	cfg = expect_ok("global_defs {\n"
		"    lvs_id LB_A\n"
		"}\n"
		VI1
		"virtual_server 198.18.0.100 80 {\n"
		"    lvs_sched wrr\n"
		"    lvs_method DR\n"
		"}\n"
		"virtual_server 198.18.0.100 81 {\n"
		"    lb_algo lc\n"
		"    lb_kind DR\n"
		"}\n", "");
	assert_string_equal(cfg->global.router_id, "LB_A");
	assert_int_equal(cfg->vs[0].sched, LB_SCHED_WRR);
	assert_int_equal(cfg->vs[0].kind, LB_FWD_DR);
	assert_int_equal(cfg->vs[1].sched, LB_SCHED_LC);
	lb_cfg_free(cfg);

	/* an alias counts as the same keyword */
	cfg = expect_ok(VI1
		"virtual_server 198.18.0.100 80 {\n"
		"    lb_algo rr\n"
		"    lvs_sched wlc\n"
		"    lb_kind DR\n"
		"}\n",
		NAME ":10: warning: 'lvs_sched' given again (first at " NAME ":9); "
		"the last one is used\n");
	assert_int_equal(cfg->vs[0].sched, LB_SCHED_WLC);
	lb_cfg_free(cfg);
}

static void
test_vs_options(void **state)
{
	struct lb_config *cfg;

	(void)state;
	cfg = expect_ok(VI1
		"virtual_server 198.18.0.100 53 {\n"
		"    protocol udp\n"
		"    lb_kind DR\n"
		"    persistence_timeout\n"
		"    delay_loop 2.5\n"
		"}\n"
		"virtual_server 198.18.0.100 53 {\n"
		"    protocol Tcp\n"
		"    lb_kind DR\n"
		"    persistence_timeout 0\n"
		"}\n", "");
	assert_int_equal(cfg->vs[0].proto, IPPROTO_UDP);
	assert_int_equal(cfg->vs[0].persistence_timeout, 360);
	assert_int_equal(cfg->vs[0].delay_loop_ms, 2500);
	assert_int_equal(cfg->vs[1].proto, IPPROTO_TCP);
	assert_int_equal(cfg->vs[1].persistence_timeout, 0);
	lb_cfg_free(cfg);

	expect_fail(VI1
		"virtual_server 198.18.0.100 53 {\n"
		"    protocol ICMP\n"
		"    lb_kind DR\n"
		"}\n"
		"virtual_server 198.18.0.100 54 {\n"
		"    protocol sctp\n"
		"    lb_kind DR\n"
		"}\n",
		NAME ":9: error: invalid protocol 'ICMP': must be TCP, UDP or SCTP\n"
		NAME ":13: error: protocol sctp is not supported by lbapp yet\n");
}

static void
test_advert_int(void **state)
{
	struct lb_config *cfg;

	(void)state;
	cfg = expect_ok("global_defs {\n"
		"    vrrp_version 3\n"
		"}\n"
		"vrrp_instance VI_1 {\n"
		"    interface eth0\n"
		"    virtual_router_id 51\n"
		"    advert_int 0.1\n"
		"}\n", "");
	assert_int_equal(cfg->vrrp[0].advert_int_ms, 100);
	lb_cfg_free(cfg);

	/* VRRPv2 carries whole seconds: kept, but said */
	cfg = expect_ok("vrrp_instance VI_1 {\n"
		"    interface eth0\n"
		"    virtual_router_id 51\n"
		"    advert_int 0.25\n"
		"}\n",
		NAME ":1: warning: vrrp_instance 'VI_1': advert_int 0.250 s is not whole "
		"seconds, which VRRP version 2 cannot advertise (use vrrp_version 3)\n");
	assert_int_equal(cfg->vrrp[0].advert_int_ms, 250);
	assert_int_equal(cfg->n_warnings, 1);
	lb_cfg_free(cfg);

	/* VRRPv3 carries centiseconds in 12 bits, and no authentication */
	expect_fail("vrrp_instance VI_1 {\n"
		"    interface eth0\n"
		"    virtual_router_id 51\n"
		"    advert_int 41\n"
		"    authentication {\n"
		"        auth_type PASS\n"
		"        auth_pass secret\n"
		"    }\n"
		"}\n"
		"global_defs {\n"
		"    vrrp_version 3\n"
		"}\n",
		NAME ":1: error: vrrp_instance 'VI_1': advert_int is over 40.95 s, the most "
		"VRRP version 3 can advertise\n"
		NAME ":1: warning: vrrp_instance 'VI_1': authentication is ignored with "
		"VRRP version 3\n");

	expect_fail("vrrp_instance VI_1 {\n"
		"    interface eth0\n"
		"    virtual_router_id 51\n"
		"    advert_int 0\n"
		"    advert_int -1\n"
		"    advert_int 1s\n"
		"    advert_int 0.0001\n"
		"    advert_int 256\n"
		"}\n",
		NAME ":4: error: invalid advert_int '0': must be greater than 0\n"
		NAME ":5: warning: 'advert_int' given again (first at " NAME ":4); "
		"the last one is used\n"
		NAME ":5: error: invalid advert_int '-1': must be a number of seconds "
		"(e.g. 1 or 0.5)\n"
		NAME ":6: warning: 'advert_int' given again (first at " NAME ":5); "
		"the last one is used\n"
		NAME ":6: error: invalid advert_int '1s': must be a number of seconds "
		"(e.g. 1 or 0.5)\n"
		NAME ":7: warning: 'advert_int' given again (first at " NAME ":6); "
		"the last one is used\n"
		NAME ":7: error: invalid advert_int '0.0001': must be a number of seconds "
		"(e.g. 1 or 0.5)\n"
		NAME ":8: warning: 'advert_int' given again (first at " NAME ":7); "
		"the last one is used\n"
		NAME ":8: error: invalid advert_int '256': must be at most 255 seconds\n");
}

static void
test_vip_not_in_instance(void **state)
{
	struct lb_config *cfg;

	(void)state;
	cfg = expect_ok(VI1
		"virtual_server 198.18.0.200 80 {\n"
		"    lb_kind DR\n"
		"}\n",
		NAME ":8: warning: virtual_server address 198.18.0.200 is not a "
		"virtual_ipaddress of any vrrp_instance\n");
	assert_int_equal(cfg->n_warnings, 1);
	lb_cfg_free(cfg);

	/* an instance defined after the virtual_server counts too */
	cfg = expect_ok("virtual_server 198.18.0.100 80 {\n"
		"    lb_kind DR\n"
		"}\n"
		VI1, "");
	assert_int_equal(cfg->n_warnings, 0);
	lb_cfg_free(cfg);
}

static void
test_not_implemented(void **state)
{
	struct lb_config *cfg;

	(void)state;
	cfg = expect_ok("global_defs {\n"
		"    enable_script_security\n"
		"    vrrp_skip_check_adv_addr\n"
		"}\n"
		"vrrp_script chk_nginx {\n"
		"    script \"/usr/bin/pgrep nginx\"\n"
		"    interval 2\n"
		"}\n"
		"vrrp_instance VI_1 {\n"
		"    interface eth0\n"
		"    virtual_router_id 51\n"
		"    track_script {\n"
		"        chk_nginx\n"
		"    }\n"
		"    virtual_ipaddress {\n"
		"        198.18.0.100 brd 198.18.0.255\n"
		"    }\n"
		"}\n"
		"virtual_server 198.18.0.100 80 {\n"
		"    lb_kind DR\n"
		"    persistence_granularity 255.255.255.0\n"
		"    real_server 198.18.0.21 80 {\n"
		"        weight 2\n"
		"        inhibit_on_failure\n"
		"        HTTP_GET {\n"
		"            url {\n"
		"                path /\n"
		"                status_code 200\n"
		"            }\n"
		"            nb_get_retry 3\n"
		"            connect_timeout 3\n"
		"        }\n"
		"        notify_down \"/bin/true\"\n"
		"    }\n"
		"}\n",
		NAME ":3: warning: 'vrrp_skip_check_adv_addr' is not implemented by lbapp yet; "
		"ignored\n"
		NAME ":16: warning: virtual_ipaddress option 'brd' is not implemented by lbapp "
		"yet; ignored\n"
		NAME ":24: warning: 'inhibit_on_failure' is not implemented by lbapp yet; "
		"ignored\n"
		NAME ":25: warning: 'HTTP_GET' is not implemented by lbapp yet; ignored\n"
		NAME ":33: warning: 'notify_down' is not implemented by lbapp yet; ignored\n");
	assert_int_equal(cfg->n_warnings, 5);
	assert_false(cfg->script_security_violation);
	assert_int_equal(cfg->vs[0].n_rs, 1);
	assert_int_equal(cfg->vs[0].rs[0].weight, 2);
	assert_int_equal(cfg->vrrp[0].n_vips, 1);
	/* vrrp_script / track_script are acted on; the checker keywords only stored */
	assert_int_equal(cfg->n_scripts, 1);
	assert_string_equal(cfg->scripts[0].script.cmd, "/usr/bin/pgrep nginx");
	assert_int_equal(cfg->scripts[0].interval_ms, 2000);
	assert_int_equal(cfg->vrrp[0].n_track_scripts, 1);
	assert_int_equal(cfg->vrrp[0].track_scripts[0].script, 0);
	assert_int_equal(cfg->vs[0].persistence_granularity, 24);
	assert_true(cfg->vs[0].rs[0].inhibit_on_failure);
	assert_int_equal(cfg->vs[0].rs[0].n_checkers, 1);
	assert_int_equal(cfg->vs[0].rs[0].checkers[0].type, LB_CHK_HTTP);
	assert_int_equal(cfg->vs[0].rs[0].checkers[0].retry, 3);
	assert_int_equal(cfg->vs[0].rs[0].checkers[0].connect_timeout_ms, 3000);
	assert_int_equal(cfg->vs[0].rs[0].checkers[0].delay_before_retry_ms, 3000);
	assert_string_equal(cfg->vs[0].rs[0].checkers[0].urls[0].path, "/");
	assert_string_equal(cfg->vs[0].rs[0].notify_down.cmd, "/bin/true");
	lb_cfg_free(cfg);
}

/* script_user and per-command users: resolved at load, unknown ones refused at their line. */
static void
test_script_users(void **state)
{
	struct lb_config *cfg;

	(void)state;
	cfg = expect_no_error("global_defs {\n"
		"    script_user nobody nogroup\n"
		"}\n"
		"vrrp_script chk {\n"
		"    script /bin/true\n"
		"    user root\n"
		"}\n"
		"vrrp_instance VI_1 {\n"
		"    interface eth0\n"
		"    virtual_router_id 51\n"
		"    notify_master \"/bin/true m\"\n"
		"    notify_backup /bin/true root root\n"
		"    virtual_ipaddress {\n"
		"        198.18.0.100\n"
		"    }\n"
		"}\n");
	assert_int_equal(cfg->scripts[0].script.uid, 0);
	assert_int_equal(cfg->scripts[0].script.gid, 0);
	assert_int_equal(cfg->vrrp[0].notify_master.uid, 65534);	/* script_user */
	assert_int_equal(cfg->vrrp[0].notify_master.gid, 65534);	/* nogroup */
	assert_int_equal(cfg->vrrp[0].notify_backup.uid, 0);
	lb_cfg_free(cfg);

	expect_errors("global_defs {\n"
		"    script_user no_such_user_lbapp\n"
		"}\n"
		"vrrp_instance VI_1 {\n"
		"    interface eth0\n"
		"    virtual_router_id 51\n"
		"    notify /bin/true\n"
		"    notify_stop /bin/true root no_such_group_lbapp\n"
		"    virtual_ipaddress {\n"
		"        198.18.0.100\n"
		"    }\n"
		"}\n",
		NAME ":4: error: notify_stop: unknown group 'no_such_group_lbapp'\n"
		NAME ":4: error: notify: unknown user 'no_such_user_lbapp'\n");
}

/* The VRRP keywords lbapp acts on give no warning; the rest of those blocks still do. */
static void
test_vrrp_implemented(void **state)
{
	struct lb_config *cfg;

	(void)state;
	cfg = expect_ok("vrrp_script chk {\n"
		"    script \"/bin/true\"\n"
		"    user nobody\n"
		"    weight -30\n"
		"    rise 2\n"
		"    fall 3\n"
		"}\n"
		"vrrp_instance VI_1 {\n"
		"    interface eth0\n"
		"    virtual_router_id 51\n"
		"    version 3\n"
		"    preempt_delay 2\n"
		"    unicast_src_ip 198.18.0.2\n"
		"    mcast_src_ip 198.18.0.2\n"
		"    unicast_ttl 64\n"
		"    unicast_peer {\n"
		"        198.18.0.3\n"
		"    }\n"
		"    track_interface {\n"
		"        eth0 weight -10\n"
		"    }\n"
		"    track_script {\n"
		"        chk\n"
		"    }\n"
		"    dont_track_primary\n"
		"    notify_master \"/bin/true master\"\n"
		"    notify_backup /bin/true\n"
		"    notify_fault /bin/true\n"
		"    notify_stop /bin/true\n"
		"    notify /bin/true\n"
		"    virtual_ipaddress {\n"
		"        198.18.0.100\n"
		"    }\n"
		"}\n"
		"vrrp_sync_group G {\n"
		"    group {\n"
		"        VI_1\n"
		"    }\n"
		"    notify /bin/true\n"
		"    smtp_alert\n"
		"    global_tracking\n"
		"}\n",
		NAME ":40: warning: 'smtp_alert' is not implemented by lbapp yet; ignored\n"
		NAME ":41: warning: 'global_tracking' is not implemented by lbapp yet; ignored\n");
	assert_int_equal(cfg->n_warnings, 2);
	/* vrrp_script user: resolved when loaded (nobody is 65534 on Debian) */
	assert_int_equal(cfg->scripts[0].script.uid, 65534);
	assert_int_equal(cfg->scripts[0].script.gid, 65534);
	assert_int_equal(cfg->vrrp[0].notify.uid, 0);	/* no script_user, no keepalived_script */
	assert_int_equal(cfg->vrrp[0].version, 3);
	assert_int_equal(cfg->vrrp[0].preempt_delay_ms, 2000);
	assert_int_equal(cfg->vrrp[0].unicast_ttl, 64);
	assert_int_equal(cfg->vrrp[0].n_unicast_peers, 1);
	assert_int_equal(cfg->vrrp[0].track_ifs[0].weight, -10);
	assert_int_equal(cfg->vrrp[0].track_scripts[0].weight, -30);
	assert_int_equal(cfg->scripts[0].rise, 2);
	assert_int_equal(cfg->scripts[0].fall, 3);
	assert_string_equal(cfg->vrrp[0].notify_master.cmd, "/bin/true master");
	assert_int_equal(cfg->vrrp[0].sync_group, 0);
	assert_int_equal(cfg->sync_groups[0].member_idx[0], 0);
	lb_cfg_free(cfg);
}

/* ---- every block of the model ---- */

static void
test_global_full(void **state)
{
	struct lb_config *cfg;
	char b[64];

	(void)state;
	cfg = expect_ok("global_defs {\n"
		"    smtp_server 2001:db8::25 2525\n"
		"    vrrp_version 3\n"
		"    vrrp_garp_master_delay 2\n"
		"    vrrp_garp_master_repeat 3\n"
		"    lvs_id LB1\n"
		"}\n", "");
	assert_int_equal(cfg->n_warnings, 0);
	assert_int_equal(cfg->global.smtp_addr.family, AF_INET6);
	assert_int_equal(cfg->global.smtp_server, 0);
	assert_int_equal(cfg->global.smtp_port, 2525);
	assert_int_equal(cfg->global.vrrp_version, 3);
	assert_string_equal(cfg->global.router_id, "LB1");
	/* defaults */
	assert_string_equal(lb_cfg_addr_str_t(&cfg->global.vrrp_mcast_group4, b), "224.0.0.18");
	assert_string_equal(lb_cfg_addr_str_t(&cfg->global.vrrp_mcast_group6, b), "ff02::12");
	assert_int_equal(cfg->global.garp_lower_prio_delay_ms, 2000);
	assert_int_equal(cfg->global.garp_lower_prio_repeat, 3);
	assert_int_equal(cfg->global.garp_refresh_repeat, 1);
	assert_string_equal(cfg->global.default_interface, "eth0");
	assert_int_equal(cfg->global.smtp_alert_vrrp, 0);
	lb_cfg_free(cfg);

	expect_errors("global_defs {\n"
		"    vrrp_mcast_group4 198.18.0.1\n"
		"    vrrp_strict maybe\n"
		"}\n",
		NAME ":2: error: invalid vrrp_mcast_group4 '198.18.0.1': not an IPv4 multicast "
		"address\n"
		NAME ":3: error: invalid vrrp_strict 'maybe': must be on, off, true, false, yes "
		"or no\n");
}

static void
test_vrrp_full(void **state)
{
	struct lb_config *cfg;
	const struct lb_cfg_vrrp *v;
	char *diag = NULL;

	(void)state;
	cfg = parse("vrrp_script chk_nginx {\n"
		"    script \"/usr/bin/pgrep -x nginx\"\n"
		"    interval 2\n"
		"    weight -20\n"
		"    fall 3\n"
		"    rise 2\n"
		"    user nobody nogroup\n"
		"}\n"
		"vrrp_sync_group VG_1 {\n"
		"    group {\n"
		"        VI_1\n"
		"    }\n"
		"    notify_master \"/etc/lb/master.sh VG\"\n"
		"}\n"
		"vrrp_instance VI_1 {\n"
		"    state MASTER\n"
		"    interface eth0\n"
		"    virtual_router_id 51\n"
		"    version 3\n"
		"    advert_int 0.5\n"
		"    preempt_delay 30\n"
		"    unicast_src_ip 198.18.0.11\n"
		"    unicast_peer {\n"
		"        198.18.0.12\n"
		"        2001:db8::12\n"
		"    }\n"
		"    track_interface {\n"
		"        eth0 weight -10\n"
		"        eth1\n"
		"    }\n"
		"    track_script {\n"
		"        chk_nginx weight 5\n"
		"    }\n"
		"    notify_backup /etc/lb/backup.sh root\n"
		"    notify \"/etc/lb/notify.sh\"\n"
		"    smtp_alert\n"
		"    garp_master_refresh 60\n"
		"    no_accept\n"
		"    virtual_ipaddress {\n"
		"        198.18.0.100/24 dev eth0\n"
		"    }\n"
		"    virtual_ipaddress_excluded {\n"
		"        2001:db8::100/64\n"
		"    }\n"
		"}\n", &diag);
	if (cfg == NULL)
		print_message("%s", diag);
	assert_non_null(cfg);
	free(diag);
	assert_int_equal(cfg->n_scripts, 1);
	assert_string_equal(cfg->scripts[0].script.cmd, "/usr/bin/pgrep -x nginx");
	assert_string_equal(cfg->scripts[0].script.user, "nobody");
	assert_string_equal(cfg->scripts[0].script.group, "nogroup");
	assert_int_equal(cfg->scripts[0].weight, -20);
	assert_int_equal(cfg->scripts[0].timeout_ms, 2000);
	assert_int_equal(cfg->scripts[0].fall, 3);
	assert_int_equal(cfg->n_sync_groups, 1);
	assert_int_equal(cfg->sync_groups[0].n_members, 1);
	assert_int_equal(cfg->sync_groups[0].member_idx[0], 0);
	assert_string_equal(cfg->sync_groups[0].notify_master.cmd, "/etc/lb/master.sh VG");
	v = &cfg->vrrp[0];
	assert_int_equal(v->sync_group, 0);
	assert_int_equal(v->version, 3);
	assert_int_equal(v->advert_int_ms, 500);
	assert_int_equal(v->preempt_delay_ms, 30000);
	assert_int_equal(v->unicast_src_ip.family, AF_INET);
	assert_int_equal(v->unicast_src_ip.ip, ip("198.18.0.11"));
	assert_int_equal(v->n_unicast_peers, 2);
	assert_int_equal(v->unicast_peers[1].family, AF_INET6);
	assert_int_equal(v->n_track_ifs, 2);
	assert_int_equal(v->track_ifs[0].weight, -10);
	assert_int_equal(v->track_ifs[1].weight, 0);
	assert_int_equal(v->n_track_scripts, 1);
	assert_int_equal(v->track_scripts[0].script, 0);
	assert_int_equal(v->track_scripts[0].weight, 5);
	assert_null(v->notify_master.cmd);
	assert_string_equal(v->notify_backup.cmd, "/etc/lb/backup.sh");
	assert_string_equal(v->notify_backup.user, "root");
	assert_string_equal(v->notify.cmd, "/etc/lb/notify.sh");
	assert_int_equal(v->smtp_alert, 1);
	assert_int_equal(v->garp_refresh_ms, 60000);
	assert_int_equal(v->garp_master_delay_ms, 5000);
	assert_false(v->accept);
	assert_int_equal(v->unicast_ttl, 255);
	assert_int_equal(v->n_vips_excluded, 1);
	assert_int_equal(v->vips_excluded[0].addr.prefixlen, 64);
	lb_cfg_free(cfg);

	/* names that name nothing, weights out of range */
	expect_errors("vrrp_script chk {\n"
		"    script /bin/true\n"
		"    weight 300\n"
		"}\n"
		"vrrp_sync_group G {\n"
		"    group { VI_1 VI_9 }\n"
		"}\n"
		VI1
		"vrrp_script nothing {\n"
		"}\n"
		"vrrp_instance VI_2 {\n"
		"    interface eth0\n"
		"    virtual_router_id 52\n"
		"    track_script {\n"
		"        chk_nginx\n"
		"        chk weight -254\n"
		"    }\n"
		"}\n",
		NAME ":3: error: invalid weight '300': must be an integer from -253 to 253\n"
		NAME ":15: error: vrrp_script 'nothing' has no script\n"
		NAME ":22: error: invalid weight '-254': must be an integer from -253 to 253\n"
		NAME ":21: error: track_script 'chk_nginx' names no vrrp_script\n"
		NAME ":5: error: vrrp_sync_group member 'VI_9' names no vrrp_instance; "
		"did you mean 'VI_1'?\n");
	/* the old one-line sync group form */
	cfg = expect_no_error(VI1 "vrrp_sync_group G {\n    group VI_1\n}\n");
	assert_int_equal(cfg->sync_groups[0].member_idx[0], 0);
	lb_cfg_free(cfg);
}

static void
test_vs_full(void **state)
{
	struct lb_config *cfg;
	const struct lb_cfg_vs *vs;
	const struct lb_cfg_rs *rs;
	const struct lb_cfg_checker *c;
	char *diag = NULL;

	(void)state;
	cfg = parse(VI1
		"virtual_server 198.18.0.100 80 {\n"
		"    delay_loop 10\n"
		"    lb_algo rr\n"
		"    lb_kind DR\n"
		"    persistence_timeout\n"
		"    quorum 2\n"
		"    hysteresis 1\n"
		"    sorry_server 198.18.0.99 8080\n"
		"    inhibit_on_failure\n"
		"    virtualhost www.example.com\n"
		"    connect_timeout 4\n"
		"    retry 2\n"
		"    real_server 198.18.0.21 80 {\n"
		"        weight 3\n"
		"        TCP_CHECK {\n"
		"            connect_port 8080\n"
		"            bindto 198.18.0.11\n"
		"        }\n"
		"        HTTP_GET {\n"
		"            url {\n"
		"                path /health\n"
		"                digest 0123456789ABCDEF0123456789abcdef\n"
		"                status_code 200 301-302\n"
		"            }\n"
		"            url {\n"
		"                path /\n"
		"            }\n"
		"        }\n"
		"        MISC_CHECK {\n"
		"            misc_path \"/bin/check.sh 198.18.0.21\"\n"
		"            misc_dynamic\n"
		"        }\n"
		"        DNS_CHECK {\n"
		"            type a\n"
		"            name example.com\n"
		"        }\n"
		"        UDP_CHECK {\n"
		"            payload 0a0b\n"
		"            require_reply 0c\n"
		"        }\n"
		"        SMTP_CHECK {\n"
		"            helo_name lb.example.com\n"
		"        }\n"
		"        SSL_GET {\n"
		"            url {\n"
		"                path /\n"
		"            }\n"
		"            delay_before_retry 0.5\n"
		"        }\n"
		"        PING_CHECK {\n"
		"        }\n"
		"        notify_up \"/bin/up.sh\"\n"
		"        uthreshold 100\n"
		"    }\n"
		"}\n", &diag);
	if (cfg == NULL)
		print_message("%s", diag);
	assert_non_null(cfg);
	free(diag);
	vs = &cfg->vs[0];
	assert_int_equal(vs->form, LB_VS_ADDR);
	assert_int_equal(vs->addr.family, AF_INET);
	assert_int_equal(vs->persistence_timeout, 360);
	assert_int_equal(vs->quorum, 2);
	assert_true(vs->has_sorry_server);
	assert_int_equal(vs->sorry_port, 8080);
	assert_int_equal(vs->sorry_kind, LB_FWD_DR);
	rs = &vs->rs[0];
	assert_int_equal(rs->weight, 3);
	assert_true(rs->inhibit_on_failure);		/* inherited */
	assert_string_equal(rs->virtualhost, "www.example.com");
	assert_int_equal(rs->delay_loop_ms, 10000);
	assert_int_equal(rs->uthreshold, 100);
	assert_string_equal(rs->notify_up.cmd, "/bin/up.sh");
	assert_int_equal(rs->n_checkers, 8);
	c = &rs->checkers[0];
	assert_int_equal(c->type, LB_CHK_TCP);
	assert_int_equal(c->connect_port, 8080);
	assert_int_equal(c->bindto.ip, ip("198.18.0.11"));
	assert_int_equal(c->connect_timeout_ms, 4000);	/* from the virtual_server */
	assert_int_equal(c->retry, 2);
	assert_int_equal(c->delay_before_retry_ms, 1000);
	assert_int_equal(c->delay_loop_ms, 10000);
	c = &rs->checkers[1];
	assert_int_equal(c->type, LB_CHK_HTTP);
	assert_int_equal(c->n_urls, 2);
	assert_string_equal(c->urls[0].digest, "0123456789abcdef0123456789abcdef");
	assert_int_equal(c->urls[0].n_status, 2);
	assert_int_equal(c->urls[0].status[1].lo, 301);
	assert_int_equal(c->urls[0].status[1].hi, 302);
	assert_int_equal(c->urls[1].status[0].lo, 200);	/* default 2xx */
	assert_int_equal(c->urls[1].status[0].hi, 299);
	assert_int_equal(c->delay_before_retry_ms, 3000);
	assert_string_equal(c->virtualhost, "www.example.com");
	c = &rs->checkers[2];
	assert_string_equal(c->misc_path.cmd, "/bin/check.sh 198.18.0.21");
	assert_true(c->misc_dynamic);
	assert_int_equal(c->misc_timeout_ms, 10000);
	c = &rs->checkers[3];
	assert_string_equal(c->dns_type, "A");
	assert_int_equal(c->retry, 2);
	c = &rs->checkers[4];
	assert_int_equal(c->payload_len, 2);
	assert_int_equal(c->payload[1], 0x0b);
	assert_true(c->require_reply);
	assert_int_equal(c->reply[0], 0x0c);
	assert_string_equal(rs->checkers[5].helo_name, "lb.example.com");
	assert_int_equal(rs->checkers[6].delay_before_retry_ms, 500);
	assert_int_equal(rs->checkers[7].type, LB_CHK_PING);
	lb_cfg_free(cfg);

	/* checker keywords in the wrong checker, missing url/misc_path */
	expect_errors(VI1
		"virtual_server 198.18.0.100 80 {\n"
		"    lb_kind DR\n"
		"    lb_algo wrr\n"
		"    real_server 198.18.0.21 80 {\n"
		"        TCP_CHECK {\n"
		"            url {\n"
		"                path /\n"
		"            }\n"
		"        }\n"
		"        HTTP_GET {\n"
		"        }\n"
		"        MISC_CHECK {\n"
		"            misc_timeout 3\n"
		"        }\n"
		"        DNS_CHECK {\n"
		"            type XX\n"
		"        }\n"
		"        HTTP_GET {\n"
		"            url {\n"
		"                status_code 99 299-200\n"
		"                digest abc\n"
		"            }\n"
		"        }\n"
		"    }\n"
		"}\n",
		NAME ":13: error: 'url' is not valid in TCP_CHECK (it belongs in HTTP_GET)\n"
		NAME ":17: error: HTTP_GET without url { }\n"
		NAME ":19: error: MISC_CHECK without misc_path\n"
		NAME ":23: error: invalid DNS type 'XX': must be A, NS, CNAME, SOA, MX, TXT or "
		"AAAA; did you mean 'MX'?\n"
		NAME ":27: error: invalid status_code '99': must be an integer from 100 to 599\n"
		NAME ":27: error: invalid status_code range '299-200': 200 is below 299\n"
		NAME ":28: error: invalid digest 'abc': must be 32 hexadecimal digits "
		"(an MD5 sum)\n"
		NAME ":26: error: url without path\n");
}

static void
test_fnat_groups(void **state)
{
	struct lb_config *cfg;
	char *diag = NULL;

	(void)state;
	/* FULLNAT needs its local address group; server groups are stored, not acted on */
	cfg = parse("local_address_group laddr_g1 {\n"
		"    198.18.1.1\n"
		"    198.18.1.10-20\n"
		"}\n"
		"virtual_server_group web {\n"
		"    198.18.0.100 80\n"
		"    198.18.0.101-110 80\n"
		"    fwmark 7\n"
		"}\n"
		"virtual_server 198.18.0.100 80 {\n"
		"    lb_kind FNAT\n"
		"    laddr_group_name laddr_g1\n"
		"}\n"
		"virtual_server 198.18.0.100 81 {\n"
		"    lb_kind FULLNAT\n"
		"}\n", &diag);
	assert_null(cfg);
	assert_string_equal(diag,
		NAME ":5: warning: 'virtual_server_group' is not implemented by lbapp yet; "
		"ignored\n"
		NAME ":14: error: lb_kind FNAT needs laddr_group_name (a local_address_group)\n"
		NAME ":10: warning: virtual_server address 198.18.0.100 is not a "
		"virtual_ipaddress of any vrrp_instance\n"
		NAME ":14: warning: virtual_server address 198.18.0.100 is not a "
		"virtual_ipaddress of any vrrp_instance\n");
	free(diag);
}

/* ---- preprocessor ---- */

static char tmpdir[64];

static void
write_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static struct lb_config *
load_tmp(const char *name, const char *id, char **diag)
{
	struct lb_cfg_opts o = { .config_id = id };
	struct lb_config *cfg;
	char path[256];
	size_t len;
	FILE *f;
	int err;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = open_memstream(diag, &len);
	assert_non_null(f);
	cfg = lb_cfg_load_opts(path, &o, f);
	err = errno;
	fclose(f);
	errno = err;
	return cfg;
}

/* Replace every occurrence of the temp dir in s with "D" (in place). */
static void
strip_dir(char *s)
{
	size_t l = strlen(tmpdir);
	char *p;

	while ((p = strstr(s, tmpdir)) != NULL) {
		*p = 'D';
		memmove(p + 1, p + l, strlen(p + l) + 1);
	}
}

static int
mkdir_in(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return mkdir(path, 0755);
}

static void
test_include(void **state)
{
	struct lb_config *cfg;
	char *diag = NULL;

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/lbcfgtest.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	write_file("main.conf", "include vrrp.conf\n"
		"include vs.d/*.conf   # a glob, relative to this file\n"
		"include none.d/*.conf\n");
	assert_int_equal(mkdir_in("vs.d"), 0);
	write_file("vrrp.conf", "\n" VI1);
	write_file("vs.d/a.conf", "virtual_server 198.18.0.100 80 {\n    lb_kind DR\n"
		"    real_server 198.18.0.21 80\n}\n");
	write_file("vs.d/b.conf", "virtual_server 198.18.0.100 81 {\n    lb_kind DR\n"
		"    wieght 1\n}\n");
	cfg = load_tmp("main.conf", NULL, &diag);
	assert_null(cfg);
	strip_dir(diag);
	assert_string_equal(diag,
		"D/main.conf:3: warning: include pattern D/none.d/*.conf matches no file\n"
		"D/vs.d/b.conf:3: error: unknown keyword 'wieght' in virtual_server\n");
	free(diag);
	write_file("vs.d/b.conf", "\n");
	cfg = load_tmp("main.conf", NULL, &diag);
	assert_non_null(cfg);
	free(diag);
	assert_int_equal(cfg->n_files, 4);
	assert_int_equal(cfg->vrrp[0].line, 2);
	assert_non_null(strstr(cfg->vrrp[0].file, "/vrrp.conf"));
	assert_int_equal(cfg->vs[0].rs[0].line, 3);
	assert_non_null(strstr(cfg->vs[0].rs[0].file, "/vs.d/a.conf"));
	lb_cfg_free(cfg);

	/* a loop names the chain */
	write_file("loop1.conf", "include loop2.conf\n");
	write_file("loop2.conf", "\n\ninclude loop1.conf\n");
	cfg = load_tmp("loop1.conf", NULL, &diag);
	assert_null(cfg);
	strip_dir(diag);
	assert_string_equal(diag, "D/loop2.conf:3: error: include loop: D/loop1.conf -> "
		"D/loop2.conf -> D/loop1.conf\n");
	free(diag);
	/* braces may not be left open across the end of an included file's block */
	write_file("open.conf", "vrrp_instance VI_1 {\n    interface eth0\n");
	write_file("main2.conf", "include open.conf\n");
	cfg = load_tmp("main2.conf", NULL, &diag);
	assert_null(cfg);
	strip_dir(diag);
	assert_string_equal(diag, "D/open.conf:1: error: block opened here is never closed\n");
	free(diag);
}

static void
test_params(void **state)
{
	struct lb_config *cfg;
	char *diag = NULL;

	(void)state;
	cfg = expect_no_error("$VIP=198.18.0.100\n"
		"$IF = eth0\n"
		"$RS=real_server 198.18.0.21 80 { \\\n"
		"    weight 2 \\\n"
		"}\n"
		"vrrp_instance VI_1 {\n"
		"    interface $IF\n"
		"    virtual_router_id 51\n"
		"    notify \"/bin/n.sh $1 ${IF}\"\n"
		"    virtual_ipaddress {\n"
		"        ${VIP}/24\n"
		"    }\n"
		"}\n"
		"virtual_server $VIP 80 {\n"
		"    lb_kind DR\n"
		"    $RS\n"
		"}\n");
	assert_string_equal(cfg->vrrp[0].interface, "eth0");
	assert_int_equal(cfg->vrrp[0].vips[0].addr.ip, ip("198.18.0.100"));
	assert_int_equal(cfg->vrrp[0].vips[0].line, 11);
	assert_string_equal(cfg->vrrp[0].notify.cmd, "/bin/n.sh $1 eth0");
	assert_int_equal(cfg->vs[0].n_rs, 1);
	assert_int_equal(cfg->vs[0].rs[0].weight, 2);
	assert_int_equal(cfg->vs[0].rs[0].line, 16);	/* where $RS was used */
	lb_cfg_free(cfg);

	expect_fail("$A=x \\\n", NAME ":1: error: parameter $A: the definition continues "
		"past the end of the file\n");
	(void)diag;
}

static void
test_config_id(void **state)
{
	struct lb_cfg_opts o = { .config_id = "lb1" };
	struct lb_config *cfg;
	const char *text = "vrrp_instance VI_1 {\n"
		"    interface eth0\n"
		"    virtual_router_id 51\n"
		"@lb1    state MASTER\n"
		"@^lb1   state BACKUP\n"
		"@lb1    priority 150\n"
		"@lb2    priority 100\n"
		"}\n";

	(void)state;
	cfg = lb_cfg_parse_string_opts(text, NAME, &o, NULL);
	assert_non_null(cfg);
	assert_int_equal(cfg->vrrp[0].state, LB_VRRP_MASTER);
	assert_int_equal(cfg->vrrp[0].priority, 150);
	lb_cfg_free(cfg);
	o.config_id = "lb2";
	cfg = lb_cfg_parse_string_opts(text, NAME, &o, NULL);
	assert_non_null(cfg);
	assert_int_equal(cfg->vrrp[0].state, LB_VRRP_BACKUP);
	assert_int_equal(cfg->vrrp[0].priority, 100);
	lb_cfg_free(cfg);
}

static void
test_ranges(void **state)
{
	(void)state;
	expect_fail(
		"vrrp_instance VI_1 {\n"
		"    interface eth0\n"
		"    virtual_router_id 0\n"
		"    priority 256\n"
		"    garp_master_repeat many\n"
		"}\n"
		"vrrp_instance VI_2 {\n"
		"    interface eth0\n"
		"    virtual_router_id 256\n"
		"    priority 0\n"
		"    state master\n"
		"}\n"
		"vrrp_instance VI_3 {\n"
		"    interface eth0\n"
		"    virtual_router_id +5\n"
		"    priority 1x\n"
		"}\n",
		NAME ":3: error: invalid virtual_router_id '0': must be an integer from 1 to 255\n"
		NAME ":4: error: invalid priority '256': must be an integer from 1 to 255\n"
		NAME ":5: error: invalid garp_master_repeat 'many': must be an integer "
		"from 0 to 65535\n"
		NAME ":9: error: invalid virtual_router_id '256': must be an integer "
		"from 1 to 255\n"
		NAME ":10: error: invalid priority '0': must be an integer from 1 to 255\n"
		NAME ":11: error: invalid state 'master': must be MASTER or BACKUP\n"
		NAME ":15: error: invalid virtual_router_id '+5': must be an integer "
		"from 1 to 255\n"
		NAME ":16: error: invalid priority '1x': must be an integer from 1 to 255\n");
	expect_fail(VI1
		"virtual_server 198.18.0.100 0 {\n"
		"    lb_kind DR\n"
		"}\n"
		"virtual_server 198.18.0.100 65536 {\n"
		"    lb_kind DR\n"
		"}\n"
		"virtual_server 198.18.0.100 80 {\n"
		"    lb_kind DR\n"
		"    real_server 198.18.0.21 99999 {\n"
		"    }\n"
		"    real_server 198.18.0.22 80 {\n"
		"        weight 65536\n"
		"    }\n"
		"    real_server 198.18.0.23 80 {\n"
		"        weight -1\n"
		"    }\n"
		"}\n",
		NAME ":8: error: invalid port '0': must be an integer from 1 to 65535\n"
		NAME ":11: error: invalid port '65536': must be an integer from 1 to 65535\n"
		NAME ":16: error: invalid port '99999': must be an integer from 1 to 65535\n"
		NAME ":19: error: invalid weight '65536': must be an integer from 0 to 65535\n"
		NAME ":22: error: invalid weight '-1': must be an integer from 0 to 65535\n");
	expect_fail("global_defs {\n"
		"    vrrp_version 4\n"
		"    smtp_server 198.18.0.25 0\n"
		"    smtp_connect_timeout 0\n"
		"}\n",
		NAME ":2: error: invalid vrrp_version '4': must be an integer from 2 to 3\n"
		NAME ":3: error: invalid port '0': must be an integer from 1 to 65535\n"
		NAME ":4: error: invalid smtp_connect_timeout '0': must be greater than 0\n");
}

static void
test_addresses(void **state)
{
	(void)state;
	expect_fail(
		"vrrp_instance VI_1 {\n"
		"    interface eth0\n"
		"    virtual_router_id 51\n"
		"    virtual_ipaddress {\n"
		"        198.18.0./24\n"
		"        198.18.0.300\n"
		"        198.18.0.100/33\n"
		"        198.18.0.101/x\n"
		"        198.18.0.102 dev\n"
		"        198.18.0.103 dve eth0\n"
		"        2001:db8::1\n"
		"        198.18.0.104 lable x\n"
		"    }\n"
		"}\n"
		"virtual_server 198.18.0.100/32 80 {\n"
		"    lb_kind DR\n"
		"    real_server 198.18.1 80\n"
		"}\n"
		"virtual_server 198.18.0.100 {\n"
		"    lb_kind DR\n"
		"}\n",
		NAME ":5: error: invalid address '198.18.0./24': not an IPv4 address\n"
		NAME ":6: error: invalid address '198.18.0.300': not an IPv4 address\n"
		NAME ":7: error: invalid address '198.18.0.100/33': prefix length must be 0-32\n"
		NAME ":8: error: invalid address '198.18.0.101/x': prefix length must be 0-32\n"
		NAME ":9: error: missing value for 'dev'\n"
		NAME ":10: error: unknown virtual_ipaddress option 'dve'; did you mean 'dev'?\n"
		NAME ":10: error: unknown virtual_ipaddress option 'eth0'\n"
		NAME ":11: error: IPv6 virtual_ipaddress 2001:db8::1 is not supported by lbapp yet\n"
		NAME ":12: error: unknown virtual_ipaddress option 'lable'; "
		"did you mean 'label'?\n"
		NAME ":12: error: unknown virtual_ipaddress option 'x'\n"
		NAME ":15: error: invalid address '198.18.0.100/32': no /prefix expected here\n"
		NAME ":17: error: invalid address '198.18.1': not an IPv4 address\n"
		NAME ":19: error: virtual_server needs an address and a port\n");
}

static void
test_duplicates(void **state)
{
	(void)state;
	expect_fail(
		VI1
		"vrrp_instance VI_1 {\n"
		"    interface eth0\n"
		"    virtual_router_id 51\n"
		"    virtual_ipaddress {\n"
		"        198.18.0.100\n"
		"        198.18.0.101\n"
		"        198.18.0.101/24\n"
		"    }\n"
		"}\n"
		"virtual_server 198.18.0.100 80 {\n"
		"    lb_kind DR\n"
		"    real_server 198.18.0.21 80\n"
		"    real_server 198.18.0.22 80\n"
		"    real_server 198.18.0.21 80 {\n"
		"        weight 2\n"
		"    }\n"
		"    real_server 198.18.0.21\n"
		"    real_server 198.18.0.21 8080\n"
		"}\n"
		"virtual_server 198.18.0.100 80 {\n"
		"    protocol UDP\n"
		"    lb_kind DR\n"
		"}\n"
		"virtual_server 198.18.0.100 80 {\n"
		"    lb_kind DR\n"
		"}\n",
		NAME ":8: error: duplicate vrrp_instance 'VI_1' (first defined at " NAME ":1)\n"
		NAME ":12: error: 198.18.0.100 is already a virtual_ipaddress of vrrp_instance "
		"'VI_1' (" NAME ":5)\n"
		NAME ":14: error: duplicate virtual_ipaddress 198.18.0.101/24 "
		"(first at " NAME ":13)\n"
		NAME ":8: error: virtual_router_id 51 on eth0 is already used by vrrp_instance "
		"'VI_1' (" NAME ":1)\n"
		NAME ":21: error: duplicate real_server 198.18.0.21 80 "
		"(first defined at " NAME ":19)\n"
		NAME ":24: error: duplicate real_server 198.18.0.21 80 "
		"(first defined at " NAME ":19)\n"
		NAME ":31: error: duplicate virtual_server 198.18.0.100 80 TCP "
		"(first defined at " NAME ":17)\n");
}

static void
test_values_count(void **state)
{
	(void)state;
	expect_fail(
		"vrrp_instance VI_1 {\n"
		"    interface\n"
		"    virtual_router_id 51 52\n"
		"    nopreempt yes\n"
		"    priority { 5 }\n"
		"    virtual_ipaddress 198.18.0.100\n"
		"}\n"
		"vrrp_instance {\n"
		"}\n"
		"vrrp_instance VI_3 VI_4 {\n"
		"}\n",
		NAME ":2: error: missing value for 'interface'\n"
		NAME ":3: error: too many values for 'virtual_router_id' (at most 1)\n"
		NAME ":4: error: too many values for 'nopreempt' (it takes none)\n"
		NAME ":5: error: 'priority' does not take a { } block\n"
		NAME ":5: error: missing value for 'priority'\n"
		NAME ":6: error: 'virtual_ipaddress' needs a { } block\n"
		NAME ":6: error: too many values for 'virtual_ipaddress' (it takes none)\n"
		NAME ":8: error: missing value for 'vrrp_instance'\n"
		NAME ":10: error: too many values for 'vrrp_instance' (at most 1)\n");
	/* a keyword given badly is not also reported missing */
	expect_fail(VI1
		"virtual_server 198.18.0.100 80 {\n"
		"    lb_kind DR NAT\n"
		"}\n",
		NAME ":9: error: too many values for 'lb_kind' (at most 1)\n");
}

static void
test_required(void **state)
{
	(void)state;
	expect_fail(
		"vrrp_instance VI_1 {\n"
		"    virtual_ipaddress {\n"
		"        198.18.0.100\n"
		"    }\n"
		"}\n"
		"virtual_server 198.18.0.100 80 {\n"
		"    lb_algo rr\n"
		"}\n",
		NAME ":1: error: vrrp_instance 'VI_1' has no interface\n"
		NAME ":1: error: vrrp_instance 'VI_1' has no virtual_router_id\n");
}

/* lb_kind NAT (keepalived's default), TUN, FNAT and local_address_group. */
static void
test_modes(void **state)
{
	struct lb_config *cfg;

	(void)state;
	cfg = expect_ok(VI1
		"local_address_group lag1 {\n"
		"    198.18.1.1\n"
		"    198.18.1.10-12\n"
		"}\n"
		"virtual_server 198.18.0.100 80 {\n"
		"    lb_kind FNAT\n"
		"    laddr_group_name lag1\n"
		"}\n"
		"virtual_server 198.18.0.100 81 {\n"
		"    lb_kind TUN\n"
		"}\n"
		"virtual_server 198.18.0.100 82 {\n"
		"    lb_algo rr\n"
		"}\n", "");
	assert_int_equal(cfg->n_laddr_groups, 1);
	assert_string_equal(cfg->laddr_groups[0].name, "lag1");
	assert_int_equal(cfg->laddr_groups[0].n_addrs, 4);
	assert_int_equal(cfg->laddr_groups[0].addrs[0], ip("198.18.1.1"));
	assert_int_equal(cfg->laddr_groups[0].addrs[3], ip("198.18.1.12"));
	assert_int_equal(cfg->vs[0].kind, LB_FWD_FNAT);
	assert_int_equal(cfg->vs[0].laddr_group_idx, 0);
	assert_int_equal(cfg->vs[1].kind, LB_FWD_TUN);
	assert_int_equal(cfg->vs[2].kind, LB_FWD_NAT);
	assert_int_equal(cfg->vs[2].laddr_group_idx, -1);
	assert_string_equal(lb_cfg_kind_name(LB_FWD_FNAT), "FNAT");
	lb_cfg_free(cfg);

	expect_fail(VI1
		"local_address_group lag1 {\n"
		"    198.18.1.9-3\n"
		"    198.18.1.1-2\n"
		"    198.18.1.1\n"
		"}\n"
		"local_address_group empty {\n"
		"}\n"
		"virtual_server 198.18.0.100 80 {\n"
		"    lb_kind FNAT\n"
		"}\n"
		"virtual_server 198.18.0.100 81 {\n"
		"    lb_kind FNAT\n"
		"    laddr_group_name nope\n"
		"}\n"
		"virtual_server 198.18.0.100 82 {\n"
		"    lb_kind FULLNATT\n"
		"}\n",
		NAME ":9: error: invalid local_address_group entry '198.18.1.9-3': expected IP or "
		"IP-LAST\n"
		NAME ":13: error: local_address_group 'empty' is empty\n"
		NAME ":15: error: lb_kind FNAT needs laddr_group_name (a local_address_group)\n"
		NAME ":23: error: invalid lb_kind 'FULLNATT': must be DR, NAT, TUN or FNAT\n"
		NAME ":11: error: local address 198.18.1.1 given twice in local_address_group "
		"'lag1'\n"
		NAME ":18: error: laddr_group_name 'nope' names no local_address_group\n");
}

static void
test_unsupported(void **state)
{
	(void)state;
	expect_fail(VI1
		"virtual_server 198.18.0.100 80 {\n"
		"    lb_algo lblc\n"
		"    lb_kind NAT\n"
		"}\n"
		"virtual_server 198.18.0.100 81 {\n"
		"    lvs_sched rrr\n"
		"    lvs_method TUN\n"
		"}\n"
		"virtual_server 198.18.0.100 82 {\n"
		"    lb_algo fancy\n"
		"    lb_kind dr\n"
		"}\n"
		"virtual_server fwmark 1 {\n"
		"    lb_kind DR\n"
		"}\n"
		"virtual_server group web {\n"
		"    lb_kind DR\n"
		"}\n"
		"include /nonexistent/lb/other.conf\n"
		"vrrp_instance VI_2 {\n"
		"    interface eth0\n"
		"    virtual_router_id 52\n"
		"    authentication {\n"
		"        auth_type PASS\n"
		"        auth_pass 123456789\n"
		"    }\n"
		"}\n"
		"vrrp_instance VI_3 {\n"
		"    interface eth0\n"
		"    virtual_router_id 53\n"
		"    authentication {\n"
		"        auth_type MD5\n"
		"        auth_pass x\n"
		"    }\n"
		"}\n"
		"vrrp_instance VI_4 {\n"
		"    interface eth0\n"
		"    virtual_router_id 54\n"
		"    authentication {\n"
		"        auth_type AH\n"
		"    }\n"
		"}\n"
		"$UNDEFINED_VIP\n"
		"@ x\n"
		"\n",
		/* the preprocessor's errors come first */
		NAME ":26: error: cannot read include file /nonexistent/lb/other.conf: "
		"No such file or directory\n"
		NAME ":51: error: '@' without a config-id\n"
		NAME ":9: error: scheduler 'lblc' is not supported by lbapp yet\n"
		NAME ":13: error: unknown scheduler 'rrr'; did you mean 'rr'?\n"
		NAME ":17: error: unknown scheduler 'fancy'\n"
		NAME ":18: error: invalid lb_kind 'dr'; did you mean 'DR'?\n"
		NAME ":20: error: virtual_server fwmark is not supported by lbapp yet\n"
		NAME ":23: error: virtual_server group is not supported by lbapp yet\n"
		NAME ":32: error: auth_pass is longer than 8 characters (VRRP carries only 8)\n"
		NAME ":39: error: invalid auth_type 'MD5': must be PASS or AH\n"
		NAME ":46: error: authentication without auth_pass\n"
		NAME ":50: error: '$UNDEFINED_VIP' is not a defined parameter "
		"(define it first with $NAME=value)\n");
}

/* Errors are all collected: brace errors stop before the semantic pass. */
static void
test_many_errors(void **state)
{
	struct lb_config *cfg;
	char *diag = NULL, *p;
	unsigned int lines = 0;

	(void)state;
	cfg = parse("vrrp_instance VI_1 {\n"
		"    interface eth0\n"
		"    virtual_router_id 999\n"
		"    priorty 5\n"
		"}\n"
		"virtual_server 198.18.0.300 80 {\n"
		"    lb_kind DR\n"
		"}\n", &diag);
	assert_null(cfg);
	assert_int_equal(errno, EINVAL);
	for (p = diag; *p != '\0'; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 3);
	assert_non_null(strstr(diag, NAME ":3: error: "));
	assert_non_null(strstr(diag, NAME ":4: error: "));
	assert_non_null(strstr(diag, NAME ":6: error: "));
	free(diag);

	/* a brace error alone is reported: the tree means something else */
	expect_fail("vrrp_instance VI_1 {\n"
		"    priorty 5\n",
		NAME ":1: error: block opened here is never closed\n");
}

static void
test_load(void **state)
{
	struct lb_config *cfg;
	char *diag = NULL;
	size_t len;
	FILE *f;

	(void)state;
	errno = 0;
	cfg = lb_cfg_load(LB_SRCDIR "/tests/data/cfg/no-such-file.conf", NULL);
	assert_null(cfg);
	assert_int_equal(errno, ENOENT);

	f = open_memstream(&diag, &len);
	assert_non_null(f);
	cfg = lb_cfg_load(LB_SRCDIR "/tests/data/cfg/reference.conf", f);
	fclose(f);
	assert_non_null(cfg);
	assert_string_equal(diag,
		LB_SRCDIR "/tests/data/cfg/reference.conf:53: warning: 'TCP_CHECK' is not "
		"implemented by lbapp yet; ignored\n"
		LB_SRCDIR "/tests/data/cfg/reference.conf:61: warning: 'TCP_CHECK' is not "
		"implemented by lbapp yet; ignored\n");
	assert_int_equal(cfg->n_warnings, 2);
	assert_string_equal(cfg->files[0], LB_SRCDIR "/tests/data/cfg/reference.conf");
	assert_int_equal(cfg->n_vrrp, 2);
	assert_int_equal(cfg->n_vs, 1);
	assert_int_equal(cfg->vs[0].n_rs, 2);
	assert_int_equal(cfg->vs[0].persistence_timeout, 50);
	assert_ptr_equal(cfg->vs[0].file, cfg->files[0]);
	assert_int_equal(cfg->vs[0].line, 44);
	free(diag);
	lb_cfg_free(cfg);
	lb_cfg_free(NULL);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(lb_cfg_sched_name(LB_SCHED_RR), "rr");
	assert_string_equal(lb_cfg_sched_name(LB_SCHED_WRR), "wrr");
	assert_string_equal(lb_cfg_sched_name(LB_SCHED_LC), "lc");
	assert_string_equal(lb_cfg_sched_name(LB_SCHED_WLC), "wlc");
	assert_string_equal(lb_cfg_sched_name(LB_SCHED__MAX), "?");
	assert_string_equal(lb_cfg_kind_name(LB_FWD_DR), "DR");
	assert_string_equal(lb_cfg_kind_name(LB_FWD_NAT), "NAT");
	assert_string_equal(lb_cfg_kind_name(LB_FWD_TUN), "TUN");
	assert_string_equal(lb_cfg_kind_name(LB_FWD__MAX), "?");
}

/* Deep nesting is refused without recursing without bound. */
static void
test_deep_nesting(void **state)
{
	struct lb_config *cfg;
	char *text, *diag = NULL;
	unsigned int i;

	(void)state;
	text = malloc(100000 * 4 + 1);
	assert_non_null(text);
	for (i = 0; i < 100000; i++)
		memcpy(text + i * 4, "a {\n", 4);
	text[100000 * 4] = '\0';
	cfg = parse(text, &diag);
	assert_null(cfg);
	assert_int_equal(errno, EINVAL);
	assert_string_equal(diag, NAME ":33: error: blocks nested more than 32 deep\n");
	free(diag);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_garp_inherit),
		cmocka_unit_test(test_comments_and_quotes),
		cmocka_unit_test(test_one_line_blocks),
		cmocka_unit_test(test_missing_brace),
		cmocka_unit_test(test_extra_brace),
		cmocka_unit_test(test_unknown_keywords),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_vs_options),
		cmocka_unit_test(test_advert_int),
		cmocka_unit_test(test_vip_not_in_instance),
		cmocka_unit_test(test_not_implemented),
		cmocka_unit_test(test_vrrp_implemented),
		cmocka_unit_test(test_script_users),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_values_count),
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_many_errors),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_global_full),
		cmocka_unit_test(test_vrrp_full),
		cmocka_unit_test(test_vs_full),
		cmocka_unit_test(test_fnat_groups),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_config_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lb.conf semantic pass for global_defs, vrrp_instance, vrrp_script and
 * vrrp_sync_group. Names (track_script, sync group members) are resolved
 * once the whole file is read, in lb_cfg_vrrp_finish().
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lb_cfg.h"
#include "lb_cfg_int.h"

#define HOUR_MS (3600u * 1000u)

/* ---- global_defs ---- */

void
lb_cfg_global_defaults(struct lb_cfg_global *g)
{
	memset(g, 0, sizeof(*g));
	g->smtp_port = 25;
	g->smtp_connect_timeout_ms = 30 * 1000;
	g->vrrp_version = 2;
	g->garp_master_delay_ms = 5 * 1000;
	g->garp_master_repeat = 5;
	g->smtp_alert_vrrp = -1;
	g->smtp_alert_checker = -1;
	g->vrrp_mcast_group4.family = AF_INET;
	g->vrrp_mcast_group4.ip = htonl(0xe0000012);	/* 224.0.0.18 */
	g->vrrp_mcast_group4.prefixlen = 32;
	g->vrrp_mcast_group6.family = AF_INET6;
	inet_pton(AF_INET6, "ff02::12", &g->vrrp_mcast_group6.ip6);
	g->vrrp_mcast_group6.prefixlen = 128;
	g->garp_refresh_repeat = 1;
	g->garp_lower_prio_delay_ms = UNSET_U32;
	g->garp_lower_prio_repeat = UNSET_U32;
	strcpy(g->default_interface, "eth0");
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
	e = lb_cfg_grow(g->emails, g->n_emails, sizeof(*e));
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
h_email(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	const struct lb_cfg_stmt *c;
	unsigned int i;
	int rc;

	(void)obj;
	(void)def;
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
h_smtp_server(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_global *g = obj;
	struct lb_cfg_addr a;
	uint16_t port = 25;
	const char *v = st->vals[0];

	(void)def;
	if (st->n_vals > 1 && !lb_cfg_get_port(s, st, st->vals[1], &port))
		return 0;
	memset(&a, 0, sizeof(a));
	g->smtp_server_name[0] = '\0';
	if (strspn(v, "0123456789.") == strlen(v) || strchr(v, ':') != NULL) {
		if (!lb_cfg_get_addr(s, st, v, false, &a))
			return 0;
	} else if (!lb_cfg_get_str(s, st, "smtp_server", v, g->smtp_server_name,
			sizeof(g->smtp_server_name))) {
		return 0;
	}
	g->smtp_addr = a;
	g->smtp_server = a.family == AF_INET ? a.ip : 0;
	g->smtp_port = port;
	return 0;
}

static int
h_mcast4(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_global *g = obj;
	struct lb_cfg_addr a;

	(void)def;
	if (!lb_cfg_get_addr(s, st, st->vals[0], false, &a))
		return 0;
	if (a.family != AF_INET || (ntohl(a.ip) >> 28) != 0xe) {
		lb_cfg_error(s->d, st->file, st->line,
			"invalid vrrp_mcast_group4 '%s': not an IPv4 multicast address",
			st->vals[0]);
		return 0;
	}
	g->vrrp_mcast_group4 = a;
	return 0;
}

static int
h_mcast6(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_global *g = obj;
	struct lb_cfg_addr a;

	(void)def;
	if (!lb_cfg_get_addr(s, st, st->vals[0], false, &a))
		return 0;
	if (a.family != AF_INET6 || a.ip6.s6_addr[0] != 0xff) {
		lb_cfg_error(s->d, st->file, st->line,
			"invalid vrrp_mcast_group6 '%s': not an IPv6 multicast address",
			st->vals[0]);
		return 0;
	}
	g->vrrp_mcast_group6 = a;
	return 0;
}

static int
h_script_user(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_global *g = obj;

	(void)def;
	if (!lb_cfg_get_str(s, st, "script_user", st->vals[0], g->script_user,
			sizeof(g->script_user)))
		return 0;
	if (st->n_vals > 1)
		lb_cfg_get_str(s, st, "script group", st->vals[1], g->script_group,
			sizeof(g->script_group));
	return 0;
}

#define G struct lb_cfg_global
static const struct kw_def kw_global[] = {
	KW_NAME("router_id", G, router_id),
	KW_ALIAS("lvs_id", "router_id", lb_cfg_h_name, 1, 1, BLK_NO, KW_ONCE,
		offsetof(G, router_id), 0, LB_CFG_NAME_MAX),
	KW("notification_email", h_email, 0, 0, BLK_YES, 0),
	KW_STR("notification_email_from", G, email_from),
	KW("smtp_server", h_smtp_server, 1, 2, BLK_NO, KW_ONCE),
	KW_MS("smtp_connect_timeout", G, smtp_connect_timeout_ms, 1, HOUR_MS),
	KW_STR("smtp_helo_name", G, smtp_helo_name),
	KW_FLAG("smtp_alert", G, smtp_alert),
	KW_TRI("smtp_alert_vrrp", G, smtp_alert_vrrp),
	KW_TRI("smtp_alert_checker", G, smtp_alert_checker),
	KW_FLAG("enable_script_security", G, enable_script_security),
	KW("script_user", h_script_user, 1, 2, BLK_NO, KW_ONCE),
	KW_U8("vrrp_version", G, vrrp_version, 2, 3),
	KW("vrrp_mcast_group4", h_mcast4, 1, 1, BLK_NO, KW_ONCE),
	KW("vrrp_mcast_group6", h_mcast6, 1, 1, BLK_NO, KW_ONCE),
	KW_MS("vrrp_garp_master_delay", G, garp_master_delay_ms, 0, HOUR_MS),
	KW_U32("vrrp_garp_master_repeat", G, garp_master_repeat, 0, 65535),
	KW_MS("vrrp_garp_master_refresh", G, garp_refresh_ms, 0, 24 * HOUR_MS),
	KW_U32("vrrp_garp_master_refresh_repeat", G, garp_refresh_repeat, 1, 65535),
	KW_MS("vrrp_garp_lower_prio_delay", G, garp_lower_prio_delay_ms, 0, HOUR_MS),
	KW_U32("vrrp_garp_lower_prio_repeat", G, garp_lower_prio_repeat, 0, 65535),
	KW_MS("vrrp_garp_interval", G, garp_interval_ms, 0, HOUR_MS),
	KW_MS("vrrp_gna_interval", G, gna_interval_ms, 0, HOUR_MS),
	KW_FLAG("vrrp_strict", G, vrrp_strict),
	KW_FLAG("vrrp_skip_check_adv_addr", G, vrrp_skip_check_adv_addr),
	KW_FLAG("vrrp_check_unicast_src", G, vrrp_check_unicast_src),
	KW_FLAG("vrrp_lower_prio_no_advert", G, vrrp_lower_prio_no_advert),
	KW_FLAG("vrrp_higher_prio_send_advert", G, vrrp_higher_prio_send_advert),
	KW_NAME("default_interface", G, default_interface),
	KW_IGN("vrrp_iptables"),
	KW_IGN("vrrp_ipsets"),
	KW_IGN("vrrp_priority"),
	KW_IGN("vrrp_no_swap"),
	KW_IGN("vrrp_rt_priority"),
	KW_IGN("vrrp_rlimit_rtime"),
	KW_IGN("vrrp_cpu_affinity"),
	KW_IGN("vrrp_notify_fifo"),
	KW_IGN("vrrp_notify_fifo_script"),
	KW_IGN("vrrp_startup_delay"),
	KW_IGN("vrrp_netlink_cmd_rcv_bufs"),
	KW_IGN("vrrp_netlink_monitor_rcv_bufs"),
	KW_IGN("vrrp_min_garp"),
	KW_IGN("vrrp_dont_process_unknown_vrids"),
	KW_IGN("vrrp_rx_bufs_policy"),
	KW_IGN("vrrp_rx_bufs_multiplier"),
	KW_IGN("vrrp_track_process"),
	KW_IGN("checker_priority"),
	KW_IGN("checker_no_swap"),
	KW_IGN("checker_rt_priority"),
	KW_IGN("checker_rlimit_rtime"),
	KW_IGN("checker_cpu_affinity"),
	KW_IGN("checker_log_all_failures"),
	KW_IGN("bfd_priority"),
	KW_IGN("bfd_no_swap"),
	KW_IGN("bfd_rt_priority"),
	KW_IGN("lvs_sync_daemon"),
	KW_IGN("lvs_flush"),
	KW_IGN("lvs_flush_on_stop"),
	KW_IGN("lvs_timeouts"),
	KW_IGN("lvs_notify_fifo"),
	KW_IGN("lvs_notify_fifo_script"),
	KW_IGN("notify_fifo"),
	KW_IGN("notify_fifo_script"),
	KW_IGN("dynamic_interfaces"),
	KW_IGN("max_auto_priority"),
	KW_IGN("min_auto_priority_delay"),
	KW_IGN("net_namespace"),
	KW_IGN("net_namespace_ipvs"),
	KW_IGN("namespace_with_ipsets"),
	KW_IGN("instance"),
	KW_IGN("use_pid_dir"),
	KW_IGN("linkbeat_use_polling"),
	KW_IGN("enable_traps"),
	KW_IGN("enable_snmp_vrrp"),
	KW_IGN("enable_snmp_keepalived"),
	KW_IGN("enable_snmp_checker"),
	KW_IGN("enable_snmp_rfc"),
	KW_IGN("enable_snmp_rfcv2"),
	KW_IGN("enable_snmp_rfcv3"),
	KW_IGN("snmp_socket"),
	KW_IGN("enable_dbus"),
	KW_IGN("enable_dbus_create_instance"),
	KW_IGN("process_names"),
	KW_IGN("process_name"),
	KW_IGN("vrrp_process_name"),
	KW_IGN("checker_process_name"),
	KW_IGN("bfd_process_name"),
	KW_IGN("startup_script"),
	KW_IGN("startup_script_timeout"),
	KW_IGN("shutdown_script"),
	KW_IGN("shutdown_script_timeout"),
	KW_IGN("script_security"),
	KW_IGN("umask"),
	KW_IGN("no_email_faults"),
	KW_IGN("local_name"),
	KW_IGN("random_seed"),
	KW_IGN("reload_check_config"),
	KW_IGN("reload_time_file"),
	KW_IGN("reload_repeat"),
	KW_IGN("reload_file"),
	KW_IGN("config_save_dir"),
	KW_IGN("data_use_instance"),
	KW_IGN("tmp_config_directory"),
	KW_IGN("disable_local_igmp"),
	KW_IGN("nftables"),
	KW_IGN("nftables_priority"),
	KW_IGN("nftables_ifindex"),
	KW_IGN("nftables_counters"),
	KW_IGN("json_version"),
	KW_IGN("fifo_write_vrrp_states_on_reload"),
	KW_IGN("rs_init_notifies"),
	KW_IGN("no_checker_emails"),
	KW_IGN("smtp_server_is_an_address"),
	KW_IGN("vrrp_owner_ignore_adverts"),
	KW_IGN("vrrp_skip_check_adv_addr_v3"),
	KW_IGN("vrrp_garp_extra_if"),
	KW_IGN("vrrp_iptables_manage"),
	KW_IGN("vrrp_dont_notify_deleted"),
	KW_IGN("mem_check"),
	KW_IGN("mem_check_log_all"),
};
#undef G

const struct kw_table lb_cfg_tb_global = TABLE("global_defs", kw_global);

int
lb_cfg_h_global(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	(void)obj;
	(void)def;
	return lb_cfg_sem_block(s, &lb_cfg_tb_global, st->child, &s->cfg->global);
}

/* ---- vrrp_instance ---- */

/* Which inheritable flags an instance set itself (bits per instance, in sem order). */
enum {
	VF_ACCEPT = 1u << 0,
	VF_STRICT = 1u << 1,
	VF_SKIP_CHECK = 1u << 2,
	VF_CHECK_UNICAST = 1u << 3,
	VF_LOWER_NO_ADV = 1u << 4,
	VF_HIGHER_SEND = 1u << 5,
};

static int
h_state(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_vrrp *v = obj;

	(void)def;
	if (strcmp(st->vals[0], "MASTER") == 0)
		v->state = LB_VRRP_MASTER;
	else if (strcmp(st->vals[0], "BACKUP") == 0)
		v->state = LB_VRRP_BACKUP;
	else
		lb_cfg_error(s->d, st->file, st->line,
			"invalid state '%s': must be MASTER or BACKUP", st->vals[0]);
	return 0;
}

static int
h_advert_int(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_vrrp *v = obj;

	(void)def;
	lb_cfg_get_timer(s, st, st->vals[0], 1, 255 * 1000, &v->advert_int_ms);
	return 0;
}

static int
h_nopreempt(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_vrrp *v = obj;

	(void)s;
	(void)st;
	(void)def;
	v->nopreempt = true;
	return 0;
}

static int
h_preempt(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_vrrp *v = obj;

	(void)s;
	(void)st;
	(void)def;
	v->nopreempt = false;
	return 0;
}

/* "dev IF" and "label L" are kept; these are keepalived's, ignored with a warning. */
static const char *const vip_opts_arg[] = { "brd", "broadcast", "scope", "peer",
	"preferred_lft", "metric", "track_group" };
static const char *const vip_opts_flag[] = { "home", "-nodad", "nodad", "noprefixroute",
	"autojoin", "no_track" };

/* Is this VIP in an earlier entry or instance? */
static void
check_vip_dup(struct sem *s, const struct lb_cfg_stmt *st, const struct lb_cfg_vrrp *cur,
		const struct lb_cfg_addr *a)
{
	unsigned int i, j;

	for (i = 0; i < s->cfg->n_vrrp; i++) {
		const struct lb_cfg_vrrp *o = &s->cfg->vrrp[i];

		for (j = 0; j < o->n_vips; j++) {
			const struct lb_cfg_vip *ov = &o->vips[j];

			if (!lb_cfg_addr_eq(&ov->addr, a))
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

/* One address line of virtual_ipaddress (excluded: of virtual_ipaddress_excluded). */
static int
add_vip(struct sem *s, const struct lb_cfg_stmt *st, struct lb_cfg_vrrp *v, bool excluded)
{
	static const char *const opts[] = { "dev", "label", "brd", "broadcast", "scope", "peer",
		"preferred_lft", "metric", "track_group", "home", "-nodad", "nodad",
		"noprefixroute", "autojoin", "no_track" };
	struct lb_cfg_vip vip, **arr;
	struct lb_cfg_vip *nv;
	unsigned int i, errs = s->d->n_errors, *n;
	const char *o, *sg;

	memset(&vip, 0, sizeof(vip));
	vip.line = st->line;
	vip.file = st->file;
	if (st->has_block)
		lb_cfg_error(s->d, st->file, st->line,
			"unexpected { } block in virtual_ipaddress");
	if (!lb_cfg_get_addr(s, st, st->kw, true, &vip.addr))
		return 0;
	for (i = 0; i < st->n_vals; i++) {
		o = st->vals[i];
		if (lb_cfg_in_list(o, vip_opts_flag, LB_CFG_NELEM(vip_opts_flag))) {
			warn_vip_opt(s, st, o);
			continue;
		}
		if (!lb_cfg_in_list(o, opts, 2) &&
				!lb_cfg_in_list(o, vip_opts_arg, LB_CFG_NELEM(vip_opts_arg))) {
			sg = lb_cfg_suggest(o, opts, LB_CFG_NELEM(opts));
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
			lb_cfg_get_str(s, st, o, st->vals[i], vip.dev, sizeof(vip.dev));
		else if (strcmp(o, "label") == 0)
			lb_cfg_get_str(s, st, o, st->vals[i], vip.label, sizeof(vip.label));
		else
			warn_vip_opt(s, st, o);
	}
	if (s->d->n_errors != errs)
		return 0;
	if (!excluded) {
		if (vip.addr.family == AF_INET6 && !lb_cfg_caps_ipv6()) {
			lb_cfg_error(s->d, st->file, st->line,
				"IPv6 virtual_ipaddress %s is not supported by lbapp yet", st->kw);
			return 0;
		}
		if (v->n_vips > 0 && v->vips[0].addr.family != vip.addr.family) {
			lb_cfg_error(s->d, st->file, st->line,
				"virtual_ipaddress %s is not of the same family as %s:%u "
				"(put the other family in virtual_ipaddress_excluded)",
				st->kw, v->vips[0].file, v->vips[0].line);
			return 0;
		}
		check_vip_dup(s, st, v, &vip.addr);
	}
	arr = excluded ? &v->vips_excluded : &v->vips;
	n = excluded ? &v->n_vips_excluded : &v->n_vips;
	nv = lb_cfg_grow(*arr, *n, sizeof(*nv));
	if (nv == NULL)
		return -ENOMEM;
	*arr = nv;
	nv[(*n)++] = vip;
	return 0;
}

static int
h_vips(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	const struct lb_cfg_stmt *c;
	int rc;

	for (c = st->child; c != NULL; c = c->next) {
		rc = add_vip(s, c, obj, def->lo != 0);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int
h_auth_type(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_vrrp *v = obj;

	(void)def;
	if (strcmp(st->vals[0], "PASS") == 0)
		v->auth_type = LB_VRRP_AUTH_PASS;
	else if (strcmp(st->vals[0], "AH") == 0)
		v->auth_type = LB_VRRP_AUTH_AH;
	else
		lb_cfg_error(s->d, st->file, st->line,
			"invalid auth_type '%s': must be PASS or AH", st->vals[0]);
	return 0;
}

static int
h_auth_pass(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_vrrp *v = obj;
	size_t len = strlen(st->vals[0]);

	(void)def;
	if (len > sizeof(v->auth_pass) - 1) {
		/* keepalived silently uses the first 8: refuse instead */
		lb_cfg_error(s->d, st->file, st->line,
			"auth_pass is longer than %zu characters (VRRP carries only %zu)",
			sizeof(v->auth_pass) - 1, sizeof(v->auth_pass) - 1);
		return 0;
	}
	memcpy(v->auth_pass, st->vals[0], len + 1);
	return 0;
}

static const struct kw_def kw_auth[] = {
	KW("auth_type", h_auth_type, 1, 1, BLK_NO, KW_ONCE),
	KW("auth_pass", h_auth_pass, 1, 1, BLK_NO, KW_ONCE),
};

const struct kw_table lb_cfg_tb_auth = TABLE("authentication", kw_auth);

static int
h_auth(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_vrrp *v = obj;
	const struct lb_cfg_stmt *seen[LB_CFG_NELEM(kw_auth)] = { NULL };
	int rc;

	(void)def;
	v->auth_type = LB_VRRP_AUTH_NONE;
	rc = lb_cfg_sem_walk(s, &lb_cfg_tb_auth, st->child, v, seen);
	if (rc < 0)
		return rc;
	if (!lb_cfg_given(&lb_cfg_tb_auth, seen, "auth_type"))
		lb_cfg_error(s->d, st->file, st->line, "authentication without auth_type");
	if (!lb_cfg_given(&lb_cfg_tb_auth, seen, "auth_pass"))
		lb_cfg_error(s->d, st->file, st->line, "authentication without auth_pass");
	return 0;
}

static int
h_unicast_peer(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	static const char *const peer_opts[] = { "min_ttl", "max_ttl" };
	struct lb_cfg_vrrp *v = obj;
	const struct lb_cfg_stmt *c;
	struct lb_cfg_addr a, *arr;
	unsigned int i, j;
	uint64_t ttl;

	(void)def;
	for (c = st->child; c != NULL; c = c->next) {
		if (c->has_block)
			lb_cfg_error(s->d, c->file, c->line, "unexpected { } block in unicast_peer");
		if (!lb_cfg_get_addr(s, c, c->kw, false, &a))
			continue;
		for (i = 0; i < c->n_vals; i++) {
			if (!lb_cfg_in_list(c->vals[i], peer_opts, 2) || i + 1 >= c->n_vals) {
				lb_cfg_error(s->d, c->file, c->line,
					"invalid unicast_peer option '%s': expected min_ttl N or "
					"max_ttl N", c->vals[i]);
				break;
			}
			i++;
			if (lb_cfg_get_uint(s, c, c->vals[i - 1], c->vals[i], 0, 255, &ttl))
				lb_cfg_warn(s->d, c->file, c->line,
					"unicast_peer option '%s' is not implemented by lbapp "
					"yet; ignored", c->vals[i - 1]);
		}
		for (j = 0; j < v->n_unicast_peers; j++)
			if (lb_cfg_addr_eq(&v->unicast_peers[j], &a))
				break;
		if (j < v->n_unicast_peers) {
			lb_cfg_error(s->d, c->file, c->line, "duplicate unicast_peer %s", c->kw);
			continue;
		}
		arr = lb_cfg_grow(v->unicast_peers, v->n_unicast_peers, sizeof(*arr));
		if (arr == NULL)
			return -ENOMEM;
		v->unicast_peers = arr;
		arr[v->n_unicast_peers++] = a;
	}
	return 0;
}

/* "NAME [weight N [reverse]]" lines; fills name, *weight, *has_weight. */
static bool
tracked(struct sem *s, const struct lb_cfg_stmt *c, int64_t wmin, int64_t wmax, char *name,
		int *weight, bool *has_weight)
{
	int64_t w = 0;

	*has_weight = false;
	if (c->has_block) {
		lb_cfg_error(s->d, c->file, c->line, "unexpected { } block");
		return false;
	}
	if (!lb_cfg_get_str(s, c, "name", c->kw, name, LB_CFG_NAME_MAX))
		return false;
	if (c->n_vals == 0) {
		*weight = 0;
		return true;
	}
	if (strcmp(c->vals[0], "weight") != 0 || c->n_vals < 2 || c->n_vals > 3 ||
			(c->n_vals == 3 && strcmp(c->vals[2], "reverse") != 0)) {
		lb_cfg_error(s->d, c->file, c->line,
			"invalid entry for '%s': expected NAME [weight N [reverse]]", c->kw);
		return false;
	}
	if (!lb_cfg_get_int(s, c, "weight", c->vals[1], wmin, wmax, &w))
		return false;
	*weight = (int)(c->n_vals == 3 ? -w : w);
	*has_weight = true;
	return true;
}

static int
h_track_if(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_vrrp *v = obj;
	const struct lb_cfg_stmt *c;
	struct lb_cfg_track_if t, *arr;
	bool hw;

	(void)def;
	for (c = st->child; c != NULL; c = c->next) {
		memset(&t, 0, sizeof(t));
		if (!tracked(s, c, -254, 254, t.name, &t.weight, &hw))
			continue;
		t.line = c->line;
		arr = lb_cfg_grow(v->track_ifs, v->n_track_ifs, sizeof(*arr));
		if (arr == NULL)
			return -ENOMEM;
		v->track_ifs = arr;
		arr[v->n_track_ifs++] = t;
	}
	return 0;
}

static int
h_track_script(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_vrrp *v = obj;
	const struct lb_cfg_stmt *c;
	struct lb_cfg_track_script t, *arr;

	(void)def;
	for (c = st->child; c != NULL; c = c->next) {
		memset(&t, 0, sizeof(t));
		if (!tracked(s, c, -253, 253, t.name, &t.weight, &t.has_weight))
			continue;
		t.line = c->line;
		t.script = -1;
		arr = lb_cfg_grow(v->track_scripts, v->n_track_scripts, sizeof(*arr));
		if (arr == NULL)
			return -ENOMEM;
		v->track_scripts = arr;
		arr[v->n_track_scripts++] = t;
	}
	return 0;
}

#define V struct lb_cfg_vrrp
static const struct kw_def kw_vrrp[] = {
	KW("state", h_state, 1, 1, BLK_NO, KW_ONCE),
	KW_NAME("interface", V, interface),
	KW_U8("virtual_router_id", V, vrid, 1, 255),
	KW_U8("priority", V, priority, 1, 255),
	KW("advert_int", h_advert_int, 1, 1, BLK_NO, KW_ONCE),
	KW("nopreempt", h_nopreempt, 0, 0, BLK_NO, KW_ONCE),
	KW("preempt", h_preempt, 0, 0, BLK_NO, KW_ONCE),
	KW_MS("preempt_delay", V, preempt_delay_ms, 0, 1000 * 1000),
	KW_MS("garp_master_delay", V, garp_master_delay_ms, 0, HOUR_MS),
	KW_U32("garp_master_repeat", V, garp_master_repeat, 0, 65535),
	KW_MS("garp_master_refresh", V, garp_refresh_ms, 0, 24 * HOUR_MS),
	KW_U32("garp_master_refresh_repeat", V, garp_refresh_repeat, 1, 65535),
	KW_MS("garp_lower_prio_delay", V, garp_lower_prio_delay_ms, 0, HOUR_MS),
	KW_U32("garp_lower_prio_repeat", V, garp_lower_prio_repeat, 0, 65535),
	KW_MS("garp_interval", V, garp_interval_ms, 0, HOUR_MS),
	KW_MS("gna_interval", V, gna_interval_ms, 0, HOUR_MS),
	KWX("virtual_ipaddress", h_vips, 0, 0, BLK_YES, 0, 0, 0, 0),
	KWX("virtual_ipaddress_excluded", h_vips, 0, 0, BLK_YES, 0, 0, 1, 1),
	KW("authentication", h_auth, 0, 0, BLK_YES, KW_ONCE),
	KW_U8("version", V, version, 2, 3),
	KW_ADDR("unicast_src_ip", V, unicast_src_ip),
	KW("unicast_peer", h_unicast_peer, 0, 0, BLK_YES, 0),
	KW_U8("unicast_ttl", V, unicast_ttl, 1, 255),
	KW_ADDR("mcast_src_ip", V, mcast_src_ip),
	KW("track_interface", h_track_if, 0, 0, BLK_YES, 0),
	KW("track_script", h_track_script, 0, 0, BLK_YES, 0),
	KW_FLAG("dont_track_primary", V, dont_track_primary),
	KW_CMD("notify_master", V, notify_master),
	KW_CMD("notify_backup", V, notify_backup),
	KW_CMD("notify_fault", V, notify_fault),
	KW_CMD("notify_stop", V, notify_stop),
	KW_CMD("notify", V, notify),
	KW_TRI("smtp_alert", V, smtp_alert),
	KWX("accept", lb_cfg_h_flag, 0, 1, BLK_NO, KW_ONCE, offsetof(V, accept), VF_ACCEPT, 0),
	KWX("no_accept", lb_cfg_h_noflag, 0, 0, BLK_NO, KW_ONCE, offsetof(V, accept),
		VF_ACCEPT, 0),
	KWX("strict_mode", lb_cfg_h_flag, 0, 1, BLK_NO, KW_ONCE, offsetof(V, strict_mode),
		VF_STRICT, 0),
	KWX("skip_check_adv_addr", lb_cfg_h_flag, 0, 1, BLK_NO, KW_ONCE,
		offsetof(V, skip_check_adv_addr), VF_SKIP_CHECK, 0),
	KWX("check_unicast_src", lb_cfg_h_flag, 0, 1, BLK_NO, KW_ONCE,
		offsetof(V, check_unicast_src), VF_CHECK_UNICAST, 0),
	KWX("lower_prio_no_advert", lb_cfg_h_flag, 0, 1, BLK_NO, KW_ONCE,
		offsetof(V, lower_prio_no_advert), VF_LOWER_NO_ADV, 0),
	KWX("higher_prio_send_advert", lb_cfg_h_flag, 0, 1, BLK_NO, KW_ONCE,
		offsetof(V, higher_prio_send_advert), VF_HIGHER_SEND, 0),
	KW_IGN("virtual_routes"),
	KW_IGN("virtual_rules"),
	KW_IGN("track_process"),
	KW_IGN("track_file"),
	KW_IGN("track_bfd"),
	KW_IGN("track_src_ip"),
	KW_IGN("unicast_fault_no_peer"),
	KW_IGN("notify_deleted"),
	KW_IGN("notify_master_rx_lower_pri"),
	KW_IGN("notify_priority_changes"),
	KW_IGN("lvs_sync_daemon_interface"),
	KW_IGN("use_vmac"),
	KW_IGN("vmac_xmit_base"),
	KW_IGN("use_ipvlan"),
	KW_IGN("native_ipv6"),
	KW_IGN("promote_secondaries"),
	KW_IGN("kernel_rx_buf_size"),
	KW_IGN("debug"),
	KW_IGN("sync_group_tracking_weight"),
	KW_IGN("linkbeat_use_polling"),
	KW_IGN("old_unicast_checksum"),
	KW_IGN("no_accept_ra"),
};
#undef V

const struct kw_table lb_cfg_tb_vrrp = TABLE("vrrp_instance", kw_vrrp);

/* Inheritable flags an instance gave itself, from the table's lo field. */
static uint32_t
vrrp_given_flags(const struct lb_cfg_stmt *const *seen)
{
	uint32_t f = 0;
	unsigned int i;

	for (i = 0; i < lb_cfg_tb_vrrp.n; i++)
		if (seen[i] != NULL && kw_vrrp[i].fn != NULL &&
				(kw_vrrp[i].fn == lb_cfg_h_flag || kw_vrrp[i].fn == lb_cfg_h_noflag))
			f |= (uint32_t)kw_vrrp[i].lo;
	return f;
}

int
lb_cfg_h_vrrp(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	const struct lb_cfg_stmt *seen[LB_CFG_NELEM(kw_vrrp)] = { NULL };
	struct lb_config *cfg = s->cfg;
	struct lb_cfg_vrrp *arr, *v;
	uint32_t *fl;
	unsigned int i;
	int rc;

	(void)obj;
	(void)def;
	for (i = 0; i < cfg->n_vrrp; i++)
		if (strcmp(cfg->vrrp[i].name, st->vals[0]) == 0)
			lb_cfg_error(s->d, st->file, st->line,
				"duplicate vrrp_instance '%s' (first defined at %s:%u)",
				st->vals[0], cfg->vrrp[i].file, cfg->vrrp[i].line);
	arr = lb_cfg_grow(cfg->vrrp, cfg->n_vrrp, sizeof(*arr));
	if (arr == NULL)
		return -ENOMEM;
	cfg->vrrp = arr;
	fl = realloc(s->vrrp_flags, (cfg->n_vrrp + 1) * sizeof(*fl));
	if (fl == NULL)
		return -ENOMEM;
	s->vrrp_flags = fl;
	v = &arr[cfg->n_vrrp++];
	v->state = LB_VRRP_BACKUP;
	v->priority = 100;
	v->advert_int_ms = 1000;
	v->garp_master_delay_ms = UNSET_U32;
	v->garp_master_repeat = UNSET_U32;
	v->garp_refresh_ms = UNSET_U32;
	v->garp_refresh_repeat = UNSET_U32;
	v->garp_lower_prio_delay_ms = UNSET_U32;
	v->garp_lower_prio_repeat = UNSET_U32;
	v->garp_interval_ms = UNSET_U32;
	v->gna_interval_ms = UNSET_U32;
	v->unicast_ttl = 255;
	v->smtp_alert = -1;
	v->sync_group = -1;
	v->line = st->line;
	v->file = st->file;
	lb_cfg_get_str(s, st, "vrrp_instance name", st->vals[0], v->name, sizeof(v->name));
	rc = lb_cfg_sem_walk(s, &lb_cfg_tb_vrrp, st->child, v, seen);
	if (rc < 0)
		return rc;
	fl[cfg->n_vrrp - 1] = vrrp_given_flags(seen);
	if (!lb_cfg_given(&lb_cfg_tb_vrrp, seen, "interface"))
		lb_cfg_error(s->d, st->file, st->line,
			"vrrp_instance '%s' has no interface", v->name);
	if (!lb_cfg_given(&lb_cfg_tb_vrrp, seen, "virtual_router_id"))
		lb_cfg_error(s->d, st->file, st->line,
			"vrrp_instance '%s' has no virtual_router_id", v->name);
	if (v->nopreempt && v->state == LB_VRRP_MASTER)
		lb_cfg_warn(s->d, st->file, st->line,
			"vrrp_instance '%s': nopreempt needs state BACKUP (keepalived treats "
			"it as BACKUP)", v->name);
	if (v->vrid == 0 || v->interface[0] == '\0')
		return 0;
	for (i = 0; i + 1 < cfg->n_vrrp; i++) {
		const struct lb_cfg_vrrp *o = &cfg->vrrp[i];

		if (o->vrid == v->vrid && strcmp(o->interface, v->interface) == 0 &&
				(o->n_vips == 0 || v->n_vips == 0 ||
				 o->vips[0].addr.family == v->vips[0].addr.family)) {
			lb_cfg_error(s->d, st->file, st->line,
				"virtual_router_id %u on %s is already used by vrrp_instance "
				"'%s' (%s:%u)", v->vrid, v->interface, o->name, o->file, o->line);
			break;
		}
	}
	return 0;
}

/* ---- vrrp_script ---- */

/* "script CMD..." : the words after the keyword are the command line. */
static int
h_script_cmd(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_cmd *c = (struct lb_cfg_cmd *)(void *)((char *)obj + def->off);
	size_t len = 0;
	unsigned int i;
	char *p;

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
	c->cmd = p;
	return 0;
}

static int
h_vscript_user(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_script *sc = obj;

	(void)def;
	if (!lb_cfg_get_str(s, st, "user", st->vals[0], sc->script.user, sizeof(sc->script.user)))
		return 0;
	if (st->n_vals > 1)
		lb_cfg_get_str(s, st, "group", st->vals[1], sc->script.group,
			sizeof(sc->script.group));
	return 0;
}

static int
h_script_weight(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_script *sc = obj;
	int64_t w;

	(void)def;
	if (!lb_cfg_get_int(s, st, "weight", st->vals[0], -253, 253, &w))
		return 0;
	if (st->n_vals > 1 && strcmp(st->vals[1], "reverse") != 0) {
		lb_cfg_error(s->d, st->file, st->line,
			"invalid weight option '%s': only 'reverse' is allowed", st->vals[1]);
		return 0;
	}
	sc->weight = (int)w;
	sc->weight_reverse = st->n_vals > 1;
	return 0;
}

#define S struct lb_cfg_script
static const struct kw_def kw_script[] = {
	KWX("script", h_script_cmd, 1, VALS_ANY, BLK_NO, KW_ONCE, offsetof(S, script), 0, 0),
	KW_MS("interval", S, interval_ms, 1, 24 * HOUR_MS),
	KW_MS("timeout", S, timeout_ms, 1, 24 * HOUR_MS),
	KW("weight", h_script_weight, 1, 2, BLK_NO, KW_ONCE),
	KW_U32("rise", S, rise, 1, 1000000),
	KW_U32("fall", S, fall, 1, 1000000),
	KW("user", h_vscript_user, 1, 2, BLK_NO, KW_ONCE),
	KW_FLAG("init_fail", S, init_fail),
};
#undef S

const struct kw_table lb_cfg_tb_script = TABLE("vrrp_script", kw_script);

int
lb_cfg_h_script(struct sem *s, const struct lb_cfg_stmt *st, void *obj,
		const struct kw_def *def)
{
	const struct lb_cfg_stmt *seen[LB_CFG_NELEM(kw_script)] = { NULL };
	struct lb_config *cfg = s->cfg;
	struct lb_cfg_script *arr, *sc;
	unsigned int i;
	int rc;

	(void)obj;
	(void)def;
	for (i = 0; i < cfg->n_scripts; i++)
		if (strcmp(cfg->scripts[i].name, st->vals[0]) == 0)
			lb_cfg_error(s->d, st->file, st->line,
				"duplicate vrrp_script '%s' (first defined at %s:%u)",
				st->vals[0], cfg->scripts[i].file, cfg->scripts[i].line);
	arr = lb_cfg_grow(cfg->scripts, cfg->n_scripts, sizeof(*arr));
	if (arr == NULL)
		return -ENOMEM;
	cfg->scripts = arr;
	sc = &arr[cfg->n_scripts++];
	sc->interval_ms = 1000;
	sc->timeout_ms = UNSET_U32;
	sc->rise = 1;
	sc->fall = 1;
	sc->line = st->line;
	sc->file = st->file;
	lb_cfg_get_str(s, st, "vrrp_script name", st->vals[0], sc->name, sizeof(sc->name));
	rc = lb_cfg_sem_walk(s, &lb_cfg_tb_script, st->child, sc, seen);
	if (rc < 0)
		return rc;
	if (!lb_cfg_given(&lb_cfg_tb_script, seen, "script"))
		lb_cfg_error(s->d, st->file, st->line, "vrrp_script '%s' has no script", sc->name);
	if (sc->timeout_ms == UNSET_U32)
		sc->timeout_ms = sc->interval_ms;
	return 0;
}

/* ---- vrrp_sync_group ---- */

static int
add_member(struct sem *s, const struct lb_cfg_stmt *st, struct lb_cfg_sync_group *g,
		const char *name)
{
	char (*m)[LB_CFG_NAME_MAX];
	int *idx;
	unsigned int i;

	for (i = 0; i < g->n_members; i++)
		if (strcmp(g->members[i], name) == 0) {
			lb_cfg_error(s->d, st->file, st->line,
				"vrrp_instance '%s' is listed twice in vrrp_sync_group '%s'",
				name, g->name);
			return 0;
		}
	if (strlen(name) >= LB_CFG_NAME_MAX) {
		lb_cfg_error(s->d, st->file, st->line, "instance name '%s' is too long", name);
		return 0;
	}
	m = lb_cfg_grow(g->members, g->n_members, sizeof(*m));
	if (m == NULL)
		return -ENOMEM;
	g->members = m;
	idx = lb_cfg_grow(g->member_idx, g->n_members, sizeof(*idx));
	if (idx == NULL)
		return -ENOMEM;
	g->member_idx = idx;
	strcpy(m[g->n_members], name);
	idx[g->n_members] = -1;
	g->n_members++;
	return 0;
}

/* "group { VI_1 VI_2 }", or the old one-line "group VI_1 VI_2". */
static int
h_group(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	struct lb_cfg_sync_group *g = obj;
	const struct lb_cfg_stmt *c;
	unsigned int i;
	int rc = 0;

	(void)def;
	for (i = 0; rc == 0 && i < st->n_vals; i++)
		rc = add_member(s, st, g, st->vals[i]);
	for (c = st->child; rc == 0 && c != NULL; c = c->next) {
		if (c->has_block) {
			lb_cfg_error(s->d, c->file, c->line, "unexpected { } block in group");
			continue;
		}
		rc = add_member(s, c, g, c->kw);
		for (i = 0; rc == 0 && i < c->n_vals; i++)
			rc = add_member(s, c, g, c->vals[i]);
	}
	return rc;
}

#define SG struct lb_cfg_sync_group
static const struct kw_def kw_sync[] = {
	KW("group", h_group, 0, VALS_ANY, BLK_ANY, KW_ONCE),
	KW_CMD("notify_master", SG, notify_master),
	KW_CMD("notify_backup", SG, notify_backup),
	KW_CMD("notify_fault", SG, notify_fault),
	KW_CMD("notify_stop", SG, notify_stop),
	KW_CMD("notify", SG, notify),
	KW_TRI("smtp_alert", SG, smtp_alert),
	KW_FLAG("global_tracking", SG, global_tracking),
	KW_IGN("sync_group_tracking_weight"),
	KW_IGN("track_interface"),
	KW_IGN("track_script"),
	KW_IGN("track_process"),
	KW_IGN("track_file"),
	KW_IGN("track_bfd"),
	KW_IGN("notify_deleted"),
};
#undef SG

const struct kw_table lb_cfg_tb_sync = TABLE("vrrp_sync_group", kw_sync);

int
lb_cfg_h_sync(struct sem *s, const struct lb_cfg_stmt *st, void *obj, const struct kw_def *def)
{
	const struct lb_cfg_stmt *seen[LB_CFG_NELEM(kw_sync)] = { NULL };
	struct lb_config *cfg = s->cfg;
	struct lb_cfg_sync_group *arr, *g;
	unsigned int i;
	int rc;

	(void)obj;
	(void)def;
	for (i = 0; i < cfg->n_sync_groups; i++)
		if (strcmp(cfg->sync_groups[i].name, st->vals[0]) == 0)
			lb_cfg_error(s->d, st->file, st->line,
				"duplicate vrrp_sync_group '%s' (first defined at %s:%u)",
				st->vals[0], cfg->sync_groups[i].file, cfg->sync_groups[i].line);
	arr = lb_cfg_grow(cfg->sync_groups, cfg->n_sync_groups, sizeof(*arr));
	if (arr == NULL)
		return -ENOMEM;
	cfg->sync_groups = arr;
	g = &arr[cfg->n_sync_groups++];
	g->smtp_alert = -1;
	g->line = st->line;
	g->file = st->file;
	lb_cfg_get_str(s, st, "vrrp_sync_group name", st->vals[0], g->name, sizeof(g->name));
	rc = lb_cfg_sem_walk(s, &lb_cfg_tb_sync, st->child, g, seen);
	if (rc < 0)
		return rc;
	if (g->n_members == 0)
		lb_cfg_error(s->d, st->file, st->line,
			"vrrp_sync_group '%s' has no group { } of instances", g->name);
	return 0;
}

/* ---- whole-file checks and inheritance ---- */

static int
find_script(const struct lb_config *cfg, const char *name)
{
	unsigned int i;

	for (i = 0; i < cfg->n_scripts; i++)
		if (strcmp(cfg->scripts[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int
find_vrrp(const struct lb_config *cfg, const char *name)
{
	unsigned int i;

	for (i = 0; i < cfg->n_vrrp; i++)
		if (strcmp(cfg->vrrp[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void
name_nothing(struct sem *s, const char *file, unsigned int line, const char *what,
		const char *name, const char *kind, const char **names, unsigned int n)
{
	const char *sg = lb_cfg_suggest(name, names, n);

	if (sg != NULL)
		lb_cfg_error(s->d, file, line, "%s '%s' names no %s; did you mean '%s'?",
			what, name, kind, sg);
	else
		lb_cfg_error(s->d, file, line, "%s '%s' names no %s", what, name, kind);
}

static void
resolve_names(struct sem *s)
{
	struct lb_config *cfg = s->cfg;
	const char **names;
	unsigned int i, j, n;

	n = cfg->n_scripts > cfg->n_vrrp ? cfg->n_scripts : cfg->n_vrrp;
	names = calloc(n + 1, sizeof(*names));
	if (names == NULL)
		return;
	for (i = 0; i < cfg->n_scripts; i++)
		names[i] = cfg->scripts[i].name;
	for (i = 0; i < cfg->n_vrrp; i++) {
		struct lb_cfg_vrrp *v = &cfg->vrrp[i];

		for (j = 0; j < v->n_track_scripts; j++) {
			struct lb_cfg_track_script *t = &v->track_scripts[j];

			t->script = find_script(cfg, t->name);
			if (t->script < 0)
				name_nothing(s, v->file, t->line, "track_script", t->name,
					"vrrp_script", names, cfg->n_scripts);
			else if (!t->has_weight)
				t->weight = cfg->scripts[t->script].weight;
		}
	}
	for (i = 0; i < cfg->n_vrrp; i++)
		names[i] = cfg->vrrp[i].name;
	for (i = 0; i < cfg->n_sync_groups; i++) {
		struct lb_cfg_sync_group *g = &cfg->sync_groups[i];

		for (j = 0; j < g->n_members; j++) {
			int k = find_vrrp(cfg, g->members[j]);

			g->member_idx[j] = k;
			if (k < 0) {
				name_nothing(s, g->file, g->line, "vrrp_sync_group member",
					g->members[j], "vrrp_instance", names, cfg->n_vrrp);
				continue;
			}
			if (cfg->vrrp[k].sync_group >= 0) {
				lb_cfg_error(s->d, g->file, g->line,
					"vrrp_instance '%s' is already in vrrp_sync_group '%s'",
					g->members[j],
					cfg->sync_groups[cfg->vrrp[k].sync_group].name);
				continue;
			}
			cfg->vrrp[k].sync_group = (int)i;
		}
	}
	free(names);
}

#define INHERIT(f, from) do { if ((f) == UNSET_U32) (f) = (from); } while (0)

void
lb_cfg_vrrp_finish(struct sem *s)
{
	struct lb_config *cfg = s->cfg;
	struct lb_cfg_global *g = &cfg->global;
	unsigned int i;

	INHERIT(g->garp_lower_prio_delay_ms, g->garp_master_delay_ms);
	INHERIT(g->garp_lower_prio_repeat, g->garp_master_repeat);
	resolve_names(s);
	for (i = 0; i < cfg->n_vrrp; i++) {
		struct lb_cfg_vrrp *v = &cfg->vrrp[i];
		uint32_t fl = s->vrrp_flags != NULL ? s->vrrp_flags[i] : 0;

		INHERIT(v->garp_master_delay_ms, g->garp_master_delay_ms);
		INHERIT(v->garp_master_repeat, g->garp_master_repeat);
		INHERIT(v->garp_refresh_ms, g->garp_refresh_ms);
		INHERIT(v->garp_refresh_repeat, g->garp_refresh_repeat);
		INHERIT(v->garp_lower_prio_delay_ms, g->garp_lower_prio_delay_ms);
		INHERIT(v->garp_lower_prio_repeat, g->garp_lower_prio_repeat);
		INHERIT(v->garp_interval_ms, g->garp_interval_ms);
		INHERIT(v->gna_interval_ms, g->gna_interval_ms);
		if (v->version == 0)
			v->version = g->vrrp_version;
		if (!(fl & VF_STRICT))
			v->strict_mode = g->vrrp_strict;
		if (!(fl & VF_ACCEPT))
			v->accept = !v->strict_mode;
		if (!(fl & VF_SKIP_CHECK))
			v->skip_check_adv_addr = g->vrrp_skip_check_adv_addr;
		if (!(fl & VF_CHECK_UNICAST))
			v->check_unicast_src = g->vrrp_check_unicast_src;
		if (!(fl & VF_LOWER_NO_ADV))
			v->lower_prio_no_advert = g->vrrp_lower_prio_no_advert;
		if (!(fl & VF_HIGHER_SEND))
			v->higher_prio_send_advert = g->vrrp_higher_prio_send_advert;
		if (v->smtp_alert < 0)
			v->smtp_alert = g->smtp_alert_vrrp >= 0 ? g->smtp_alert_vrrp :
				g->smtp_alert;
		if (v->version == 2 && v->advert_int_ms % 1000 != 0)
			lb_cfg_warn(s->d, v->file, v->line,
				"vrrp_instance '%s': advert_int %u.%03u s is not whole seconds, "
				"which VRRP version 2 cannot advertise (use vrrp_version 3)",
				v->name, v->advert_int_ms / 1000, v->advert_int_ms % 1000);
		if (v->version == 3 && v->advert_int_ms > 40950)
			lb_cfg_error(s->d, v->file, v->line,
				"vrrp_instance '%s': advert_int is over 40.95 s, "
				"the most VRRP version 3 can advertise", v->name);
		if (v->version == 3 && v->auth_type != LB_VRRP_AUTH_NONE)
			lb_cfg_warn(s->d, v->file, v->line,
				"vrrp_instance '%s': authentication is ignored with VRRP version 3",
				v->name);
		if (v->strict_mode && v->n_unicast_peers > 0)
			lb_cfg_error(s->d, v->file, v->line,
				"vrrp_instance '%s': strict mode does not allow unicast_peer",
				v->name);
		if (v->strict_mode && v->auth_type != LB_VRRP_AUTH_NONE)
			lb_cfg_error(s->d, v->file, v->line,
				"vrrp_instance '%s': strict mode does not allow authentication",
				v->name);
	}
	for (i = 0; i < cfg->n_sync_groups; i++) {
		struct lb_cfg_sync_group *sg = &cfg->sync_groups[i];

		if (sg->smtp_alert < 0)
			sg->smtp_alert = g->smtp_alert_vrrp >= 0 ? g->smtp_alert_vrrp :
				g->smtp_alert;
	}
	if (g->smtp_alert_vrrp < 0)
		g->smtp_alert_vrrp = g->smtp_alert;
	if (g->smtp_alert_checker < 0)
		g->smtp_alert_checker = g->smtp_alert;
}

void
lb_cfg_vrrp_free(struct lb_config *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->n_vrrp; i++) {
		free(cfg->vrrp[i].vips);
		free(cfg->vrrp[i].vips_excluded);
		free(cfg->vrrp[i].unicast_peers);
		free(cfg->vrrp[i].track_ifs);
		free(cfg->vrrp[i].track_scripts);
	}
	free(cfg->vrrp);
	free(cfg->scripts);
	for (i = 0; i < cfg->n_sync_groups; i++) {
		free(cfg->sync_groups[i].members);
		free(cfg->sync_groups[i].member_idx);
	}
	free(cfg->sync_groups);
}

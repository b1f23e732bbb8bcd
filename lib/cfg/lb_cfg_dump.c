/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lbapp --dump-config: the loaded config, normalised (canonical keyword
 * names, one statement per line, timers in seconds) and with every default
 * filled in. The output is itself a valid lb.conf.
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "lb_cfg.h"
#include "lb_cfg_int.h"

#define I1 "    "
#define I2 "        "
#define I3 "            "
#define I4 "                "

static const char *
addr(const struct lb_cfg_addr *a, char *buf, size_t len)
{
	return lb_cfg_addr_str(a, buf, len);
}

static void
secs(FILE *f, const char *ind, const char *kw, uint32_t ms)
{
	if (ms % 1000 == 0)
		fprintf(f, "%s%s %u\n", ind, kw, ms / 1000);
	else
		fprintf(f, "%s%s %u.%03u\n", ind, kw, ms / 1000, ms % 1000);
}

static void
quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void
cmd(FILE *f, const char *ind, const char *kw, const struct lb_cfg_cmd *c)
{
	if (c->cmd == NULL)
		return;
	fprintf(f, "%s%s ", ind, kw);
	quoted(f, c->cmd);
	if (c->user[0] != '\0')
		fprintf(f, " %s", c->user);
	if (c->group[0] != '\0')
		fprintf(f, " %s", c->group);
	fputc('\n', f);
}

static void
flag(FILE *f, const char *ind, const char *kw, bool on)
{
	if (on)
		fprintf(f, "%s%s\n", ind, kw);
}

static void
global(FILE *f, const struct lb_cfg_global *g)
{
	char b[INET6_ADDRSTRLEN];
	unsigned int i;

	fprintf(f, "global_defs {\n");
	if (g->router_id[0] != '\0')
		fprintf(f, I1 "router_id %s\n", g->router_id);
	if (g->n_emails > 0) {
		fprintf(f, I1 "notification_email {\n");
		for (i = 0; i < g->n_emails; i++) {
			fprintf(f, I2);
			quoted(f, g->emails[i]);
			fputc('\n', f);
		}
		fprintf(f, I1 "}\n");
	}
	if (g->email_from[0] != '\0') {
		fprintf(f, I1 "notification_email_from ");
		quoted(f, g->email_from);
		fputc('\n', f);
	}
	if (g->smtp_addr.family != 0)
		fprintf(f, I1 "smtp_server %s %u\n", addr(&g->smtp_addr, b, sizeof(b)),
			g->smtp_port);
	else if (g->smtp_server_name[0] != '\0')
		fprintf(f, I1 "smtp_server %s %u\n", g->smtp_server_name, g->smtp_port);
	secs(f, I1, "smtp_connect_timeout", g->smtp_connect_timeout_ms);
	if (g->smtp_helo_name[0] != '\0')
		fprintf(f, I1 "smtp_helo_name %s\n", g->smtp_helo_name);
	fprintf(f, I1 "smtp_alert %s\n", g->smtp_alert ? "on" : "off");
	fprintf(f, I1 "smtp_alert_vrrp %s\n", g->smtp_alert_vrrp ? "on" : "off");
	fprintf(f, I1 "smtp_alert_checker %s\n", g->smtp_alert_checker ? "on" : "off");
	flag(f, I1, "enable_script_security", g->enable_script_security);
	if (g->script_user[0] != '\0')
		fprintf(f, I1 "script_user %s%s%s\n", g->script_user,
			g->script_group[0] != '\0' ? " " : "", g->script_group);
	fprintf(f, I1 "vrrp_version %u\n", g->vrrp_version);
	fprintf(f, I1 "vrrp_mcast_group4 %s\n", addr(&g->vrrp_mcast_group4, b, sizeof(b)));
	fprintf(f, I1 "vrrp_mcast_group6 %s\n", addr(&g->vrrp_mcast_group6, b, sizeof(b)));
	secs(f, I1, "vrrp_garp_master_delay", g->garp_master_delay_ms);
	fprintf(f, I1 "vrrp_garp_master_repeat %u\n", g->garp_master_repeat);
	secs(f, I1, "vrrp_garp_master_refresh", g->garp_refresh_ms);
	fprintf(f, I1 "vrrp_garp_master_refresh_repeat %u\n", g->garp_refresh_repeat);
	secs(f, I1, "vrrp_garp_lower_prio_delay", g->garp_lower_prio_delay_ms);
	fprintf(f, I1 "vrrp_garp_lower_prio_repeat %u\n", g->garp_lower_prio_repeat);
	secs(f, I1, "vrrp_garp_interval", g->garp_interval_ms);
	secs(f, I1, "vrrp_gna_interval", g->gna_interval_ms);
	flag(f, I1, "vrrp_strict", g->vrrp_strict);
	flag(f, I1, "vrrp_skip_check_adv_addr", g->vrrp_skip_check_adv_addr);
	flag(f, I1, "vrrp_check_unicast_src", g->vrrp_check_unicast_src);
	flag(f, I1, "vrrp_lower_prio_no_advert", g->vrrp_lower_prio_no_advert);
	flag(f, I1, "vrrp_higher_prio_send_advert", g->vrrp_higher_prio_send_advert);
	fprintf(f, I1 "default_interface %s\n", g->default_interface);
	fprintf(f, "}\n");
}

static void
vips(FILE *f, const char *kw, const struct lb_cfg_vip *v, unsigned int n)
{
	char b[INET6_ADDRSTRLEN];
	unsigned int i;

	if (n == 0)
		return;
	fprintf(f, I1 "%s {\n", kw);
	for (i = 0; i < n; i++) {
		fprintf(f, I2 "%s/%u", addr(&v[i].addr, b, sizeof(b)), v[i].addr.prefixlen);
		if (v[i].dev[0] != '\0')
			fprintf(f, " dev %s", v[i].dev);
		if (v[i].label[0] != '\0')
			fprintf(f, " label %s", v[i].label);
		fputc('\n', f);
	}
	fprintf(f, I1 "}\n");
}

static void
vrrp(FILE *f, const struct lb_config *cfg, const struct lb_cfg_vrrp *v)
{
	char b[INET6_ADDRSTRLEN];
	unsigned int i;

	fprintf(f, "vrrp_instance ");
	quoted(f, v->name);
	fprintf(f, " {\n");
	fprintf(f, I1 "state %s\n", v->state == LB_VRRP_MASTER ? "MASTER" : "BACKUP");
	fprintf(f, I1 "interface %s\n", v->interface);
	fprintf(f, I1 "virtual_router_id %u\n", v->vrid);
	fprintf(f, I1 "priority %u\n", v->priority);
	fprintf(f, I1 "version %u\n", v->version);
	secs(f, I1, "advert_int", v->advert_int_ms);
	fprintf(f, I1 "%s\n", v->nopreempt ? "nopreempt" : "preempt");
	secs(f, I1, "preempt_delay", v->preempt_delay_ms);
	if (v->auth_type != LB_VRRP_AUTH_NONE) {
		fprintf(f, I1 "authentication {\n");
		fprintf(f, I2 "auth_type %s\n", v->auth_type == LB_VRRP_AUTH_PASS ? "PASS" : "AH");
		fprintf(f, I2 "auth_pass ");
		quoted(f, v->auth_pass);
		fprintf(f, "\n" I1 "}\n");
	}
	vips(f, "virtual_ipaddress", v->vips, v->n_vips);
	vips(f, "virtual_ipaddress_excluded", v->vips_excluded, v->n_vips_excluded);
	if (v->unicast_src_ip.family != 0)
		fprintf(f, I1 "unicast_src_ip %s\n", addr(&v->unicast_src_ip, b, sizeof(b)));
	if (v->n_unicast_peers > 0) {
		fprintf(f, I1 "unicast_peer {\n");
		for (i = 0; i < v->n_unicast_peers; i++)
			fprintf(f, I2 "%s\n", addr(&v->unicast_peers[i], b, sizeof(b)));
		fprintf(f, I1 "}\n");
	}
	fprintf(f, I1 "unicast_ttl %u\n", v->unicast_ttl);
	if (v->mcast_src_ip.family != 0)
		fprintf(f, I1 "mcast_src_ip %s\n", addr(&v->mcast_src_ip, b, sizeof(b)));
	if (v->n_track_ifs > 0) {
		fprintf(f, I1 "track_interface {\n");
		for (i = 0; i < v->n_track_ifs; i++)
			fprintf(f, I2 "%s weight %d\n", v->track_ifs[i].name, v->track_ifs[i].weight);
		fprintf(f, I1 "}\n");
	}
	if (v->n_track_scripts > 0) {
		fprintf(f, I1 "track_script {\n");
		for (i = 0; i < v->n_track_scripts; i++)
			fprintf(f, I2 "%s weight %d\n", v->track_scripts[i].name,
				v->track_scripts[i].weight);
		fprintf(f, I1 "}\n");
	}
	flag(f, I1, "dont_track_primary", v->dont_track_primary);
	cmd(f, I1, "notify_master", &v->notify_master);
	cmd(f, I1, "notify_backup", &v->notify_backup);
	cmd(f, I1, "notify_fault", &v->notify_fault);
	cmd(f, I1, "notify_stop", &v->notify_stop);
	cmd(f, I1, "notify", &v->notify);
	fprintf(f, I1 "smtp_alert %s\n", v->smtp_alert ? "on" : "off");
	secs(f, I1, "garp_master_delay", v->garp_master_delay_ms);
	fprintf(f, I1 "garp_master_repeat %u\n", v->garp_master_repeat);
	secs(f, I1, "garp_master_refresh", v->garp_refresh_ms);
	fprintf(f, I1 "garp_master_refresh_repeat %u\n", v->garp_refresh_repeat);
	secs(f, I1, "garp_lower_prio_delay", v->garp_lower_prio_delay_ms);
	fprintf(f, I1 "garp_lower_prio_repeat %u\n", v->garp_lower_prio_repeat);
	secs(f, I1, "garp_interval", v->garp_interval_ms);
	secs(f, I1, "gna_interval", v->gna_interval_ms);
	fprintf(f, I1 "%s\n", v->accept ? "accept" : "no_accept");
	fprintf(f, I1 "strict_mode %s\n", v->strict_mode ? "on" : "off");
	fprintf(f, I1 "skip_check_adv_addr %s\n", v->skip_check_adv_addr ? "on" : "off");
	fprintf(f, I1 "check_unicast_src %s\n", v->check_unicast_src ? "on" : "off");
	fprintf(f, I1 "lower_prio_no_advert %s\n", v->lower_prio_no_advert ? "on" : "off");
	fprintf(f, I1 "higher_prio_send_advert %s\n", v->higher_prio_send_advert ? "on" : "off");
	if (v->sync_group >= 0)
		fprintf(f, I1 "! member of vrrp_sync_group %s\n",
			cfg->sync_groups[v->sync_group].name);
	fprintf(f, "}\n");
}

static void
script(FILE *f, const struct lb_cfg_script *s)
{
	fprintf(f, "vrrp_script %s {\n", s->name);
	fprintf(f, I1 "script ");
	quoted(f, s->script.cmd != NULL ? s->script.cmd : "");
	fputc('\n', f);
	secs(f, I1, "interval", s->interval_ms);
	secs(f, I1, "timeout", s->timeout_ms);
	fprintf(f, I1 "weight %d%s\n", s->weight, s->weight_reverse ? " reverse" : "");
	fprintf(f, I1 "rise %u\n", s->rise);
	fprintf(f, I1 "fall %u\n", s->fall);
	if (s->script.user[0] != '\0')
		fprintf(f, I1 "user %s%s%s\n", s->script.user,
			s->script.group[0] != '\0' ? " " : "", s->script.group);
	flag(f, I1, "init_fail", s->init_fail);
	fprintf(f, "}\n");
}

static void
sync_group(FILE *f, const struct lb_cfg_sync_group *g)
{
	unsigned int i;

	fprintf(f, "vrrp_sync_group %s {\n" I1 "group {\n", g->name);
	for (i = 0; i < g->n_members; i++)
		fprintf(f, I2 "%s\n", g->members[i]);
	fprintf(f, I1 "}\n");
	cmd(f, I1, "notify_master", &g->notify_master);
	cmd(f, I1, "notify_backup", &g->notify_backup);
	cmd(f, I1, "notify_fault", &g->notify_fault);
	cmd(f, I1, "notify_stop", &g->notify_stop);
	cmd(f, I1, "notify", &g->notify);
	fprintf(f, I1 "smtp_alert %s\n", g->smtp_alert ? "on" : "off");
	flag(f, I1, "global_tracking", g->global_tracking);
	fprintf(f, "}\n");
}

static void
hex(FILE *f, const uint8_t *p, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

static void
checker(FILE *f, const struct lb_cfg_checker *c)
{
	char b[INET6_ADDRSTRLEN];
	unsigned int i, j;

	fprintf(f, I2 "%s {\n", lb_cfg_checker_name(c->type));
	if (c->connect_ip.family != 0)
		fprintf(f, I3 "connect_ip %s\n", addr(&c->connect_ip, b, sizeof(b)));
	if (c->connect_port != 0)
		fprintf(f, I3 "connect_port %u\n", c->connect_port);
	if (c->bindto.family != 0)
		fprintf(f, I3 "bindto %s\n", addr(&c->bindto, b, sizeof(b)));
	if (c->bind_port != 0)
		fprintf(f, I3 "bind_port %u\n", c->bind_port);
	if (c->bind_if[0] != '\0')
		fprintf(f, I3 "bind_if %s\n", c->bind_if);
	if (c->fwmark != 0)
		fprintf(f, I3 "fwmark %u\n", c->fwmark);
	secs(f, I3, "connect_timeout", c->connect_timeout_ms);
	fprintf(f, I3 "retry %u\n", c->retry);
	secs(f, I3, "delay_before_retry", c->delay_before_retry_ms);
	secs(f, I3, "delay_loop", c->delay_loop_ms);
	secs(f, I3, "warmup", c->warmup_ms);
	flag(f, I3, "alpha", c->alpha);
	switch (c->type) {
	case LB_CHK_HTTP:
	case LB_CHK_SSL:
		for (i = 0; i < c->n_urls; i++) {
			const struct lb_cfg_url *u = &c->urls[i];

			fprintf(f, I3 "url {\n" I4 "path ");
			quoted(f, u->path != NULL ? u->path : "");
			fputc('\n', f);
			if (u->digest[0] != '\0')
				fprintf(f, I4 "digest %s\n", u->digest);
			fprintf(f, I4 "status_code");
			for (j = 0; j < u->n_status; j++) {
				if (u->status[j].lo == u->status[j].hi)
					fprintf(f, " %u", u->status[j].lo);
				else
					fprintf(f, " %u-%u", u->status[j].lo, u->status[j].hi);
			}
			fputc('\n', f);
			if (u->virtualhost[0] != '\0')
				fprintf(f, I4 "virtualhost %s\n", u->virtualhost);
			fprintf(f, I3 "}\n");
		}
		if (c->virtualhost[0] != '\0')
			fprintf(f, I3 "virtualhost %s\n", c->virtualhost);
		fprintf(f, I3 "http_protocol %s\n", c->http_protocol == 11 ? "1.1" :
			c->http_protocol == 9 ? "0.9" : "1.0");
		flag(f, I3, "enable_sni", c->enable_sni);
		break;
	case LB_CHK_MISC:
		fprintf(f, I3 "misc_path ");
		quoted(f, c->misc_path.cmd != NULL ? c->misc_path.cmd : "");
		fputc('\n', f);
		secs(f, I3, "misc_timeout", c->misc_timeout_ms);
		flag(f, I3, "misc_dynamic", c->misc_dynamic);
		if (c->misc_path.user[0] != '\0')
			fprintf(f, I3 "user %s%s%s\n", c->misc_path.user,
				c->misc_path.group[0] != '\0' ? " " : "", c->misc_path.group);
		break;
	case LB_CHK_SMTP:
		fprintf(f, I3 "helo_name %s\n", c->helo_name);
		break;
	case LB_CHK_DNS:
		fprintf(f, I3 "type %s\n" I3 "name %s\n", c->dns_type, c->dns_name);
		break;
	case LB_CHK_UDP:
		if (c->payload_len > 0) {
			fprintf(f, I3 "payload ");
			hex(f, c->payload, c->payload_len);
			fputc('\n', f);
		}
		if (c->require_reply) {
			fprintf(f, I3 "require_reply");
			if (c->reply_len > 0) {
				fputc(' ', f);
				hex(f, c->reply, c->reply_len);
			}
			fputc('\n', f);
		}
		fprintf(f, I3 "min_reply_length %u\n", c->min_reply_len);
		fprintf(f, I3 "max_reply_length %u\n", c->max_reply_len);
		break;
	default:
		break;
	}
	fprintf(f, I2 "}\n");
}

static void
real_server(FILE *f, const struct lb_cfg_vs *vs, const struct lb_cfg_rs *rs)
{
	char b[INET6_ADDRSTRLEN];
	unsigned int i;

	fprintf(f, I1 "real_server %s %u {\n", addr(&rs->addr, b, sizeof(b)),
		rs->port != 0 ? rs->port : vs->port);
	fprintf(f, I2 "weight %u\n", rs->weight);
	flag(f, I2, "inhibit_on_failure", rs->inhibit_on_failure);
	cmd(f, I2, "notify_up", &rs->notify_up);
	cmd(f, I2, "notify_down", &rs->notify_down);
	if (rs->uthreshold != 0)
		fprintf(f, I2 "uthreshold %u\n", rs->uthreshold);
	if (rs->lthreshold != 0)
		fprintf(f, I2 "lthreshold %u\n", rs->lthreshold);
	flag(f, I2, "alpha", rs->alpha);
	fprintf(f, I2 "smtp_alert %s\n", rs->smtp_alert ? "on" : "off");
	if (rs->virtualhost[0] != '\0')
		fprintf(f, I2 "virtualhost %s\n", rs->virtualhost);
	secs(f, I2, "delay_loop", rs->delay_loop_ms);
	for (i = 0; i < rs->n_checkers; i++)
		checker(f, &rs->checkers[i]);
	fprintf(f, I1 "}\n");
}

static void
virtual_server(FILE *f, const struct lb_cfg_vs *vs)
{
	char b[INET6_ADDRSTRLEN];
	unsigned int i;

	if (vs->form == LB_VS_FWMARK)
		fprintf(f, "virtual_server fwmark %u {\n", vs->fwmark);
	else if (vs->form == LB_VS_GROUP)
		fprintf(f, "virtual_server group %s {\n", vs->group);
	else
		fprintf(f, "virtual_server %s %u {\n", addr(&vs->addr, b, sizeof(b)), vs->port);
	secs(f, I1, "delay_loop", vs->delay_loop_ms);
	fprintf(f, I1 "lb_algo %s\n", lb_cfg_sched_name(vs->sched));
	fprintf(f, I1 "lb_kind %s\n", lb_cfg_kind_name(vs->kind));
	fprintf(f, I1 "protocol %s\n", vs->proto == IPPROTO_UDP ? "UDP" :
		vs->proto == IPPROTO_SCTP ? "SCTP" : "TCP");
	fprintf(f, I1 "persistence_timeout %u\n", vs->persistence_timeout);
	fprintf(f, I1 "persistence_granularity %u\n", vs->persistence_granularity);
	flag(f, I1, "ha_suspend", vs->ha_suspend);
	flag(f, I1, "ops", vs->ops);
	if (vs->sched_flag_port)
		fprintf(f, I1 "%s-port\n", vs->sched == LB_SCHED_SH ? "sh" : "mh");
	if (vs->sched_flag_fallback)
		fprintf(f, I1 "%s-fallback\n", vs->sched == LB_SCHED_SH ? "sh" : "mh");
	if (vs->virtualhost[0] != '\0')
		fprintf(f, I1 "virtualhost %s\n", vs->virtualhost);
	flag(f, I1, "alpha", vs->alpha);
	flag(f, I1, "omega", vs->omega);
	fprintf(f, I1 "quorum %u\n", vs->quorum);
	fprintf(f, I1 "hysteresis %u\n", vs->hysteresis);
	cmd(f, I1, "quorum_up", &vs->quorum_up);
	cmd(f, I1, "quorum_down", &vs->quorum_down);
	if (vs->has_sorry_server) {
		fprintf(f, I1 "sorry_server %s", addr(&vs->sorry_server, b, sizeof(b)));
		if (vs->sorry_port != 0)
			fprintf(f, " %u", vs->sorry_port);
		fputc('\n', f);
		flag(f, I1, "sorry_server_inhibit", vs->sorry_server_inhibit);
		fprintf(f, I1 "sorry_server_lvs_method %s\n", lb_cfg_kind_name(vs->sorry_kind));
	}
	flag(f, I1, "inhibit_on_failure", vs->inhibit_on_failure);
	fprintf(f, I1 "smtp_alert %s\n", vs->smtp_alert ? "on" : "off");
	if (vs->laddr_group[0] != '\0')
		fprintf(f, I1 "laddr_group_name %s\n", vs->laddr_group);
	for (i = 0; i < vs->n_rs; i++)
		real_server(f, vs, &vs->rs[i]);
	fprintf(f, "}\n");
}

static void
range(FILE *f, const struct lb_cfg_addr *a, const struct lb_cfg_addr *e)
{
	char b[INET6_ADDRSTRLEN];

	fprintf(f, "%s", addr(a, b, sizeof(b)));
	if (lb_cfg_addr_eq(a, e))
		return;
	if (a->family == AF_INET)
		fprintf(f, "-%u", ntohl(e->ip) & 0xff);
	else
		fprintf(f, "-%x", (unsigned int)e->ip6.s6_addr[14] << 8 | e->ip6.s6_addr[15]);
}

void
lb_cfg_dump(const struct lb_config *cfg, FILE *f)
{
	unsigned int i, j;

	fprintf(f, "! lbapp --dump-config: normalised, every default filled in\n");
	for (i = 0; i < cfg->n_files; i++)
		fprintf(f, "! read: %s\n", cfg->files[i]);
	global(f, &cfg->global);
	for (i = 0; i < cfg->n_scripts; i++)
		script(f, &cfg->scripts[i]);
	for (i = 0; i < cfg->n_sync_groups; i++)
		sync_group(f, &cfg->sync_groups[i]);
	for (i = 0; i < cfg->n_vrrp; i++)
		vrrp(f, cfg, &cfg->vrrp[i]);
	for (i = 0; i < cfg->n_laddr_groups; i++) {
		const struct lb_cfg_laddr_group *g = &cfg->laddr_groups[i];

		fprintf(f, "local_address_group %s {\n", g->name);
		for (j = 0; j < g->n_entries; j++) {
			fprintf(f, I1);
			range(f, &g->entries[j].addr, &g->entries[j].addr_end);
			if (g->entries[j].dev[0] != '\0')
				fprintf(f, " %s", g->entries[j].dev);
			fputc('\n', f);
		}
		fprintf(f, "}\n");
	}
	for (i = 0; i < cfg->n_vsgs; i++) {
		const struct lb_cfg_vsg *g = &cfg->vsgs[i];

		fprintf(f, "virtual_server_group %s {\n", g->name);
		for (j = 0; j < g->n_entries; j++) {
			const struct lb_cfg_vsg_entry *e = &g->entries[j];

			if (e->is_fwmark) {
				fprintf(f, I1 "fwmark %u\n", e->fwmark);
				continue;
			}
			fprintf(f, I1);
			range(f, &e->addr, &e->addr_end);
			if (e->port != 0)
				fprintf(f, " %u", e->port);
			fputc('\n', f);
		}
		fprintf(f, "}\n");
	}
	for (i = 0; i < cfg->n_vs; i++)
		virtual_server(f, &cfg->vs[i]);
}

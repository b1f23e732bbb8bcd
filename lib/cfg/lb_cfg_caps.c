/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What this build of lbapp acts on: the one place that says so.
 *
 * The parser reads every keyword keepalived documents into struct lb_config.
 * These tables decide what it then refuses ("not supported by lbapp yet") or
 * warns about ("not implemented by lbapp yet; ignored"). When a datapath,
 * VRRP or checker feature lands, flip its entry here (and update
 * docs/config-reference.md); the parser itself does not change.
 */

#include <stdbool.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "lb_cfg.h"
#include "lb_cfg_int.h"

/* Schedulers the datapath forwards with (lib/sched). */
static const bool sched_ok[LB_SCHED__MAX] = {
	[LB_SCHED_RR] = true,
	[LB_SCHED_WRR] = true,
	[LB_SCHED_LC] = true,
	[LB_SCHED_WLC] = true,
	[LB_SCHED_SH] = true,
	[LB_SCHED_DH] = true,
	[LB_SCHED_MH] = true,
	[LB_SCHED_SED] = true,
	[LB_SCHED_NQ] = true,
};

/* Forwarding methods the datapath implements (lib/fwd). */
static const bool kind_ok[LB_FWD__MAX] = {
	[LB_FWD_DR] = true,
	[LB_FWD_NAT] = true,
	[LB_FWD_TUN] = true,
	[LB_FWD_FNAT] = true,
};

/* virtual_server forms the service table can hold (lib/svc). */
static const bool form_ok[] = {
	[LB_VS_ADDR] = true,
	[LB_VS_FWMARK] = false,
	[LB_VS_GROUP] = false,
};

/* IPv6 VIPs, virtual and real servers. */
static const bool ipv6_ok = false;

/* Transport protocols of a virtual_server. */
static const bool tcp_ok = true;
static const bool udp_ok = true;
static const bool sctp_ok = false;

/*
 * Keywords that are read into the model but that nothing acts on yet: they
 * are stored (the VRRP and checker code will read them) and warned about.
 * "block keyword"; block is the table name ("vrrp_instance", "real_server",
 * "" for the top level).
 */
static const char *const pending[] = {
	"global_defs smtp_helo_name",
	"global_defs smtp_alert",
	"global_defs smtp_alert_vrrp",
	"global_defs smtp_alert_checker",
	"global_defs vrrp_mcast_group4",
	"global_defs vrrp_mcast_group6",
	"global_defs vrrp_garp_master_refresh",
	"global_defs vrrp_garp_master_refresh_repeat",
	"global_defs vrrp_garp_lower_prio_delay",
	"global_defs vrrp_garp_lower_prio_repeat",
	"global_defs vrrp_garp_interval",
	"global_defs vrrp_gna_interval",
	"global_defs vrrp_strict",
	"global_defs vrrp_skip_check_adv_addr",
	"global_defs vrrp_check_unicast_src",
	"global_defs vrrp_lower_prio_no_advert",
	"global_defs vrrp_higher_prio_send_advert",
	"global_defs default_interface",
	"vrrp_instance virtual_ipaddress_excluded",
	"vrrp_instance smtp_alert",
	"vrrp_instance garp_master_refresh",
	"vrrp_instance garp_master_refresh_repeat",
	"vrrp_instance garp_lower_prio_delay",
	"vrrp_instance garp_lower_prio_repeat",
	"vrrp_instance garp_interval",
	"vrrp_instance gna_interval",
	"vrrp_instance accept",
	"vrrp_instance no_accept",
	"vrrp_instance strict_mode",
	"vrrp_instance skip_check_adv_addr",
	"vrrp_instance check_unicast_src",
	"vrrp_instance lower_prio_no_advert",
	"vrrp_instance higher_prio_send_advert",
	" virtual_server_group",
	"virtual_server ha_suspend",
	"virtual_server ops",
	"virtual_server virtualhost",
	"virtual_server alpha",
	"virtual_server omega",
	"virtual_server quorum",
	"virtual_server hysteresis",
	"virtual_server quorum_up",
	"virtual_server quorum_down",
	"virtual_server sorry_server",
	"virtual_server sorry_server_inhibit",
	"virtual_server sorry_server_lvs_method",
	"virtual_server inhibit_on_failure",
	"virtual_server smtp_alert",
	"virtual_server connect_timeout",
	"virtual_server retry",
	"virtual_server nb_get_retry",
	"virtual_server delay_before_retry",
	"virtual_server warmup",
	"virtual_server mh-port",
	"virtual_server sh-port",
	"virtual_server mh-fallback",
	"virtual_server sh-fallback",
	"vrrp_sync_group smtp_alert",
	"vrrp_sync_group global_tracking",
	"real_server TCP_CHECK",
	"real_server HTTP_GET",
	"real_server SSL_GET",
	"real_server MISC_CHECK",
	"real_server SMTP_CHECK",
	"real_server DNS_CHECK",
	"real_server UDP_CHECK",
	"real_server PING_CHECK",
	"real_server inhibit_on_failure",
	"real_server notify_up",
	"real_server notify_down",
	"real_server uthreshold",
	"real_server lthreshold",
	"real_server alpha",
	"real_server smtp_alert",
	"real_server virtualhost",
	"real_server delay_loop",
	"real_server connect_timeout",
	"real_server retry",
	"real_server nb_get_retry",
	"real_server delay_before_retry",
	"real_server warmup",
};

bool
lb_cfg_caps_pending(const char *block, const char *kw)
{
	size_t bl = strlen(block);
	unsigned int i;

	for (i = 0; i < LB_CFG_NELEM(pending); i++) {
		const char *p = pending[i];

		if (strncmp(p, block, bl) == 0 && p[bl] == ' ' && strcmp(p + bl + 1, kw) == 0)
			return true;
	}
	return false;
}

bool
lb_cfg_caps_ipv6(void)
{
	return ipv6_ok;
}

bool
lb_cfg_sched_supported(enum lb_sched_algo algo)
{
	return (unsigned int)algo < LB_SCHED__MAX && sched_ok[algo];
}

bool
lb_cfg_kind_supported(enum lb_fwd_kind kind)
{
	return (unsigned int)kind < LB_FWD__MAX && kind_ok[kind];
}

bool
lb_cfg_vs_form_supported(enum lb_vs_form form)
{
	return (unsigned int)form < LB_CFG_NELEM(form_ok) && form_ok[form];
}

bool
lb_cfg_vs_proto_supported(int family, uint8_t proto)
{
	if (family == AF_INET6 && !ipv6_ok)
		return false;
	switch (proto) {
	case IPPROTO_TCP:
		return tcp_ok;
	case IPPROTO_UDP:
		return udp_ok;
	case IPPROTO_SCTP:
		return sctp_ok;
	default:
		return false;
	}
}

/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CFG_H
#define LB_CFG_H

/**
 * @file
 * lb.conf: the keepalived-style configuration model and its parser.
 *
 * The parser reads a file into a tree of statements (keyword, values, child
 * block, file:line), then a semantic pass turns the tree into an immutable
 * struct lb_config. Every error names the file and line; a config with any
 * error is refused as a whole (NULL is returned, nothing partial escapes).
 *
 * All functions here run on the control lcore (or in tools and tests); none
 * are multi-thread safe on the same object. A finished struct lb_config is
 * never modified, so it may be read from any thread.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define LB_CFG_NAME_MAX 64	/**< names: instances, interfaces, router_id */
#define LB_CFG_STR_MAX 256	/**< free strings: e-mail addresses, paths */

/**
 * Scheduler (lb_algo / lvs_sched). Every IPVS scheduler keepalived knows has
 * a value; which ones this build forwards with is lb_cfg_sched_supported().
 */
enum lb_sched_algo {
	LB_SCHED_RR = 0,
	LB_SCHED_WRR,
	LB_SCHED_LC,
	LB_SCHED_WLC,
	LB_SCHED_SH,		/**< source hashing */
	LB_SCHED_DH,		/**< destination hashing */
	LB_SCHED_MH,		/**< Maglev hashing */
	LB_SCHED_SED,		/**< shortest expected delay */
	LB_SCHED_NQ,		/**< never queue */
	LB_SCHED_LBLC,		/**< locality-based least-connection */
	LB_SCHED_LBLCR,		/**< LBLC with replication */
	LB_SCHED_FO,		/**< weighted failover */
	LB_SCHED_OVF,		/**< weighted overflow */
	LB_SCHED__MAX,
};

/**
 * Forwarding method (lb_kind / lvs_method). Which ones this build forwards
 * with is lb_cfg_kind_supported().
 */
enum lb_fwd_kind {
	LB_FWD_DR = 0,
	LB_FWD_NAT,
	LB_FWD_TUN,
	LB_FWD_FNAT,		/**< FULLNAT (DPVS-keepalived: lb_kind FNAT) */
	LB_FWD__MAX,
};

/** Initial VRRP state (vrrp_instance state). */
enum lb_vrrp_state {
	LB_VRRP_BACKUP = 0,
	LB_VRRP_MASTER,
};

/** VRRP authentication (vrrp_instance authentication { auth_type }). */
enum lb_vrrp_auth {
	LB_VRRP_AUTH_NONE = 0,	/**< no authentication block */
	LB_VRRP_AUTH_PASS,	/**< auth_type PASS */
	LB_VRRP_AUTH_AH,	/**< auth_type AH */
};

/**
 * An IPv4 or IPv6 address with an optional prefix length. An address that
 * was not given has family 0 (AF_UNSPEC) and all bits zero.
 */
struct lb_cfg_addr {
	uint32_t ip;		/**< IPv4 address, network byte order (0 for IPv6) */
	uint8_t prefixlen;	/**< 32 (IPv4) or 128 (IPv6) when none was given */
	int family;		/**< AF_INET, AF_INET6, or 0 when not given */
	struct in6_addr ip6;	/**< IPv6 address (zero for IPv4) */
};

/**
 * A notify or check command: the quoted string as given, with the optional
 * user and group it runs as ("notify_master "/x.sh a b" user group").
 * cmd is NULL when the keyword was not given.
 */
struct lb_cfg_cmd {
	char *cmd;			/**< owned by the config */
	char user[LB_CFG_NAME_MAX];	/**< empty: global script_user */
	char group[LB_CFG_NAME_MAX];	/**< empty: the user's group */
	/**
	 * Who it runs as, resolved when the config is loaded: user (else the
	 * global script_user, else keepalived_script if that user exists, else
	 * root) and group (else script_group, else the user's primary group).
	 */
	uint32_t uid, gid;
};

/** One virtual_ipaddress (or virtual_ipaddress_excluded) entry. */
struct lb_cfg_vip {
	struct lb_cfg_addr addr;
	char dev[LB_CFG_NAME_MAX];	/**< "dev IF", empty when absent */
	char label[LB_CFG_NAME_MAX];	/**< "label L", empty when absent */
	unsigned int line;
	const char *file;		/**< file it was defined in (owned by the config) */
};

/** global_defs. */
struct lb_cfg_global {
	char router_id[LB_CFG_NAME_MAX];	/**< router_id or lvs_id; default: hostname */
	char email_from[LB_CFG_STR_MAX];	/**< notification_email_from */
	char **emails;				/**< notification_email {} */
	unsigned int n_emails;
	uint32_t smtp_server;			/**< IPv4 smtp_server, network order, 0 if unset */
	uint16_t smtp_port;			/**< default 25 */
	uint32_t smtp_connect_timeout_ms;	/**< default 30 s */
	uint8_t vrrp_version;			/**< 2 (default) or 3 */
	uint32_t garp_master_delay_ms;		/**< vrrp_garp_master_delay, default 5 s */
	uint32_t garp_master_repeat;		/**< vrrp_garp_master_repeat, default 5 */
	/* -- everything else global_defs documents -- */
	struct lb_cfg_addr smtp_addr;		/**< smtp_server, either family */
	char smtp_server_name[LB_CFG_STR_MAX];	/**< smtp_server given as a host name */
	char smtp_helo_name[LB_CFG_STR_MAX];	/**< default: the host name */
	bool smtp_alert;			/**< default false (no alerts unless asked) */
	int smtp_alert_vrrp;			/**< -1 unset (follows smtp_alert), 0, 1 */
	int smtp_alert_checker;			/**< -1 unset (follows smtp_alert), 0, 1 */
	bool enable_script_security;
	char script_user[LB_CFG_NAME_MAX];	/**< default keepalived_script, else root */
	char script_group[LB_CFG_NAME_MAX];
	struct lb_cfg_addr vrrp_mcast_group4;	/**< default 224.0.0.18 */
	struct lb_cfg_addr vrrp_mcast_group6;	/**< default ff02::12 */
	uint32_t garp_interval_ms;		/**< vrrp_garp_interval, default 0 */
	uint32_t gna_interval_ms;		/**< vrrp_gna_interval, default 0 */
	uint32_t garp_refresh_ms;		/**< vrrp_garp_master_refresh, 0 = never */
	uint32_t garp_refresh_repeat;		/**< vrrp_garp_master_refresh_repeat, def 1 */
	uint32_t garp_lower_prio_delay_ms;	/**< vrrp_garp_lower_prio_delay, def: delay */
	uint32_t garp_lower_prio_repeat;	/**< vrrp_garp_lower_prio_repeat, def: repeat */
	bool vrrp_strict;
	bool vrrp_skip_check_adv_addr;
	bool vrrp_check_unicast_src;
	bool vrrp_lower_prio_no_advert;
	bool vrrp_higher_prio_send_advert;
	char default_interface[LB_CFG_NAME_MAX];	/**< default eth0 */
};

/** track_interface entry. */
struct lb_cfg_track_if {
	char name[LB_CFG_NAME_MAX];
	int weight;			/**< 0: fault on down; else priority change (-254..254) */
	unsigned int line;
};

/** track_script entry ("NAME [weight N]"). */
struct lb_cfg_track_script {
	char name[LB_CFG_NAME_MAX];
	int script;			/**< index in lb_config.scripts */
	bool has_weight;		/**< weight given here, overriding the script's */
	int weight;			/**< -253..253 */
	unsigned int line;
};

/** vrrp_instance NAME { ... }. */
struct lb_cfg_vrrp {
	char name[LB_CFG_NAME_MAX];
	enum lb_vrrp_state state;		/**< default BACKUP */
	char interface[LB_CFG_NAME_MAX];	/**< required */
	uint8_t vrid;				/**< virtual_router_id, required, 1-255 */
	uint8_t priority;			/**< default 100, 1-255 */
	uint32_t advert_int_ms;			/**< default 1 s */
	bool nopreempt;
	uint32_t garp_master_delay_ms;		/**< inherits global_defs */
	uint32_t garp_master_repeat;		/**< inherits global_defs */
	struct lb_cfg_vip *vips;		/**< virtual_ipaddress {} */
	unsigned int n_vips;
	unsigned int line;
	const char *file;			/**< its file (owned by the config) */
	enum lb_vrrp_auth auth_type;		/**< authentication { auth_type } */
	char auth_pass[9];			/**< auth_pass, at most 8 characters */
	/* -- everything else vrrp_instance documents -- */
	uint8_t version;			/**< 2 or 3, inherits vrrp_version */
	uint32_t preempt_delay_ms;		/**< 0-1000 s, default 0 */
	struct lb_cfg_vip *vips_excluded;	/**< virtual_ipaddress_excluded {} */
	unsigned int n_vips_excluded;
	struct lb_cfg_addr unicast_src_ip;	/**< family 0 when not given */
	struct lb_cfg_addr *unicast_peers;	/**< unicast_peer {}; none: multicast */
	unsigned int n_unicast_peers;
	uint8_t unicast_ttl;			/**< default 255 */
	struct lb_cfg_addr mcast_src_ip;	/**< family 0 when not given */
	struct lb_cfg_track_if *track_ifs;	/**< track_interface {} */
	unsigned int n_track_ifs;
	struct lb_cfg_track_script *track_scripts;	/**< track_script {} */
	unsigned int n_track_scripts;
	bool dont_track_primary;
	struct lb_cfg_cmd notify_master;
	struct lb_cfg_cmd notify_backup;
	struct lb_cfg_cmd notify_fault;
	struct lb_cfg_cmd notify_stop;
	struct lb_cfg_cmd notify;		/**< called with type, name, state, priority */
	int smtp_alert;				/**< -1 follows global_defs, 0, 1 */
	uint32_t garp_refresh_ms;		/**< inherits global_defs */
	uint32_t garp_refresh_repeat;		/**< inherits global_defs */
	uint32_t garp_lower_prio_delay_ms;	/**< inherits global_defs */
	uint32_t garp_lower_prio_repeat;	/**< inherits global_defs */
	uint32_t garp_interval_ms;		/**< inherits global_defs */
	uint32_t gna_interval_ms;		/**< inherits global_defs */
	bool accept;				/**< default: true unless strict mode */
	bool strict_mode;			/**< inherits vrrp_strict */
	bool skip_check_adv_addr;		/**< inherits global_defs */
	bool check_unicast_src;			/**< inherits global_defs */
	bool lower_prio_no_advert;		/**< inherits global_defs */
	bool higher_prio_send_advert;		/**< inherits global_defs */
	int sync_group;				/**< index in lb_config.sync_groups, or -1 */
};

/** vrrp_script NAME { ... }. */
struct lb_cfg_script {
	char name[LB_CFG_NAME_MAX];
	struct lb_cfg_cmd script;		/**< required; user/group from "user" */
	uint32_t interval_ms;			/**< default 1 s */
	uint32_t timeout_ms;			/**< default: the interval */
	int weight;				/**< -253..253, default 0 */
	bool weight_reverse;			/**< "weight N reverse" */
	uint32_t rise;				/**< default 1 */
	uint32_t fall;				/**< default 1 */
	bool init_fail;				/**< start as failed */
	unsigned int line;
	const char *file;
};

/** vrrp_sync_group NAME { group { ... } ... }. */
struct lb_cfg_sync_group {
	char name[LB_CFG_NAME_MAX];
	char (*members)[LB_CFG_NAME_MAX];	/**< instance names, as given */
	int *member_idx;			/**< index in lb_config.vrrp per member */
	unsigned int n_members;
	struct lb_cfg_cmd notify_master;
	struct lb_cfg_cmd notify_backup;
	struct lb_cfg_cmd notify_fault;
	struct lb_cfg_cmd notify_stop;
	struct lb_cfg_cmd notify;
	int smtp_alert;				/**< -1 follows global_defs, 0, 1 */
	bool global_tracking;
	unsigned int line;
	const char *file;
};

/** A range of HTTP status codes (status_code 200 | 200-299). */
struct lb_cfg_status_range {
	uint16_t lo;
	uint16_t hi;
};

/** url { ... } of HTTP_GET / SSL_GET. */
struct lb_cfg_url {
	char *path;				/**< required; owned by the config */
	char digest[33];			/**< MD5 hex, lower case; empty: not checked */
	struct lb_cfg_status_range *status;	/**< none given: 200-299 */
	unsigned int n_status;
	char virtualhost[LB_CFG_STR_MAX];	/**< empty: the checker's */
	unsigned int line;
};

/** Health checker types. */
enum lb_chk_type {
	LB_CHK_TCP = 0,		/**< TCP_CHECK */
	LB_CHK_HTTP,		/**< HTTP_GET */
	LB_CHK_SSL,		/**< SSL_GET */
	LB_CHK_MISC,		/**< MISC_CHECK */
	LB_CHK_SMTP,		/**< SMTP_CHECK */
	LB_CHK_DNS,		/**< DNS_CHECK */
	LB_CHK_UDP,		/**< UDP_CHECK */
	LB_CHK_PING,		/**< PING_CHECK */
	LB_CHK__MAX,
};

/**
 * One checker of a real_server, fully defaulted: the timers inherit
 * checker <- real_server <- virtual_server <- keepalived's default.
 */
struct lb_cfg_checker {
	enum lb_chk_type type;
	struct lb_cfg_addr connect_ip;		/**< family 0: the real server's */
	uint16_t connect_port;			/**< 0: the real server's port */
	struct lb_cfg_addr bindto;		/**< family 0: not bound */
	uint16_t bind_port;			/**< 0: any */
	char bind_if[LB_CFG_NAME_MAX];		/**< empty: any */
	uint32_t fwmark;			/**< 0: none */
	uint32_t connect_timeout_ms;		/**< default 5 s */
	uint32_t retry;				/**< alias nb_get_retry; default 1 (MISC: 0) */
	uint32_t delay_before_retry_ms;		/**< default 1 s (MISC: 0) */
	uint32_t delay_loop_ms;			/**< default: the virtual server's */
	uint32_t warmup_ms;			/**< default: 0 */
	bool alpha;				/**< start as failed (inherits RS/VS alpha) */
	/* HTTP_GET / SSL_GET */
	struct lb_cfg_url *urls;
	unsigned int n_urls;
	char virtualhost[LB_CFG_STR_MAX];	/**< empty: the RS's or VS's */
	uint8_t http_protocol;			/**< 10 (HTTP/1.0, default), 11 */
	bool enable_sni;			/**< SSL_GET */
	/* MISC_CHECK */
	struct lb_cfg_cmd misc_path;		/**< required for MISC_CHECK */
	uint32_t misc_timeout_ms;		/**< default: delay_loop */
	bool misc_dynamic;
	/* SMTP_CHECK */
	char helo_name[LB_CFG_STR_MAX];		/**< default smtpchecker.keepalived.org */
	/* DNS_CHECK */
	char dns_type[16];			/**< default SOA */
	char dns_name[LB_CFG_STR_MAX];		/**< default "." */
	/* UDP_CHECK */
	uint8_t *payload;			/**< hex payload; NULL: empty datagram */
	unsigned int payload_len;
	bool require_reply;
	uint8_t *reply;				/**< require_reply HEX: expected prefix */
	unsigned int reply_len;
	uint32_t min_reply_len;
	uint32_t max_reply_len;			/**< 0: any */
	unsigned int line;
	const char *file;
};

/** real_server IP PORT { ... } inside a virtual_server. */
struct lb_cfg_rs {
	struct lb_cfg_addr addr;
	uint16_t port;			/**< host order; 0 means "the VS port" */
	uint32_t weight;		/**< default 1, 0 drains */
	unsigned int line;
	const char *file;		/**< file it was defined in (owned by the config) */
	/* -- everything else real_server documents -- */
	bool inhibit_on_failure;	/**< inherits the virtual server's */
	struct lb_cfg_cmd notify_up;
	struct lb_cfg_cmd notify_down;
	uint32_t uthreshold;		/**< 0: no limit */
	uint32_t lthreshold;		/**< 0: no limit */
	bool alpha;			/**< inherits the virtual server's */
	int smtp_alert;			/**< -1 follows the virtual server, 0, 1 */
	char virtualhost[LB_CFG_STR_MAX];	/**< inherits the virtual server's */
	uint32_t delay_loop_ms;		/**< inherits the virtual server's */
	/* checker defaults at this level; after loading, the inherited values */
	uint32_t connect_timeout_ms;
	uint32_t retry;
	uint32_t delay_before_retry_ms;
	uint32_t warmup_ms;
	struct lb_cfg_checker *checkers;
	unsigned int n_checkers;
};

/** How a virtual_server names its service. */
enum lb_vs_form {
	LB_VS_ADDR = 0,		/**< virtual_server IP PORT */
	LB_VS_FWMARK,		/**< virtual_server fwmark N */
	LB_VS_GROUP,		/**< virtual_server group NAME */
};

/** One entry of a virtual_server_group. */
struct lb_cfg_vsg_entry {
	bool is_fwmark;
	uint32_t fwmark;		/**< is_fwmark */
	struct lb_cfg_addr addr;	/**< first address */
	struct lb_cfg_addr addr_end;	/**< last address of a range (= addr when none) */
	uint16_t port;			/**< host order; 0: any */
	unsigned int line;
};

/** virtual_server_group NAME { IP PORT | IP-LAST PORT | fwmark N ... }. */
struct lb_cfg_vsg {
	char name[LB_CFG_NAME_MAX];
	struct lb_cfg_vsg_entry *entries;
	unsigned int n_entries;
	unsigned int line;
	const char *file;
};

/** One entry of a local_address_group: one address or a range. */
struct lb_cfg_laddr_entry {
	struct lb_cfg_addr addr;	/**< first address */
	struct lb_cfg_addr addr_end;	/**< last address (= addr when no range) */
	char dev[LB_CFG_NAME_MAX];	/**< optional interface, empty when absent */
	unsigned int line;
};

/** local_address_group NAME { ... } (DPVS-keepalived, for FULLNAT). */
struct lb_cfg_laddr_group {
	char name[LB_CFG_NAME_MAX];
	struct lb_cfg_laddr_entry *entries;
	unsigned int n_entries;
	unsigned int line;
	const char *file;
	uint32_t *addrs;		/**< IPv4 entries with ranges expanded, network order, unique */
	unsigned int n_addrs;
};

/** virtual_server IP PORT | fwmark N | group NAME { ... }. */
struct lb_cfg_vs {
	uint32_t vip;			/**< IPv4 VIP, network order (LB_VS_ADDR, IPv4) */
	uint16_t port;			/**< host order (0 for fwmark, or a bad header) */
	uint8_t proto;			/**< IPPROTO_TCP (default), IPPROTO_UDP, IPPROTO_SCTP */
	enum lb_sched_algo sched;	/**< default wlc, as keepalived */
	enum lb_fwd_kind kind;		/**< default NAT, as keepalived */
	uint32_t persistence_timeout;	/**< seconds, 0 = no persistence */
	uint32_t delay_loop_ms;		/**< default 60 s */
	struct lb_cfg_rs *rs;
	unsigned int n_rs;
	unsigned int line;
	const char *file;		/**< file it was defined in (owned by the config) */
	/* -- everything else virtual_server documents -- */
	enum lb_vs_form form;
	struct lb_cfg_addr addr;	/**< LB_VS_ADDR: the VIP, either family */
	uint32_t fwmark;		/**< LB_VS_FWMARK */
	char group[LB_CFG_NAME_MAX];	/**< LB_VS_GROUP: virtual_server_group name */
	int group_idx;			/**< index in lb_config.vsgs, or -1 */
	uint8_t persistence_granularity;	/**< prefix length; default 32 (128) */
	bool ha_suspend;
	bool ops;			/**< one-packet scheduling (UDP) */
	bool sched_flag_port;		/**< sh-port / mh-port */
	bool sched_flag_fallback;	/**< sh-fallback / mh-fallback */
	char virtualhost[LB_CFG_STR_MAX];
	bool alpha;
	bool omega;
	uint32_t quorum;		/**< default 1 */
	uint32_t hysteresis;		/**< default 0 */
	struct lb_cfg_cmd quorum_up;
	struct lb_cfg_cmd quorum_down;
	bool has_sorry_server;
	struct lb_cfg_addr sorry_server;
	uint16_t sorry_port;		/**< 0: the VS port */
	bool sorry_server_inhibit;
	enum lb_fwd_kind sorry_kind;	/**< sorry_server_lvs_method, default: kind */
	bool inhibit_on_failure;
	int smtp_alert;			/**< -1 follows global_defs, 0, 1 */
	char laddr_group[LB_CFG_NAME_MAX];	/**< laddr_group_name (FULLNAT) */
	int laddr_group_idx;		/**< index in lb_config.laddr_groups, or -1 */
	/* checker defaults at this level: after loading, UINT32_MAX when not given */
	uint32_t connect_timeout_ms;
	uint32_t retry;
	uint32_t delay_before_retry_ms;
	uint32_t warmup_ms;
};

/** A complete, validated lb.conf. Immutable once returned. */
struct lb_config {
	struct lb_cfg_global global;
	struct lb_cfg_vrrp *vrrp;
	unsigned int n_vrrp;
	struct lb_cfg_vs *vs;
	unsigned int n_vs;
	char **files;			/**< every file read, for file:line lookups */
	unsigned int n_files;
	unsigned int n_warnings;	/**< warnings printed while loading */
	/* -- the other top-level blocks -- */
	struct lb_cfg_script *scripts;	/**< vrrp_script */
	unsigned int n_scripts;
	struct lb_cfg_sync_group *sync_groups;	/**< vrrp_sync_group */
	unsigned int n_sync_groups;
	struct lb_cfg_vsg *vsgs;	/**< virtual_server_group */
	unsigned int n_vsgs;
	struct lb_cfg_laddr_group *laddr_groups;	/**< local_address_group */
	unsigned int n_laddr_groups;
	bool script_security_violation;	/**< a script is unsafe under enable_script_security */
	void *priv;			/**< internal: strings owned by the config */
};

/** Options for loading a config. */
struct lb_cfg_opts {
	const char *config_id;	/**< for "@ID" lines (-i); NULL: the short hostname */
	bool no_include;	/**< refuse "include" (fuzzing, untrusted text) */
};

/**
 * Parse and validate an lb.conf file, with options.
 *
 * @param path
 *   File to read; include paths are relative to its directory.
 * @param opts
 *   Options, or NULL for the defaults.
 * @param diag
 *   As for lb_cfg_load().
 * @return
 *   As for lb_cfg_load().
 */
struct lb_config *lb_cfg_load_opts(const char *path, const struct lb_cfg_opts *opts,
		FILE *diag);

/**
 * Parse and validate lb.conf text held in memory, with options.
 *
 * @param text
 *   NUL-terminated configuration text.
 * @param name
 *   File name used in diagnostics; includes are relative to its directory.
 * @param opts
 *   Options, or NULL for the defaults.
 * @param diag
 *   As for lb_cfg_load().
 * @return
 *   As for lb_cfg_load().
 */
struct lb_config *lb_cfg_parse_string_opts(const char *text, const char *name,
		const struct lb_cfg_opts *opts, FILE *diag);

/**
 * Parse and validate an lb.conf file.
 *
 * @param path
 *   File to read.
 * @param diag
 *   Stream for diagnostics ("FILE:LINE: error: ..." and
 *   "FILE:LINE: warning: ..."), or NULL for stderr.
 * @return
 *   The config, or NULL with errno set: EINVAL on any syntax or validation
 *   error (each one reported to diag), ENOENT/EACCES if the file cannot be
 *   read, ENOMEM.
 */
struct lb_config *lb_cfg_load(const char *path, FILE *diag);

/**
 * Parse and validate lb.conf text held in memory.
 *
 * @param text
 *   NUL-terminated configuration text.
 * @param name
 *   File name used in diagnostics.
 * @param diag
 *   As for lb_cfg_load().
 * @return
 *   As for lb_cfg_load().
 */
struct lb_config *lb_cfg_parse_string(const char *text, const char *name, FILE *diag);

/**
 * Free a config returned by lb_cfg_load() or lb_cfg_parse_string().
 *
 * @param cfg
 *   Config to free; NULL is allowed.
 */
void lb_cfg_free(struct lb_config *cfg);

/**
 * Find the vrrp_instance whose virtual_ipaddress holds an address.
 *
 * @param cfg
 *   Config.
 * @param ip
 *   Address, network order.
 * @return
 *   The instance, or NULL when no instance holds the address.
 */
const struct lb_cfg_vrrp *lb_cfg_vrrp_for_vip(const struct lb_config *cfg, uint32_t ip);

/** @return the keepalived name of a scheduler ("rr", "wlc", ...). */
const char *lb_cfg_sched_name(enum lb_sched_algo algo);

/** @return the keepalived name of a forwarding method ("DR", "NAT", "TUN"). */
const char *lb_cfg_kind_name(enum lb_fwd_kind kind);

/**
 * Print the config as lb.conf text, normalised and fully defaulted
 * (lbapp --dump-config). The output parses back to the same config.
 *
 * @param cfg
 *   Config.
 * @param f
 *   Stream to print to.
 */
void lb_cfg_dump(const struct lb_config *cfg, FILE *f);

/** @return the keepalived name of a checker type ("TCP_CHECK", ...). */
const char *lb_cfg_checker_name(enum lb_chk_type type);

/**
 * Does this build forward with a scheduler? The table lives in
 * lb_cfg_caps.c; the parser refuses a virtual_server whose lb_algo is not
 * supported, with "not supported by lbapp yet".
 */
bool lb_cfg_sched_supported(enum lb_sched_algo algo);

/** Does this build forward with a method (lb_kind)? See lb_cfg_caps.c. */
bool lb_cfg_kind_supported(enum lb_fwd_kind kind);

/** Does this build forward a virtual_server of this form? See lb_cfg_caps.c. */
bool lb_cfg_vs_form_supported(enum lb_vs_form form);

/** Does this build forward a virtual_server of this family/protocol? */
bool lb_cfg_vs_proto_supported(int family, uint8_t proto);

#endif /* LB_CFG_H */

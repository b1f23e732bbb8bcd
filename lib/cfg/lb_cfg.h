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

#define LB_CFG_NAME_MAX 64	/**< names: instances, interfaces, router_id */
#define LB_CFG_STR_MAX 256	/**< free strings: e-mail addresses, paths */

/** Scheduler (lb_algo / lvs_sched). */
enum lb_sched_algo {
	LB_SCHED_RR = 0,
	LB_SCHED_WRR,
	LB_SCHED_LC,
	LB_SCHED_WLC,
	LB_SCHED__MAX,
};

/** Forwarding method (lb_kind / lvs_method). */
enum lb_fwd_kind {
	LB_FWD_DR = 0,
	LB_FWD_NAT,
	LB_FWD_TUN,
	LB_FWD_FNAT,		/**< FULLNAT (DPVS's FNAT): needs laddr_group_name */
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

/** An IPv4 address with an optional prefix length, network byte order. */
struct lb_cfg_addr {
	uint32_t ip;		/**< network byte order */
	uint8_t prefixlen;	/**< 32 when none was given */
};

/** One virtual_ipaddress entry. */
struct lb_cfg_vip {
	struct lb_cfg_addr addr;
	char dev[LB_CFG_NAME_MAX];	/**< "dev IF", empty when absent */
	char label[LB_CFG_NAME_MAX];	/**< "label L", empty when absent */
	unsigned int line;
	const char *file;		/**< file it was defined in (owned by the config) */
};

/** global_defs. */
struct lb_cfg_global {
	char router_id[LB_CFG_NAME_MAX];	/**< router_id or lvs_id */
	char email_from[LB_CFG_STR_MAX];	/**< notification_email_from */
	char **emails;				/**< notification_email {} */
	unsigned int n_emails;
	uint32_t smtp_server;			/**< network order, 0 if unset */
	uint16_t smtp_port;			/**< default 25 */
	uint32_t smtp_connect_timeout_ms;	/**< default 30 s */
	uint8_t vrrp_version;			/**< 2 (default) or 3 */
	uint32_t garp_master_delay_ms;		/**< default 5 s */
	uint32_t garp_master_repeat;		/**< default 5 */
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
};

/** real_server IP PORT { ... } inside a virtual_server. */
struct lb_cfg_rs {
	struct lb_cfg_addr addr;
	uint16_t port;			/**< host order; 0 means "the VS port" */
	uint32_t weight;		/**< default 1, 0 drains */
	unsigned int line;
	const char *file;		/**< file it was defined in (owned by the config) */
};

/** local_address_group NAME { ADDR | A.B.C.D-E ... } (DPVS syntax, for FNAT). */
struct lb_cfg_laddr_group {
	char name[LB_CFG_NAME_MAX];
	uint32_t *addrs;		/**< network order, ranges expanded, no duplicates */
	unsigned int n_addrs;
	unsigned int line;
	const char *file;		/**< file it was defined in (owned by the config) */
};

/** virtual_server IP PORT { ... }. */
struct lb_cfg_vs {
	uint32_t vip;			/**< network order */
	uint16_t port;			/**< host order */
	uint8_t proto;			/**< IPPROTO_TCP (default) or IPPROTO_UDP */
	enum lb_sched_algo sched;	/**< default wlc, as keepalived */
	enum lb_fwd_kind kind;		/**< default NAT, as keepalived */
	char laddr_group_name[LB_CFG_NAME_MAX];	/**< laddr_group_name, empty if none */
	int laddr_group;		/**< index in lb_config.laddr_groups, -1 = none */
	uint32_t persistence_timeout;	/**< seconds, 0 = no persistence */
	uint32_t delay_loop_ms;		/**< default 60 s */
	struct lb_cfg_rs *rs;
	unsigned int n_rs;
	unsigned int line;
	const char *file;		/**< file it was defined in (owned by the config) */
};

/** A complete, validated lb.conf. Immutable once returned. */
struct lb_config {
	struct lb_cfg_global global;
	struct lb_cfg_vrrp *vrrp;
	unsigned int n_vrrp;
	struct lb_cfg_vs *vs;
	unsigned int n_vs;
	struct lb_cfg_laddr_group *laddr_groups;	/**< local_address_group {} */
	unsigned int n_laddr_groups;
	char **files;			/**< every file read, for file:line lookups */
	unsigned int n_files;
	unsigned int n_warnings;	/**< warnings printed while loading */
};

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

/** @return the keepalived name of a forwarding method ("DR", "NAT", "TUN", "FNAT"). */
const char *lb_cfg_kind_name(enum lb_fwd_kind kind);

#endif /* LB_CFG_H */

/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CHECK_H
#define LB_CHECK_H

/**
 * @file
 * Real-server health checks, keepalived's checker side: TCP_CHECK, HTTP_GET,
 * SSL_GET, SMTP_CHECK and UDP_CHECK, run on the host stack (through the port's
 * host interface, see lb_hostif.h) with non-blocking sockets.
 *
 * The engine is polled from the control loop (lb_check_poll): one epoll set
 * for the sockets in flight (never blocking: zero timeout) and a timer scan
 * at most once per millisecond. A checker type is a table of callbacks
 * (struct in lb_check.c), so adding one touches one place.
 *
 * Semantics (keepalived.conf(5)): every checker runs every delay_loop; a
 * failure is retried `retry` times, delay_before_retry apart, before the
 * checker is down; one success brings it up. A real server is up only when
 * all its checkers are up. Without alpha a server starts up; with alpha it
 * starts down until its checkers succeed. warmup delays the first check by
 * a random time up to warmup.
 *
 * The engine only reports state; what a change does (removal or weight 0,
 * quorum, sorry server, notifications) is the caller's business.
 *
 * Not multi-thread safe: one engine per thread (the control lcore).
 */

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#define LB_CHECK_STR_MAX 256
#define LB_CHECK_MAX_URLS 8
#define LB_CHECK_MAX_CODES 16
#define LB_CHECK_PAYLOAD_MAX 512

/** Checker types, named as in keepalived.conf. */
enum lb_check_type {
	LB_CHECK_TCP = 0,	/**< TCP_CHECK: a connect within connect_timeout */
	LB_CHECK_HTTP,		/**< HTTP_GET */
	LB_CHECK_SSL,		/**< SSL_GET: HTTP_GET over TLS (OpenSSL) */
	LB_CHECK_SMTP,		/**< SMTP_CHECK: 220 banner, HELO -> 250, QUIT */
	LB_CHECK_UDP,		/**< UDP_CHECK: no ICMP error (or a reply) in time */
	LB_CHECK__MAX,
};

/** A status_code entry: a single code (lo == hi) or a range lo-hi. */
struct lb_check_code_range {
	uint16_t lo, hi;
};

/** url { } of HTTP_GET / SSL_GET. */
struct lb_check_url {
	char path[LB_CHECK_STR_MAX];		/**< default "/" */
	char digest[33];			/**< MD5 of the body, hex (genhash); "" = none */
	char virtualhost[LB_CHECK_STR_MAX];	/**< Host: header; "" = checker's */
	struct lb_check_code_range codes[LB_CHECK_MAX_CODES];
	unsigned int n_codes;			/**< 0 = any 2xx (keepalived's default) */
};

/** One checker. Addresses network order, ports host order, times in ms. */
struct lb_check_params {
	enum lb_check_type type;
	uint32_t connect_ip;		/**< 0 = the real server's address */
	uint16_t connect_port;		/**< 0 = the real server's port */
	uint32_t bindto;		/**< source address, 0 = any */
	uint32_t connect_timeout_ms;	/**< whole check, default 5000 */
	unsigned int retry;		/**< retries before down (retry, nb_get_retry) */
	uint32_t delay_before_retry_ms;	/**< default 1000 */
	uint32_t delay_loop_ms;		/**< default 60000 (inherited from the VS) */
	uint32_t warmup_ms;		/**< random delay before the first check */
	/* HTTP_GET, SSL_GET */
	struct lb_check_url urls[LB_CHECK_MAX_URLS];
	unsigned int n_urls;		/**< 0 = one url { path / } */
	char virtualhost[LB_CHECK_STR_MAX];	/**< default Host: ("" = connect ip) */
	/* SMTP_CHECK */
	char helo_name[LB_CHECK_STR_MAX];	/**< "" = "localhost" */
	/* UDP_CHECK */
	uint8_t payload[LB_CHECK_PAYLOAD_MAX];
	size_t payload_len;
	bool require_reply;		/**< up only when the server answers */
};

/** One real server and its checkers. */
struct lb_check_rs_params {
	uint32_t ip;			/**< network order */
	uint16_t port;			/**< host order */
	bool alpha;			/**< start down */
	const struct lb_check_params *checks;	/**< [n_checks], copied */
	unsigned int n_checks;		/**< 0: never checked, always up */
};

/**
 * Called on every change of a real server's state (not on the initial state).
 *
 * @param rs
 *   Index into the array given to lb_check_create().
 * @param up
 *   New state.
 */
typedef void (*lb_check_cb)(void *arg, unsigned int rs, bool up);

struct lb_check;

/** Fill a checker with keepalived's defaults (type TCP_CHECK). */
void lb_check_params_defaults(struct lb_check_params *p);

/**
 * Create an engine for n_rs real servers. Nothing runs until lb_check_poll().
 *
 * @return
 *   The engine, or NULL with errno set (ENOMEM, EINVAL for a bad parameter).
 */
struct lb_check *lb_check_create(const struct lb_check_rs_params *rs, unsigned int n_rs,
				 lb_check_cb cb, void *arg, uint64_t now_ms);

/**
 * Advance every checker: socket events without waiting, then due timers.
 * Never blocks.
 *
 * @param now_ms
 *   A monotonic clock in milliseconds.
 * @return
 *   State changes reported through the callback in this call.
 */
unsigned int lb_check_poll(struct lb_check *ck, uint64_t now_ms);

/** @return whether real server rs is up (all its checkers are). */
bool lb_check_rs_up(const struct lb_check *ck, unsigned int rs);

/** Counters of one engine. */
struct lb_check_stats {
	uint64_t runs;		/**< checks started */
	uint64_t ok;		/**< checks that passed */
	uint64_t failed;	/**< checks that failed (timeout, refused, bad answer) */
	uint64_t changes;	/**< real-server state changes */
};

/** @return the engine's counters. */
const struct lb_check_stats *lb_check_stats(const struct lb_check *ck);

/** Close every socket and free the engine (NULL allowed). */
void lb_check_free(struct lb_check *ck);

/** @return keepalived's name of a checker type ("TCP_CHECK", ...). */
const char *lb_check_type_name(enum lb_check_type t);

#endif /* LB_CHECK_H */

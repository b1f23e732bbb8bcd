/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_LOG_H
#define LB_LOG_H

/**
 * @file
 * Logging: one line per event, to the console (a FILE, "lbapp: ..." lines)
 * and/or syslog (daemon facility, ident "lbapp") with syslog levels.
 * LB_LOG_DEBUG lines are written only in detailed mode (lbapp -D).
 *
 * Control lcore only (the workers never log); not multi-thread safe.
 */

#include <stdbool.h>
#include <stdio.h>
#include <syslog.h>

#include <rte_common.h>

#define LB_LOG_ERR LOG_ERR
#define LB_LOG_WARNING LOG_WARNING
#define LB_LOG_NOTICE LOG_NOTICE
#define LB_LOG_INFO LOG_INFO
#define LB_LOG_DEBUG LOG_DEBUG

/** Where log lines go. Zeroed = console only (the FILE given to lb_log_msg). */
struct lb_log {
	bool no_console;	/**< do not write to the console FILE */
	bool syslog;		/**< also to syslog (opened by lb_log_open) */
	bool detailed;		/**< write LB_LOG_DEBUG lines too */
};

/**
 * Open syslog when l->syslog is set (openlog "lbapp", LOG_PID, LOG_DAEMON).
 */
void lb_log_open(const struct lb_log *l);

/** Close syslog if it was opened. */
void lb_log_close(const struct lb_log *l);

/**
 * Write one line.
 *
 * @param l
 *   Settings (NULL = console only).
 * @param console
 *   The console stream (NULL = stdout).
 * @param level
 *   LB_LOG_*.
 */
void lb_log_msg(const struct lb_log *l, FILE *console, int level, const char *fmt, ...)
	__rte_format_printf(4, 5);

/**
 * Route DPDK's own log lines (EAL, PMDs, rte_log) through @p l: to syslog
 * with the matching level when l->syslog is set, and unchanged to stdout
 * unless l->no_console. Call it before rte_eal_init() so that EAL's lines
 * follow -S/-l too; without it DPDK writes every line to both stdout and
 * syslog whatever lbapp was asked.
 *
 * @param l
 *   Settings; must stay valid until the process exits.
 * @return
 *   0, or -errno when the stream cannot be created (DPDK keeps its default).
 */
int lb_log_dpdk_redirect(const struct lb_log *l);

/** @return the name of a level ("err", "warning", "notice", "info", "debug"). */
const char *lb_log_level_name(int level);

#endif /* LB_LOG_H */

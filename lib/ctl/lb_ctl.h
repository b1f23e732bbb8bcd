/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CTL_H
#define LB_CTL_H

/**
 * @file
 * The control socket that lbctl talks to: a Unix stream socket served
 * non-blockingly from the control loop (lb_ctrl_poll calls lb_ctl_poll).
 *
 * Protocol: the client sends its arguments, each followed by '\n', then an
 * empty line. The server answers "ok\n" or "error\n", then text (for an
 * error, one line), and closes. `capture` answers when it is done: after -c
 * packets, or when the client closes its end.
 *
 * Commands: list [--stats|--rate] [--json]; vrrp [--json]; conn [filters];
 * weight VS RS N; drain VS RS; enable VS RS; disable VS RS; reload;
 * capture PORT -w FILE [-c N] [FILTER...].
 *
 * Control lcore only; not multi-thread safe.
 */

#include <stdio.h>

#define LB_CTL_DEFAULT_PATH "/run/lbapp/lbapp.sock"

struct lb_ctx;
struct lb_ctl;

/**
 * Create the socket (and its directory, mode 0755), mode 0600. A stale
 * socket file left by a dead lbapp is replaced; one a live process answers
 * on is not.
 *
 * @return
 *   The server, or NULL with errno set (EADDRINUSE: another lbapp listens).
 */
struct lb_ctl *lb_ctl_open(struct lb_ctx *ctx, const char *path, FILE *diag);

/** Serve clients without blocking: accept, read, run, write. NULL allowed. */
void lb_ctl_poll(struct lb_ctl *ctl);

/**
 * Close the socket, remove its file, stop a capture. Call after the workers
 * have stopped (it frees what they may have used). NULL allowed.
 */
void lb_ctl_close(struct lb_ctl *ctl);

/**
 * Run one synchronous command (not conn or capture) as if a client sent it.
 * For tests and telemetry.
 *
 * @param out
 *   The answer's text.
 * @return
 *   0 on success, -1 when the command failed (one line in out).
 */
int lb_ctl_exec(struct lb_ctl *ctl, int argc, char **argv, FILE *out);

#endif /* LB_CTL_H */

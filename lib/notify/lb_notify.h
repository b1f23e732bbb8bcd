/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_NOTIFY_H
#define LB_NOTIFY_H

/**
 * @file
 * Asynchronous script runner for the control lcore: VRRP notify_* scripts,
 * vrrp_script track scripts, and (for the health checker) MISC_CHECK and
 * notify_up/notify_down.
 *
 * A command line is split into words the way keepalived does for its
 * scripts (whitespace separates words; single quotes, double quotes and
 * backslash escapes group and quote; no variable or glob expansion), extra
 * arguments are appended, and the program is started with posix_spawnp()
 * (no shell) in its own process group with stdin on /dev/null. stdout and
 * stderr are inherited. A script that runs past its timeout gets SIGTERM to
 * its process group, then SIGKILL LB_NOTIFY_KILL_GRACE_MS later.
 *
 * Nothing here blocks: lb_notify_poll() reaps finished children with
 * waitpid(WNOHANG), enforces timeouts and calls each completion callback
 * exactly once. The number of scripts in flight is bounded; a run beyond the
 * bound is refused with -EBUSY, never queued without limit.
 *
 * Thread safety: none; use one runner from one thread (the control lcore).
 * The runner reaps only the pids it started, so other children of the
 * process are left alone. Do not set SIGCHLD to SIG_IGN (children would be
 * auto-reaped and their status lost).
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define LB_NOTIFY_MAX_ARGS 32		/**< words after splitting, extra args included */
#define LB_NOTIFY_KILL_GRACE_MS 1000	/**< SIGTERM -> SIGKILL delay */

/** How a run ended, passed to the completion callback. */
struct lb_notify_result {
	int status;		/**< exit code 0-255, or -1 when killed by a signal / not run */
	int signal;		/**< terminating signal, 0 if it exited */
	bool timed_out;		/**< it ran past its timeout and was killed */
	uint64_t runtime_ms;	/**< from spawn to reap */
};

/**
 * Completion callback. Runs from lb_notify_poll() (or lb_notify_free()),
 * on the caller's thread.
 *
 * @param arg
 *   The arg given to lb_notify_run().
 * @param res
 *   How the run ended.
 */
typedef void (*lb_notify_done_cb)(void *arg, const struct lb_notify_result *res);

struct lb_notify;

/**
 * Create a runner.
 *
 * @param max_inflight
 *   Bound on children running at once (1..1024).
 * @return
 *   The runner, or NULL with errno set (EINVAL, ENOMEM).
 */
struct lb_notify *lb_notify_create(unsigned int max_inflight);

/**
 * Kill every child still running (SIGKILL to its process group), reap it
 * (this may wait for the kill to land, bounded by the kernel), call its
 * callback with signal set, and free the runner. NULL is allowed.
 */
void lb_notify_free(struct lb_notify *n);

/**
 * Split a command line into words (see the file comment).
 *
 * @param cmdline
 *   The command line ("/usr/bin/check --port 80 'a b'").
 * @param buf
 *   Storage for the words (at least strlen(cmdline) + 1 bytes).
 * @param argv
 *   Filled with pointers into buf, NULL-terminated.
 * @param max
 *   Size of argv, including the terminating NULL.
 * @return
 *   Number of words, or -EINVAL (unterminated quote, trailing backslash,
 *   no words), -E2BIG (more than max - 1 words).
 */
int lb_notify_split(const char *cmdline, char *buf, char **argv, unsigned int max);

/**
 * Start a command without waiting for it.
 *
 * @param n
 *   The runner.
 * @param cmdline
 *   Command line, split with lb_notify_split().
 * @param extra
 *   Arguments appended after the command line's words (not split), or NULL.
 *   keepalived's "notify" passes GROUP|INSTANCE, name, state, priority.
 * @param n_extra
 *   Number of extra arguments.
 * @param timeout_ms
 *   Kill it after this long; 0 = no timeout.
 * @param cb
 *   Called once when it ends, or NULL. Not called when lb_notify_run()
 *   returns an error.
 * @param arg
 *   Passed to cb.
 * @return
 *   The child's pid (> 0), or -EBUSY (max_inflight running), -EINVAL (bad
 *   command line), -E2BIG (too many words), or the negative errno of
 *   posix_spawnp() (e.g. -ENOENT when the program is not found).
 */
pid_t lb_notify_run(struct lb_notify *n, const char *cmdline, const char *const *extra,
		    unsigned int n_extra, uint32_t timeout_ms, lb_notify_done_cb cb, void *arg);

/**
 * lb_notify_run(), run as another user: when uid or gid differ from lbapp's
 * own, the child takes gid (as its only group) and uid before it executes the
 * program (found on PATH first, like posix_spawnp()). lbapp must be root for
 * that; a child that cannot switch exits 126 without running anything.
 *
 * @param uid, gid
 *   Who the program runs as (keepalived's script_user; lb_cfg_cmd.uid/gid).
 * @return
 *   As lb_notify_run(); -ENOENT when the program is not found on PATH.
 */
pid_t lb_notify_run_as(struct lb_notify *n, const char *cmdline, const char *const *extra,
		       unsigned int n_extra, uint32_t timeout_ms, uid_t uid, gid_t gid,
		       lb_notify_done_cb cb, void *arg);

/**
 * Reap finished children, enforce timeouts, call callbacks. Never blocks.
 * Call it from the control loop often (every poll is fine: one waitpid()
 * per child in flight).
 *
 * @return
 *   Number of runs that completed in this call.
 */
unsigned int lb_notify_poll(struct lb_notify *n);

/** @return number of children in flight. */
unsigned int lb_notify_inflight(const struct lb_notify *n);

#endif /* LB_NOTIFY_H */

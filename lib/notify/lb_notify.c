/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>

#include "lb_notify.h"

extern char **environ;

struct lb_notify_child {
	pid_t pid;			/* 0 = free slot */
	uint64_t start_ms;
	uint64_t deadline_ms;		/* 0 = none */
	uint64_t kill_ms;		/* SIGKILL due, after SIGTERM at the deadline */
	bool timed_out;
	lb_notify_done_cb cb;
	void *arg;
};

struct lb_notify {
	unsigned int max;
	unsigned int inflight;
	struct lb_notify_child child[];
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct lb_notify *
lb_notify_create(unsigned int max_inflight)
{
	struct lb_notify *n;

	if (max_inflight == 0 || max_inflight > 1024) {
		errno = EINVAL;
		return NULL;
	}
	n = calloc(1, sizeof(*n) + max_inflight * sizeof(n->child[0]));
	if (n == NULL)
		return NULL;
	n->max = max_inflight;
	return n;
}

static void
finish(struct lb_notify *n, struct lb_notify_child *c, int wstatus)
{
	struct lb_notify_result res = {
		.status = -1,
		.timed_out = c->timed_out,
		.runtime_ms = now_ms() - c->start_ms,
	};
	lb_notify_done_cb cb = c->cb;
	void *arg = c->arg;

	if (WIFEXITED(wstatus))
		res.status = WEXITSTATUS(wstatus);
	else if (WIFSIGNALED(wstatus))
		res.signal = WTERMSIG(wstatus);
	memset(c, 0, sizeof(*c));
	n->inflight--;
	if (cb != NULL)
		cb(arg, &res);
}

void
lb_notify_free(struct lb_notify *n)
{
	unsigned int i;
	int st;

	if (n == NULL)
		return;
	for (i = 0; i < n->max; i++) {
		struct lb_notify_child *c = &n->child[i];

		if (c->pid <= 0)
			continue;
		kill(-c->pid, SIGKILL);
		kill(c->pid, SIGKILL);
		while (waitpid(c->pid, &st, 0) < 0 && errno == EINTR)
			;
		finish(n, c, st);
	}
	free(n);
}

int
lb_notify_split(const char *cmdline, char *buf, char **argv, unsigned int max)
{
	const char *p = cmdline;
	char *o = buf;
	unsigned int argc = 0;

	if (max < 2)
		return -E2BIG;
	for (;;) {
		bool word = false;
		char q = 0;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		if (argc + 1 >= max)
			return -E2BIG;
		argv[argc] = o;
		for (; *p != '\0'; p++) {
			if (q == 0 && (*p == ' ' || *p == '\t' || *p == '\n'))
				break;
			if (q == 0 && (*p == '\'' || *p == '"')) {
				q = *p;
				word = true;
				continue;
			}
			if (q != 0 && *p == q) {
				q = 0;
				continue;
			}
			/* Backslash escapes outside quotes and inside double quotes. */
			if (*p == '\\' && q != '\'') {
				if (p[1] == '\0')
					return -EINVAL;
				p++;
			}
			*o++ = *p;
			word = true;
		}
		if (q != 0)
			return -EINVAL;
		*o++ = '\0';
		if (word)
			argc++;
	}
	argv[argc] = NULL;
	return argc == 0 ? -EINVAL : (int)argc;
}

/* The program's path: argv0 itself when it has a '/', else the first on PATH. */
static int
find_prog(const char *argv0, char *out, size_t size)
{
	const char *path = getenv("PATH"), *p, *e;
	int len;

	if (strchr(argv0, '/') != NULL) {
		len = snprintf(out, size, "%s", argv0);
		return len > 0 && (size_t)len < size ? 0 : -ENAMETOOLONG;
	}
	if (path == NULL || *path == '\0')
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	for (p = path; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = strchrnul(p, ':');
		if (e == p)	/* an empty element is the current directory */
			len = snprintf(out, size, "./%s", argv0);
		else
			len = snprintf(out, size, "%.*s/%s", (int)(e - p), p, argv0);
		if (len > 0 && (size_t)len < size && access(out, X_OK) == 0)
			return 0;
	}
	return -ENOENT;
}

/*
 * fork + setgroups/setgid/setuid + execve: posix_spawn cannot change the
 * user. The child only makes async-signal-safe calls.
 */
static int
spawn_as(pid_t *pid, char *const argv[], uid_t uid, gid_t gid)
{
	char prog[4096];
	struct sigaction dfl;
	sigset_t none;
	int ret, fd, sig;
	pid_t p;

	ret = find_prog(argv[0], prog, sizeof(prog));
	if (ret != 0)
		return -ret;
	p = fork();
	if (p < 0)
		return errno;
	if (p == 0) {
		memset(&dfl, 0, sizeof(dfl));
		dfl.sa_handler = SIG_DFL;
		for (sig = 1; sig < NSIG; sig++)
			sigaction(sig, &dfl, NULL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setpgid(0, 0);
		fd = open("/dev/null", O_RDONLY);
		if (fd > 0) {
			dup2(fd, 0);
			close(fd);
		}
		/* Raw syscalls: this thread only, no glibc setxid broadcast after fork. */
		if (syscall(SYS_setgroups, 1, &gid) != 0 || syscall(SYS_setgid, gid) != 0 ||
		    syscall(SYS_setuid, uid) != 0)
			_exit(126);
		execve(prog, argv, environ);
		_exit(127);
	}
	*pid = p;
	return 0;
}

pid_t
lb_notify_run(struct lb_notify *n, const char *cmdline, const char *const *extra,
	      unsigned int n_extra, uint32_t timeout_ms, lb_notify_done_cb cb, void *arg)
{
	return lb_notify_run_as(n, cmdline, extra, n_extra, timeout_ms, geteuid(), getegid(),
				cb, arg);
}

pid_t
lb_notify_run_as(struct lb_notify *n, const char *cmdline, const char *const *extra,
		 unsigned int n_extra, uint32_t timeout_ms, uid_t uid, gid_t gid,
		 lb_notify_done_cb cb, void *arg)
{
	char *argv[LB_NOTIFY_MAX_ARGS + 1];
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	struct lb_notify_child *c = NULL;
	sigset_t none, all;
	unsigned int i;
	char *buf;
	pid_t pid;
	int argc, ret;

	if (n->inflight >= n->max)
		return -EBUSY;
	for (i = 0; i < n->max && c == NULL; i++)
		if (n->child[i].pid == 0)
			c = &n->child[i];
	if (c == NULL)
		return -EBUSY;
	buf = malloc(strlen(cmdline) + 1);
	if (buf == NULL)
		return -ENOMEM;
	argc = lb_notify_split(cmdline, buf, argv, LB_NOTIFY_MAX_ARGS + 1);
	if (argc < 0) {
		free(buf);
		return argc;
	}
	if ((unsigned int)argc + n_extra > LB_NOTIFY_MAX_ARGS) {
		free(buf);
		return -E2BIG;
	}
	for (i = 0; i < n_extra; i++)
		argv[argc++] = (char *)(uintptr_t)extra[i];
	argv[argc] = NULL;

	if (uid != geteuid() || gid != getegid()) {
		ret = spawn_as(&pid, argv, uid, gid);
		free(buf);
		if (ret != 0)
			return -ret;
		goto started;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawnattr_init(&attr);
	/* Own process group (so a timeout kills the script's children too),
	 * default signal dispositions and an empty mask in the child. */
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF);
	ret = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	free(buf);
	if (ret != 0)
		return -ret;
started:
	c->pid = pid;
	c->start_ms = now_ms();
	c->deadline_ms = timeout_ms > 0 ? c->start_ms + timeout_ms : 0;
	c->kill_ms = 0;
	c->timed_out = false;
	c->cb = cb;
	c->arg = arg;
	n->inflight++;
	return pid;
}

unsigned int
lb_notify_poll(struct lb_notify *n)
{
	unsigned int i, done = 0;
	uint64_t now;
	int st;

	if (n->inflight == 0)
		return 0;
	now = now_ms();
	for (i = 0; i < n->max; i++) {
		struct lb_notify_child *c = &n->child[i];
		pid_t r;

		if (c->pid <= 0)
			continue;
		r = waitpid(c->pid, &st, WNOHANG);
		if (r == c->pid || (r < 0 && errno == ECHILD)) {
			if (r < 0)
				st = 0;		/* reaped elsewhere: status unknown */
			finish(n, c, st);
			done++;
			continue;
		}
		if (c->deadline_ms != 0 && now >= c->deadline_ms && !c->timed_out) {
			c->timed_out = true;
			c->kill_ms = now + LB_NOTIFY_KILL_GRACE_MS;
			kill(-c->pid, SIGTERM);
		} else if (c->kill_ms != 0 && now >= c->kill_ms) {
			c->kill_ms = 0;
			kill(-c->pid, SIGKILL);
		}
	}
	return done;
}

unsigned int
lb_notify_inflight(const struct lb_notify *n)
{
	return n->inflight;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lbctl: talk to a running lbapp over its control socket.
 *
 *   lbctl [-s PATH] COMMAND [ARG...]
 *
 * Exit status: 0 done, 1 lbapp refused the command (one line on stderr),
 * 2 bad usage, 3 cannot reach lbapp.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "lb_ctl.h"

#define REQ_MAX 4096

static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: lbctl [-s SOCKET] COMMAND [ARG...]\n"
		"  -s, --socket PATH   lbapp's control socket (default " LB_CTL_DEFAULT_PATH ")\n"
		"Commands:\n"
		"  list [--stats|--rate] [--json]     virtual and real servers (ipvsadm -Ln)\n"
		"  vrrp [--json]                      VRRP instances\n"
		"  conn [--client IP[:PORT]] [--vip IP[:PORT]] [--rs IP[:PORT]]\n"
		"       [--proto tcp|udp] [--state STATE] [-n MAX] [--json]\n"
		"                                     tracked connections (a sample, with a count)\n"
		"  weight VS RS N                     set a real server's weight (runtime)\n"
		"  drain VS RS                        weight 0: no new connections\n"
		"  disable VS RS                      out of service: its connections stop too\n"
		"  enable VS RS                       back to lb.conf's weight, in service\n"
		"  reload                             re-read lb.conf (as SIGHUP)\n"
		"  capture PORT -w FILE.pcap [-c N] [FILTER]\n"
		"                                     write what PORT receives and sends\n"
		"VS is [tcp:|udp:]IP:PORT, RS is IP[:PORT].\n");
}

/* Connect, or report clearly why not (exit 3). */
static int
ctl_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, err;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "lbctl: socket path too long: %s\n", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "lbctl: socket: %s\n", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return fd;
	err = errno;
	close(fd);
	if (err == ENOENT)
		fprintf(stderr, "lbctl: no control socket at %s: is lbapp running? "
			"(lbapp --ctl-socket PATH, lbctl -s PATH)\n", path);
	else if (err == ECONNREFUSED)
		fprintf(stderr, "lbctl: nothing listens on %s: lbapp is not running "
			"(stale socket left by a process that died)\n", path);
	else if (err == EACCES || err == EPERM)
		fprintf(stderr, "lbctl: %s: permission denied (run as root)\n", path);
	else
		fprintf(stderr, "lbctl: cannot connect to %s: %s\n", path, strerror(err));
	return -1;
}

static int
write_all(int fd, const char *b, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, b, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char *path = LB_CTL_DEFAULT_PATH;
	char req[REQ_MAX], buf[65536], abs_path[PATH_MAX];
	size_t rl = 0, got = 0;
	bool capture, shut = false, head_done = false, err = false;
	char head[8];
	struct sigaction sa;
	int i, fd, first;

	for (first = 1; first < argc; first++) {
		if ((strcmp(argv[first], "-s") == 0 || strcmp(argv[first], "--socket") == 0) &&
		    first + 1 < argc) {
			path = argv[++first];
		} else if (strcmp(argv[first], "-h") == 0 || strcmp(argv[first], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (argv[first][0] == '-') {
			fprintf(stderr, "lbctl: bad option '%s'\n", argv[first]);
			usage(stderr);
			return 2;
		} else {
			break;
		}
	}
	if (first == argc) {
		fprintf(stderr, "lbctl: no command\n");
		usage(stderr);
		return 2;
	}
	capture = strcmp(argv[first], "capture") == 0;
	for (i = first; i < argc; i++) {
		const char *a = argv[i];
		int n;

		/* The capture file is written by lbapp: make it absolute. */
		if (capture && i > first && strcmp(argv[i - 1], "-w") == 0 && a[0] != '/') {
			if (getcwd(abs_path, sizeof(abs_path) - strlen(a) - 2) == NULL) {
				fprintf(stderr, "lbctl: getcwd: %s\n", strerror(errno));
				return 2;
			}
			strcat(abs_path, "/");
			strcat(abs_path, a);
			a = abs_path;
		}
		if (a[0] == '\0' || strchr(a, '\n') != NULL) {
			fprintf(stderr, "lbctl: empty argument or newline in an argument\n");
			return 2;
		}
		n = snprintf(req + rl, sizeof(req) - rl, "%s\n", a);
		if (n < 0 || (size_t)n >= sizeof(req) - rl - 1) {
			fprintf(stderr, "lbctl: arguments too long\n");
			return 2;
		}
		rl += (size_t)n;
	}
	req[rl++] = '\n';

	fd = ctl_connect(path);
	if (fd < 0)
		return 3;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (write_all(fd, req, rl) != 0) {
		fprintf(stderr, "lbctl: lbapp closed the connection: %s\n", strerror(errno));
		return 3;
	}
	/* Read "ok\n" or "error\n", then copy the text out. */
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (interrupted && !shut) {
			shutdown(fd, SHUT_WR);	/* lbapp ends the capture and answers */
			shut = true;
		}
		if (poll(&p, 1, 200) <= 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (!head_done) {
			size_t k = 0;

			while (k < (size_t)n && got < sizeof(head) - 1 && buf[k] != '\n')
				head[got++] = buf[k++];
			if (k == (size_t)n)
				continue;
			head[got] = '\0';
			head_done = true;
			err = strcmp(head, "ok") != 0;
			k++;
			if (err)
				fputs("lbctl: ", stderr);
			fwrite(buf + k, 1, (size_t)n - k, err ? stderr : stdout);
			continue;
		}
		fwrite(buf, 1, (size_t)n, err ? stderr : stdout);
	}
	close(fd);
	if (!head_done) {
		fprintf(stderr, "lbctl: lbapp closed the connection without an answer\n");
		return 3;
	}
	return err ? 1 : 0;
}

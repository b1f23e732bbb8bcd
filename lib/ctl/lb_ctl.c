/* SPDX-License-Identifier: BSD-3-Clause */
/* The lbctl socket: non-blocking accept/read/write from the control loop. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <rte_cycles.h>
#include <rte_lcore.h>

#include "lb_ctl_int.h"

#define RATE_PERIOD_S 2

static int
mkdir_parent(const char *path)
{
	char buf[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *dir, *p;

	snprintf(buf, sizeof(buf), "%s", path);
	dir = dirname(buf);
	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* Is something listening on path? */
static bool
socket_alive(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool alive;

	if (fd < 0)
		return false;
	alive = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0;
	close(fd);
	return alive;
}

struct lb_ctl *
lb_ctl_open(struct lb_ctx *ctx, const char *path, FILE *diag)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct lb_ctl *ctl;
	int ret, i;

	if (path == NULL)
		path = LB_CTL_DEFAULT_PATH;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(diag, "error: control socket path too long: %s\n", path);
		errno = ENAMETOOLONG;
		return NULL;
	}
	ctl = calloc(1, sizeof(*ctl));
	if (ctl == NULL)
		return NULL;
	ctl->ctx = ctx;
	ctl->lfd = -1;
	ctl->conn_client = -1;
	ctl->cap_client = -1;
	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		ctl->cl[i].fd = -1;
	snprintf(ctl->path, sizeof(ctl->path), "%s", path);
	memcpy(sa.sun_path, path, strlen(path) + 1);

	ret = mkdir_parent(path);
	if (ret != 0) {
		fprintf(diag, "error: control socket directory for %s: %s\n", path,
			strerror(-ret));
		errno = -ret;
		goto err;
	}
	if (socket_alive(&sa)) {
		fprintf(diag, "error: control socket %s is in use by a running lbapp "
			"(give this one --ctl-socket PATH)\n", path);
		errno = EADDRINUSE;
		goto err;
	}
	unlink(path);	/* stale, from a process that died */
	ctl->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (ctl->lfd < 0 || bind(ctl->lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    chmod(path, 0600) != 0 || listen(ctl->lfd, CTL_MAX_CLIENTS) != 0) {
		ret = errno;
		fprintf(diag, "error: control socket %s: %s\n", path, strerror(ret));
		errno = ret;
		goto err;
	}
	ctl->rate = calloc(LB_MAX_RS, sizeof(*ctl->rate));
	if (ctl->rate == NULL)
		goto err;
	if (ctl_metrics_open(ctl) != 0) {
		ctl_metrics_close(ctl);
		unlink(path);
		errno = ENOMEM;
		goto err;
	}
	rte_timer_init(&ctl->rate_timer);
	rte_timer_reset(&ctl->rate_timer, rte_get_timer_hz() * RATE_PERIOD_S, PERIODICAL,
			rte_lcore_id(), ctl_rate_cb, ctl);
	lb_log(ctx, LB_LOG_INFO, "control socket %s", path);
	return ctl;
err:
	ret = errno;
	if (ctl->lfd >= 0)
		close(ctl->lfd);
	free(ctl->rate);
	free(ctl);
	errno = ret;
	return NULL;
}

static void
client_close(struct lb_ctl *ctl, int i)
{
	struct ctl_client *c = &ctl->cl[i];

	if (c->fd >= 0)
		close(c->fd);
	free(c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	if (ctl->conn_client == i) {
		ctl->conn_client = -1;
		ctl->conn_stale = true;	/* the workers still hold the request */
	}
}

void
ctl_finish(struct lb_ctl *ctl, int client, int status, char *text, size_t len)
{
	struct ctl_client *c = &ctl->cl[client];
	const char *head = status == CTL_ERR ? "error\n" : "ok\n";
	size_t hl = strlen(head);

	free(c->out);
	c->out = malloc(hl + len + 1);
	if (c->out == NULL) {
		client_close(ctl, client);
		return;
	}
	memcpy(c->out, head, hl);
	memcpy(c->out + hl, text, len);
	c->out_len = hl + len;
	c->out_off = 0;
	c->st = CL_WRITE;
}

/* Split the request (args separated by '\n', ended by an empty line). */
static int
split_args(char *buf, char **argv)
{
	int argc = 0;
	char *p = buf, *nl;

	while ((nl = strchr(p, '\n')) != NULL && nl != p) {
		if (argc == CTL_MAX_ARGS)
			return -1;
		*nl = '\0';
		argv[argc++] = p;
		p = nl + 1;
	}
	argv[argc] = NULL;
	return argc;
}

static void
run_request(struct lb_ctl *ctl, int i)
{
	struct ctl_client *c = &ctl->cl[i];
	char *argv[CTL_MAX_ARGS + 1];
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	int argc, ret;

	out = open_memstream(&text, &len);
	if (out == NULL) {
		client_close(ctl, i);
		return;
	}
	c->in[c->in_len] = '\0';
	argc = split_args(c->in, argv);
	if (argc <= 0) {
		fprintf(out, "%s\n", argc < 0 ? "too many arguments" : "no command");
		ret = CTL_ERR;
	} else {
		ret = ctl_dispatch(ctl, i, argc, argv, out);
	}
	fclose(out);
	if (ret == CTL_PENDING)
		c->st = CL_WAIT;
	else
		ctl_finish(ctl, i, ret, text, len);
	free(text);
}

static void
client_read(struct lb_ctl *ctl, int i)
{
	struct ctl_client *c = &ctl->cl[i];
	ssize_t n;

	n = read(c->fd, c->in + c->in_len, sizeof(c->in) - 1 - c->in_len);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		client_close(ctl, i);
		return;
	}
	if (n < 0)
		return;
	c->in_len += (size_t)n;
	if ((c->in_len == 1 && c->in[0] == '\n') ||
	    (c->in_len >= 2 && c->in[c->in_len - 1] == '\n' && c->in[c->in_len - 2] == '\n')) {
		run_request(ctl, i);
		return;
	}
	if (c->in_len >= sizeof(c->in) - 1) {
		static char msg[] = "request too long\n";

		ctl_finish(ctl, i, CTL_ERR, msg, sizeof(msg) - 1);
	}
}

/*
 * A waiting client that shut down its sending side (lbctl on Ctrl-C) ends its
 * capture and still reads the summary; one that went away just ends it.
 */
static void
client_check_hangup(struct lb_ctl *ctl, int i)
{
	struct ctl_client *c = &ctl->cl[i];
	char b[64], *text = NULL;
	ssize_t n = recv(c->fd, b, sizeof(b), MSG_DONTWAIT);
	size_t len = 0;
	FILE *out;

	if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR)))
		return;
	if (ctl->cap_client != i) {
		client_close(ctl, i);	/* conn: its answer has nowhere to go */
		return;
	}
	ctl->cap_client = -1;
	out = n == 0 ? open_memstream(&text, &len) : NULL;
	ctl_capture_stop(ctl, out);
	if (out == NULL) {
		client_close(ctl, i);
		return;
	}
	fclose(out);
	ctl_finish(ctl, i, CTL_OK, text, len);
	free(text);
}

static void
client_write(struct lb_ctl *ctl, int i)
{
	struct ctl_client *c = &ctl->cl[i];
	ssize_t n;

	n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		client_close(ctl, i);
		return;
	}
	c->out_off += (size_t)n;
	if (c->out_off == c->out_len)
		client_close(ctl, i);
}

void
lb_ctl_poll(struct lb_ctl *ctl)
{
	int i, fd;

	if (ctl == NULL)
		return;
	for (;;) {
		fd = accept4(ctl->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			break;
		for (i = 0; i < CTL_MAX_CLIENTS && ctl->cl[i].st != CL_FREE; i++)
			;
		if (i == CTL_MAX_CLIENTS) {
			static const char busy[] = "error\ntoo many lbctl clients, retry\n";

			if (send(fd, busy, sizeof(busy) - 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
				{ /* nothing to do: the client sees the close */ }
			close(fd);
			continue;
		}
		ctl->cl[i].fd = fd;
		ctl->cl[i].st = CL_READ;
	}
	ctl_conn_poll(ctl);
	ctl_capture_poll(ctl);
	ctl_metrics_poll(ctl);
	for (i = 0; i < CTL_MAX_CLIENTS; i++) {
		switch (ctl->cl[i].st) {
		case CL_READ:
			client_read(ctl, i);
			break;
		case CL_WAIT:
			client_check_hangup(ctl, i);
			break;
		default:
			break;
		}
		if (ctl->cl[i].st == CL_WRITE)
			client_write(ctl, i);
	}
}

int
lb_ctl_exec(struct lb_ctl *ctl, int argc, char **argv, FILE *out)
{
	int ret = ctl_dispatch(ctl, -1, argc, argv, out);

	return ret == CTL_OK ? 0 : -1;
}

void
lb_ctl_close(struct lb_ctl *ctl)
{
	int i;

	if (ctl == NULL)
		return;
	rte_timer_stop_sync(&ctl->rate_timer);
	ctl_metrics_close(ctl);
	ctl_capture_free(ctl);
	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		client_close(ctl, i);
	close(ctl->lfd);
	unlink(ctl->path);
	free(ctl->req);
	free(ctl->req_out);
	free(ctl->rate);
	free(ctl);
}

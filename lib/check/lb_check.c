/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "lb_check.h"

#define BUF_MAX 8192		/* response headers / SMTP lines kept */
#define EPOLL_BATCH 64

enum inst_state {
	INST_IDLE = 0,		/* waiting for due */
	INST_CONNECTING,
	INST_TLS,		/* SSL handshake */
	INST_IO,		/* request/response */
};

struct inst;

/* A checker type: what to do once connected, and on every readiness event. */
struct check_ops {
	const char *name;
	int sock_type;
	/* Connected (or, for UDP, ready to send). Return 1 done ok, 0 more, < 0 fail. */
	int (*begin)(struct inst *in);
	/* Readable or writable. Same return convention. */
	int (*io)(struct inst *in);
	/* Deadline reached in INST_IO: 1 ok (UDP without reply), else fail. */
	int (*on_timeout)(struct inst *in);
};

struct inst {
	struct lb_check *ck;
	unsigned int rs;
	struct lb_check_params p;
	const struct check_ops *ops;
	uint32_t ip;			/* network order */
	uint16_t port;			/* host order */
	enum inst_state state;
	bool up;
	unsigned int fails;		/* consecutive failures */
	uint64_t due, deadline;
	int fd;
	SSL *ssl;
	/* HTTP / SMTP */
	unsigned int url;		/* current url */
	unsigned int step;		/* SMTP step */
	char out[BUF_MAX];
	size_t out_len, out_off;
	char in_buf[BUF_MAX];
	size_t in_len;
	bool hdr_done;
	int status;
	EVP_MD_CTX *md;
};

struct rs_state {
	struct inst *insts;
	unsigned int n;
	bool up;
};

struct lb_check {
	struct rs_state *rs;
	unsigned int n_rs;
	lb_check_cb cb;
	void *arg;
	int epfd;
	SSL_CTX *ssl_ctx;
	uint64_t now, last_scan;
	unsigned int changes;
	struct lb_check_stats st;
};

static const char *const type_names[LB_CHECK__MAX] = {
	[LB_CHECK_TCP] = "TCP_CHECK", [LB_CHECK_HTTP] = "HTTP_GET", [LB_CHECK_SSL] = "SSL_GET",
	[LB_CHECK_SMTP] = "SMTP_CHECK", [LB_CHECK_UDP] = "UDP_CHECK",
};

const char *
lb_check_type_name(enum lb_check_type t)
{
	return (unsigned int)t < LB_CHECK__MAX ? type_names[t] : "?";
}

void
lb_check_params_defaults(struct lb_check_params *p)
{
	memset(p, 0, sizeof(*p));
	p->type = LB_CHECK_TCP;
	p->connect_timeout_ms = 5000;
	p->retry = 1;
	p->delay_before_retry_ms = 1000;
	p->delay_loop_ms = 60000;
}

/* Raw I/O through TLS when there is a session. > 0 bytes, 0 EOF, -EAGAIN, -EIO. */
static ssize_t
io_read(struct inst *in, void *buf, size_t n)
{
	ssize_t r;

	if (in->ssl != NULL) {
		r = SSL_read(in->ssl, buf, (int)n);
		if (r > 0)
			return r;
		switch (SSL_get_error(in->ssl, (int)r)) {
		case SSL_ERROR_WANT_READ:
		case SSL_ERROR_WANT_WRITE:
			return -EAGAIN;
		case SSL_ERROR_ZERO_RETURN:
			return 0;
		default:
			/* Servers often close without close_notify: treat as EOF. */
			return in->hdr_done ? 0 : -EIO;
		}
	}
	r = recv(in->fd, buf, n, 0);
	if (r >= 0)
		return r;
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? -EAGAIN : -errno;
}

static ssize_t
io_write(struct inst *in, const void *buf, size_t n)
{
	ssize_t r;

	if (in->ssl != NULL) {
		r = SSL_write(in->ssl, buf, (int)n);
		if (r > 0)
			return r;
		switch (SSL_get_error(in->ssl, (int)r)) {
		case SSL_ERROR_WANT_READ:
		case SSL_ERROR_WANT_WRITE:
			return -EAGAIN;
		default:
			return -EIO;
		}
	}
	r = send(in->fd, buf, n, MSG_NOSIGNAL);
	if (r >= 0)
		return r;
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? -EAGAIN : -errno;
}

/* Send what is left of in->out. 1 all sent, 0 more to send, < 0 error. */
static int
flush_out(struct inst *in)
{
	while (in->out_off < in->out_len) {
		ssize_t r = io_write(in, in->out + in->out_off, in->out_len - in->out_off);

		if (r == -EAGAIN)
			return 0;
		if (r <= 0)
			return -EIO;
		in->out_off += (size_t)r;
	}
	return 1;
}

static void
set_out(struct inst *in, const char *s)
{
	in->out_len = strlen(s);
	memcpy(in->out, s, in->out_len);
	in->out_off = 0;
}

/* TCP_CHECK: connected is all it takes. */
static int
tcp_begin(struct inst *in)
{
	(void)in;
	return 1;
}

/* HTTP_GET / SSL_GET */

static const struct lb_check_url default_url = { .path = "/" };

static const struct lb_check_url *
cur_url(const struct inst *in)
{
	return in->p.n_urls == 0 ? &default_url : &in->p.urls[in->url];
}

static int
http_begin(struct inst *in)
{
	const struct lb_check_url *u = cur_url(in);
	char host[LB_CHECK_STR_MAX], req[BUF_MAX];
	struct in_addr a = { .s_addr = in->ip };

	if (u->virtualhost[0] != '\0')
		snprintf(host, sizeof(host), "%s", u->virtualhost);
	else if (in->p.virtualhost[0] != '\0')
		snprintf(host, sizeof(host), "%s", in->p.virtualhost);
	else
		inet_ntop(AF_INET, &a, host, sizeof(host));
	snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n"
		 "Host: %s\r\nConnection: close\r\n\r\n", u->path, host);
	set_out(in, req);
	in->in_len = 0;
	in->hdr_done = false;
	in->status = 0;
	if (in->md == NULL)
		in->md = EVP_MD_CTX_new();
	if (in->md == NULL || EVP_DigestInit_ex(in->md, EVP_md5(), NULL) != 1)
		return -ENOMEM;
	return 0;
}

static bool
status_ok(const struct lb_check_url *u, int status)
{
	unsigned int i;

	if (u->n_codes == 0)
		return status >= 200 && status <= 299;
	for (i = 0; i < u->n_codes; i++)
		if (status >= u->codes[i].lo && status <= u->codes[i].hi)
			return true;
	return false;
}

/* Headers complete in in_buf: status line, then feed the body start to MD5. */
static int
http_headers(struct inst *in)
{
	char *end = memmem(in->in_buf, in->in_len, "\r\n\r\n", 4);
	size_t hlen;

	if (end == NULL)
		return in->in_len >= sizeof(in->in_buf) ? -EMSGSIZE : 0;
	hlen = (size_t)(end - in->in_buf) + 4;
	if (in->in_len < 12 || memcmp(in->in_buf, "HTTP/", 5) != 0)
		return -EPROTO;
	{
		const char *sp = memchr(in->in_buf, ' ', hlen);

		if (sp == NULL || sscanf(sp + 1, "%3d", &in->status) != 1)
			return -EPROTO;
	}
	in->hdr_done = true;
	EVP_DigestUpdate(in->md, in->in_buf + hlen, in->in_len - hlen);
	return 0;
}

/* Body done: check status and digest; next url or done. */
static int
http_end(struct inst *in)
{
	const struct lb_check_url *u = cur_url(in);
	unsigned char md[EVP_MAX_MD_SIZE];
	char hex[33];
	unsigned int n = 0, i;

	if (!in->hdr_done || !status_ok(u, in->status))
		return -EPROTO;
	if (u->digest[0] != '\0') {
		EVP_DigestFinal_ex(in->md, md, &n);
		for (i = 0; i < n && i < 16; i++)
			snprintf(hex + 2 * i, 3, "%02x", md[i]);
		if (strcasecmp(hex, u->digest) != 0)
			return -EPROTO;
	}
	return 1;
}

static int
http_io(struct inst *in)
{
	char buf[4096];
	ssize_t r;
	int ret;

	ret = flush_out(in);
	if (ret <= 0)
		return ret;
	for (;;) {
		if (!in->hdr_done) {
			r = io_read(in, in->in_buf + in->in_len, sizeof(in->in_buf) - in->in_len);
			if (r > 0) {
				in->in_len += (size_t)r;
				ret = http_headers(in);
				if (ret < 0)
					return ret;
				continue;
			}
		} else {
			r = io_read(in, buf, sizeof(buf));
			if (r > 0) {
				EVP_DigestUpdate(in->md, buf, (size_t)r);
				continue;
			}
		}
		if (r == -EAGAIN)
			return 0;
		if (r < 0)
			return (int)r;
		return http_end(in);	/* EOF */
	}
}

/* SMTP_CHECK: 220 banner -> HELO -> 250 -> QUIT. */
static int
smtp_begin(struct inst *in)
{
	in->in_len = 0;
	in->step = 0;
	in->out_len = in->out_off = 0;
	return 0;
}

/* A complete final reply line ("NNN text\r\n") in in_buf: its code, or 0. */
static int
smtp_reply(struct inst *in)
{
	char *line = in->in_buf, *eol;

	while ((eol = memmem(line, in->in_len - (size_t)(line - in->in_buf), "\r\n", 2)) != NULL) {
		if (eol - line >= 3 && (eol - line == 3 || line[3] == ' ')) {
			int code = atoi(line);

			in->in_len = 0;
			return code > 0 ? code : -EPROTO;
		}
		line = eol + 2;		/* "NNN-" continuation */
	}
	return in->in_len >= sizeof(in->in_buf) - 1 ? -EMSGSIZE : 0;
}

static int
smtp_io(struct inst *in)
{
	char cmd[LB_CHECK_STR_MAX + 16];
	ssize_t r;
	int ret, code;

	for (;;) {
		ret = flush_out(in);
		if (ret <= 0)
			return ret;
		if (in->step == 2)
			return 1;	/* QUIT sent after 250 */
		r = io_read(in, in->in_buf + in->in_len, sizeof(in->in_buf) - 1 - in->in_len);
		if (r == -EAGAIN)
			return 0;
		if (r <= 0)
			return -EPROTO;
		in->in_len += (size_t)r;
		code = smtp_reply(in);
		if (code <= 0) {
			if (code < 0)
				return code;
			continue;
		}
		if (in->step == 0 && code == 220) {
			snprintf(cmd, sizeof(cmd), "HELO %s\r\n",
				 in->p.helo_name[0] != '\0' ? in->p.helo_name : "localhost");
			set_out(in, cmd);
			in->step = 1;
		} else if (in->step == 1 && code == 250) {
			set_out(in, "QUIT\r\n");
			in->step = 2;
		} else {
			return -EPROTO;
		}
	}
}

/* UDP_CHECK: send the payload; an ICMP error (ECONNREFUSED) is a failure. */
static int
udp_begin(struct inst *in)
{
	if (send(in->fd, in->p.payload, in->p.payload_len, MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

static int
udp_io(struct inst *in)
{
	char buf[512];
	ssize_t r = recv(in->fd, buf, sizeof(buf), 0);

	if (r >= 0)
		return 1;	/* an answer */
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return 0;
	return -errno;
}

static int
udp_timeout(struct inst *in)
{
	return in->p.require_reply ? -ETIMEDOUT : 1;
}

static const struct check_ops ops_table[LB_CHECK__MAX] = {
	[LB_CHECK_TCP] = { "TCP_CHECK", SOCK_STREAM, tcp_begin, NULL, NULL },
	[LB_CHECK_HTTP] = { "HTTP_GET", SOCK_STREAM, http_begin, http_io, NULL },
	[LB_CHECK_SSL] = { "SSL_GET", SOCK_STREAM, http_begin, http_io, NULL },
	[LB_CHECK_SMTP] = { "SMTP_CHECK", SOCK_STREAM, smtp_begin, smtp_io, NULL },
	[LB_CHECK_UDP] = { "UDP_CHECK", SOCK_DGRAM, udp_begin, udp_io, udp_timeout },
};

/* Engine */

static void
inst_close(struct inst *in)
{
	if (in->ssl != NULL) {
		SSL_free(in->ssl);
		in->ssl = NULL;
	}
	if (in->fd >= 0) {
		epoll_ctl(in->ck->epfd, EPOLL_CTL_DEL, in->fd, NULL);
		close(in->fd);
		in->fd = -1;
	}
	in->state = INST_IDLE;
}

static void
rs_update(struct lb_check *ck, unsigned int i)
{
	struct rs_state *r = &ck->rs[i];
	bool up = true;
	unsigned int j;

	for (j = 0; j < r->n; j++)
		up = up && r->insts[j].up;
	if (up == r->up)
		return;
	r->up = up;
	ck->changes++;
	ck->st.changes++;
	if (ck->cb != NULL)
		ck->cb(ck->arg, i, up);
}

/* One check ended: keepalived's retry rule, then the next run. */
static void
inst_done(struct inst *in, bool ok)
{
	struct lb_check *ck = in->ck;

	inst_close(in);
	if (ok) {
		ck->st.ok++;
		in->fails = 0;
		in->up = true;
		in->due = ck->now + in->p.delay_loop_ms;
	} else {
		ck->st.failed++;
		if (in->up && in->fails < in->p.retry) {
			in->fails++;
			in->due = ck->now + in->p.delay_before_retry_ms;
			return;
		}
		in->fails = 0;
		in->up = false;
		in->due = ck->now + in->p.delay_loop_ms;
	}
	rs_update(ck, in->rs);
}

static int watch(struct inst *in, uint32_t events);

/* Level-triggered epoll: ask for EPOLLOUT only while there is something to send. */
static void
inst_result(struct inst *in, int r)
{
	if (r != 0) {
		inst_done(in, r > 0);
		return;
	}
	watch(in, EPOLLIN | (in->out_off < in->out_len ? EPOLLOUT : 0));
}

static int
watch(struct inst *in, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = in };

	return epoll_ctl(in->ck->epfd, EPOLL_CTL_MOD, in->fd, &ev);
}

/* Connected: TLS handshake for SSL_GET, else the type's begin(). */
static void
inst_connected(struct inst *in)
{
	int r;

	if (in->p.type == LB_CHECK_SSL && in->state == INST_CONNECTING) {
		in->ssl = SSL_new(in->ck->ssl_ctx);
		if (in->ssl == NULL || SSL_set_fd(in->ssl, in->fd) != 1) {
			inst_done(in, false);
			return;
		}
		SSL_set_connect_state(in->ssl);
		in->state = INST_TLS;
	}
	if (in->state == INST_TLS) {
		r = SSL_do_handshake(in->ssl);
		if (r != 1) {
			int e = SSL_get_error(in->ssl, r);

			if (e == SSL_ERROR_WANT_READ)
				watch(in, EPOLLIN);
			else if (e == SSL_ERROR_WANT_WRITE)
				watch(in, EPOLLOUT);
			else
				inst_done(in, false);
			return;
		}
	}
	in->state = INST_IO;
	r = in->ops->begin(in);
	if (r != 0) {
		inst_result(in, r);
		return;
	}
	if (in->ops->io != NULL && in->p.type != LB_CHECK_UDP)
		inst_result(in, in->ops->io(in));
	else
		inst_result(in, 0);
}

static void
inst_start(struct inst *in)
{
	struct lb_check *ck = in->ck;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = in };
	int fd;

	ck->st.runs++;
	in->deadline = ck->now + in->p.connect_timeout_ms;
	fd = socket(AF_INET, in->ops->sock_type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		inst_done(in, false);
		return;
	}
	in->fd = fd;
	in->state = INST_CONNECTING;
	if (in->p.bindto != 0) {
		sa.sin_addr.s_addr = in->p.bindto;
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
			inst_done(in, false);
			return;
		}
	}
	sa.sin_addr.s_addr = in->ip;
	sa.sin_port = htons(in->port);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 && errno != EINPROGRESS) {
		inst_done(in, false);
		return;
	}
	if (epoll_ctl(ck->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
		inst_done(in, false);
		return;
	}
}

static void
inst_event(struct inst *in, uint32_t events)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (in->state == INST_CONNECTING) {
		if (getsockopt(in->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
			inst_done(in, false);
			return;
		}
		inst_connected(in);
		return;
	}
	if (in->state == INST_TLS) {
		inst_connected(in);
		return;
	}
	if (in->state == INST_IO && in->ops->io != NULL) {
		if (in->p.type == LB_CHECK_UDP && !(events & (EPOLLIN | EPOLLERR)))
			return;
		inst_result(in, in->ops->io(in));
	}
}

static void
inst_timeout(struct inst *in)
{
	if (in->state == INST_IO && in->ops->on_timeout != NULL) {
		inst_result(in, in->ops->on_timeout(in));
		if (in->state != INST_IDLE)
			inst_done(in, false);
		return;
	}
	inst_done(in, false);
}

struct lb_check *
lb_check_create(const struct lb_check_rs_params *rs, unsigned int n_rs, lb_check_cb cb,
		void *arg, uint64_t now_ms)
{
	struct lb_check *ck;
	unsigned int i, j;
	bool need_ssl = false;

	ck = calloc(1, sizeof(*ck));
	if (ck == NULL)
		return NULL;
	ck->epfd = -1;
	ck->rs = calloc(n_rs == 0 ? 1 : n_rs, sizeof(*ck->rs));
	if (ck->rs == NULL)
		goto err_nomem;
	ck->n_rs = n_rs;
	ck->cb = cb;
	ck->arg = arg;
	ck->now = now_ms;
	for (i = 0; i < n_rs; i++) {
		struct rs_state *r = &ck->rs[i];

		r->insts = calloc(rs[i].n_checks == 0 ? 1 : rs[i].n_checks, sizeof(*r->insts));
		if (r->insts == NULL)
			goto err_nomem;
		r->n = rs[i].n_checks;
		r->up = !rs[i].alpha || r->n == 0;
		for (j = 0; j < r->n; j++) {
			struct inst *in = &r->insts[j];
			const struct lb_check_params *p = &rs[i].checks[j];

			if ((unsigned int)p->type >= LB_CHECK__MAX || p->n_urls > LB_CHECK_MAX_URLS ||
			    p->payload_len > LB_CHECK_PAYLOAD_MAX || p->connect_timeout_ms == 0) {
				errno = EINVAL;
				goto err;
			}
			in->ck = ck;
			in->rs = i;
			in->p = *p;
			in->ops = &ops_table[p->type];
			in->ip = p->connect_ip != 0 ? p->connect_ip : rs[i].ip;
			in->port = p->connect_port != 0 ? p->connect_port : rs[i].port;
			in->fd = -1;
			in->up = !rs[i].alpha;
			in->due = now_ms + (p->warmup_ms != 0 ?
					    (uint64_t)random() % p->warmup_ms : 0);
			need_ssl = need_ssl || p->type == LB_CHECK_SSL;
		}
	}
	ck->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (ck->epfd < 0)
		goto err;
	if (need_ssl) {
		/* keepalived's SSL_GET verifies nothing by default. */
		ck->ssl_ctx = SSL_CTX_new(TLS_client_method());
		if (ck->ssl_ctx == NULL)
			goto err_nomem;
		SSL_CTX_set_verify(ck->ssl_ctx, SSL_VERIFY_NONE, NULL);
	}
	return ck;
err_nomem:
	errno = ENOMEM;
err:
	lb_check_free(ck);
	return NULL;
}

unsigned int
lb_check_poll(struct lb_check *ck, uint64_t now_ms)
{
	struct epoll_event ev[EPOLL_BATCH];
	unsigned int i, j;
	int n, k;

	ck->now = now_ms;
	ck->changes = 0;
	n = epoll_wait(ck->epfd, ev, EPOLL_BATCH, 0);
	for (k = 0; k < n; k++)
		inst_event(ev[k].data.ptr, ev[k].events);
	if (now_ms == ck->last_scan && n == 0)
		return ck->changes;
	ck->last_scan = now_ms;
	for (i = 0; i < ck->n_rs; i++) {
		for (j = 0; j < ck->rs[i].n; j++) {
			struct inst *in = &ck->rs[i].insts[j];

			if (in->state == INST_IDLE) {
				if (now_ms >= in->due)
					inst_start(in);
			} else if (now_ms >= in->deadline) {
				inst_timeout(in);
			}
		}
	}
	return ck->changes;
}

bool
lb_check_rs_up(const struct lb_check *ck, unsigned int rs)
{
	return rs < ck->n_rs && ck->rs[rs].up;
}

const struct lb_check_stats *
lb_check_stats(const struct lb_check *ck)
{
	return &ck->st;
}

void
lb_check_free(struct lb_check *ck)
{
	unsigned int i, j;

	if (ck == NULL)
		return;
	for (i = 0; ck->rs != NULL && i < ck->n_rs; i++) {
		for (j = 0; ck->rs[i].insts != NULL && j < ck->rs[i].n; j++) {
			struct inst *in = &ck->rs[i].insts[j];

			if (in->ck != NULL)
				inst_close(in);
			EVP_MD_CTX_free(in->md);
		}
		free(ck->rs[i].insts);
	}
	free(ck->rs);
	if (ck->epfd >= 0)
		close(ck->epfd);
	SSL_CTX_free(ck->ssl_ctx);
	free(ck);
}

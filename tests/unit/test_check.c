/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for lib/check: every checker type against real sockets on
 * 127.0.0.1 (small servers in threads of this process), retry semantics,
 * alpha, several checkers on one real server.
 */

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "lb_check.h"

enum srv_mode { SRV_HTTP, SRV_SILENT, SRV_SMTP, SRV_UDP_ECHO };

struct srv {
	enum srv_mode mode;
	const char *response;	/* whole HTTP response */
	int fd;
	uint16_t port;		/* host order */
	volatile int stop;
	pthread_t th;
	int conns;
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool
wait_readable(int fd, struct srv *s)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (!s->stop) {
		if (poll(&p, 1, 20) > 0)
			return true;
	}
	return false;
}

static void
read_until(int c, struct srv *s, const char *end)
{
	char buf[4096];
	size_t len = 0;
	ssize_t r;

	while (wait_readable(c, s)) {
		r = recv(c, buf + len, sizeof(buf) - 1 - len, 0);
		if (r <= 0)
			return;
		len += (size_t)r;
		buf[len] = '\0';
		if (strstr(buf, end) != NULL || len >= sizeof(buf) - 1)
			return;
	}
}

static void *
srv_main(void *arg)
{
	struct srv *s = arg;
	char buf[512];
	int c;

	if (s->mode == SRV_UDP_ECHO) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t r;

		while (wait_readable(s->fd, s)) {
			r = recvfrom(s->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
			if (r >= 0)
				sendto(s->fd, buf, (size_t)r, 0, (struct sockaddr *)&from, fl);
		}
		return NULL;
	}
	while (wait_readable(s->fd, s)) {
		c = accept(s->fd, NULL, NULL);
		if (c < 0)
			continue;
		s->conns++;
		switch (s->mode) {
		case SRV_HTTP:
			read_until(c, s, "\r\n\r\n");
			if (send(c, s->response, strlen(s->response), MSG_NOSIGNAL) < 0)
				break;
			break;
		case SRV_SILENT:
			read_until(c, s, "never");
			break;
		case SRV_SMTP:
			if (send(c, "220-mx.example ESMTP\r\n220 ready\r\n", 33, MSG_NOSIGNAL) < 0)
				break;
			read_until(c, s, "\r\n");
			if (send(c, "250 hello\r\n", 11, MSG_NOSIGNAL) < 0)
				break;
			read_until(c, s, "QUIT\r\n");
			if (send(c, "221 bye\r\n", 9, MSG_NOSIGNAL) < 0)
				break;
			break;
		default:
			break;
		}
		close(c);
	}
	return NULL;
}

static void
srv_start(struct srv *s, enum srv_mode mode, const char *response)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int one = 1;

	memset(s, 0, sizeof(*s));
	s->mode = mode;
	s->response = response;
	s->fd = socket(AF_INET, mode == SRV_UDP_ECHO ? SOCK_DGRAM : SOCK_STREAM, 0);
	assert_true(s->fd >= 0);
	setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	if (mode != SRV_UDP_ECHO)
		assert_int_equal(listen(s->fd, 16), 0);
	assert_int_equal(getsockname(s->fd, (struct sockaddr *)&sa, &len), 0);
	s->port = ntohs(sa.sin_port);
	assert_int_equal(pthread_create(&s->th, NULL, srv_main, s), 0);
}

static void
srv_stop(struct srv *s)
{
	s->stop = 1;
	pthread_join(s->th, NULL);
	close(s->fd);
}

/* A port nothing listens on (bound then closed). */
static uint16_t
closed_port(int type)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, type, 0);
	uint16_t port;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

struct rec {
	unsigned int n;
	bool last_up;
};

static void
rec_cb(void *arg, unsigned int rs, bool up)
{
	struct rec *r = arg;

	(void)rs;
	r->n++;
	r->last_up = up;
}

static void
fast(struct lb_check_params *p, enum lb_check_type t)
{
	lb_check_params_defaults(p);
	p->type = t;
	p->connect_timeout_ms = 300;
	p->delay_loop_ms = 100;
	p->delay_before_retry_ms = 20;
	p->retry = 1;
}

/* Run one real server with these checkers for ms; return its final state. */
static bool
run(const struct lb_check_params *checks, unsigned int n, uint16_t port, bool alpha,
    unsigned int ms, struct rec *rec, struct lb_check_stats *out_st)
{
	struct lb_check_rs_params rs = {
		.ip = htonl(INADDR_LOOPBACK), .port = port, .alpha = alpha,
		.checks = checks, .n_checks = n,
	};
	uint64_t t0 = now_ms();
	struct lb_check *ck;
	bool up;

	memset(rec, 0, sizeof(*rec));
	ck = lb_check_create(&rs, 1, rec_cb, rec, t0);
	assert_non_null(ck);
	while (now_ms() - t0 < ms) {
		lb_check_poll(ck, now_ms());
		usleep(1000);
	}
	up = lb_check_rs_up(ck, 0);
	if (out_st != NULL)
		*out_st = *lb_check_stats(ck);
	lb_check_free(ck);
	return up;
}

static void
test_tcp(void **state)
{
	struct lb_check_params p;
	struct lb_check_stats st;
	struct rec rec;
	struct srv s;

	(void)state;
	fast(&p, LB_CHECK_TCP);
	srv_start(&s, SRV_SILENT, NULL);
	assert_true(run(&p, 1, s.port, false, 350, &rec, &st));
	assert_int_equal(rec.n, 0);
	assert_true(st.ok >= 3);
	/* alpha: starts down, the first success brings it up. */
	assert_true(run(&p, 1, s.port, true, 100, &rec, NULL));
	assert_int_equal(rec.n, 1);
	assert_true(rec.last_up);
	srv_stop(&s);

	/* Refused: down after 1 + retry failures, one change. */
	assert_false(run(&p, 1, closed_port(SOCK_STREAM), false, 250, &rec, &st));
	assert_int_equal(rec.n, 1);
	assert_false(rec.last_up);
	assert_true(st.failed >= 2);
}

static void
test_retry_delays_down(void **state)
{
	struct lb_check_params p;
	struct lb_check_stats st;
	struct rec rec;

	(void)state;
	fast(&p, LB_CHECK_TCP);
	p.retry = 3;
	p.delay_before_retry_ms = 100;
	/* 3 retries 100 ms apart: still up after 150 ms. */
	assert_true(run(&p, 1, closed_port(SOCK_STREAM), false, 150, &rec, &st));
	assert_int_equal(rec.n, 0);
	assert_false(run(&p, 1, closed_port(SOCK_STREAM), false, 450, &rec, &st));
	assert_int_equal(rec.n, 1);
}

#define BODY "rs1 198.18.0.21\n"
/* md5sum of BODY, as genhash prints it. */
#define BODY_MD5 "5b6f3ec0b5fb0f8a4a5d0d4e2e1fd0a0"

static void
test_http(void **state)
{
	static const char ok[] = "HTTP/1.0 200 OK\r\nContent-Length: 16\r\n\r\n" BODY;
	static const char nf[] = "HTTP/1.1 404 Not Found\r\n\r\nnope";
	struct lb_check_params p;
	struct rec rec;
	struct srv s;
	char md5[64];
	FILE *f;

	(void)state;
	/* The expected digest, from md5sum (what keepalived's genhash prints). */
	f = popen("printf 'rs1 198.18.0.21\\n' | md5sum", "r");
	assert_non_null(f);
	assert_non_null(fgets(md5, sizeof(md5), f));
	pclose(f);
	md5[32] = '\0';

	srv_start(&s, SRV_HTTP, ok);
	fast(&p, LB_CHECK_HTTP);
	assert_true(run(&p, 1, s.port, true, 400, &rec, NULL));	/* any 2xx, one url / */
	p.n_urls = 1;
	snprintf(p.urls[0].path, sizeof(p.urls[0].path), "/health");
	memcpy(p.urls[0].digest, md5, 33);
	p.urls[0].codes[0] = (struct lb_check_code_range){ 200, 200 };
	p.urls[0].n_codes = 1;
	assert_true(run(&p, 1, s.port, true, 400, &rec, NULL));
	assert_int_equal(rec.n, 1);
	/* Wrong digest: down. */
	snprintf(p.urls[0].digest, sizeof(p.urls[0].digest), "%s", BODY_MD5);
	assert_false(run(&p, 1, s.port, false, 500, &rec, NULL));
	assert_int_equal(rec.n, 1);
	/* Wrong status code (list 201, 202-204): down. */
	p.urls[0].digest[0] = '\0';
	p.urls[0].codes[0] = (struct lb_check_code_range){ 201, 201 };
	p.urls[0].codes[1] = (struct lb_check_code_range){ 202, 204 };
	p.urls[0].n_codes = 2;
	assert_false(run(&p, 1, s.port, false, 500, &rec, NULL));
	/* Range holding 200: up. */
	p.urls[0].codes[1] = (struct lb_check_code_range){ 199, 299 };
	assert_true(run(&p, 1, s.port, true, 400, &rec, NULL));
	srv_stop(&s);

	srv_start(&s, SRV_HTTP, nf);
	fast(&p, LB_CHECK_HTTP);
	assert_false(run(&p, 1, s.port, false, 500, &rec, NULL));	/* 404 is not 2xx */
	p.n_urls = 1;
	snprintf(p.urls[0].path, sizeof(p.urls[0].path), "/");
	p.urls[0].codes[0] = (struct lb_check_code_range){ 404, 404 };
	p.urls[0].n_codes = 1;
	assert_true(run(&p, 1, s.port, true, 400, &rec, NULL));
	srv_stop(&s);

	/* Garbage instead of HTTP: down. */
	srv_start(&s, SRV_HTTP, "SSH-2.0-OpenSSH\r\n\r\n");
	fast(&p, LB_CHECK_HTTP);
	assert_false(run(&p, 1, s.port, false, 500, &rec, NULL));
	srv_stop(&s);
}

static void
test_timeout(void **state)
{
	struct lb_check_params p;
	struct rec rec;
	struct srv s;

	(void)state;
	srv_start(&s, SRV_SILENT, NULL);
	fast(&p, LB_CHECK_HTTP);
	p.connect_timeout_ms = 100;
	p.retry = 0;
	/* Accepted but never answered: down after connect_timeout, not before. */
	assert_true(run(&p, 1, s.port, false, 60, &rec, NULL));
	assert_false(run(&p, 1, s.port, false, 200, &rec, NULL));
	srv_stop(&s);
}

static void
test_smtp(void **state)
{
	struct lb_check_params p;
	struct rec rec;
	struct srv s;

	(void)state;
	srv_start(&s, SRV_SMTP, NULL);
	fast(&p, LB_CHECK_SMTP);
	snprintf(p.helo_name, sizeof(p.helo_name), "lb01.example");
	assert_true(run(&p, 1, s.port, true, 400, &rec, NULL));
	assert_int_equal(rec.n, 1);
	srv_stop(&s);
	/* An HTTP server is not an SMTP server (no banner: timeout). */
	srv_start(&s, SRV_HTTP, "HTTP/1.0 200 OK\r\n\r\n");
	p.connect_timeout_ms = 50;
	assert_false(run(&p, 1, s.port, false, 500, &rec, NULL));
	srv_stop(&s);
}

static void
test_udp(void **state)
{
	struct lb_check_params p;
	struct rec rec;
	struct srv s;

	(void)state;
	fast(&p, LB_CHECK_UDP);
	p.connect_timeout_ms = 50;
	memcpy(p.payload, "ping", 4);
	p.payload_len = 4;
	/* Closed port: ICMP port unreachable -> down. */
	assert_false(run(&p, 1, closed_port(SOCK_DGRAM), false, 500, &rec, NULL));
	assert_int_equal(rec.n, 1);
	srv_start(&s, SRV_UDP_ECHO, NULL);
	p.require_reply = true;
	assert_true(run(&p, 1, s.port, true, 400, &rec, NULL));
	assert_int_equal(rec.n, 1);
	srv_stop(&s);
}

static void
test_all_checkers_must_pass(void **state)
{
	struct lb_check_params p[2];
	struct rec rec;
	struct srv s;

	(void)state;
	srv_start(&s, SRV_SILENT, NULL);
	fast(&p[0], LB_CHECK_TCP);
	fast(&p[1], LB_CHECK_TCP);
	p[1].connect_port = closed_port(SOCK_STREAM);
	assert_false(run(p, 2, s.port, false, 500, &rec, NULL));
	assert_int_equal(rec.n, 1);
	p[1].connect_port = 0;
	assert_true(run(p, 2, s.port, true, 400, &rec, NULL));
	srv_stop(&s);
}

static void
test_bad_params(void **state)
{
	struct lb_check_params p;
	struct lb_check_rs_params rs = { .ip = htonl(INADDR_LOOPBACK), .port = 1,
					 .checks = &p, .n_checks = 1 };

	(void)state;
	fast(&p, LB_CHECK_TCP);
	p.type = LB_CHECK__MAX;
	assert_null(lb_check_create(&rs, 1, NULL, NULL, 0));
	assert_int_equal(errno, EINVAL);
	fast(&p, LB_CHECK_TCP);
	p.connect_timeout_ms = 0;
	assert_null(lb_check_create(&rs, 1, NULL, NULL, 0));
	assert_string_equal(lb_check_type_name(LB_CHECK_SMTP), "SMTP_CHECK");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp),
		cmocka_unit_test(test_retry_delays_down),
		cmocka_unit_test(test_http),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_smtp),
		cmocka_unit_test(test_udp),
		cmocka_unit_test(test_all_checkers_must_pass),
		cmocka_unit_test(test_bad_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

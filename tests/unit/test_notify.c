/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for the asynchronous script runner. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "lb_notify.h"

struct done {
	unsigned int calls;
	struct lb_notify_result res;
};

static void
done_cb(void *arg, const struct lb_notify_result *res)
{
	struct done *d = arg;

	d->calls++;
	d->res = *res;
}

/* Poll until d->calls or about 5 s; the loop is bounded. */
static void
wait_done(struct lb_notify *n, struct done *d)
{
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	unsigned int i;

	for (i = 0; i < 1000 && d->calls == 0; i++) {
		lb_notify_poll(n);
		if (d->calls == 0)
			nanosleep(&ts, NULL);
	}
	assert_int_equal(d->calls, 1);
}

static void
test_split(void **state)
{
	char buf[128], *argv[8];

	(void)state;
	assert_int_equal(lb_notify_split("  /bin/echo a  'b c' \"d\\\"e\" f\\ g ''", buf, argv, 8),
			 6);
	assert_string_equal(argv[0], "/bin/echo");
	assert_string_equal(argv[1], "a");
	assert_string_equal(argv[2], "b c");
	assert_string_equal(argv[3], "d\"e");
	assert_string_equal(argv[4], "f g");
	assert_string_equal(argv[5], "");
	assert_null(argv[6]);
	assert_int_equal(lb_notify_split("a 'b", buf, argv, 8), -EINVAL);
	assert_int_equal(lb_notify_split("a b\\", buf, argv, 8), -EINVAL);
	assert_int_equal(lb_notify_split("   ", buf, argv, 8), -EINVAL);
	assert_int_equal(lb_notify_split("a b c", buf, argv, 3), -E2BIG);
}

static void
test_exit_status_and_args(void **state)
{
	struct lb_notify *n = lb_notify_create(4);
	const char *extra[] = { "INSTANCE", "VI_1", "MASTER", "100" };
	struct done d = { 0 };

	(void)state;
	assert_non_null(n);
	assert_true(lb_notify_run(n, "true", NULL, 0, 1000, done_cb, &d) > 0);
	wait_done(n, &d);
	assert_int_equal(d.res.status, 0);
	assert_false(d.res.timed_out);

	memset(&d, 0, sizeof(d));
	assert_true(lb_notify_run(n, "sh -c 'exit 3'", NULL, 0, 1000, done_cb, &d) > 0);
	wait_done(n, &d);
	assert_int_equal(d.res.status, 3);

	/* keepalived's notify arguments arrive as $1..$4 (here $0..$3 of sh -c) */
	memset(&d, 0, sizeof(d));
	assert_true(lb_notify_run(n, "sh -c '[ \"$0 $1 $2 $3\" = \"INSTANCE VI_1 MASTER 100\" ]'",
				  extra, 4, 1000, done_cb, &d) > 0);
	wait_done(n, &d);
	assert_int_equal(d.res.status, 0);
	assert_int_equal(lb_notify_inflight(n), 0);
	lb_notify_free(n);
}

/* run_as: the program runs as the given uid/gid (root here switches to nobody). */
static void
test_run_as(void **state)
{
	struct lb_notify *n = lb_notify_create(2);
	struct done d = { 0 };

	(void)state;
	assert_true(lb_notify_run_as(n, "sh -c 'test $(id -u) = 65534 && test $(id -g) = 65534'",
				     NULL, 0, 5000, 65534, 65534, done_cb, &d) > 0);
	wait_done(n, &d);
	assert_int_equal(d.res.status, 0);
	memset(&d, 0, sizeof(d));
	/* the same uid as ours: posix_spawn, still the right user */
	assert_true(lb_notify_run_as(n, "sh -c 'test $(id -u) = 0'", NULL, 0, 5000, 0, 0,
				     done_cb, &d) > 0);
	wait_done(n, &d);
	assert_int_equal(d.res.status, 0);
	assert_int_equal(lb_notify_run_as(n, "no-such-program-lbapp", NULL, 0, 0, 65534, 65534,
					  done_cb, &d), -ENOENT);
	lb_notify_free(n);
}

static void
test_timeout_kills(void **state)
{
	struct lb_notify *n = lb_notify_create(2);
	struct done d = { 0 };

	(void)state;
	assert_true(lb_notify_run(n, "sleep 10", NULL, 0, 100, done_cb, &d) > 0);
	wait_done(n, &d);
	assert_true(d.res.timed_out);
	assert_int_equal(d.res.status, -1);
	assert_int_equal(d.res.signal, SIGTERM);
	assert_true(d.res.runtime_ms < 3000);
	lb_notify_free(n);
}

static void
test_errors_and_bound(void **state)
{
	struct lb_notify *n = lb_notify_create(1);
	struct done d = { 0 }, d2 = { 0 };

	(void)state;
	assert_null(lb_notify_create(0));
	assert_int_equal(lb_notify_run(n, "/nonexistent/lbapp-script", NULL, 0, 0, done_cb, &d),
			 -ENOENT);
	assert_int_equal(lb_notify_run(n, "'unterminated", NULL, 0, 0, done_cb, &d), -EINVAL);
	assert_true(lb_notify_run(n, "sleep 10", NULL, 0, 0, done_cb, &d) > 0);
	assert_int_equal(lb_notify_run(n, "true", NULL, 0, 0, done_cb, &d2), -EBUSY);
	assert_int_equal(lb_notify_poll(n), 0);
	/* free kills what is still running and reports it */
	lb_notify_free(n);
	assert_int_equal(d.calls, 1);
	assert_int_equal(d.res.signal, SIGKILL);
	assert_int_equal(d2.calls, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_exit_status_and_args),
		cmocka_unit_test(test_run_as),
		cmocka_unit_test(test_timeout_kills),
		cmocka_unit_test(test_errors_and_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

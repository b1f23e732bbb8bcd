/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include <rte_log.h>

#include "lb_log.h"

void
lb_log_open(const struct lb_log *l)
{
	if (l != NULL && l->syslog)
		openlog("lbapp", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
lb_log_close(const struct lb_log *l)
{
	if (l != NULL && l->syslog)
		closelog();
}

const char *
lb_log_level_name(int level)
{
	switch (level) {
	case LOG_EMERG:
	case LOG_ALERT:
	case LOG_CRIT:
	case LOG_ERR:
		return "err";
	case LOG_WARNING:
		return "warning";
	case LOG_NOTICE:
		return "notice";
	case LOG_INFO:
		return "info";
	default:
		return "debug";
	}
}

void
lb_log_msg(const struct lb_log *l, FILE *console, int level, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (level >= LOG_DEBUG && (l == NULL || !l->detailed))
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (l != NULL && l->syslog)
		syslog(level, "%s", buf);
	if (l == NULL || !l->no_console) {
		if (console == NULL)
			console = stdout;
		if (level <= LOG_WARNING)
			fprintf(console, "lbapp: %s: %s\n", lb_log_level_name(level), buf);
		else
			fprintf(console, "lbapp: %s\n", buf);
		fflush(console);
	}
}

/* fopencookie write: one call per flushed rte_log message, possibly several lines. */
static ssize_t
dpdk_log_write(void *cookie, const char *buf, size_t size)
{
	const struct lb_log *l = cookie;
	int level = rte_log_cur_msg_loglevel() - 1;	/* RTE_LOG_ERR 4 -> LOG_ERR 3 */
	size_t off = 0;

	if (level < LOG_EMERG || level > LOG_DEBUG)
		level = LOG_INFO;
	if (!l->no_console) {
		fwrite(buf, 1, size, stdout);
		fflush(stdout);
	}
	if (!l->syslog || (level >= LOG_DEBUG && !l->detailed))
		return size;
	while (off < size) {
		const char *nl = memchr(buf + off, '\n', size - off);
		size_t len = nl != NULL ? (size_t)(nl - (buf + off)) : size - off;

		if (len > 0)
			syslog(level, "%.*s", (int)len, buf + off);
		off += len + 1;
	}
	return size;
}

int
lb_log_dpdk_redirect(const struct lb_log *l)
{
	cookie_io_functions_t io = { .write = dpdk_log_write };
	FILE *f;

	f = fopencookie((void *)(uintptr_t)l, "w", io);
	if (f == NULL)
		return -errno;
	setvbuf(f, NULL, _IOLBF, 0);
	return rte_openlog_stream(f) == 0 ? 0 : -EINVAL;
}

/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdarg.h>

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

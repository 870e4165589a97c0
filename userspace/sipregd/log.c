// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

enum log_level log_level = LOG_INFO;

static const char *const names[] = { "err", "warn", "info", "debug" };
/* The syslog priorities journald reads from a "<N>" prefix. */
static const int prio[] = { 3, 4, 6, 7 };

int log_level_parse(const char *s, enum log_level *out)
{
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i])) {
			*out = (enum log_level)i;
			return 1;
		}
	}
	return 0;
}

const char *log_level_name(enum log_level l)
{
	return names[l];
}

void log_msg(enum log_level l, const char *fmt, ...)
{
	va_list ap;

	if (l > log_level)
		return;
	/* "<3>" etc.: the syslog priority prefix journald understands. */
	fprintf(stderr, "<%d>sipregd: %s: ", prio[l],
		names[l]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

enum log_level log_level = LOG_INFO;
int log_worker = -1;

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

/*
 * One write() per line: several workers share stderr, and their lines
 * must not interleave.
 */
void log_msg(enum log_level l, const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	int n, m;

	if (l > log_level)
		return;
	/* "<3>" etc.: the syslog priority prefix journald understands. */
	if (log_worker >= 0)
		n = snprintf(line, sizeof(line), "<%d>sipregd: %s: worker %d: ",
			     prio[l], names[l], log_worker);
	else
		n = snprintf(line, sizeof(line), "<%d>sipregd: %s: ", prio[l],
			     names[l]);
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		m = 0;
	n += (size_t)m < sizeof(line) - n - 1 ? m : (int)(sizeof(line) - n - 2);
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;		/* nowhere left to say it */
}

/* SPDX-License-Identifier: GPL-2.0 */
/* sipregd's log: one line per event on stderr, journald adds the time. */
#ifndef SIPREGD_LOG_H
#define SIPREGD_LOG_H

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

extern enum log_level log_level;
/* -1: one process; else the worker's number, named in each line. */
extern int log_worker;

/* "err", "warn", "info", "debug"; false if none of them. */
int log_level_parse(const char *s, enum log_level *out);
const char *log_level_name(enum log_level l);

void log_msg(enum log_level l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* SIPREGD_LOG_H */

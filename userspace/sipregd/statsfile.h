/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sipregd's counters in a file for "sipregctl stats": "key value" lines,
 * written to a temporary file and renamed over the old one, so that a
 * reader sees the whole of one snapshot or of the next, never a mix.
 */
#ifndef SIPREGD_STATSFILE_H
#define SIPREGD_STATSFILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "keepalive.h"
#include "registrar/registrar.h"
#include "transport_tcp.h"

/* Seconds between two writes; sipregctl calls a file 3 periods old stale. */
#define STATSFILE_INTERVAL	5

/*
 * The snapshot as text into @buf: "sipregd_stats 1" first (the format's
 * version), then pid, time and the counters, one "key value" a line.
 * @st may be NULL (no stream listeners), @udp too (zeros). The length, or
 * 0 if it does not fit.
 */
size_t statsfile_format(char *buf, size_t size, pid_t pid, int64_t now,
			const struct registrar_stats *r,
			const struct stream_stats *st, unsigned int open_streams,
			const struct udp_stats *udp);

/* @text into @path, atomically (PATH.tmp, then rename); 0 or -errno. */
int statsfile_write(const char *path, const char *text, size_t len);

#endif /* SIPREGD_STATSFILE_H */

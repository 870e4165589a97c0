/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sipregd stats file (sipregd(8), STATS FILE): "key value" lines the
 * daemon renames into place every few seconds. Read here, printed by
 * main.c as the "sipregd" section of "sipregctl stats".
 */
#ifndef SIPREG_CTL_DSTATS_H
#define SIPREG_CTL_DSTATS_H

#include <stdbool.h>
#include <stdint.h>

#define DSTATS_DEFAULT_FILE	"/run/sipregd/stats"
#define DSTATS_ENV		"SIPREGD_STATS_FILE"
#define DSTATS_MAX		128

struct dstats {
	struct {
		char key[48];
		uint64_t val;
	} v[DSTATS_MAX];
	unsigned int n;
	uint64_t pid, interval;
	int64_t mtime;
};

/*
 * 1 read, 0 no such file (not an error: no daemon writes one), -1 if it
 * cannot be read or is not a sipregd stats file (why in @err).
 */
int dstats_read(const char *path, struct dstats *ds, char *err, size_t size);
/*
 * Stale: the writing daemon is gone (@pid_alive false), or the file was
 * not renewed for three of its intervals.
 */
bool dstats_stale(const struct dstats *ds, int64_t now, bool pid_alive);
/* The file: @given (stats file PATH), else $SIPREGD_STATS_FILE, else default. */
const char *dstats_path(const char *given);

#endif /* SIPREG_CTL_DSTATS_H */

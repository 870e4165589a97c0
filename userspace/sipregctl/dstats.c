// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the stats file: each line "key value" with a decimal value;
 * keys this sipregctl does not know are kept and printed all the same,
 * so a newer daemon's counters show up without a new sipregctl.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dstats.h"

const char *dstats_path(const char *given)
{
	const char *env = getenv(DSTATS_ENV);

	if (given)
		return given;
	return env && *env ? env : DSTATS_DEFAULT_FILE;
}

static int line(struct dstats *ds, const char *l, unsigned int ln,
		char *err, size_t size)
{
	char key[48], rest[2];
	uint64_t v;

	if (sscanf(l, "%47s %" SCNu64 " %1s", key, &v, rest) != 2 ||
	    strlen(key) >= sizeof(ds->v[0].key) - 1) {
		snprintf(err, size, "line %u: want \"key value\"", ln);
		return -1;
	}
	if (ln == 1 && strcmp(key, "sipregd_stats")) {
		snprintf(err, size, "not a sipregd stats file");
		return -1;
	}
	if (!strcmp(key, "pid"))
		ds->pid = v;
	else if (!strcmp(key, "interval"))
		ds->interval = v;
	if (ds->n == DSTATS_MAX)
		return 0;
	snprintf(ds->v[ds->n].key, sizeof(ds->v[0].key), "%s", key);
	ds->v[ds->n++].val = v;
	return 0;
}

int dstats_read(const char *path, struct dstats *ds, char *err, size_t size)
{
	char l[128];
	unsigned int ln = 0;
	struct stat sb;
	FILE *f;
	int rc = 1;

	memset(ds, 0, sizeof(*ds));
	f = fopen(path, "r");
	if (!f && errno == ENOENT)
		return 0;
	if (!f || fstat(fileno(f), &sb)) {
		snprintf(err, size, "%s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	ds->mtime = sb.st_mtime;
	while (rc > 0 && fgets(l, sizeof(l), f))
		if (line(ds, l, ++ln, err, size))
			rc = -1;
	fclose(f);
	if (rc > 0 && !ln) {
		snprintf(err, size, "empty");
		rc = -1;
	}
	if (rc < 0) {
		char tmp[128];

		snprintf(tmp, sizeof(tmp), "%s", err);
		snprintf(err, size, "%s: %s", path, tmp);
	}
	return rc;
}

bool dstats_stale(const struct dstats *ds, int64_t now, bool pid_alive)
{
	int64_t period = ds->interval ? (int64_t)ds->interval : 5;

	return !pid_alive || now - ds->mtime > 3 * period;
}

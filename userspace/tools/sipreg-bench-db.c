// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-bench-db: writes many bindings into a sipregd database, in one
 * transaction through the daemon's own store, for the sync step of
 * `make bench`: a daemon that starts with N users and N bindings pushes
 * them all into the kernel. Registering them over SIP would take longer
 * than the step measures; `sipregd user import` writes the users.
 *
 *   sipreg-bench-db DB N DOMAIN   AOR sip:userNNNNNN@DOMAIN (sipreg-load's
 *                                 user names), one contact each, valid
 *                                 for an hour
 *
 * Exit status: 0 written, 1 usage, 2 store error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"

static int usage(void)
{
	fprintf(stderr, "usage: sipreg-bench-db DB N DOMAIN\n");
	return 1;
}

static void binding_fill(struct store_binding *b, unsigned long i,
			 const char *domain, int64_t now)
{
	memset(b, 0, sizeof(*b));
	snprintf(b->aor, sizeof(b->aor), "sip:user%06lu@%s", i, domain);
	snprintf(b->contact, sizeof(b->contact),
		 "sip:user%06lu@198.51.100.%lu:%lu", i, i % 250 + 1,
		 5060 + i % 1000);
	snprintf(b->call_id, sizeof(b->call_id), "bench-db-%lu", i);
	b->cseq = 1;
	b->expires = now + 3600;
	b->updated = now;
	b->q = -1;
}

int main(int argc, char **argv)
{
	struct store_binding b;
	struct store *st;
	unsigned long n, i;
	char err[256], *end;
	int64_t now = time(NULL);

	if (argc != 4)
		return usage();
	n = strtoul(argv[2], &end, 10);
	if (*end || !n || n > 10000000) {
		fprintf(stderr, "sipreg-bench-db: N \"%s\": 1 to 10000000\n",
			argv[2]);
		return 1;
	}
	st = store_open(argv[1], STORE_SYNC_NORMAL, err, sizeof(err));
	if (!st) {
		fprintf(stderr, "sipreg-bench-db: %s: %s\n", argv[1], err);
		return 2;
	}
	if (store_begin(st))
		goto fail;
	for (i = 1; i <= n; i++) {
		binding_fill(&b, i, argv[3], now);
		if (store_binding_put(st, &b) < 0)
			goto fail;
	}
	if (store_commit(st))
		goto fail;
	store_close(st);
	return 0;
fail:
	fprintf(stderr, "sipreg-bench-db: %s: %s\n", argv[1], store_error(st));
	store_close(st);
	return 2;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reconciling the database's bindings with the kernel's, as pure logic
 * over two lists: the daemon calls it after an event overflow, on start
 * and when the module appears (whole tables), and after each change of
 * one AOR (that AOR's contacts only). Rules, per (AOR, contact URI):
 *
 * - in both, same Call-ID and the kernel's CSeq not below the database's:
 *   the kernel refreshed it (its events may be lost): the kernel wins,
 *   the database takes its CSeq, expiry and nonce count (if they differ);
 * - in both otherwise (another Call-ID or a lower CSeq: only the daemon
 *   changes those), or in the database only: the database wins, the
 *   contact is installed in the kernel, if it has not expired;
 * - in the kernel only: removed from the kernel (the database decides
 *   what exists).
 */
#ifndef SIPREGD_RECONCILE_H
#define SIPREGD_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rec_binding {
	char *aor, *contact, *call_id;
	char *source;		/* database: "addr port", "" if unknown */
	uint32_t cseq, nc;
	int64_t expires;	/* Unix time */
	int q;			/* thousandths, -1 when absent */
};

struct rec_list {
	struct rec_binding *v;
	size_t n, cap;
};

/* Appends a copy (strings duplicated, NULL source as ""); 0 or -1. */
int rec_list_add(struct rec_list *l, const struct rec_binding *b);
void rec_list_free(struct rec_list *l);
/* Whether the kernel can hold @b (limits; no sips: AOR). */
bool rec_kernel_installable(const struct rec_binding *b);

enum rec_action {
	REC_DB_UPDATE,		/* store the kernel's cseq/expires/nc */
	REC_KERNEL_ADD,		/* install the database's contact */
	REC_KERNEL_DEL,		/* remove the kernel's contact */
};

struct rec_counts {
	size_t db_updates, kernel_adds, kernel_dels, same;
};

typedef void (*rec_action_fn)(void *arg, enum rec_action a,
			      const struct rec_binding *b);

/*
 * Sorts both lists and calls @act once per difference, with the entry
 * to apply (the kernel's for REC_DB_UPDATE and REC_KERNEL_DEL, the
 * database's for REC_KERNEL_ADD). @now: Unix time; database entries
 * expired at @now are never installed. Expiries within @slack seconds
 * count as equal (the two clocks are read at different times).
 */
void reconcile(struct rec_list *db, struct rec_list *kernel, int64_t now,
	       int64_t slack, rec_action_fn act, void *arg,
	       struct rec_counts *counts);

#endif /* SIPREGD_RECONCILE_H */

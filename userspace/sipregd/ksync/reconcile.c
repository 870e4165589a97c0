// SPDX-License-Identifier: GPL-2.0
/*
 * Database/kernel binding reconciliation: a merge of two sorted lists.
 * No I/O here, so that selftests/unit/kernelsync_test.c can check every
 * rule with plain arrays.
 */
#include <stdlib.h>
#include <string.h>

#include "reconcile.h"
#include "sipreg.h"

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

int rec_list_add(struct rec_list *l, const struct rec_binding *b)
{
	struct rec_binding *x;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;

		x = realloc(l->v, cap * sizeof(*x));
		if (!x)
			return -1;
		l->v = x;
		l->cap = cap;
	}
	x = &l->v[l->n];
	*x = *b;
	x->aor = dup_or_empty(b->aor);
	x->contact = dup_or_empty(b->contact);
	x->call_id = dup_or_empty(b->call_id);
	x->source = dup_or_empty(b->source);
	if (!x->aor || !x->contact || !x->call_id || !x->source) {
		free(x->aor);
		free(x->contact);
		free(x->call_id);
		free(x->source);
		return -1;
	}
	l->n++;
	return 0;
}

void rec_list_free(struct rec_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].aor);
		free(l->v[i].contact);
		free(l->v[i].call_id);
		free(l->v[i].source);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int key_cmp(const struct rec_binding *a, const struct rec_binding *b)
{
	int c = strcmp(a->aor, b->aor);

	return c ? c : strcmp(a->contact, b->contact);
}

static int sort_cmp(const void *a, const void *b)
{
	return key_cmp(a, b);
}

/* The store walks bindings in key order: most lists need no sort. */
static void sort_list(struct rec_list *l)
{
	size_t i;

	for (i = 1; i < l->n; i++)
		if (key_cmp(&l->v[i - 1], &l->v[i]) > 0)
			break;
	if (i < l->n)
		qsort(l->v, l->n, sizeof(l->v[0]), sort_cmp);
}

static int64_t diff(int64_t a, int64_t b)
{
	return a > b ? a - b : b - a;
}

/* The same contact on both sides. */
static enum rec_action both(const struct rec_binding *d,
			    const struct rec_binding *k, int64_t now,
			    int64_t slack, int *act)
{
	if (!strcmp(d->call_id, k->call_id) && k->cseq >= d->cseq) {
		*act = k->cseq != d->cseq || k->nc != d->nc ||
		       diff(k->expires, d->expires) > slack;
		return REC_DB_UPDATE;
	}
	*act = 1;
	return d->expires > now ? REC_KERNEL_ADD : REC_KERNEL_DEL;
}

static void emit(rec_action_fn act, void *arg, enum rec_action a,
		 const struct rec_binding *b, struct rec_counts *c)
{
	if (a == REC_DB_UPDATE)
		c->db_updates++;
	else if (a == REC_KERNEL_ADD)
		c->kernel_adds++;
	else
		c->kernel_dels++;
	act(arg, a, b);
}

void reconcile(struct rec_list *db, struct rec_list *kernel, int64_t now,
	       int64_t slack, rec_action_fn act, void *arg,
	       struct rec_counts *counts)
{
	size_t i = 0, j = 0;
	enum rec_action a;
	int c, doit;

	memset(counts, 0, sizeof(*counts));
	sort_list(db);
	sort_list(kernel);
	while (i < db->n || j < kernel->n) {
		const struct rec_binding *d = i < db->n ? &db->v[i] : NULL;
		const struct rec_binding *k = j < kernel->n ? &kernel->v[j] : NULL;

		c = !d ? 1 : !k ? -1 : key_cmp(d, k);
		if (c < 0) {
			if (d->expires > now)
				emit(act, arg, REC_KERNEL_ADD, d, counts);
			i++;
		} else if (c > 0) {
			emit(act, arg, REC_KERNEL_DEL, k, counts);
			j++;
		} else {
			a = both(d, k, now, slack, &doit);
			if (doit)
				emit(act, arg, a, a == REC_KERNEL_ADD ? d : k,
				     counts);
			else
				counts->same++;
			i++;
			j++;
		}
	}
}

/*
 * What the kernel's tables can hold. A sips: AOR is served over TLS only
 * (sipregd refuses it over UDP and TCP with 403), and the fast path
 * answers UDP: installed, its UDP refreshes would be answered there.
 */
bool rec_kernel_installable(const struct rec_binding *b)
{
	return strlen(b->aor) <= SIPREG_AOR_MAX && *b->call_id &&
	       strncasecmp(b->aor, "sips:", 5) &&
	       strlen(b->contact) <= SIPREG_URI_MAX &&
	       strlen(b->call_id) <= SIPREG_CALL_ID_MAX;
}

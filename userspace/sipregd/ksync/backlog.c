// SPDX-License-Identifier: GPL-2.0
/* The misses kept while an ack is awaited (backlog.h). */
#include <stdlib.h>
#include <string.h>

#include "backlog.h"

void backlog_init(struct backlog *b, size_t budget)
{
	memset(b, 0, sizeof(*b));
	b->budget = budget;
}

int backlog_keep(struct backlog *b, const struct nlmsghdr *h)
{
	struct nlmsghdr *copy, **v;

	if (b->bytes + h->nlmsg_len > b->budget)
		return -1;
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 256;

		v = realloc(b->v, cap * sizeof(*v));
		if (!v)
			return -1;
		b->v = v;
		b->cap = cap;
	}
	copy = malloc(h->nlmsg_len);
	if (!copy)
		return -1;
	memcpy(copy, h, h->nlmsg_len);
	b->v[b->n++] = copy;
	b->bytes += h->nlmsg_len;
	return 0;
}

void backlog_drain(struct backlog *b,
		   void (*fn)(void *arg, const struct nlmsghdr *h), void *arg)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		fn(arg, b->v[i]);
		free(b->v[i]);
	}
	b->n = 0;
	b->bytes = 0;
}

void backlog_free(struct backlog *b)
{
	while (b->n)
		free(b->v[--b->n]);
	free(b->v);
	backlog_init(b, b->budget);
}

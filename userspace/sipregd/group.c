// SPDX-License-Identifier: GPL-2.0
/*
 * The requests ready together: the datagrams one drain of a UDP socket
 * found, or the misses of one turn of the kernel's socket, up to
 * REGISTRAR_BATCH_MAX. The registrar answers them as one group (one store
 * commit, registrar_handle_batch()), and only then do the answers leave.
 * Nothing waits for a group to fill: what is queued now is the group.
 */
#include <stdlib.h>

#include "daemon.h"

struct group *group_new(void)
{
	struct group *gr = calloc(1, sizeof(*gr));
	unsigned int i;

	if (!gr)
		return NULL;
	for (i = 0; i < REGISTRAR_BATCH_MAX; i++) {
		/* untouched pages cost nothing: most requests are small */
		gr->slot[i].in = malloc(DGRAM_MAX);
		gr->slot[i].out = malloc(REGISTRAR_RESP_MAX);
		if (!gr->slot[i].in || !gr->slot[i].out) {
			group_free(gr);
			return NULL;
		}
	}
	return gr;
}

void group_free(struct group *gr)
{
	unsigned int i;

	if (!gr)
		return;
	for (i = 0; i < REGISTRAR_BATCH_MAX; i++) {
		free(gr->slot[i].in);
		free(gr->slot[i].out);
	}
	free(gr);
}

struct group_slot *group_next(struct group *gr)
{
	return gr->n < REGISTRAR_BATCH_MAX ? &gr->slot[gr->n] : NULL;
}

void group_add(struct group *gr)
{
	struct group_slot *s = &gr->slot[gr->n];

	gr->item[gr->n++] = (struct registrar_batch_item){
		.pkt = {
			.data = s->in, .len = s->g.len,
			.src = (const struct sockaddr *)&s->g.src,
			.local = (const struct sockaddr *)&s->g.local,
			.transport = REGISTRAR_UDP,
		},
		.out = s->out, .size = REGISTRAR_RESP_MAX,
	};
}

void group_flush(struct daemon *d)
{
	struct group *gr = d->group;
	struct registrar_time now;
	unsigned int i;

	if (!gr->n)
		return;
	registrar_now(&now);
	registrar_handle_batch(d->reg, gr->item, gr->n, &now);
	for (i = 0; i < gr->n; i++)
		if (gr->item[i].len && gr->slot[i].fd >= 0)
			sockets_reply(gr->slot[i].fd, &gr->slot[i].g,
				      gr->slot[i].out, gr->item[i].len);
	gr->n = 0;
}

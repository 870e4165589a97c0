/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Responses already sent, by transaction, so that a retransmitted request
 * gets the same bytes again (RFC 3261 17.2.2) instead of being processed a
 * second time (which would look like a replayed nonce count or an old
 * CSeq). Bounded: the oldest entry goes first.
 */
#ifndef SIPREGD_RETRANS_H
#define SIPREGD_RETRANS_H

#include <stddef.h>
#include <stdint.h>

/* 64 * T1: how long a server transaction answers retransmissions. */
#define RETRANS_TTL	32

struct retrans;

struct retrans *retrans_new(unsigned int max_entries);
void retrans_free(struct retrans *rc);

/* The cached response for @key, or NULL. */
const uint8_t *retrans_get(struct retrans *rc, const void *key, size_t klen,
			   int64_t now, size_t *rlen);
void retrans_put(struct retrans *rc, const void *key, size_t klen,
		 const uint8_t *resp, size_t rlen, int64_t now);

#endif /* SIPREGD_RETRANS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Responses already sent, by transaction, so that a retransmitted request
 * gets the same bytes again (RFC 3261 17.2.2) instead of being processed a
 * second time (which would look like a replayed nonce count or an old
 * CSeq). Bounded twice, by entries and by bytes (keys and responses are
 * as large as clients make them): the oldest entry goes first.
 */
#ifndef SIPREGD_RETRANS_H
#define SIPREGD_RETRANS_H

#include <stddef.h>
#include <stdint.h>

/* 64 * T1: how long a server transaction answers retransmissions. */
#define RETRANS_TTL	32
/* Bytes of keys and responses held, when the caller gives 0. */
#define RETRANS_BYTES_DEFAULT	(16u << 20)

struct retrans;

/* @max_bytes: keys and responses together, 0 for the default. */
struct retrans *retrans_new(unsigned int max_entries, size_t max_bytes);
void retrans_free(struct retrans *rc);

/* The cached response for @key, or NULL. */
const uint8_t *retrans_get(struct retrans *rc, const void *key, size_t klen,
			   int64_t now, size_t *rlen);
/* An entry larger than the whole byte budget is not kept. */
void retrans_put(struct retrans *rc, const void *key, size_t klen,
		 const uint8_t *resp, size_t rlen, int64_t now);

/* What is held now: entries, and bytes of keys and responses. */
void retrans_usage(const struct retrans *rc, unsigned int *entries,
		   size_t *bytes);

#endif /* SIPREGD_RETRANS_H */

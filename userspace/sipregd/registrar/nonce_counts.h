/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The last nonce count seen per (user, realm, nonce, cnonce), so that a captured
 * qop=auth request cannot be replayed with the same nc (RFC 7616 3.4.5).
 * In memory and bounded: an entry lives as long as its nonce can verify.
 * A forgotten entry (table full, daemon restarted) reads as "none seen";
 * the binding's Call-ID/CSeq check still rejects the replay of a change.
 */
#ifndef SIPREGD_NCTABLE_H
#define SIPREGD_NCTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nctable;

struct nctable *nctable_new(unsigned int slots);
void nctable_free(struct nctable *t);

/*
 * True if @nc is higher than the last count recorded for @key (which
 * names user, realm, nonce and cnonce), and records it; false for a
 * replay.
 * Entries older than @max_age seconds are free for reuse.
 */
bool nctable_advance(struct nctable *t, const void *key, size_t klen,
		     uint32_t nc, int64_t now, int64_t max_age);

#endif /* SIPREGD_NCTABLE_H */

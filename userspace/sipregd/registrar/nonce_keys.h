/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's nonce keys (kmod/sip/nonce.h): random at first start, kept in
 * the store so that a restart of the daemon does not invalidate the nonces
 * it handed out, and so that gateways sharing one database (PostgreSQL)
 * check each other's nonces; rotated once per nonce lifetime. Wraps nonce.h so that
 * files which need parser.h do not have to include it too (both define a
 * struct sipreg_addr for now).
 */
#ifndef SIPREGD_NONCES_H
#define SIPREGD_NONCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shim.h"
#include "hash.h"
#include "nonce.h"
#include "store/store.h"

struct nonces;

enum nonces_verdict { NONCES_VALID, NONCES_STALE, NONCES_BAD };

/*
 * Loads or creates the keys in a store transaction of their own, so that
 * processes sharing the store (workers) agree on them. NULL when the
 * store cannot be written. @now is CLOCK_REALTIME seconds (u32), the
 * clock of the nonces.
 */
struct nonces *nonces_open(struct store *st, u32 now, u32 lifetime);
void nonces_free(struct nonces *n);

/* True when the current key is a lifetime old (cheap: no store). */
bool nonces_due(const struct nonces *n, u32 now, u32 lifetime);
/*
 * When due: rotates, or loads the keys another worker rotated, in one
 * store transaction; true if the keys changed.
 */
bool nonces_tick(struct nonces *n, struct store *st, u32 now,
		 u32 lifetime);

/*
 * @addr16: IPv6 or IPv4-mapped. @now, @usec: CLOCK_BOOTTIME. Writes
 * SIPREG_NONCE_LEN (30) bytes.
 */
#define NONCES_LEN	SIPREG_NONCE_LEN
void nonces_make(struct nonces *n, u32 now, u32 usec, const u8 *addr16,
		 const char *realm, char *out);
enum nonces_verdict nonces_check(const struct nonces *n, u32 now,
				 u32 lifetime, const u8 *addr16,
				 const char *realm, const u8 *nonce,
				 size_t len);

/* A key for To tags, stable across restarts. */
const struct sipreg_mackey *nonces_tag_key(const struct nonces *n);

/* For kernel sync: the current key set, as nonce.h lays it out. */
void nonces_export(const struct nonces *n, struct sipreg_mackey *cur,
		   struct sipreg_mackey *prev, u32 *gen, u32 *since);

#endif /* SIPREGD_NONCES_H */

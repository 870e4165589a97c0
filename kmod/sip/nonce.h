/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stateless nonces: issue time, key generation and a SipHash MAC over
 * (time, generation, client address, realm). The issue time is kept to
 * the microsecond: two challenges of one client in the same second get
 * different nonces, and a phone that is challenged again counts from 1
 * without looking like a replay of the nonce before. Any CPU, the module or the
 * daemon can check a nonce the other issued, given the same keys and clock.
 *
 * Clock: u32 seconds (and microseconds) of CLOCK_REALTIME on both sides
 * (ktime_get_real_seconds() in the kernel, clock_gettime(CLOCK_REALTIME)
 * in the daemon): one host's nonces verify on either side, and, with the
 * keys shared through the database, on every gateway whose clock NTP
 * keeps within SIPREG_NONCE_SKEW of the others. (CLOCK_BOOTTIME, the
 * clock of binding expiry, restarts with each host.) A clock stepped
 * back makes the nonces of the last seconds look early: refused, and
 * the phone is challenged again.
 */
#ifndef SIPREG_NONCE_H
#define SIPREG_NONCE_H

#include "shim.h"
#include "hash.h"

/*
 * 8 hex digits of issue time (seconds), 5 of its microseconds, 1 of key
 * generation, 16 of MAC, lowercase: fixed length, no character that needs
 * escaping in a quoted-string.
 */
#define SIPREG_NONCE_LEN	30
/* Seconds a nonce may be from the future: the daemon's clock read races. */
#define SIPREG_NONCE_SKEW	2

/* IPv6, or IPv4 as ::ffff:a.b.c.d, so one code path serves both. */
struct sipreg_addr {
	u8 a[16];
};

/* @v4: 4 bytes in network order (e.g. &iph->saddr). */
static inline void sipreg_addr_set_v4(struct sipreg_addr *addr, const void *v4)
{
	memset(addr->a, 0, 10);
	addr->a[10] = 0xff;
	addr->a[11] = 0xff;
	memcpy(addr->a + 12, v4, 4);
}

static inline void sipreg_addr_set_v6(struct sipreg_addr *addr, const void *v6)
{
	memcpy(addr->a, v6, 16);
}

/*
 * Keys are random and owned by the caller (kernel timer or daemon), which
 * rotates them with sipreg_nonce_rotate() no more often than once per nonce
 * lifetime, so that a nonce stays checkable for its whole life.
 */
struct sipreg_nonce_keys {
	struct sipreg_mackey cur;
	struct sipreg_mackey prev;	/* generation gen - 1 */
	u32 gen;			/* generation of cur */
	u32 cur_since;			/* when cur took over */
};

enum sipreg_nonce_verdict {
	SIPREG_NONCE_VALID,
	SIPREG_NONCE_STALE,	/* genuine but expired: answer stale=true */
	SIPREG_NONCE_BAD,
};

/* Both slots start with @key: a fresh key set has no previous generation. */
void sipreg_nonce_keys_init(struct sipreg_nonce_keys *k,
			    const struct sipreg_mackey *key, u32 now);
void sipreg_nonce_rotate(struct sipreg_nonce_keys *k,
			 const struct sipreg_mackey *key, u32 now);

/*
 * Writes SIPREG_NONCE_LEN characters, no NUL; returns SIPREG_NONCE_LEN.
 * @now and @usec: the issue time (CLOCK_BOOTTIME), @usec below 1000000.
 */
size_t sipreg_nonce_make(const struct sipreg_nonce_keys *k, u32 now,
			 u32 usec, const struct sipreg_addr *client,
			 const u8 *realm, size_t realm_len, char *out);

enum sipreg_nonce_verdict
sipreg_nonce_check(const struct sipreg_nonce_keys *k, u32 now, u32 lifetime,
		   const struct sipreg_addr *client, const u8 *realm,
		   size_t realm_len, const u8 *nonce, size_t nonce_len);

/*
 * The issue time a nonce carries, in CLOCK_BOOTTIME microseconds, 0 if it
 * is malformed: nonce counts start again with each nonce, and a newer
 * nonce supersedes an older one.
 */
u64 sipreg_nonce_issued(const u8 *nonce, size_t len);

#endif /* SIPREG_NONCE_H */

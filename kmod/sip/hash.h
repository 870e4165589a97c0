/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hash primitives for the shared digest and nonce code. Two implementations:
 * kmod/hash_kernel.c (kernel crypto library) and userspace/lib/hash_user.c.
 * Every function here may be called from softirq context and never sleeps,
 * except sipreg_hash_init()/sipreg_hash_exit().
 */
#ifndef SIPREG_HASH_H
#define SIPREG_HASH_H

#include "shim.h"

enum sipreg_alg {
	SIPREG_ALG_MD5,
	SIPREG_ALG_SHA256,
};

#define SIPREG_MD5_LEN		16
#define SIPREG_SHA256_LEN	32
#define SIPREG_HASH_MAX		SIPREG_SHA256_LEN

struct sipreg_buf {
	const void *p;
	size_t len;
};

/*
 * Same layout as the kernel's siphash_key_t: two u64 in CPU byte order, so
 * 16 key bytes shared between the module and the daemon (over netlink, on
 * the same host) give the same MAC on both sides.
 */
struct sipreg_mackey {
	u64 key[2];
};

int sipreg_hash_init(void);
void sipreg_hash_exit(void);

/* Digest length of @alg in bytes, 0 if unknown. */
static inline unsigned int sipreg_hash_len(enum sipreg_alg alg)
{
	switch (alg) {
	case SIPREG_ALG_MD5:
		return SIPREG_MD5_LEN;
	case SIPREG_ALG_SHA256:
		return SIPREG_SHA256_LEN;
	}
	return 0;
}

/*
 * Hashes the concatenation of @parts into @out (sipreg_hash_len(alg) bytes).
 * Returns 0, or a negative value if @alg is not available (e.g. MD5 in a
 * FIPS kernel); then @out must not be used.
 */
int sipreg_hash(enum sipreg_alg alg, const struct sipreg_buf *parts,
		unsigned int n, u8 *out);

/*
 * Non-zero when @a and @b differ, in a time that tells nothing of where:
 * the kernel's crypto_memneq().
 */
int sipreg_memneq(const void *a, const void *b, size_t n);

/* SipHash-2-4, the same function as the kernel's siphash(). */
u64 sipreg_mac64(const struct sipreg_mackey *key, const void *data,
		 size_t len);

#endif /* SIPREG_HASH_H */

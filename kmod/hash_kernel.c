// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel side of hash.h: SHA-256 from the crypto library, MD5 through one
 * shared crypto_shash transform, SipHash from lib/siphash.c.
 */
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <linux/err.h>
#include <linux/siphash.h>

#include "hash.h"

/*
 * Written once before the hook is registered and cleared after it is gone,
 * so readers need no synchronisation. A shash tfm is safe to share between
 * CPUs: all per-call state lives in the on-stack descriptor.
 */
static struct crypto_shash *md5_tfm;

int sipreg_hash_init(void)
{
	struct crypto_shash *tfm = crypto_alloc_shash("md5", 0, 0);

	/*
	 * Without MD5 (a FIPS kernel) the module still serves SHA-256 and
	 * leaves MD5 requests to the daemon rather than refusing to load.
	 */
	if (IS_ERR(tfm)) {
		pr_warn("md5 unavailable (%ld), MD5 digests go to the daemon\n",
			PTR_ERR(tfm));
		return 0;
	}
	md5_tfm = tfm;
	return 0;
}

void sipreg_hash_exit(void)
{
	crypto_free_shash(md5_tfm);
	md5_tfm = NULL;
}

static int hash_md5(const struct sipreg_buf *parts, unsigned int n, u8 *out)
{
	SHASH_DESC_ON_STACK(desc, md5_tfm);
	unsigned int i;
	int err;

	if (unlikely(!md5_tfm))
		return -ENOENT;
	desc->tfm = md5_tfm;
	err = crypto_shash_init(desc);
	for (i = 0; i < n && !err; i++)
		err = crypto_shash_update(desc, parts[i].p, parts[i].len);
	if (!err)
		err = crypto_shash_final(desc, out);
	shash_desc_zero(desc);
	return err;
}

static void hash_sha256(const struct sipreg_buf *parts, unsigned int n,
			u8 *out)
{
	struct sha256_state st;
	unsigned int i;

	sha256_init(&st);
	for (i = 0; i < n; i++)
		sha256_update(&st, parts[i].p, parts[i].len);
	sha256_final(&st, out);
}

int sipreg_hash(enum sipreg_alg alg, const struct sipreg_buf *parts,
		unsigned int n, u8 *out)
{
	switch (alg) {
	case SIPREG_ALG_MD5:
		return hash_md5(parts, n, out);
	case SIPREG_ALG_SHA256:
		hash_sha256(parts, n, out);
		return 0;
	}
	return -EINVAL;
}

u64 sipreg_mac64(const struct sipreg_mackey *key, const void *data,
		 size_t len)
{
	siphash_key_t k = { .key = { key->key[0], key->key[1] } };

	return siphash(data, len, &k);
}

int sipreg_memneq(const void *a, const void *b, size_t n)
{
	return crypto_memneq(a, b, n);
}

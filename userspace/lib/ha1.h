/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Digest fields from C strings, and HA1 = H(user ":" realm ":" password)
 * for every program that takes passwords (sipregctl, sipregd's CLI, the
 * tools) from kmod/sip/digest.c.
 */
#ifndef SIPREG_LIB_HA1_H
#define SIPREG_LIB_HA1_H

#include <string.h>

#include "digest.h"

/* @s as a digest field (not copied: @s must outlive the result). */
static inline struct sipreg_digest_str digest_cstr(const char *s)
{
	return (struct sipreg_digest_str){ (const u8 *)s, strlen(s) };
}

/*
 * HA1 of @alg into @out (sipreg_hash_len(alg) bytes). 0, or -1 when the
 * algorithm is not available.
 */
int ha1_from_password(enum sipreg_alg alg, const char *user,
		      const char *realm, const char *password, u8 *out);

#endif /* SIPREG_LIB_HA1_H */

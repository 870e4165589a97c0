// SPDX-License-Identifier: GPL-2.0
/* HA1 from a password, with the digest code the module shares. */
#include "ha1.h"

int ha1_from_password(enum sipreg_alg alg, const char *user,
		      const char *realm, const char *password, u8 *out)
{
	return sipreg_digest_ha1(alg, digest_cstr(user), digest_cstr(realm),
				 digest_cstr(password), out) ? -1 : 0;
}

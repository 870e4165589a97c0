// SPDX-License-Identifier: GPL-2.0
/* HA1 for sipregctl, from the digest code the module shares. */
#include <string.h>

#include "ctl.h"
#include "digest.h"

static struct sipreg_digest_str str(const char *s)
{
	return (struct sipreg_digest_str){ (const u8 *)s, strlen(s) };
}

int ctl_ha1(bool sha256, const char *user, const char *realm,
	    const char *password, uint8_t *out)
{
	return sipreg_digest_ha1(sha256 ? SIPREG_ALG_SHA256 : SIPREG_ALG_MD5,
				 str(user), str(realm), str(password), out) ?
	       -1 : 0;
}

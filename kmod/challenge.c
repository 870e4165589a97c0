// SPDX-License-Identifier: GPL-2.0
/*
 * The cached challenge: the constant part of the fast path's 401s, built
 * once per configuration (realm, algorithms and their order) before it is
 * published, and once per domain and configuration. A request only
 * copies it and fills in the nonce at each slot.
 */
#include <linux/build_bug.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "challenge.h"
#include "nonce.h"
#include "uapi/sipreg.h"

static const char *alg_name(u32 flag)
{
	return flag == SIPREG_ALG_FLAG_SHA256 ? "SHA-256" : "MD5";
}

static void prebuild_one(struct sipreg_challenge *ch, const char *realm,
			 u32 algs, u32 algs_first, bool stale)
{
	/*
	 * The order is the admin's (algs_first), MD5 first by default, as
	 * sipregd's "algorithms = md5, sha256". RFC 8760 section 2.4 wants
	 * the preferred algorithm first, but sipp and many phones read only
	 * the first WWW-Authenticate and know only MD5: offered SHA-256
	 * first, they cannot register at all, while a SHA-256 client still
	 * picks its challenge from the second place.
	 */
	const u32 both = SIPREG_ALG_FLAG_MD5 | SIPREG_ALG_FLAG_SHA256;
	const u32 order[] = { algs_first, both & ~algs_first };
	unsigned int i;
	int n;

	/* the policy's range 1..2 is "one flag" only while there are two */
	BUILD_BUG_ON(SIPREG_ALG_FLAG_MD5 != 1 || SIPREG_ALG_FLAG_SHA256 != 2);
	memset(ch, 0, sizeof(*ch));
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		if (!(algs & order[i]))
			continue;
		n = scnprintf(ch->text + ch->len, sizeof(ch->text) - ch->len,
			      "WWW-Authenticate: Digest realm=\"%s\", nonce=\"",
			      realm);
		ch->slot[ch->nslots++] = ch->len + n;
		n += scnprintf(ch->text + ch->len + n,
			       sizeof(ch->text) - ch->len - n,
			       "%*s\", algorithm=%s, qop=\"auth\"%s\r\n",
			       SIPREG_NONCE_LEN, "", alg_name(order[i]),
			       stale ? ", stale=true" : "");
		ch->len += n;
	}
}

void sipreg_challenge_build(struct sipreg_challenge ch[2], const char *realm,
			    u32 algs, u32 algs_first)
{
	prebuild_one(&ch[0], realm, algs, algs_first, false);
	prebuild_one(&ch[1], realm, algs, algs_first, true);
}


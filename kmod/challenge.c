// SPDX-License-Identifier: GPL-2.0
/*
 * The cached challenge: the constant part of the fast path's 401s, built
 * once per configuration (realm, algorithms) before it is published. A
 * request only copies it and fills in the nonce at each slot.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "challenge.h"
#include "config.h"
#include "nonce.h"

static void prebuild_one(struct sipreg_challenge *ch,
			 const struct sipreg_config *cfg, bool stale)
{
	static const struct {
		u32 flag;
		const char *name;
	} algs[] = {	/* the strongest first: RFC 8760 section 2.4 */
		{ SIPREG_ALG_FLAG_SHA256, "SHA-256" },
		{ SIPREG_ALG_FLAG_MD5, "MD5" },
	};
	unsigned int i;
	int n;

	memset(ch, 0, sizeof(*ch));
	for (i = 0; i < ARRAY_SIZE(algs); i++) {
		if (!(cfg->algs & algs[i].flag))
			continue;
		n = scnprintf(ch->text + ch->len, sizeof(ch->text) - ch->len,
			      "WWW-Authenticate: Digest realm=\"%s\", nonce=\"",
			      cfg->realm);
		ch->slot[ch->nslots++] = ch->len + n;
		n += scnprintf(ch->text + ch->len + n,
			       sizeof(ch->text) - ch->len - n,
			       "%*s\", algorithm=%s, qop=\"auth\"%s\r\n",
			       SIPREG_NONCE_LEN, "", algs[i].name,
			       stale ? ", stale=true" : "");
		ch->len += n;
	}
}

void sipreg_challenge_build(struct sipreg_config *cfg)
{
	prebuild_one(&cfg->challenge[0], cfg, false);
	prebuild_one(&cfg->challenge[1], cfg, true);
}


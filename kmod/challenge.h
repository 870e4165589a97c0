/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_CHALLENGE_H
#define _SIPREG_CHALLENGE_H

#include <linux/types.h>

/*
 * The WWW-Authenticate fields of a 401, built when the configuration
 * changes: a request only fills in the nonce, at each slot.
 */
struct sipreg_challenge {
	u16 len;
	u16 slot[2];
	u8 nslots;
	char text[400];
};

/*
 * Builds @ch[0] (plain) and @ch[1] (stale=true) for @realm, offering
 * @algs (SIPREG_ALG_FLAG_*) with @algs_first first: for the configured
 * realm (config.c) and for each domain's (domain.c).
 */
void sipreg_challenge_build(struct sipreg_challenge ch[2], const char *realm,
			    u32 algs, u32 algs_first);

#endif /* _SIPREG_CHALLENGE_H */

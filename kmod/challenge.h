/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_CHALLENGE_H
#define _SIPREG_CHALLENGE_H

#include <linux/types.h>

struct sipreg_config;

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

/* Builds @cfg->challenge[] (plain and stale=true) from its realm and algorithms. */
void sipreg_challenge_build(struct sipreg_config *cfg);

#endif /* _SIPREG_CHALLENGE_H */

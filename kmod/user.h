/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_USER_H
#define _SIPREG_USER_H

#include <linux/rhashtable-types.h>
#include <linux/types.h>

#include "uapi/sipreg.h"

struct netlink_ext_ack;
struct sk_buff;
struct sipreg_net;

/* Credentials of one (user, realm). Replaced as a whole, freed by RCU. */
struct sipreg_user {
	struct rhash_head node;
	struct rcu_head rcu;
	u8 algs;			/* SIPREG_ALG_FLAG_* of the HA1s held */
	u8 name_len;
	u8 realm_len;
	u8 ha1_md5[SIPREG_HA1_MD5_LEN];
	u8 ha1_sha256[SIPREG_HA1_SHA256_LEN];
	char str[];			/* name NUL realm NUL */
};

static inline const char *sipreg_user_realm(const struct sipreg_user *u)
{
	return u->str + u->name_len + 1;
}

int sipreg_user_init(struct sipreg_net *sn);
void sipreg_user_exit(struct sipreg_net *sn);

/* Under rcu_read_lock(); the strings need not be NUL-terminated. */
const struct sipreg_user *sipreg_user_lookup(struct sipreg_net *sn,
					     const char *name, size_t nlen,
					     const char *realm, size_t rlen);

/* @md5 and @sha256 may be NULL, not both. Replaces the user unless @excl. */
int sipreg_user_add(struct sipreg_net *sn, const char *name,
		    const char *realm, const u8 *md5, const u8 *sha256,
		    bool excl, struct netlink_ext_ack *extack);
int sipreg_user_del(struct sipreg_net *sn, const char *name,
		    const char *realm);
void sipreg_user_flush(struct sipreg_net *sn);

/* A USER nest with name, realm and algorithms: never the HA1s. */
int sipreg_user_fill(struct sk_buff *skb, const char *name,
		     const char *realm, u32 algs);

#endif /* _SIPREG_USER_H */

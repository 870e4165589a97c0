// SPDX-License-Identifier: GPL-2.0
/*
 * Credentials: (user, realm) -> HA1. Written over netlink under sn->lock,
 * read by the hook under RCU. An entry never changes once published; a
 * new password replaces the whole entry.
 */
#include <linux/jhash.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "compat.h"
#include "config.h"
#include "pernet.h"
#include "user.h"

/* Entries freed per RCU read section when the table is flushed. */
#define USER_FLUSH_BATCH	256

struct user_key {
	const char *name;
	const char *realm;
	u8 nlen;
	u8 rlen;
};

static u32 hash_strings(const char *name, u32 nlen, const char *realm,
			u32 rlen, u32 seed)
{
	return jhash(realm, rlen, jhash(name, nlen, seed));
}

static u32 user_key_hash(const void *data, u32 len, u32 seed)
{
	const struct user_key *k = data;

	return hash_strings(k->name, k->nlen, k->realm, k->rlen, seed);
}

static u32 user_obj_hash(const void *data, u32 len, u32 seed)
{
	const struct sipreg_user *u = data;

	return hash_strings(u->str, u->name_len, sipreg_user_realm(u),
			    u->realm_len, seed);
}

static int user_cmp(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct user_key *k = arg->key;
	const struct sipreg_user *u = obj;

	return k->nlen != u->name_len || k->rlen != u->realm_len ||
	       memcmp(k->name, u->str, k->nlen) ||
	       memcmp(k->realm, sipreg_user_realm(u), k->rlen);
}

static const struct rhashtable_params user_params = {
	.head_offset = offsetof(struct sipreg_user, node),
	.hashfn = user_key_hash,
	.obj_hashfn = user_obj_hash,
	.obj_cmpfn = user_cmp,
	.automatic_shrinking = true,
};

int sipreg_user_init(struct sipreg_net *sn)
{
	return rhashtable_init(&sn->users, &user_params);
}

/* Entries hold HA1s: wiped before the memory goes back. */
static void user_free(void *ptr, void *arg)
{
	kfree_sensitive(ptr);
}

static void user_free_rcu(struct rcu_head *head)
{
	kfree_sensitive(container_of(head, struct sipreg_user, rcu));
}

/* Nothing can look the table up any more: entries go without a grace period. */
void sipreg_user_exit(struct sipreg_net *sn)
{
	rhashtable_free_and_destroy(&sn->users, user_free, NULL);
}

const struct sipreg_user *sipreg_user_lookup(struct sipreg_net *sn,
					     const char *name, size_t nlen,
					     const char *realm, size_t rlen)
{
	struct user_key k = {
		.name = name, .nlen = nlen, .realm = realm, .rlen = rlen,
	};

	if (nlen > SIPREG_USER_MAX || rlen > SIPREG_REALM_MAX)
		return NULL;
	return rhashtable_lookup(&sn->users, &k, user_params);
}

/*
 * For writers: sn->lock keeps the entry alive, but the bucket table may
 * be replaced by a resize at any time, so the walk itself needs RCU.
 */
static struct sipreg_user *lookup(struct sipreg_net *sn, const char *name,
				  const char *realm)
{
	struct user_key k = {
		.name = name, .nlen = strlen(name),
		.realm = realm, .rlen = strlen(realm),
	};

	lockdep_assert_held(&sn->lock);
	if (k.nlen > SIPREG_USER_MAX || k.rlen > SIPREG_REALM_MAX)
		return NULL;
	return rhashtable_lookup_fast(&sn->users, &k, user_params);
}

static struct sipreg_user *user_new(const char *name, const char *realm,
				    const u8 *md5, const u8 *sha256)
{
	size_t nlen = strlen(name), rlen = strlen(realm);
	struct sipreg_user *u;

	u = kzalloc(struct_size(u, str, nlen + rlen + 2), GFP_KERNEL_ACCOUNT);
	if (!u)
		return NULL;
	u->name_len = nlen;
	u->realm_len = rlen;
	memcpy(u->str, name, nlen + 1);
	memcpy(u->str + nlen + 1, realm, rlen + 1);
	if (md5) {
		memcpy(u->ha1_md5, md5, sizeof(u->ha1_md5));
		u->algs |= SIPREG_ALG_FLAG_MD5;
	}
	if (sha256) {
		memcpy(u->ha1_sha256, sha256, sizeof(u->ha1_sha256));
		u->algs |= SIPREG_ALG_FLAG_SHA256;
	}
	return u;
}

static int insert(struct sipreg_net *sn, struct sipreg_user *u,
		  struct netlink_ext_ack *extack)
{
	u32 max = sipreg_config_get(sn)->max_users;
	int err;

	if (sn->nusers >= max) {
		sipreg_stats_inc_any(sn->stats, SIPREG_STAT_USER_TABLE_FULL);
		SIPREG_SET_ERR_MSG_FMT(extack, "user table full",
				       "user table full (max_users=%u)", max);
		return -ENOSPC;
	}
	err = rhashtable_insert_fast(&sn->users, &u->node, user_params);
	if (err)
		return err;
	sn->nusers++;
	return 0;
}

int sipreg_user_add(struct sipreg_net *sn, const char *name,
		    const char *realm, const u8 *md5, const u8 *sha256,
		    bool excl, struct netlink_ext_ack *extack)
{
	struct sipreg_user *u, *old;
	int err;

	lockdep_assert_held(&sn->lock);
	u = user_new(name, realm, md5, sha256);
	if (!u)
		return -ENOMEM;
	old = lookup(sn, name, realm);
	if (old && excl) {
		NL_SET_ERR_MSG_MOD(extack, "user exists");
		err = -EEXIST;
		goto err_free;
	}
	if (old)
		err = rhashtable_replace_fast(&sn->users, &old->node, &u->node,
					      user_params);
	else
		err = insert(sn, u, extack);
	if (err)
		goto err_free;
	if (old)
		call_rcu(&old->rcu, user_free_rcu);
	sipreg_pernet_changed(sn);
	return 0;

err_free:
	kfree_sensitive(u);
	return err;
}

static void user_remove(struct sipreg_net *sn, struct sipreg_user *u)
{
	rhashtable_remove_fast(&sn->users, &u->node, user_params);
	sn->nusers--;
	call_rcu(&u->rcu, user_free_rcu);
}

int sipreg_user_del(struct sipreg_net *sn, const char *name,
		    const char *realm)
{
	struct sipreg_user *u;

	lockdep_assert_held(&sn->lock);
	u = lookup(sn, name, realm);
	if (!u)
		return -ENOENT;
	user_remove(sn, u);
	sipreg_pernet_changed(sn);
	return 0;
}

/* In batches, for the reason binding_flush_pass() gives. */
static unsigned int user_flush_pass(struct sipreg_net *sn)
{
	struct rhashtable_iter iter;
	struct sipreg_user *u;
	unsigned int n = 0;

	rhashtable_walk_enter(&sn->users, &iter);
	rhashtable_walk_start(&iter);
	while ((u = rhashtable_walk_next(&iter))) {
		if (IS_ERR(u))
			continue;	/* -EAGAIN: a resize, carry on */
		user_remove(sn, u);
		if (++n % USER_FLUSH_BATCH == 0) {
			rhashtable_walk_stop(&iter);
			cond_resched();
			rhashtable_walk_start(&iter);
		}
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	return n;
}

/* Passes until empty, for the reason sipreg_binding_flush() gives. */
void sipreg_user_flush(struct sipreg_net *sn)
{
	lockdep_assert_held(&sn->lock);
	while (atomic_read(&sn->users.nelems)) {
		if (WARN_ON_ONCE(!user_flush_pass(sn)))
			break;
	}
	sipreg_pernet_changed(sn);
}

int sipreg_user_fill(struct sk_buff *skb, const char *name,
		     const char *realm, u32 algs)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, SIPREG_A_USER);
	if (!nest)
		return -EMSGSIZE;
	if ((name && nla_put_string(skb, SIPREG_USER_A_NAME, name)) ||
	    (realm && nla_put_string(skb, SIPREG_USER_A_REALM, realm)) ||
	    (algs && nla_put_u32(skb, SIPREG_USER_A_ALGS, algs))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Domains: Request-URI host -> realm and cached challenge. Written over
 * netlink under sn->lock, read by the hook under RCU; an entry never
 * changes once published. Bounded by SIPREG_DOMAINS_LIMIT, so the
 * writers' walks of sn->domain_list (a realm held twice, new challenges)
 * stay short.
 */
#include <linux/ctype.h>
#include <linux/jhash.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "compat.h"
#include "config.h"
#include "domain.h"
#include "pernet.h"

struct domain_key {
	const char *name;
	u8 len;
};

static u32 domain_key_hash(const void *data, u32 len, u32 seed)
{
	const struct domain_key *k = data;

	return jhash(k->name, k->len, seed);
}

static u32 domain_obj_hash(const void *data, u32 len, u32 seed)
{
	const struct sipreg_domain *d = data;

	return jhash(d->name, d->name_len, seed);
}

static int domain_cmp(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct domain_key *k = arg->key;
	const struct sipreg_domain *d = obj;

	return k->len != d->name_len || memcmp(k->name, d->name, k->len);
}

static const struct rhashtable_params domain_params = {
	.head_offset = offsetof(struct sipreg_domain, node),
	.hashfn = domain_key_hash,
	.obj_hashfn = domain_obj_hash,
	.obj_cmpfn = domain_cmp,
	.automatic_shrinking = true,
};

int sipreg_domain_init(struct sipreg_net *sn)
{
	INIT_LIST_HEAD(&sn->domain_list);
	sn->ndomains = 0;
	return rhashtable_init(&sn->domains, &domain_params);
}

static void domain_free(void *ptr, void *arg)
{
	kfree(ptr);
}

/* Nothing can look the table up any more: entries go without a grace period. */
void sipreg_domain_exit(struct sipreg_net *sn)
{
	rhashtable_free_and_destroy(&sn->domains, domain_free, NULL);
	INIT_LIST_HEAD(&sn->domain_list);
}

bool sipreg_domain_any(struct sipreg_net *sn)
{
	return READ_ONCE(sn->ndomains);
}

const struct sipreg_domain *sipreg_domain_lookup(struct sipreg_net *sn,
						 const u8 *host, size_t len)
{
	char name[SIPREG_DOMAIN_MAX];
	struct domain_key k = { .name = name, .len = len };
	size_t i;

	if (!len || len > sizeof(name))
		return NULL;
	for (i = 0; i < len; i++)
		name[i] = tolower(host[i]);
	return rhashtable_lookup(&sn->domains, &k, domain_params);
}

/* A host of a SIP URI (RFC 3261 25.1): a host name, IPv4 or [IPv6]. */
static bool name_ok(const char *s, size_t len)
{
	size_t i;

	if (!len || len > SIPREG_DOMAIN_MAX)
		return false;
	if (s[0] == '[') {
		if (len < 3 || s[len - 1] != ']')
			return false;
		for (i = 1; i < len - 1; i++)
			if (!isxdigit(s[i]) && s[i] != ':' && s[i] != '.')
				return false;
		return true;
	}
	for (i = 0; i < len; i++)
		if (!isalnum(s[i]) && s[i] != '-' && s[i] != '.')
			return false;
	return true;
}

static struct sipreg_domain *lookup_locked(struct sipreg_net *sn,
					   const char *name)
{
	struct domain_key k = { .name = name, .len = strlen(name) };

	lockdep_assert_held(&sn->lock);
	return rhashtable_lookup_fast(&sn->domains, &k, domain_params);
}

static struct sipreg_domain *holder_of(struct sipreg_net *sn,
				       const char *realm)
{
	struct sipreg_domain *d;

	list_for_each_entry(d, &sn->domain_list, list)
		if (!strcmp(d->realm, realm))
			return d;
	return NULL;
}

static void lower_copy(char *dst, const char *src, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		dst[i] = tolower(src[i]);
	dst[len] = 0;
}

/* @name lowercase already; both checked. */
static struct sipreg_domain *domain_new(const char *name, const char *realm,
					const struct sipreg_config *cfg)
{
	struct sipreg_domain *d;

	d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	if (!d)
		return NULL;
	d->name_len = strlen(name);
	memcpy(d->name, name, d->name_len);
	d->realm_len = strlen(realm);
	memcpy(d->realm, realm, d->realm_len);
	sipreg_challenge_build(d->challenge, d->realm, cfg->algs,
			       cfg->algs_first);
	return d;
}

static int check_strings(const char *name, const char *realm,
			 struct netlink_ext_ack *extack)
{
	if (!name_ok(name, strlen(name))) {
		NL_SET_ERR_MSG_MOD(extack,
				   "domain: name must be a host name, IPv4 address or [IPv6] address of 1 to 128 characters");
		return -EINVAL;
	}
	if (!sipreg_realm_ok(realm, strlen(realm))) {
		NL_SET_ERR_MSG_MOD(extack,
				   "domain: realm (default: the name) must be 1 to 64 printable characters, no quote or backslash");
		return -EINVAL;
	}
	return 0;
}

static int check_table(struct sipreg_net *sn, const char *realm,
		       const struct sipreg_domain *old,
		       struct netlink_ext_ack *extack)
{
	const struct sipreg_domain *holder = holder_of(sn, realm);

	if (holder && holder != old) {
		/* not formatted: names would pass its 80 bytes */
		NL_SET_ERR_MSG_MOD(extack,
				   "domain: realm already belongs to another domain");
		return -EEXIST;
	}
	if (!old && sn->ndomains >= SIPREG_DOMAINS_LIMIT) {
		SIPREG_SET_ERR_MSG_FMT(extack, "domain table full",
				       "domain table full (%u domains)",
				       SIPREG_DOMAINS_LIMIT);
		return -ENOSPC;
	}
	return 0;
}

int sipreg_domain_add(struct sipreg_net *sn, const char *name,
		      const char *realm, struct netlink_ext_ack *extack)
{
	char lower[SIPREG_DOMAIN_MAX + 1];
	struct sipreg_domain *d, *old;
	int err;

	lockdep_assert_held(&sn->lock);
	err = check_strings(name, realm ?: name, extack);
	if (err)
		return err;
	lower_copy(lower, name, strlen(name));
	realm = realm ?: lower;
	old = lookup_locked(sn, lower);
	err = check_table(sn, realm, old, extack);
	if (err)
		return err;
	d = domain_new(lower, realm, sipreg_config_get(sn));
	if (!d)
		return -ENOMEM;
	if (old)
		err = rhashtable_replace_fast(&sn->domains, &old->node,
					      &d->node, domain_params);
	else
		err = rhashtable_insert_fast(&sn->domains, &d->node,
					     domain_params);
	if (err) {
		kfree(d);
		return err;
	}
	if (old) {
		list_replace(&old->list, &d->list);
		kfree_rcu(old, rcu);
	} else {
		list_add_tail(&d->list, &sn->domain_list);
		WRITE_ONCE(sn->ndomains, sn->ndomains + 1);
	}
	sipreg_pernet_changed(sn);
	return 0;
}

static void domain_remove(struct sipreg_net *sn, struct sipreg_domain *d)
{
	rhashtable_remove_fast(&sn->domains, &d->node, domain_params);
	list_del(&d->list);
	WRITE_ONCE(sn->ndomains, sn->ndomains - 1);
	kfree_rcu(d, rcu);
}

int sipreg_domain_del(struct sipreg_net *sn, const char *name,
		      struct netlink_ext_ack *extack)
{
	char lower[SIPREG_DOMAIN_MAX + 1];
	struct sipreg_domain *d = NULL;
	size_t len = strlen(name);

	lockdep_assert_held(&sn->lock);
	if (len < sizeof(lower)) {
		lower_copy(lower, name, len);
		d = lookup_locked(sn, lower);
	}
	if (!d) {
		NL_SET_ERR_MSG_MOD(extack, "domain: no such domain");
		return -ENOENT;
	}
	domain_remove(sn, d);
	sipreg_pernet_changed(sn);
	return 0;
}

void sipreg_domain_flush(struct sipreg_net *sn)
{
	struct sipreg_domain *d, *tmp;

	lockdep_assert_held(&sn->lock);
	list_for_each_entry_safe(d, tmp, &sn->domain_list, list)
		domain_remove(sn, d);
	sipreg_pernet_changed(sn);
}

int sipreg_domain_rechallenge_prepare(struct sipreg_net *sn,
				      const struct sipreg_config *cfg)
{
	struct sipreg_domain *d;

	lockdep_assert_held(&sn->lock);
	list_for_each_entry(d, &sn->domain_list, list) {
		d->repl = domain_new(d->name, d->realm, cfg);
		if (!d->repl) {
			sipreg_domain_rechallenge_abort(sn);
			return -ENOMEM;
		}
	}
	return 0;
}

void sipreg_domain_rechallenge_abort(struct sipreg_net *sn)
{
	struct sipreg_domain *d;

	lockdep_assert_held(&sn->lock);
	list_for_each_entry(d, &sn->domain_list, list) {
		kfree(d->repl);
		d->repl = NULL;
	}
}

void sipreg_domain_rechallenge_commit(struct sipreg_net *sn)
{
	struct sipreg_domain *d, *tmp, *repl;

	lockdep_assert_held(&sn->lock);
	list_for_each_entry_safe(d, tmp, &sn->domain_list, list) {
		repl = d->repl;
		/* Same key, found under the lock: the swap cannot fail. */
		if (WARN_ON_ONCE(rhashtable_replace_fast(&sn->domains,
							 &d->node, &repl->node,
							 domain_params))) {
			kfree(repl);
			d->repl = NULL;
			continue;
		}
		list_replace(&d->list, &repl->list);
		kfree_rcu(d, rcu);
	}
}

int sipreg_domain_fill(struct sk_buff *skb, const struct sipreg_domain *d)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, SIPREG_A_DOMAIN);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, SIPREG_DOMAIN_A_NAME, d->name) ||
	    nla_put_string(skb, SIPREG_DOMAIN_A_REALM, d->realm)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

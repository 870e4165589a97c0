// SPDX-License-Identifier: GPL-2.0
/*
 * Bindings: AOR -> contacts. Writers hold sn->lock; the hook reads under
 * RCU and refreshes a contact in place under the entry's spinlock. Expired
 * contacts are removed by a delayed work that walks the table in bounded
 * batches. Expiry times are CLOCK_BOOTTIME seconds, which userspace can
 * read too and which keep running across suspend.
 */
#include <linux/jhash.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>

#include "binding.h"
#include "compat.h"
#include "config.h"
#include "notify.h"
#include "pernet.h"

#define EXPIRY_BATCH	256
#define EXPIRY_PERIOD	HZ

struct aor_key {
	const char *p;
	u8 len;
};

static u32 aor_key_hash(const void *data, u32 len, u32 seed)
{
	const struct aor_key *k = data;

	return jhash(k->p, k->len, seed);
}

static u32 aor_obj_hash(const void *data, u32 len, u32 seed)
{
	const struct sipreg_binding *b = data;

	return jhash(sipreg_binding_aor(b), b->aor_len, seed);
}

static int aor_cmp(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct aor_key *k = arg->key;
	const struct sipreg_binding *b = obj;

	return k->len != b->aor_len ||
	       memcmp(k->p, sipreg_binding_aor(b), k->len);
}

static const struct rhashtable_params binding_params = {
	.head_offset = offsetof(struct sipreg_binding, node),
	.hashfn = aor_key_hash,
	.obj_hashfn = aor_obj_hash,
	.obj_cmpfn = aor_cmp,
	.automatic_shrinking = true,
};

struct sipreg_binding *sipreg_binding_lookup(struct sipreg_net *sn,
					     const char *aor, size_t len)
{
	struct aor_key k = { .p = aor, .len = len };

	if (len > SIPREG_AOR_MAX)
		return NULL;
	return rhashtable_lookup(&sn->bindings, &k, binding_params);
}

struct sipreg_binding *sipreg_binding_lookup_locked(struct sipreg_net *sn,
						    const char *aor)
{
	struct aor_key k = { .p = aor, .len = strlen(aor) };

	lockdep_assert_held(&sn->lock);
	if (k.len > SIPREG_AOR_MAX)
		return NULL;
	/* The entry lives while sn->lock is held; the table walk needs RCU. */
	return rhashtable_lookup_fast(&sn->bindings, &k, binding_params);
}

/* A new entry sized for @n contacts; the caller adds them with put(). */
static struct sipreg_binding *entry_new(const char *aor, size_t alen,
					unsigned int n, size_t strings,
					gfp_t gfp)
{
	struct sipreg_binding *b;

	b = kzalloc(struct_size(b, c, n) + alen + 1 + strings,
		    gfp | __GFP_ACCOUNT);
	if (!b)
		return NULL;
	spin_lock_init(&b->lock);
	b->aor_len = alen;
	memcpy(b->c + n, aor, alen);
	return b;
}

/* Appends a contact; @off is where the next strings go. */
static void put(struct sipreg_binding *b, unsigned int n, size_t *off,
		const struct sipreg_contact *tmpl, const char *uri,
		const char *call_id)
{
	struct sipreg_contact *c = &b->c[b->ncontacts++];
	char *s;

	if (!*off)
		*off = struct_size(b, c, n) + b->aor_len + 1;
	*c = *tmpl;
	c->str_off = *off;
	s = (char *)b + *off;
	memcpy(s, uri, c->uri_len);
	memcpy(s + c->uri_len + 1, call_id, c->call_id_len);
	*off += c->uri_len + c->call_id_len + 2;
}

static size_t contact_strings(const struct sipreg_contact *c)
{
	return c->uri_len + c->call_id_len + 2;
}

/*
 * A copy of @old without the contacts in @drop (bitmap) and with @add (if
 * not NULL) in place of contact @add_at (or appended when @add_at is
 * ncontacts). Marks @old dead and publishes the copy, or removes @old when
 * nothing is left. Called with sn->lock held, from the expiry work also
 * under rcu_read_lock(). With @now, the contacts in @drop must still be
 * expired under the entry's lock, else a refresh won the race: -EAGAIN.
 */
static int replace_expired(struct sipreg_net *sn, struct sipreg_binding *old,
			   unsigned long drop, u64 now,
			   const struct sipreg_contact *add,
			   unsigned int add_at, const char *uri,
			   const char *call_id, gfp_t gfp)
{
	unsigned int i, n = 0;
	struct sipreg_binding *b = NULL;
	size_t strings = 0, off = 0;
	int err;

	lockdep_assert_held(&sn->lock);
	for (i = 0; i < old->ncontacts; i++) {
		if (test_bit(i, &drop) || (add && i == add_at))
			continue;
		n++;
		strings += contact_strings(&old->c[i]);
	}
	if (add) {
		n++;
		strings += contact_strings(add);
	}
	if (n) {
		b = entry_new(sipreg_binding_aor(old), old->aor_len, n, strings,
			      gfp);
		if (!b)
			return -ENOMEM;
	}

	spin_lock_bh(&old->lock);
	for (i = 0; now && i < old->ncontacts; i++) {
		if (test_bit(i, &drop) && old->c[i].expires > now) {
			spin_unlock_bh(&old->lock);
			kfree(b);
			return -EAGAIN;
		}
	}
	for (i = 0; i < old->ncontacts && b; i++) {
		const struct sipreg_contact *c = &old->c[i];

		if (add && i == add_at)
			put(b, n, &off, add, uri, call_id);
		else if (!test_bit(i, &drop))
			put(b, n, &off, c, sipreg_contact_uri(old, c),
			    sipreg_contact_call_id(old, c));
	}
	if (b && add && add_at == old->ncontacts)
		put(b, n, &off, add, uri, call_id);
	if (b)
		err = rhashtable_replace_fast(&sn->bindings, &old->node,
					      &b->node, binding_params);
	else
		err = rhashtable_remove_fast(&sn->bindings, &old->node,
					     binding_params);
	if (err) {
		/* @old stays, alive: nothing changed. */
		spin_unlock_bh(&old->lock);
		kfree(b);
		return err;
	}
	old->dead = true;
	spin_unlock_bh(&old->lock);
	sn->nbindings += n - old->ncontacts;
	sipreg_pernet_changed(sn);
	return 0;
}

static int replace(struct sipreg_net *sn, struct sipreg_binding *old,
		   unsigned long drop, const struct sipreg_contact *add,
		   unsigned int add_at, const char *uri, const char *call_id,
		   gfp_t gfp)
{
	return replace_expired(sn, old, drop, 0, add, add_at, uri, call_id,
			       gfp);
}

static int find_uri(const struct sipreg_binding *b, const char *uri,
		    size_t len)
{
	unsigned int i;

	for (i = 0; i < b->ncontacts; i++)
		if (b->c[i].uri_len == len &&
		    !memcmp(sipreg_contact_uri(b, &b->c[i]), uri, len))
			return i;
	return -1;
}

static int check_room(struct sipreg_net *sn, const struct sipreg_binding *old,
		      struct netlink_ext_ack *extack)
{
	const struct sipreg_config *cfg = sipreg_config_get(sn);

	if (old && old->ncontacts >= cfg->max_contacts) {
		sipreg_stats_inc_any(sn->stats, SIPREG_STAT_BINDING_TABLE_FULL);
		SIPREG_SET_ERR_MSG_FMT(extack, "AOR has too many contacts",
				       "AOR has too many contacts (max_contacts=%u)",
				       cfg->max_contacts);
		return -ENOSPC;
	}
	if (sn->nbindings >= cfg->max_bindings) {
		sipreg_stats_inc_any(sn->stats, SIPREG_STAT_BINDING_TABLE_FULL);
		SIPREG_SET_ERR_MSG_FMT(extack, "binding table full",
				       "binding table full (max_bindings=%u)",
				       cfg->max_bindings);
		return -ENOSPC;
	}
	return 0;
}

static int insert_new(struct sipreg_net *sn, const char *aor,
		      struct sipreg_contact *tmpl, const char *uri,
		      const char *call_id)
{
	struct sipreg_binding *b;
	size_t off = 0;
	int err;

	b = entry_new(aor, strlen(aor), 1, contact_strings(tmpl), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	put(b, 1, &off, tmpl, uri, call_id);
	err = rhashtable_insert_fast(&sn->bindings, &b->node, binding_params);
	if (err) {
		kfree(b);
		return err;
	}
	sn->nbindings++;
	sipreg_pernet_changed(sn);
	/* Runs while there are bindings (see expiry_work()). */
	queue_delayed_work(system_power_efficient_wq, &sn->expiry_work,
			   EXPIRY_PERIOD);
	return 0;
}

int sipreg_binding_add(struct sipreg_net *sn, const char *aor,
		       const struct sipreg_contact *tmpl, const char *uri,
		       const char *call_id, struct netlink_ext_ack *extack)
{
	struct sipreg_contact c = *tmpl;
	struct sipreg_binding *old, *b;
	int idx = -1, err;

	lockdep_assert_held(&sn->lock);
	c.uri_len = strlen(uri);
	c.call_id_len = strlen(call_id);
	old = sipreg_binding_lookup_locked(sn, aor);
	if (old)
		idx = find_uri(old, uri, c.uri_len);
	if (idx < 0) {
		err = check_room(sn, old, extack);
		if (err)
			return err;
	}
	if (old)
		err = replace(sn, old, 0, &c, idx < 0 ? old->ncontacts : idx,
			      uri, call_id, GFP_KERNEL);
	else
		err = insert_new(sn, aor, &c, uri, call_id);
	if (err)
		return err;
	if (old)
		kfree_rcu(old, rcu);
	/* Still under sn->lock: nothing can replace the new entry. */
	b = sipreg_binding_lookup_locked(sn, aor);
	if (b)
		sipreg_notify_binding(sn, SIPREG_EVENT_BINDING_ADDED, b,
				      find_uri(b, uri, c.uri_len), GFP_KERNEL);
	return 0;
}

int sipreg_binding_del(struct sipreg_net *sn, const char *aor,
		       const char *uri, struct netlink_ext_ack *extack)
{
	struct sipreg_binding *b;
	int idx = -1, err;

	lockdep_assert_held(&sn->lock);
	b = sipreg_binding_lookup_locked(sn, aor);
	if (!b) {
		NL_SET_ERR_MSG_MOD(extack, "binding: no such AOR");
		return -ENOENT;
	}
	if (uri) {
		idx = find_uri(b, uri, strlen(uri));
		if (idx < 0) {
			NL_SET_ERR_MSG_MOD(extack,
					   "binding: AOR has no such contact");
			return -ENOENT;
		}
	}
	err = replace(sn, b, idx < 0 ? ~0UL : BIT(idx), NULL, 0, NULL, NULL,
		      GFP_KERNEL);
	if (err)
		return err;
	/* The old entry lives until the grace period ends, after this. */
	sipreg_notify_binding(sn, SIPREG_EVENT_BINDING_DELETED, b, idx,
			      GFP_KERNEL);
	kfree_rcu(b, rcu);
	return 0;
}

/*
 * One pass of a flush. Flushing a million entries in one RCU read section
 * would stall RCU and hold the CPU: the walk pauses every EXPIRY_BATCH
 * entries, as expiry does. sn->lock keeps writers out meanwhile; the hook
 * may still look entries up, and finds them gone one batch after another.
 */
static unsigned int binding_flush_pass(struct sipreg_net *sn)
{
	struct rhashtable_iter iter;
	struct sipreg_binding *b;
	unsigned int n = 0;

	rhashtable_walk_enter(&sn->bindings, &iter);
	rhashtable_walk_start(&iter);
	while ((b = rhashtable_walk_next(&iter))) {
		if (IS_ERR(b))
			continue;	/* -EAGAIN: a resize, carry on */
		spin_lock_bh(&b->lock);
		b->dead = true;
		rhashtable_remove_fast(&sn->bindings, &b->node, binding_params);
		spin_unlock_bh(&b->lock);
		sn->nbindings -= b->ncontacts;
		kfree_rcu(b, rcu);
		if (++n % EXPIRY_BATCH == 0) {
			rhashtable_walk_stop(&iter);
			cond_resched();
			rhashtable_walk_start(&iter);
		}
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	return n;
}

/*
 * A walk resumed after its last entry was removed cannot find its place
 * again: rhashtable_walk_start() keeps the count of entries it had passed
 * in that bucket and skips as many of the survivors. So passes repeat
 * until the table is empty; each removes at least one batch, nothing is
 * inserted meanwhile (sn->lock), so this ends; a pass that finds nothing
 * in a table that is not empty would be a bug, not a reason to spin.
 */
void sipreg_binding_flush(struct sipreg_net *sn)
{
	lockdep_assert_held(&sn->lock);
	while (atomic_read(&sn->bindings.nelems)) {
		if (WARN_ON_ONCE(!binding_flush_pass(sn)))
			break;
	}
	sipreg_pernet_changed(sn);
}

static bool is_retransmission(const struct sipreg_contact *c,
			      const struct sipreg_refresh *req, u32 now)
{
	return req->cseq == c->cseq && req->nc == c->nc &&
	       req->branch == c->branch &&
	       now - c->answered <= SIPREG_RETRANS_WINDOW;
}

/*
 * Counts start again with each nonce (a phone whose nonce went stale is
 * back at nc=1), but an older nonce than the last one used is refused: the
 * digest does not cover the CSeq, so a captured request must not be
 * replayable with a higher one. A contact installed over netlink counts
 * for the nonce it was given or, without one, for the time of the install.
 */
static bool nc_replayed(const struct sipreg_contact *c,
			const struct sipreg_refresh *req)
{
	if (req->nonce_time != c->nonce_time)
		return req->nonce_time < c->nonce_time;
	return req->nc <= c->nc;
}

/* Refreshes contact @idx of @b unless @b is dead (-EAGAIN). */
static int refresh_locked(struct sipreg_binding *b, unsigned int idx,
			  const struct sipreg_refresh *req,
			  sipreg_refresh_answer_t answer, void *arg)
{
	struct sipreg_contact *c = &b->c[idx];
	u32 now = ktime_get_boottime_seconds();
	int ret = 0;

	spin_lock(&b->lock);
	if (b->dead)
		ret = -EAGAIN;
	else if (is_retransmission(c, req, now))
		ret = c->replays < SIPREG_RETRANS_ANSWERS ? -EALREADY : -EDQUOT;
	else if ((s32)(req->cseq - c->cseq) <= 0)
		ret = SIPREG_MISS_CSEQ_NOT_HIGHER;
	else if (req->nc && nc_replayed(c, req))
		ret = SIPREG_MISS_NC_REPLAY;
	if (ret == -EALREADY) {
		if (answer(arg, b, idx, c->expires))
			ret = SIPREG_MISS_REPLY_FAILED;
		else
			c->replays++;
	} else if (!ret && answer(arg, b, idx, (u64)now + req->expires)) {
		ret = SIPREG_MISS_REPLY_FAILED;
	}
	if (!ret) {
		WRITE_ONCE(c->cseq, req->cseq);
		if (req->nc) {
			WRITE_ONCE(c->nc, req->nc);
			WRITE_ONCE(c->nonce_time, req->nonce_time);
		}
		WRITE_ONCE(c->expires, (u64)now + req->expires);
		c->branch = req->branch;
		c->answered = now;
		c->replays = 0;
	}
	spin_unlock(&b->lock);
	return ret;
}

int sipreg_binding_refresh(struct sipreg_net *sn,
			   const struct sipreg_refresh *req,
			   sipreg_refresh_answer_t answer, void *arg)
{
	struct sipreg_binding *b;
	int idx, ret, tries;

	/* A dead entry has just been replaced: the next lookup finds the copy. */
	for (tries = 0; tries < 2; tries++) {
		b = sipreg_binding_lookup(sn, req->aor, req->alen);
		if (!b)
			return SIPREG_MISS_NO_BINDING;
		idx = find_uri(b, req->uri, req->ulen);
		if (idx < 0)
			return SIPREG_MISS_NEW_CONTACT;
		if (b->c[idx].call_id_len != req->clen ||
		    memcmp(sipreg_contact_call_id(b, &b->c[idx]), req->call_id,
			   req->clen))
			return SIPREG_MISS_CALL_ID_CHANGED;
		ret = refresh_locked(b, idx, req, answer, arg);
		if (ret != -EAGAIN)
			break;
	}
	if (ret == -EAGAIN)
		return SIPREG_MISS_NO_BINDING;
	if (!ret)
		sipreg_notify_refreshed(sn, b, idx);
	return ret;
}

static int fill_contact(struct sk_buff *skb, const struct sipreg_binding *b,
			const struct sipreg_contact *c, u64 now)
{
	u64 at = READ_ONCE(c->expires);
	struct nlattr *nest;

	nest = nla_nest_start(skb, SIPREG_BINDING_A_CONTACT);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, SIPREG_CONTACT_A_URI, sipreg_contact_uri(b, c)) ||
	    nla_put_string(skb, SIPREG_CONTACT_A_CALL_ID,
			   sipreg_contact_call_id(b, c)) ||
	    nla_put_u32(skb, SIPREG_CONTACT_A_CSEQ, READ_ONCE(c->cseq)) ||
	    nla_put_u32(skb, SIPREG_CONTACT_A_EXPIRES, at > now ? at - now : 0) ||
	    nla_put_u64_64bit(skb, SIPREG_CONTACT_A_EXPIRES_AT, at,
			      SIPREG_CONTACT_A_PAD) ||
	    nla_put_u32(skb, SIPREG_CONTACT_A_NC, READ_ONCE(c->nc)) ||
	    nla_put_u64_64bit(skb, SIPREG_CONTACT_A_NONCE_TIME,
			      READ_ONCE(c->nonce_time), SIPREG_CONTACT_A_PAD) ||
	    nla_put_u16(skb, SIPREG_CONTACT_A_Q, c->q))
		goto err_cancel;
	if ((c->family == AF_INET &&
	     nla_put_in_addr(skb, SIPREG_CONTACT_A_ADDR4, c->addr.v4)) ||
	    (c->family == AF_INET6 &&
	     nla_put_in6_addr(skb, SIPREG_CONTACT_A_ADDR6, &c->addr.v6)) ||
	    (c->port && nla_put_u16(skb, SIPREG_CONTACT_A_PORT, c->port)))
		goto err_cancel;
	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

int sipreg_binding_fill(struct sk_buff *skb, const struct sipreg_binding *b,
			int only)
{
	u64 now = ktime_get_boottime_seconds();
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, SIPREG_A_BINDING);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, SIPREG_BINDING_A_AOR, sipreg_binding_aor(b)))
		goto err_cancel;
	for (i = 0; i < b->ncontacts; i++) {
		if (only >= 0 && i != only)
			continue;
		if (fill_contact(skb, b, &b->c[i], now))
			goto err_cancel;
	}
	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

size_t sipreg_binding_msg_size(unsigned int ncontacts)
{
	size_t contact = nla_total_size(0) +
		nla_total_size(SIPREG_URI_MAX + 1) +
		nla_total_size(SIPREG_CALL_ID_MAX + 1) +
		4 * nla_total_size(sizeof(u32)) +
		2 * nla_total_size_64bit(sizeof(u64)) +
		nla_total_size(sizeof(struct in6_addr)) +
		2 * nla_total_size(sizeof(u16));

	return nla_total_size(sizeof(u32)) + nla_total_size(0) +
	       nla_total_size(SIPREG_AOR_MAX + 1) + ncontacts * contact;
}

/* Removes the expired contacts of @b; sn->lock and rcu_read_lock() held. */
static void expire_entry(struct sipreg_net *sn, struct sipreg_binding *b,
			 u64 now)
{
	unsigned long drop = 0;
	unsigned int i, n = 0;

	for (i = 0; i < b->ncontacts; i++) {
		if (READ_ONCE(b->c[i].expires) <= now) {
			__set_bit(i, &drop);
			n++;
		}
	}
	if (!n)
		return;
	/* On a lost race with a refresh, the next pass looks again. */
	if (replace_expired(sn, b, drop, now, NULL, 0, NULL, NULL, GFP_ATOMIC))
		return;
	for_each_set_bit(i, &drop, b->ncontacts)
		sipreg_notify_binding(sn, SIPREG_EVENT_BINDING_EXPIRED, b, i,
				      GFP_ATOMIC);
	sipreg_stats_add_any(sn->stats, SIPREG_STAT_BINDINGS_EXPIRED, n);
	kfree_rcu(b, rcu);
}

/*
 * One batch of the expiry walk. The walk may only pause on an entry that
 * is still in the table: rhashtable_walk_start() finds its place again by
 * that entry, and without it skips as many of the bucket's survivors as it
 * had passed, which would leave them for the next walk. So each entry is
 * expired only after the walk has moved past it, and a batch ends holding
 * the next entry, not yet looked at; the next batch begins with it.
 * Returns false at the end of the table.
 */
static bool expiry_batch(struct sipreg_net *sn, u64 now)
{
	struct rhashtable_iter *iter = &sn->expiry_iter;
	struct sipreg_binding *b, *next;
	unsigned int n;

	b = rhashtable_walk_peek(iter);
	for (n = 0; b && n < EXPIRY_BATCH; n++) {
		next = rhashtable_walk_next(iter);
		if (!IS_ERR(b))
			expire_entry(sn, b, now);
		/* -EAGAIN: a resize restarted the walk; @b was still good. */
		b = next;
	}
	return b;
}

static void expiry_work(struct work_struct *work)
{
	struct sipreg_net *sn = container_of(to_delayed_work(work),
					     struct sipreg_net, expiry_work);
	bool done;

	mutex_lock(&sn->lock);
	/*
	 * A walk removes what was due when it began: one clock for the whole
	 * walk, so that a contact is removed by the first walk that begins
	 * after it expired, whichever batch it is in.
	 */
	if (!sn->expiry_walking) {
		rhashtable_walk_enter(&sn->bindings, &sn->expiry_iter);
		sn->expiry_walking = true;
		sn->expiry_now = ktime_get_boottime_seconds();
	}
	rhashtable_walk_start(&sn->expiry_iter);
	done = !expiry_batch(sn, sn->expiry_now);
	rhashtable_walk_stop(&sn->expiry_iter);
	if (done) {
		rhashtable_walk_exit(&sn->expiry_iter);
		sn->expiry_walking = false;
		sipreg_stats_inc_any(sn->stats, SIPREG_STAT_EXPIRY_WALKS);
	}
	/* An empty table sleeps until insert_new() wakes it, under the lock. */
	if (!done || sn->nbindings)
		queue_delayed_work(system_power_efficient_wq, &sn->expiry_work,
				   done ? EXPIRY_PERIOD : 1);
	mutex_unlock(&sn->lock);
}

int sipreg_binding_init(struct sipreg_net *sn)
{
	int err;

	err = rhashtable_init(&sn->bindings, &binding_params);
	if (err)
		return err;
	INIT_DELAYED_WORK(&sn->expiry_work, expiry_work);
	return 0;
}

static void binding_free(void *ptr, void *arg)
{
	kfree(ptr);
}

/* The hook is gone and no request can reach a dying namespace. */
void sipreg_binding_exit(struct sipreg_net *sn)
{
	cancel_delayed_work_sync(&sn->expiry_work);
	if (sn->expiry_walking)
		rhashtable_walk_exit(&sn->expiry_iter);
	rhashtable_free_and_destroy(&sn->bindings, binding_free, NULL);
}

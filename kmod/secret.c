// SPDX-License-Identifier: GPL-2.0
/*
 * Nonce keys of a namespace. Without a daemon the kernel draws them from
 * its RNG and rotates them once per nonce lifetime, the previous key
 * staying valid, so that a nonce verifies for its whole life. A daemon
 * that holds the miss channel may push its own keys instead, so that the
 * nonces either side issues verify on the other; it then rotates them,
 * and the kernel takes over again once the claim is released.
 */
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "config.h"
#include "pernet.h"
#include "secret.h"

static struct sipreg_secrets *secrets(struct sipreg_net *sn)
{
	return &sn->secrets;
}

static unsigned long rotate_delay(struct sipreg_net *sn)
{
	u32 lifetime;

	rcu_read_lock();
	lifetime = rcu_dereference(sn->config)->nonce_lifetime;
	rcu_read_unlock();
	return (unsigned long)lifetime * HZ;
}

static void secret_free_rcu(struct rcu_head *head)
{
	kfree_sensitive(container_of(head, struct sipreg_secret, rcu));
}

static void publish(struct sipreg_net *sn, struct sipreg_secret *new)
{
	struct sipreg_secret *old;

	old = rcu_replace_pointer(secrets(sn)->cur, new,
				  lockdep_is_held(&sn->lock));
	call_rcu(&old->rcu, secret_free_rcu);
}

static void rotate_work(struct work_struct *work)
{
	struct sipreg_net *sn = container_of(to_delayed_work(work),
					     struct sipreg_net, secrets.rotate);
	struct sipreg_secrets *s = secrets(sn);
	struct sipreg_secret *new;
	struct sipreg_mackey key;

	mutex_lock(&sn->lock);
	if (s->from_daemon && READ_ONCE(sn->daemon_portid))
		goto out;
	s->from_daemon = false;
	new = kmemdup(rcu_dereference_protected(s->cur,
						lockdep_is_held(&sn->lock)),
		      sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		goto out;
	get_random_bytes(&key, sizeof(key));
	sipreg_nonce_rotate(&new->keys, &key, (u32)ktime_get_real_seconds());
	memzero_explicit(&key, sizeof(key));
	publish(sn, new);
out:
	mutex_unlock(&sn->lock);
	schedule_delayed_work(&s->rotate, rotate_delay(sn));
}

int sipreg_secret_init(struct sipreg_net *sn)
{
	struct sipreg_secrets *s = secrets(sn);
	struct sipreg_secret *new;
	struct sipreg_mackey key;

	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;
	get_random_bytes(&key, sizeof(key));
	sipreg_nonce_keys_init(&new->keys, &key, (u32)ktime_get_real_seconds());
	memzero_explicit(&key, sizeof(key));
	RCU_INIT_POINTER(s->cur, new);
	s->from_daemon = false;
	INIT_DELAYED_WORK(&s->rotate, rotate_work);
	return 0;
}

/* The namespace was switched on: keys rotate from now on. */
void sipreg_secret_start(struct sipreg_net *sn)
{
	struct sipreg_secrets *s = secrets(sn);

	lockdep_assert_held(&sn->lock);
	if (!delayed_work_pending(&s->rotate))
		schedule_delayed_work(&s->rotate, rotate_delay(sn));
}

void sipreg_secret_exit(struct sipreg_net *sn)
{
	struct sipreg_secrets *s = secrets(sn);

	cancel_delayed_work_sync(&s->rotate);
	/* The hook is gone; the caller waits for readers before freeing sn. */
	call_rcu(&rcu_dereference_protected(s->cur, true)->rcu,
		 secret_free_rcu);
	RCU_INIT_POINTER(s->cur, NULL);
}

int sipreg_secret_set(struct sipreg_net *sn, const struct sipreg_mackey *cur,
		      const struct sipreg_mackey *prev, u32 gen)
{
	struct sipreg_secret *new;

	lockdep_assert_held(&sn->lock);
	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;
	new->keys.cur = *cur;
	new->keys.prev = *prev;
	new->keys.gen = gen;
	new->keys.cur_since = (u32)ktime_get_real_seconds();
	secrets(sn)->from_daemon = true;
	publish(sn, new);
	return 0;
}

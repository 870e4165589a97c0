/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_BINDING_H
#define _SIPREG_BINDING_H

#include <linux/in6.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct netlink_ext_ack;
struct sk_buff;
struct sipreg_net;

/*
 * One contact of an AOR. expires (CLOCK_BOOTTIME seconds), cseq and nc
 * change in place under the entry's lock (a refresh); everything else is
 * fixed for the life of the entry.
 */
struct sipreg_contact {
	u64 expires;
	u32 cseq;
	u32 nc;
	u64 nonce_time;		/* issue time (boottime us) of the nonce @nc counts for */
	u32 branch;		/* hash of the top Via branch last answered */
	u32 answered;		/* boottime seconds of that answer */
	union {
		__be32 v4;
		struct in6_addr v6;
	} addr;
	u16 port;
	u16 q;			/* thousandths */
	u16 str_off;		/* uri NUL call-id NUL, from the entry start */
	u16 uri_len;
	u8 call_id_len;
	u8 family;		/* 0 (unknown), AF_INET or AF_INET6 */
	u8 replays;		/* answers to retransmissions of the last */
};

/*
 * An AOR and its contacts in one allocation, strings inline. Adding or
 * removing a contact replaces the whole entry (copy-update under sn->lock):
 * the writer copies the mutable fields under the old entry's lock and
 * marks it dead in the same critical section, so a refresh either lands
 * in the copy or sees @dead and looks the AOR up again.
 */
struct sipreg_binding {
	struct rhash_head node;
	struct rcu_head rcu;
	spinlock_t lock;		/* expires, cseq, nc of c[]; dead */
	bool dead;
	u8 ncontacts;
	u8 aor_len;
	struct sipreg_contact c[];	/* then aor NUL, then contact strings */
};

static inline const char *sipreg_binding_aor(const struct sipreg_binding *b)
{
	return (const char *)&b->c[b->ncontacts];
}

static inline const char *sipreg_contact_uri(const struct sipreg_binding *b,
					     const struct sipreg_contact *c)
{
	return (const char *)b + c->str_off;
}

static inline const char *sipreg_contact_call_id(const struct sipreg_binding *b,
						 const struct sipreg_contact *c)
{
	return sipreg_contact_uri(b, c) + c->uri_len + 1;
}

int sipreg_binding_init(struct sipreg_net *sn);
void sipreg_binding_exit(struct sipreg_net *sn);

/* Under rcu_read_lock(); @aor need not be NUL-terminated. */
struct sipreg_binding *sipreg_binding_lookup(struct sipreg_net *sn,
					     const char *aor, size_t len);
/* The same for writers, under sn->lock (not rcu_read_lock()). */
struct sipreg_binding *sipreg_binding_lookup_locked(struct sipreg_net *sn,
						    const char *aor);

/*
 * Upsert of one contact, identified by its URI. @tmpl gives the numbers
 * (expires absolute), @uri and @call_id the strings.
 */
int sipreg_binding_add(struct sipreg_net *sn, const char *aor,
		       const struct sipreg_contact *tmpl, const char *uri,
		       const char *call_id, struct netlink_ext_ack *extack);
/* One contact, or the whole AOR when @uri is NULL. */
int sipreg_binding_del(struct sipreg_net *sn, const char *aor,
		       const char *uri, struct netlink_ext_ack *extack);
void sipreg_binding_flush(struct sipreg_net *sn);

/* The transaction lifetime, 64 * T1 (RFC 3261 17.2.1). */
#define SIPREG_RETRANS_WINDOW	32
/*
 * A UDP client sends a non-INVITE request at most 11 times within that
 * window (Timer E doubling from T1 to T2, RFC 3261 17.1.2.2): answering
 * more copies than that only serves someone replaying a captured request
 * at its sender's address.
 */
#define SIPREG_RETRANS_ANSWERS	10

/* What the fast path asks of sipreg_binding_refresh(). */
struct sipreg_refresh {
	const char *aor, *uri, *call_id;
	size_t alen, ulen, clen;
	u32 cseq;
	u32 nc;			/* 0: no qop, nothing to check */
	u64 nonce_time;		/* issue time of the nonce, boottime us */
	u32 branch;		/* hash of the top Via branch */
	u32 expires;		/* granted, seconds */
};

/*
 * Builds the answer to a refresh from the entry, contact @idx showing
 * @expires (boottime seconds), under the entry's lock; 0 or an error.
 */
typedef int (*sipreg_refresh_answer_t)(void *arg,
				       const struct sipreg_binding *b,
				       unsigned int idx, u64 expires);

/*
 * The refresh fast path, under rcu_read_lock() in softirq: a known contact
 * of a known AOR with the same Call-ID and a higher CSeq (and nonce count,
 * when one is given) gets its new expiry. @answer is called first, and
 * the refresh is committed only if it succeeds: whatever is committed has
 * an answer ready. Returns 0, -EALREADY for a retransmission of the
 * request last answered (RFC 3261 17.2: answered again, nothing changed),
 * -EDQUOT for one answered SIPREG_RETRANS_ANSWERS times already, or the
 * miss reason (SIPREG_MISS_REPLY_FAILED when @answer failed).
 */
int sipreg_binding_refresh(struct sipreg_net *sn,
			   const struct sipreg_refresh *req,
			   sipreg_refresh_answer_t answer, void *arg);

/* A BINDING nest: all contacts, or only @only when >= 0. */
int sipreg_binding_fill(struct sk_buff *skb, const struct sipreg_binding *b,
			int only);
/* Message size that sipreg_binding_fill() needs for @ncontacts contacts. */
size_t sipreg_binding_msg_size(unsigned int ncontacts);

#endif /* _SIPREG_BINDING_H */

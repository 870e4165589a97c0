/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the registrar: one request being handled (struct req), shared by
 * registrar.c (dispatch, replies), auth.c (digest) and bindings.c
 * (bindings). Includes parser.h, so never nonce.h (see nonce_keys.h).
 */
#ifndef SIPREGD_REGISTRAR_PRIV_H
#define SIPREGD_REGISTRAR_PRIV_H

#include <netinet/in.h>

#include "parser.h"
#include "reply.h"
#include "sipmsg.h"
#include "registrar.h"
#include "domain.h"
#include "nonce_keys.h"
#include "retrans.h"
#include "ratelimit.h"
#include "gruu.h"
#include "outbound.h"

/*
 * The store transaction of a group (batch.c): none yet, open (the
 * changes so far wait for its COMMIT), or lost (BEGIN failed, or an error
 * rolled it back: the changes of the group so far are gone, and the rest
 * of the group is refused rather than committed without them).
 */
enum txn_state { TXN_NONE, TXN_OPEN, TXN_LOST };

struct registrar {
	struct registrar_cfg cfg;
	struct registrar_hooks hooks;
	struct store *st;
	struct nonces *nonces;
	struct retrans *retrans;
	struct ratelimit *rl;
	struct gruu *gruu;
	struct flows *flows;		/* outbound bindings per connection */
	struct registrar_stats stats;
	uint64_t rng;
	enum txn_state txn;		/* the group's store transaction */
	bool txn_busy;			/* TXN_LOST: by another's lock */
	unsigned int group_n;		/* requests in the group */
	bool secondary;			/* a worker but the first: no purge */
	int64_t users_gen;		/* store_users_gen() last seen */
};

struct req {
	struct registrar *r;
	const struct registrar_time *now;
	enum registrar_transport transport;
	uint64_t flow;			/* the connection, 0: a datagram */
	const u8 *b;			/* the request as received */
	size_t len;
	struct sipmsg g;		/* any request: the general layer */
	struct sipreg_msg m;		/* a REGISTER: the shared parser */
	bool parsed;			/* m holds a well-formed REGISTER */
	struct sipreg_reply_src src;
	char src_text[INET6_ADDRSTRLEN];
	u8 addr16[16];			/* source, IPv4 mapped */
	char tag[REGISTRAR_TAG_LEN + 1];
	struct sipreg_reply rep;
	struct store_user user;
	char aor[STORE_AOR_MAX];
	/* of the Request-URI's domain (or the configured realm, none) */
	const struct registrar_domain *dom;	/* NULL: no domains */
	const char *realm;		/* challenges, credentials, users */
	const char *aor_host;		/* the AOR's host: domain or realm */
	bool pending;			/* its change waits for the COMMIT */
	bool from_cache;		/* answered from the retransmission cache */
	bool nc_used;			/* AUTH_NC_USED: a retransmission, or 401 */
	u8 *out;			/* where its response is */
	size_t size;
};

/*
 * The nonce keys, rotated or reloaded from the store when due, so that
 * all workers use the same (registrar.c).
 */
void regkeys_sync(struct registrar *r, const struct registrar_time *now);

/* Replies (registrar.c). */
void req_start(struct req *q, unsigned int code, const char *reason);
void req_hdr(struct req *q, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
size_t req_end(struct req *q);
size_t req_simple(struct req *q, unsigned int code, const char *reason);
/* 503 with Retry-After: the store is locked by another connection. */
size_t req_busy(struct req *q);
/* xorshift64 over r->rng: jitter, not secrets. */
u64 registrar_rand(struct registrar *r);

/* A request of a group (registrar.c, batch.c): NULL out of memory. */
struct req *req_new(struct registrar *r, const struct registrar_pkt *pkt,
		    const struct registrar_time *now, u8 *out, size_t size);
size_t req_dispatch(struct req *q, const struct registrar_pkt *pkt);
size_t req_trans_key(const struct req *q, u8 *key, size_t size);

/* Copies a span into a C string; false if it does not fit. */
bool span_str(const struct req *q, struct sipreg_span sp, char *out,
	      size_t size);

/* Digest authentication (auth.c). */
enum auth_result {
	AUTH_OK,
	AUTH_CHALLENGE,		/* 401 with a fresh nonce */
	AUTH_STALE,		/* 401 stale=true */
	AUTH_MALFORMED,		/* 400 */
	AUTH_ERROR,		/* store failed: 500 */
	AUTH_BUSY,		/* store locked: 503 */
	AUTH_NC_USED,		/* right answer, nonce count used before */
};

enum auth_result regauth_check(struct req *q);
size_t regauth_challenge(struct req *q, bool stale);
/* AUTH_NC_USED and not a retransmission: counted, logged, 401. */
size_t regauth_replayed(struct req *q);

/* Bindings, RFC 3261 10.3 steps 5 to 8 (bindings.c). */
size_t regbind_process(struct req *q);
/*
 * The group's store transaction (batch.c): batch_write_begin() before a
 * request's writes (BEGIN on the group's first, then a savepoint),
 * batch_write_end() after them (release, or roll back to the savepoint
 * when !@ok); both -1 when the request's change is not kept.
 */
int batch_write_begin(struct registrar *r);
int batch_write_end(struct registrar *r, bool ok);
/* After the COMMIT: kernel sync hears of the change (hooks.aor_changed). */
void regbind_announce(const struct req *q);
/* The COMMIT failed: the 200 of @q becomes 500 (503 @busy). */
size_t regbind_failed(struct req *q, bool busy);

#endif /* SIPREGD_REGISTRAR_PRIV_H */

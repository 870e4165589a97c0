/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sipreg-load: one simulated user agent. It knows which request comes next
 * (challenge, authenticated REGISTER, refresh), builds it, and judges each
 * response to it: a response either moves it on or is counted as wrong.
 * Scheduling (queues, timers, sockets) is the worker's business.
 */
#ifndef LG_UA_H
#define LG_UA_H

#include "sip.h"
#include "stats.h"
#include "users.h"

enum lg_mode {
	LG_MODE_REGISTER,	/* initial exchange once, then refreshes */
	LG_MODE_CHALLENGE,	/* only REGISTERs without credentials */
	LG_MODE_REFRESH,	/* initial exchange unmeasured, then refreshes */
	LG_MODE_ECHO,		/* challenge requests; any datagram carrying
				 * our branch back is the answer (the
				 * benchmark's floor echoes the request)
				 */
	LG_MODE_STORM,		/* register once like a phone after a power
				 * cut: 503 honoured, Timer F ends in a
				 * back-off and a new registration
				 */
};

#define LG_NONCE_MAX	128
#define LG_OPAQUE_MAX	64
#define LG_REALM_MAX	128

/* What all UAs of one thread share. */
struct lg_uactx {
	enum lg_mode mode;
	const struct lg_users *users;
	struct lg_str domain;
	struct lg_str host;		/* our address as in Via and Contact */
	u16 port;
	struct lg_str transport;	/* Via's: "TCP", "TLS"; len 0: UDP */
	struct lg_str want_realm;	/* len 0: accept the first one seen */
	enum sipreg_alg alg;
	u32 expires;
	u32 run;
	u32 thread;
	/* Realm of the first challenge: HA1s are cached for it. */
	char realm[LG_REALM_MAX];
	size_t realm_len;
};

enum lg_ua_state {
	LG_UA_READY,	/* queued to send its next request */
	LG_UA_WAIT,	/* a transaction in flight */
	LG_UA_IDLE,	/* registered, waiting for its refresh time */
	LG_UA_HOLD,	/* storm: waiting out a Retry-After or a back-off */
};

/* Where the UA goes once a response or a timeout ended its transaction. */
enum lg_next {
	LG_NEXT_WAIT,		/* not ended (provisional response) */
	LG_NEXT_FRESH,		/* start over with a challenge */
	LG_NEXT_URGENT,		/* answer a challenge now */
	LG_NEXT_REFRESH,	/* registered: refresh later */
	LG_NEXT_BUSY,		/* storm: 503, the same step after Retry-After */
	LG_NEXT_BACKOFF,	/* storm: timed out, a new registration later */
};

struct lg_ua {
	u64 t0;			/* first transmission of the transaction, ns */
	u64 cnonce;
	u32 user;		/* index in the user list */
	u32 cseq;
	u32 nc;
	u32 gen;
	u32 txn;
	u32 rto_ms;		/* retransmission interval */
	s32 retry_after;	/* of the last 503, seconds; -1: none */
	u32 failures;		/* storm: 503s and timeouts since the last 200 */
	u8 state;		/* enum lg_ua_state */
	u8 kind;		/* enum lg_kind of the next or current request */
	u8 alg;			/* enum sipreg_alg of the nonce */
	bool qop;
	bool ha1_ok;
	bool got_200;
	u8 nonce_len;
	u8 opaque_len;
	u8 ha1[SIPREG_HASH_MAX];
	char nonce[LG_NONCE_MAX];
	char opaque[LG_OPAQUE_MAX];
};

void lg_ua_init(struct lg_ua *ua, u32 user);

/*
 * Starts the UA's next transaction (new branch, CSeq + 1, nc + 1 with
 * credentials) and writes its request. Returns the length, 0 if it could
 * not be built.
 */
size_t lg_ua_begin(struct lg_ua *ua, u32 idx, const struct lg_uactx *c,
		   char *out, size_t cap);

/* The request in flight again, byte for byte, for a retransmission. */
size_t lg_ua_request(const struct lg_ua *ua, u32 idx,
		     const struct lg_uactx *c, char *out, size_t cap);

/*
 * Judges a response to the transaction in flight (the caller matched the
 * branch) and counts it in st. now is for the latency.
 */
enum lg_next lg_ua_response(struct lg_ua *ua, u32 idx, struct lg_uactx *c,
			    const struct lg_resp *r, struct lg_stats *st,
			    u64 now);

/* Echo mode: our request came back; it ends the transaction. */
enum lg_next lg_ua_echo(struct lg_ua *ua, struct lg_stats *st, u64 now);

/*
 * The transaction in flight timed out (Timer F). Storm mode: the UA holds
 * (LG_NEXT_BACKOFF) and registers anew from the challenge.
 */
enum lg_next lg_ua_timeout(struct lg_ua *ua, const struct lg_uactx *c,
			   struct lg_stats *st);

#endif /* LG_UA_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The registrar (RFC 3261 section 10.3) as a function from a datagram to
 * the bytes to send back: registrar_handle() serves both the UDP socket
 * and, later, misses the kernel forwards over netlink. Every change of
 * bindings or nonce keys is committed to the store and then announced
 * through struct registrar_hooks, the one place kernel sync plugs in.
 */
#ifndef SIPREGD_REGISTRAR_H
#define SIPREGD_REGISTRAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "store/store.h"

/* Bytes of a domain name: SIPREG_DOMAIN_MAX of the kernel's table. */
#define REGISTRAR_DOMAIN_MAX	128
#define REGISTRAR_DOMAINS_MAX	64

/* A domain served (domain.h): its lowercase name and its realm. */
struct registrar_domain {
	char name[REGISTRAR_DOMAIN_MAX + 1];
	char realm[STORE_NAME_MAX];
};

struct registrar_cfg {
	char realm[STORE_NAME_MAX];	/* with no domain: the one realm */
	/*
	 * None: any Request-URI host, the realm above, AOR sip:USER@REALM.
	 * Else the Request-URI's host picks one (404 if none), whose realm
	 * and name make the challenge and the AOR sip:USER@DOMAIN.
	 */
	unsigned int n_domains;
	struct registrar_domain domains[REGISTRAR_DOMAINS_MAX];
	uint32_t min_expires;		/* below: 423 Interval Too Brief */
	uint32_t default_expires;
	uint32_t max_expires;		/* above: clamped */
	uint32_t max_contacts;		/* per AOR; above: 403 */
	uint32_t nonce_lifetime;
	bool alg_md5, alg_sha256;
	/*
	 * The order of the challenges when both are offered: RFC 8760 asks
	 * for the preferred one first, but sipp and many phones read only
	 * the first and know MD5 only, so MD5 comes first unless asked.
	 */
	bool sha256_first;
	uint32_t expiry_jitter;		/* percent taken off granted expiry */
	/* 401s per second and source (/32, /64), burst, all sources; 0: none */
	uint32_t challenge_rate, challenge_burst, challenge_rate_global;
	size_t retrans_bytes;		/* retransmission cache, 0: default */
	/*
	 * The Flow-Timer header (RFC 5626) of a 200 that carries Require:
	 * outbound: the seconds within which the UA keeps its flow alive
	 * (CRLF pings on a stream, STUN over UDP). 0: no Flow-Timer.
	 */
	uint32_t flow_timer;
};

/*
 * The request that changed an AOR's bindings: the contacts it wrote carry
 * its Call-ID and CSeq, and were authorised with a nonce issued at
 * @nonce_time (CLOCK_BOOTTIME microseconds; 0 without qop). Kernel sync hands
 * the time on, so that the fast path goes on counting that nonce.
 */
struct registrar_change {
	const char *aor;
	const char *call_id;
	uint32_t cseq;
	uint64_t nonce_time;
};

/*
 * Called after the store committed. @aor_changed: the bindings of
 * @ch->aor changed (re-read them with store_binding_each()). @keys_changed: the
 * nonce keys rotated. @users_changed: another process changed the store
 * (users added or removed with "sipregd user ..."). Any may be NULL.
 */
struct registrar_hooks {
	void (*aor_changed)(void *arg, const struct registrar_change *ch);
	void (*keys_changed)(void *arg);
	void (*users_changed)(void *arg);
	void *arg;
};

/*
 * CLOCK_REALTIME for binding expiry, Date and nonces (the clock gateways
 * sharing a database have in common: a nonce one issued verifies at the
 * others); CLOCK_BOOTTIME, which no one sets, for rate limits.
 */
struct registrar_time {
	int64_t wall;
	uint32_t wall_usec;	/* below 1000000 */
	uint32_t boot;
};

/* What a request came over: sips: is served over TLS only (RFC 3261 26.2). */
enum registrar_transport {
	REGISTRAR_UDP = 0,
	REGISTRAR_TCP,
	REGISTRAR_TLS,
};

struct registrar_pkt {
	const uint8_t *data;
	size_t len;
	const struct sockaddr *src;	/* sockaddr_in or sockaddr_in6 */
	const struct sockaddr *local;	/* may be NULL */
	enum registrar_transport transport;	/* 0: UDP */
	/*
	 * The connection it came on (RFC 5626 flow), unique for the life of
	 * the daemon; 0 for a datagram, whose flow is its source address.
	 */
	uint64_t flow;
};

struct registrar_stats {
	uint64_t requests, registers, responses_ignored, dropped;
	uint64_t retransmissions, challenges, auth_failures, unknown_users;
	uint64_t nc_replays, stale_nonces, bad_requests, store_errors;
	uint64_t store_busy;		/* 503: the store was locked */
	uint64_t unknown_domains;	/* 404: Request-URI or To domain */
	uint64_t rate_limited;		/* 401s not sent: challenge_rate */
	uint64_t retransmitted_commits;	/* committed REGISTER again: 200 */
	uint64_t status[7];		/* by class: [2] = 2xx ... */
	/* RFC 5626: outbound bindings made or refreshed, 439s sent */
	uint64_t outbound_registrations, outbound_first_hop_439;
	/* bindings removed because the connection they were bound to closed */
	uint64_t flows_closed;
	/* group commits, and the microseconds they took (the database's) */
	uint64_t db_commits, db_commit_us, db_commit_us_max;
};

/* 16 + 1 hex digits: the To tag the registrar adds. */
#define REGISTRAR_TAG_LEN	16
/* Largest response: a full AOR with Path and instances. */
#define REGISTRAR_RESP_MAX	65000

struct registrar;

struct registrar *registrar_new(const struct registrar_cfg *cfg,
				struct store *st,
				const struct registrar_hooks *hooks,
				const struct registrar_time *now,
				unsigned int retrans_entries);
void registrar_free(struct registrar *r);
void registrar_set_cfg(struct registrar *r, const struct registrar_cfg *cfg);

/*
 * Returns the length of the response written to @out (to be sent to
 * pkt->src from pkt->local), 0 when nothing is to be sent.
 */
size_t registrar_handle(struct registrar *r, const struct registrar_pkt *pkt,
			const struct registrar_time *now, uint8_t *out,
			size_t size);

/*
 * Group commit: several requests that are ready (a drained socket, a
 * burst of misses) answered as one group. Their changes go into one store
 * transaction, a savepoint each (one request's failure undoes its change
 * alone), committed once; only then are the responses final and the
 * hooks told. A change that did not become durable is answered 500 (503
 * when the store was locked), never 200. Requests are handled in order,
 * so a later one sees an earlier one's bindings and, if it is the same
 * transaction again, its cached response. registrar_handle() is a group
 * of one.
 */
#define REGISTRAR_BATCH_MAX	64

struct registrar_batch_item {
	struct registrar_pkt pkt;	/* its data must live until the return */
	uint8_t *out;			/* the response is written here */
	size_t size;
	size_t len;			/* set: bytes to send, 0 none */
};

/* At most REGISTRAR_BATCH_MAX items; when it returns, send every answer. */
void registrar_handle_batch(struct registrar *r,
			    struct registrar_batch_item *items, unsigned int n,
			    const struct registrar_time *now);

/*
 * A message on a stream that goes past the stream's limit (RFC 3261
 * 18.3, stream_max_message): @pkt holds what arrived of it, headers
 * complete or not. A request whose header lines (the whole ones) name
 * its transaction gets 513 Message Too Large (21.5.11); anything else
 * 0. The caller closes the connection after it: the framing is lost.
 */
size_t registrar_too_large(struct registrar *r,
			   const struct registrar_pkt *pkt,
			   const struct registrar_time *now, uint8_t *out,
			   size_t size);

/* Once a second: key rotation, purge of expired bindings, store changes. */
void registrar_tick(struct registrar *r, const struct registrar_time *now);
/*
 * One of several workers on one store (the default: the only one, or
 * the first): only the primary purges expired bindings and nonce counts
 * and watches the users for kernel sync; every worker keeps its nonce
 * keys in step with the store.
 */
void registrar_set_primary(struct registrar *r, bool primary);

const struct registrar_stats *registrar_stats(const struct registrar *r);

/*
 * The connection @flow (registrar_pkt.flow) closed: the outbound bindings
 * registered over it are gone with it (RFC 5626 sections 5.3 and 7) and
 * are removed from the store, unless a later registration replaced them.
 */
void registrar_flow_closed(struct registrar *r, uint64_t flow);

/*
 * The nonce keys in use (kmod/sip/nonce.h layout: two u64 each, host order)
 * and the generation of @cur, for kernel sync (SIPREG_CMD_NONCE_KEYS_SET).
 */
void registrar_nonce_keys(const struct registrar *r, uint64_t cur[2],
			  uint64_t prev[2], uint32_t *gen);

/* The registrar's current time: CLOCK_REALTIME and CLOCK_BOOTTIME. */
void registrar_now(struct registrar_time *now);

#endif /* SIPREGD_REGISTRAR_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sipreg-load: the SIP text of the load generator. Builds REGISTER requests
 * (with or without Digest credentials) and scans the responses to them.
 * The scanner is a client's: it finds what a UA must check in a response
 * to its own request (status, top Via branch, Call-ID, CSeq, To tag,
 * WWW-Authenticate challenges, Contact list) and nothing else.
 */
#ifndef LG_SIP_H
#define LG_SIP_H

#include "shim.h"
#include "hash.h"

struct lg_str {
	const char *p;
	size_t len;
};

#define LG_STR(lit)	((struct lg_str){ lit, sizeof(lit) - 1 })

/* What identifies one request of one UA; encoded in branch, Call-ID, tag. */
struct lg_ids {
	u32 run;	/* random per run: answers from older runs never match */
	u32 thread;
	u32 ua;		/* index of the UA in its thread */
	u32 gen;	/* registration generation: a new Call-ID */
	u32 txn;	/* transaction: a new branch */
};

/* Credentials to send: every string as it goes on the wire, unquoted. */
struct lg_cred {
	struct lg_str user;
	struct lg_str realm;
	struct lg_str nonce;
	struct lg_str opaque;		/* len 0: not sent */
	enum sipreg_alg alg;
	bool qop;			/* qop=auth with nc and cnonce */
	u32 nc;
	u64 cnonce;
	const u8 *ha1;			/* sipreg_hash_len(alg) bytes */
};

struct lg_req {
	struct lg_ids ids;
	struct lg_str domain;		/* Request-URI host and AOR domain */
	struct lg_str user;
	struct lg_str host;		/* our address, [v6] in brackets */
	u16 port;
	struct lg_str transport;	/* Via: "UDP" (len 0), "TCP", "TLS" */
	u32 cseq;
	u32 expires;
	const struct lg_cred *cred;	/* NULL: no Authorization */
};

/* Longest request lg_sip_build() writes with 128-byte names and nonces. */
#define LG_REQ_MAX	2048

/*
 * Writes the request into out. Returns its length, or 0 if it does not fit
 * in cap or the digest cannot be computed.
 */
size_t lg_sip_build(char *out, size_t cap, const struct lg_req *q);

/* The Call-ID lg_sip_build() writes for ids (gen matters, txn does not). */
size_t lg_sip_call_id(char *out, size_t cap, const struct lg_ids *ids);

/* Decodes a branch that lg_sip_build() wrote. */
bool lg_sip_branch_ids(struct lg_str branch, struct lg_ids *ids);

/*
 * Echo mode: the top Via branch of a request that came back unchanged.
 * Returns 0, or -1 if buf is not a REGISTER with a branch.
 */
int lg_sip_echo_branch(const char *buf, size_t len, struct lg_str *branch);

/* One Digest challenge of a WWW-Authenticate field. */
struct lg_chal {
	struct lg_str realm;
	struct lg_str nonce;
	struct lg_str opaque;
	struct lg_str algorithm;	/* len 0: absent, which means MD5 */
	bool qop_auth;			/* qop list contains "auth" */
	bool stale;
};

#define LG_MAX_CHAL		4
#define LG_MAX_CONTACT_FIELDS	8

struct lg_resp {
	int status;			/* 100..699 */
	struct lg_str branch;		/* of the top Via */
	struct lg_str call_id;
	struct lg_str cseq_method;
	u32 cseq;
	s64 retry_after;		/* seconds; -1: no Retry-After */
	bool to_tag;
	u8 n_chal;
	u8 n_contact;
	struct lg_chal chal[LG_MAX_CHAL];
	struct lg_str contact[LG_MAX_CONTACT_FIELDS];	/* field values */
};

/*
 * Scans one response datagram. Unfolds continuation lines in place (CRLF
 * before a space or tab becomes spaces), so buf is modified. Returns 0, or
 * -1 if it is not a well-formed response to us (no status line, no empty
 * line, no Via/Call-ID/CSeq, bad CSeq number).
 */
int lg_sip_scan(char *buf, size_t len, struct lg_resp *r);

/*
 * Looks for the Contact entry whose URI equals uri in the response's
 * Contact fields. Returns true if found; *expires is its expires parameter,
 * or -1 if the entry has none.
 */
bool lg_sip_contact(const struct lg_resp *r, struct lg_str uri, s64 *expires);

/* "MD5", "SHA-256" or absent (MD5), any case; false for other algorithms. */
bool lg_sip_alg(struct lg_str s, enum sipreg_alg *alg);

/* Writes our Contact URI (without <>) for user at host:port. */
size_t lg_sip_contact_uri(char *out, size_t cap, struct lg_str user,
			  struct lg_str host, u16 port);

#endif /* LG_SIP_H */

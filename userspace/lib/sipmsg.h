/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The general SIP message layer of userspace: any request or response, of
 * any method, up to the largest UDP datagram. It decides what RFC 3261
 * section 8.2 needs before a method is served — whether the message is a
 * response (never answered), whether it is well-formed (else 400 naming
 * the defect, 505 for another SIP version, 513 beyond our limits), the
 * Request-URI's scheme (416), the method, the Require option tags — and
 * keeps the transaction fields (every Via hop, From, To, Call-ID, CSeq)
 * needed to answer it. REGISTER's own fields (Contact, Authorization,
 * Expires...) are read afterwards by the shared parser, kmod/sip/parser.c,
 * which the module also runs and which stays bounded for it.
 *
 * Zero-copy: spans are offsets into the caller's buffer.
 */
#ifndef SIPMSG_H
#define SIPMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reply.h"

/* A UDP datagram (IPv4 65507, IPv6 65527 bytes) always fits. */
#define SIPMSG_MAX_LEN		65535
#define SIPMSG_MAX_HEADERS	256	/* header fields, folds count once */
#define SIPMSG_MAX_VIAS		64	/* Via hops over all Via fields */
#define SIPMSG_MAX_REQUIRE	16	/* Require fields */

struct sipmsg_span {
	uint32_t off;
	uint32_t len;
};

/* Methods this layer names; anything else is SIPMSG_UNKNOWN (501). */
enum sipmsg_method {
	SIPMSG_UNKNOWN = 0,
	SIPMSG_REGISTER,
	SIPMSG_OPTIONS,
	SIPMSG_ACK,
	SIPMSG_CANCEL,
	SIPMSG_OTHER_KNOWN,	/* INVITE, BYE, ... (RFC 3261 and the IANA
				 * registry): known, not served by a registrar
				 */
};

/* A From or To value. */
struct sipmsg_addr {
	struct sipmsg_span value;
	struct sipmsg_span tag;		/* len 0: no tag */
};

/* The top Via hop, for the response's received and rport (RFC 3581). */
struct sipmsg_via {
	struct sipmsg_span host;	/* sent-by host, IPv6 with brackets */
	struct sipmsg_span branch;
	struct sipmsg_span received;	/* the value */
	struct sipmsg_span rport;	/* ";rport" or ";rport=N", whole */
	bool has_rport;
};

struct sipmsg {
	bool response;
	enum sipmsg_method method_id;
	struct sipmsg_span method;
	struct sipmsg_span ruri;
	struct sipmsg_span scheme;	/* of the Request-URI */
	bool sip_uri;			/* sip: or sips: (else 416) */
	struct sipmsg_span vias[SIPMSG_MAX_VIAS];
	unsigned int n_vias;
	struct sipmsg_via via;
	struct sipmsg_addr from, to;
	struct sipmsg_span call_id;
	struct sipmsg_span cseq_value;	/* the whole value, as sent */
	struct sipmsg_span cseq_method;
	uint32_t cseq;
	bool has_cseq;			/* number and method parsed */
	struct sipmsg_span require[SIPMSG_MAX_REQUIRE];
	unsigned int n_require;
	uint32_t content_length;	/* body bytes present if absent */
	bool has_content_length;
	uint32_t body_off;
	unsigned int n_headers;
	/* a bad message: the status to answer and the defect, else 0, "" */
	unsigned int status;
	const char *defect;
	uint32_t err_off;
};

/*
 * Parses one datagram. Returns 0 for a well-formed request or for any
 * response (m->response), else the status the request gets (400, 505 or
 * 513) with m->defect, a stable name such as "missing_call_id" or
 * "cseq_method_mismatch". What comes after a well-formed message — the
 * method (405, 501), the Request-URI scheme (m->sip_uri, else 416), the
 * Require tags (420) — is the caller's, in RFC 3261 8.2's order. Whatever the verdict, the transaction fields
 * found are filled in: sipmsg_answerable() says whether they suffice.
 * Never reads outside [buf, buf + len), never allocates, never recurses.
 */
unsigned int sipmsg_parse(const uint8_t *buf, size_t len, struct sipmsg *m);

/*
 * Whether a response can be sent: a parsed top Via (where to send it)
 * and a CSeq (what it answers). From, To and Call-ID are copied when
 * present (RFC 3261 8.2.6.2); a request missing one gets a 400 saying so.
 */
bool sipmsg_answerable(const struct sipmsg *m);

/* The option tags of Require that @supported does not list (comma list). */
size_t sipmsg_unsupported(const uint8_t *buf, const struct sipmsg *m,
			  bool (*supported)(const uint8_t *tag, size_t n),
			  char *out, size_t size);

/*
 * Status line and the transaction fields of the response to @m: every Via
 * hop (the top one with received and rport, as kmod/sip/reply.c writes
 * them), From, To (with ";tag=" @tag when it had none), Call-ID, CSeq.
 */
void sipmsg_reply_start(struct sipreg_reply *r, const uint8_t *buf,
			const struct sipmsg *m, unsigned int code,
			const char *reason,
			const struct sipreg_reply_src *src,
			const char *tag, size_t tag_len);

#endif /* SIPMSG_H */

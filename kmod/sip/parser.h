/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SIP REGISTER parser shared by sipreg.ko and userspace.
 *
 * Zero-copy: every field is a span (offset, length) into the datagram handed
 * to sipreg_parse(). Offsets rather than pointers because the datagram is
 * bounded by SIPREG_MAX_LEN, so 16 bits suffice: a span is 4 bytes instead of
 * 16, the result stays well under 1 KB, and it remains valid if the caller
 * copies the datagram elsewhere. A span with len 0 means "absent" unless a
 * flag says otherwise.
 *
 * Spans are trimmed of surrounding whitespace. Inside a span a folded line
 * keeps its CRLF and leading whitespace verbatim (legal, since it was legal on
 * input), so a Via hop copied into a response stays valid. Quoted strings
 * (display names, digest parameters, +sip.instance) are returned without
 * their quotes but with backslash escapes left in place: compare them with
 * sipreg_span_eq_unquoted() or copy them with sipreg_span_unquote().
 *
 * What "well-formed REGISTER" (SIPREG_OK) means here, beyond the grammar:
 * - Via, From, To, Call-ID and CSeq are mandatory; Max-Forwards is optional
 *   (a registrar is the UAS, and phones that omit it exist); Content-Length
 *   is optional (UDP: the body is the rest of the datagram) and must not
 *   exceed the bytes present (fewer is fine: the rest is ignored, RFC 3261
 *   18.3).
 * - Lines end in CRLF; a NUL is allowed only in the body.
 * - The Request-URI is sip: or sips: without headers ('?'); its userinfo is
 *   not checked. The CSeq method equals the request method, byte for byte.
 * - A single-valued field (From, To, Call-ID, CSeq, Max-Forwards, Expires,
 *   User-Agent, Content-Length) may repeat only with identical bytes.
 * - "Contact: *" must be the only contact, with "Expires: 0" (RFC 3261 10.3).
 * - Path values are kept, not parsed; nor are other schemes than Digest in
 *   Authorization. Unknown fields are skipped (their names must be tokens).
 */
#ifndef SIPREG_PARSER_H
#define SIPREG_PARSER_H

#include "shim.h"

/*
 * Hard limits. RFC 3261 section 18.1.1 sends anything within 200 bytes of
 * the path MTU (or above 1300 bytes) over TCP, so a UDP REGISTER is well
 * under 1500 bytes in practice; 4096 leaves room for long Path/Via chains and
 * SHA-256 credentials, is one page, and keeps offsets in a u16. Larger
 * datagrams get SIPREG_TOO_LARGE and go to the daemon's normal stack.
 */
#define SIPREG_MAX_LEN		4096
/* The most a u16 span can address: sipreg_parse_max()'s ceiling. */
#define SIPREG_SPAN_MAX		65535
#define SIPREG_MAX_HEADERS	64	/* header fields, folded lines count once */
#define SIPREG_MAX_LINE		1024	/* one header field, folds included */
#define SIPREG_MAX_VIAS		8	/* Via hops, over all Via header fields */
#define SIPREG_MAX_CONTACTS	8	/* Contact entries, over all fields */
#define SIPREG_MAX_PARAMS	16	/* ;params per element, digest params */
#define SIPREG_MAX_REPEAT	4	/* fields of Require, Supported, Path... */
#define SIPREG_MAX_DIGITS	10	/* significant digits of any number */

/* Verdicts: dense, 0 is success; sipreg_verdict_name() gives a stable name. */
enum sipreg_verdict {
	SIPREG_OK = 0,
	SIPREG_NOT_REGISTER,		/* a request with another method */
	SIPREG_RESPONSE,		/* a SIP response */
	SIPREG_TOO_LARGE,		/* > SIPREG_MAX_LEN */
	SIPREG_TRUNCATED,		/* no empty line after the headers */
	SIPREG_NUL_BYTE,		/* NUL in the start line or headers */
	SIPREG_BAD_LINE_ENDING,		/* LF without CR */
	SIPREG_BAD_REQUEST_LINE,
	SIPREG_BAD_VERSION,		/* not SIP/2.0 */
	SIPREG_BAD_URI,			/* bad character or escape in a URI */
	SIPREG_BAD_URI_SCHEME,		/* Request-URI is not sip: or sips: */
	SIPREG_LINE_TOO_LONG,
	SIPREG_TOO_MANY_HEADERS,
	SIPREG_TOO_MANY_VIAS,
	SIPREG_TOO_MANY_CONTACTS,
	SIPREG_TOO_MANY_PARAMS,
	SIPREG_BAD_HEADER,		/* bad field name or list value */
	SIPREG_BAD_VIA,
	SIPREG_BAD_FROM,
	SIPREG_BAD_TO,
	SIPREG_BAD_CALL_ID,
	SIPREG_BAD_CSEQ,
	SIPREG_CSEQ_METHOD_MISMATCH,
	SIPREG_BAD_CONTACT,		/* also: '*' not alone or Expires != 0 */
	SIPREG_BAD_AUTH,
	SIPREG_BAD_NUMBER,		/* not digits, negative, above maximum */
	SIPREG_UNTERMINATED_QUOTE,
	SIPREG_DUPLICATE_HEADER,	/* single-valued field repeated, differs */
	SIPREG_CONTENT_LENGTH_MISMATCH,	/* Content-Length > bytes present */
	SIPREG_MISSING_VIA,
	SIPREG_MISSING_FROM,
	SIPREG_MISSING_TO,
	SIPREG_MISSING_CALL_ID,
	SIPREG_MISSING_CSEQ,
	SIPREG_VERDICT_MAX
};

struct sipreg_span {
	u16 off;
	u16 len;
};

/* Top Via hop. */
#define SIPREG_VIA_RPORT	0x01	/* rport present */
#define SIPREG_VIA_RPORT_VALUE	0x02	/* rport=N */
#define SIPREG_VIA_PORT		0x04	/* sent-by has a port */

struct sipreg_via {
	struct sipreg_span transport;	/* "UDP", as written */
	struct sipreg_span host;	/* sent-by host, IPv6 with brackets */
	struct sipreg_span branch;
	struct sipreg_span received;
	struct sipreg_span rport_param;	/* ";rport" or ";rport=N" */
	u16 port;
	u16 rport;
	u8 flags;
};

/* From, To and the name-addr part of a Contact. */
struct sipreg_nameaddr {
	struct sipreg_span value;	/* whole field value */
	struct sipreg_span display;	/* quotes stripped, escapes kept */
	struct sipreg_span uri;		/* without <> */
	struct sipreg_span tag;
};

#define SIPREG_CONTACT_STAR	0x01	/* "Contact: *" (then the only one) */
#define SIPREG_CONTACT_EXPIRES	0x02
#define SIPREG_CONTACT_Q	0x04
#define SIPREG_CONTACT_REG_ID	0x08
#define SIPREG_CONTACT_INSTANCE	0x10
#define SIPREG_CONTACT_EXPIRES_MALFORMED 0x20	/* taken as 3600 (lenient) */

struct sipreg_msg_contact {
	struct sipreg_span value;	/* the whole entry, params included */
	struct sipreg_span display;
	struct sipreg_span uri;
	struct sipreg_span instance;	/* +sip.instance, quotes stripped */
	u32 expires;
	u32 reg_id;
	u16 q;				/* thousandths: q=0.5 is 500 */
	u8 flags;
};

#define SIPREG_AUTH_PRESENT	0x01
#define SIPREG_AUTH_DIGEST	0x02	/* scheme is Digest; else only scheme */
#define SIPREG_AUTH_NC		0x04

/*
 * Digest credentials. Values are spans of the inner bytes of quoted strings
 * (or of tokens: algorithm=MD5, qop=auth, nc). A Digest Authorization field
 * has at least username, realm, nonce, uri and response; with qop also
 * cnonce and nc. Unknown parameters are skipped.
 */
struct sipreg_auth {
	struct sipreg_span scheme;
	struct sipreg_span username;
	struct sipreg_span realm;
	struct sipreg_span nonce;
	struct sipreg_span uri;
	struct sipreg_span response;
	struct sipreg_span algorithm;
	struct sipreg_span cnonce;
	struct sipreg_span opaque;
	struct sipreg_span qop;
	struct sipreg_span nc_text;	/* as sent: the digest hashes it */
	u32 nc;
	u8 flags;
};

/* Values of a list field that may be repeated (Require, Supported, Path). */
struct sipreg_list {
	struct sipreg_span v[SIPREG_MAX_REPEAT];
	u8 n;
};

#define SIPREG_MSG_MAX_FORWARDS		0x01
#define SIPREG_MSG_EXPIRES		0x02
#define SIPREG_MSG_CONTENT_LENGTH	0x04
#define SIPREG_MSG_EXPIRES_MALFORMED	0x08	/* taken as 3600 (lenient) */

/*
 * sipreg_parse_opts() options. SIPREG_PARSE_LENIENT_EXPIRES: a malformed
 * Expires header value or Contact expires parameter (not digits, above
 * 2^32-1) is taken as SIPREG_MALFORMED_EXPIRES and flagged, rather than
 * SIPREG_BAD_NUMBER: RFC 3261 20.10 "Malformed values SHOULD be treated
 * as equivalent to 3600". sipregd reads REGISTERs so; the module's fast
 * path stays strict and hands such a request to the daemon.
 */
#define SIPREG_PARSE_LENIENT_EXPIRES	0x01
#define SIPREG_MALFORMED_EXPIRES	3600

struct sipreg_msg {
	struct sipreg_span method;
	struct sipreg_span ruri;
	struct sipreg_via via;			/* top hop, parsed */
	struct sipreg_span vias[SIPREG_MAX_VIAS]; /* every hop, verbatim */
	struct sipreg_nameaddr from;
	struct sipreg_nameaddr to;
	struct sipreg_span call_id;
	struct sipreg_span cseq_method;
	u32 cseq;
	u32 expires;
	u32 content_length;		/* body bytes present if absent */
	struct sipreg_msg_contact contacts[SIPREG_MAX_CONTACTS];
	struct sipreg_auth auth;	/* the first Authorization field;
					 * later ones are checked, not kept
					 */
	struct sipreg_list require;
	struct sipreg_list proxy_require;
	struct sipreg_list supported;
	struct sipreg_list path;	/* field values, not parsed further */
	struct sipreg_span user_agent;
	u16 body_off;
	u16 err_off;			/* where a bad verdict was decided,
					 * 0 for OK
					 */
	u8 max_forwards;
	u8 n_vias;
	u8 n_contacts;
	u8 n_auth;			/* Authorization fields seen */
	u8 flags;
	u8 opts;			/* SIPREG_PARSE_*, as given */
};

/*
 * Parses one datagram. Fills *m (also on failure, up to the point where the
 * verdict was decided; then m->err_off says where). For SIPREG_RESPONSE and
 * SIPREG_NOT_REGISTER only the start line is looked at. Never reads outside
 * [buf, buf + len), never allocates, never recurses.
 */
enum sipreg_verdict sipreg_parse(const u8 *buf, size_t len,
				 struct sipreg_msg *m);

/*
 * The same for a datagram of up to @max_len bytes (SIPREG_SPAN_MAX at
 * most), with every other bound unchanged: sipregd reads REGISTERs up to
 * the UDP maximum, the module stays at SIPREG_MAX_LEN.
 */
enum sipreg_verdict sipreg_parse_max(const u8 *buf, size_t len,
				     size_t max_len, struct sipreg_msg *m);

/* The same with SIPREG_PARSE_* @opts. */
enum sipreg_verdict sipreg_parse_opts(const u8 *buf, size_t len,
				      size_t max_len, unsigned int opts,
				      struct sipreg_msg *m);

/*
 * Parses an Authorization field value: [buf, buf + len) is the value alone
 * (after "Authorization:"), spans in *a are relative to buf. Returns
 * SIPREG_OK, SIPREG_BAD_AUTH, SIPREG_UNTERMINATED_QUOTE,
 * SIPREG_TOO_MANY_PARAMS or SIPREG_TOO_LARGE.
 */
enum sipreg_verdict sipreg_parse_auth(const u8 *buf, size_t len,
				      struct sipreg_auth *a);

const char *sipreg_verdict_name(enum sipreg_verdict v);

/* True if the comma list(s) in l contain tok (case-insensitive). */
bool sipreg_list_has(const u8 *buf, const struct sipreg_list *l,
		     const char *tok, size_t toklen);
#define sipreg_list_has_lit(buf, l, lit) \
	sipreg_list_has(buf, l, lit, sizeof(lit) - 1)

/*
 * The user part of a sip: or sips: URI ("sip:alice;x=y@host" gives
 * "alice": user-params are not part of the name), for the address of
 * record "sip:USER@REALM" that the module and sipregd both use. False if
 * the URI has no user part.
 */
bool sipreg_uri_user(const u8 *buf, struct sipreg_span uri,
		     struct sipreg_span *user, bool *sips);

/*
 * The host of a SIP URI without user part, port, parameters or headers
 * ("sip:alice@Example.COM:5060;transport=udp" gives "Example.COM", an
 * IPv6 reference keeps its brackets), as written: the domain a
 * Request-URI names. False if there is none.
 */
bool sipreg_uri_host(const u8 *buf, struct sipreg_span uri,
		     struct sipreg_span *host);

/*
 * Whether [buf, buf + len) is, as a whole, a URI the Contact parser takes
 * between < and > (what sipregd stores and installs): scheme ":" and URI
 * characters or escapes, nothing else.
 */
bool sipreg_contact_uri_valid(const u8 *buf, size_t len);

/* The inner bytes of a quoted string, unescaped, equal s[0..n)? */
bool sipreg_span_eq_unquoted(const u8 *buf, struct sipreg_span sp,
			     const u8 *s, size_t n);

/*
 * Copies the unescaped inner bytes of a quoted string to out. Returns their
 * length, or -1 if they do not fit in outlen.
 */
int sipreg_span_unquote(const u8 *buf, struct sipreg_span sp,
			u8 *out, size_t outlen);

#endif /* SIPREG_PARSER_H */

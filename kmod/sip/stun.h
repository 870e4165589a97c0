/* SPDX-License-Identifier: GPL-2.0 */
/*
 * STUN keepalives on a SIP port (RFC 5626 sections 3.5 and 4.4.2): a
 * Binding request (RFC 5389) is answered with a Binding success response
 * carrying XOR-MAPPED-ADDRESS, the address and port the request came
 * from. Shared by sipreg.ko and sipregd; no allocation, every read
 * bounded by the datagram's length.
 *
 * What is answered: a Binding request (type 0x0001, magic cookie, length
 * a multiple of 4 and the rest of the datagram) whose attributes are all
 * comprehension-optional (0x8000-0xFFFF), with a correct FINGERPRINT, if
 * any, as its last attribute. Anything else that looks like STUN is not
 * answered: a request with a comprehension-required attribute (USERNAME,
 * MESSAGE-INTEGRITY, PRIORITY, CHANGE-REQUEST...) is not a keepalive, and
 * its 420 (RFC 5389 7.3.1) is left out on purpose, so that an answer is
 * never more than a Binding success response of fixed, small size.
 */
#ifndef SIPREG_STUN_H
#define SIPREG_STUN_H

#include "shim.h"

#define SIPREG_STUN_HDR_LEN	20
#define SIPREG_STUN_COOKIE	0x2112A442u
#define SIPREG_STUN_TXID_LEN	12
/* Header, XOR-MAPPED-ADDRESS of an IPv6 address, FINGERPRINT. */
#define SIPREG_STUN_RESP_MAX	(SIPREG_STUN_HDR_LEN + 24 + 8)

enum sipreg_stun_kind {
	SIPREG_STUN_NOT,	/* not a STUN message: SIP, or anything else */
	SIPREG_STUN_BINDING,	/* a Binding request to answer */
	SIPREG_STUN_IGNORED,	/* STUN, but not answered (see above) */
};

/* What the answer needs from the request. */
struct sipreg_stun_req {
	u8 txid[SIPREG_STUN_TXID_LEN];
	bool fingerprint;
};

/* The request's source: @family 4 or 6, @addr and @port in network order. */
struct sipreg_stun_addr {
	u8 family;
	u8 addr[16];
	u8 port[2];
};

/*
 * Reads the UDP payload @p of @len bytes. Fills @req for
 * SIPREG_STUN_BINDING only.
 */
enum sipreg_stun_kind sipreg_stun_classify(const u8 *p, size_t len,
					   struct sipreg_stun_req *req);

/*
 * The Binding success response into @buf (@size bytes; SIPREG_STUN_RESP_MAX
 * is always enough). Returns its length, or -1 if it does not fit or the
 * family is neither 4 nor 6.
 */
int sipreg_stun_response(const struct sipreg_stun_req *req,
			 const struct sipreg_stun_addr *mapped,
			 u8 *buf, size_t size);

/*
 * A datagram of "\r\n" or "\r\n\r\n" only: the keepalive RFC 5626 section
 * 4.4.1 defines for streams, which phones also send over UDP.
 */
bool sipreg_stun_is_crlf(const u8 *p, size_t len);

/* CRC-32 (ISO HDLC, as zlib's crc32()) of @len bytes. */
u32 sipreg_stun_crc32(const u8 *p, size_t len);

#endif /* SIPREG_STUN_H */

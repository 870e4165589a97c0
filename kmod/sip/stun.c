// SPDX-License-Identifier: GPL-2.0
/*
 * STUN Binding requests as SIP keepalives (RFC 5626 4.4.2, RFC 5389):
 * recognised and answered. Offsets, not pointers; every read checked
 * against the datagram's length before it is made.
 */
#include "shim.h"
#include "stun.h"

#define TYPE_BINDING_REQUEST	0x0001
#define TYPE_BINDING_SUCCESS	0x0101
#define ATTR_XOR_MAPPED_ADDRESS	0x0020
#define ATTR_FINGERPRINT	0x8028
/* Below this an attribute is comprehension-required (RFC 5389 15). */
#define ATTR_OPTIONAL_MIN	0x8000
#define FINGERPRINT_XOR		0x5354554eu

static u16 get16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static u32 get32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void put16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(u8 *p, u32 v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

/* Reflected polynomial 0xEDB88320, four bits at a time. */
static const u32 crc_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
	0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

u32 sipreg_stun_crc32(const u8 *p, size_t len)
{
	u32 crc = 0xffffffffu;
	size_t i;

	for (i = 0; i < len; i++) {
		crc ^= p[i];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
	}
	return ~crc;
}

/*
 * The attributes from @off on, each a type, a length and a value padded
 * to 4 bytes: every one comprehension-optional, a FINGERPRINT only last
 * and right. The header's length already said they fill the datagram.
 */
static enum sipreg_stun_kind attributes(const u8 *p, size_t len,
					size_t off, bool *fingerprint)
{
	*fingerprint = false;
	while (off < len) {
		u16 type, alen;

		if (len - off < 4)
			return SIPREG_STUN_IGNORED;
		type = get16(p + off);
		alen = get16(p + off + 2);
		if (((size_t)alen + 3) / 4 * 4 > len - off - 4)
			return SIPREG_STUN_IGNORED;
		if (type == ATTR_FINGERPRINT) {
			/* RFC 5389 15.5: the last attribute, over all before. */
			if (alen != 4 || off + 8 != len ||
			    get32(p + off + 4) !=
			    (sipreg_stun_crc32(p, off) ^ FINGERPRINT_XOR))
				return SIPREG_STUN_IGNORED;
			*fingerprint = true;
		} else if (type < ATTR_OPTIONAL_MIN) {
			return SIPREG_STUN_IGNORED;
		}
		off += 4 + ((size_t)alen + 3) / 4 * 4;
	}
	return SIPREG_STUN_BINDING;
}

enum sipreg_stun_kind sipreg_stun_classify(const u8 *p, size_t len,
					   struct sipreg_stun_req *req)
{
	enum sipreg_stun_kind kind;
	bool fp;

	/* RFC 5389 7.3: the two top bits, the cookie, the length. */
	if (len < SIPREG_STUN_HDR_LEN || (p[0] & 0xc0) ||
	    get32(p + 4) != SIPREG_STUN_COOKIE)
		return SIPREG_STUN_NOT;
	if (get16(p + 2) % 4 || get16(p + 2) != len - SIPREG_STUN_HDR_LEN)
		return SIPREG_STUN_NOT;
	/* Indications and responses are never answered (RFC 5389 7.3). */
	if (get16(p) != TYPE_BINDING_REQUEST)
		return SIPREG_STUN_IGNORED;
	kind = attributes(p, len, SIPREG_STUN_HDR_LEN, &fp);
	if (kind != SIPREG_STUN_BINDING)
		return kind;
	memcpy(req->txid, p + 8, SIPREG_STUN_TXID_LEN);
	req->fingerprint = fp;
	return kind;
}

/* RFC 5389 15.2: port and address xor'ed with the cookie and the txid. */
static void xor_mapped(const struct sipreg_stun_req *req,
		       const struct sipreg_stun_addr *a, u8 *out)
{
	u8 key[4 + SIPREG_STUN_TXID_LEN];
	size_t alen = a->family == 4 ? 4 : 16;
	size_t i;

	put32(key, SIPREG_STUN_COOKIE);
	memcpy(key + 4, req->txid, SIPREG_STUN_TXID_LEN);
	put16(out, ATTR_XOR_MAPPED_ADDRESS);
	put16(out + 2, 4 + alen);
	out[4] = 0;
	out[5] = a->family == 4 ? 0x01 : 0x02;
	out[6] = a->port[0] ^ key[0];
	out[7] = a->port[1] ^ key[1];
	for (i = 0; i < alen; i++)
		out[8 + i] = a->addr[i] ^ key[i];
}

int sipreg_stun_response(const struct sipreg_stun_req *req,
			 const struct sipreg_stun_addr *mapped,
			 u8 *buf, size_t size)
{
	size_t n = SIPREG_STUN_HDR_LEN + 8 + (mapped->family == 4 ? 4 : 16);

	if (mapped->family != 4 && mapped->family != 6)
		return -1;
	if (req->fingerprint)
		n += 8;
	if (n > size)
		return -1;
	put16(buf, TYPE_BINDING_SUCCESS);
	put16(buf + 2, n - SIPREG_STUN_HDR_LEN);
	put32(buf + 4, SIPREG_STUN_COOKIE);
	memcpy(buf + 8, req->txid, SIPREG_STUN_TXID_LEN);
	xor_mapped(req, mapped, buf + SIPREG_STUN_HDR_LEN);
	if (req->fingerprint) {
		/* The length above already counts the FINGERPRINT. */
		put16(buf + n - 8, ATTR_FINGERPRINT);
		put16(buf + n - 6, 4);
		put32(buf + n - 4, sipreg_stun_crc32(buf, n - 8) ^
				   FINGERPRINT_XOR);
	}
	return (int)n;
}

bool sipreg_stun_is_crlf(const u8 *p, size_t len)
{
	return (len == 2 && !memcmp(p, "\r\n", 2)) ||
	       (len == 4 && !memcmp(p, "\r\n\r\n", 4));
}

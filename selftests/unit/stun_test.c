// SPDX-License-Identifier: GPL-2.0
/*
 * The shared STUN keepalive codec (kmod/sip/stun.c): which datagrams are
 * Binding requests to answer, the answer byte for byte, RFC 5769's test
 * vectors (XOR-MAPPED-ADDRESS over IPv4 and IPv6, FINGERPRINT), CRLF
 * keepalives, and hostile input: every truncation and every byte flipped.
 */
#include <stdio.h>
#include <stdlib.h>

#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include "kselftest_harness.h"

#include "stun.h"

/* RFC 5769 2.1, 2.2 and 2.3: sample request, IPv4 and IPv6 responses. */
static const u8 rfc_request[] = {
	0x00, 0x01, 0x00, 0x58, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
	0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x10,
	0x53, 0x54, 0x55, 0x4e, 0x20, 0x74, 0x65, 0x73,
	0x74, 0x20, 0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74,
	0x00, 0x24, 0x00, 0x04, 0x6e, 0x00, 0x01, 0xff,
	0x80, 0x29, 0x00, 0x08, 0x93, 0x2f, 0xf9, 0xb1,
	0x51, 0x26, 0x3b, 0x36, 0x00, 0x06, 0x00, 0x09,
	0x65, 0x76, 0x74, 0x6a, 0x3a, 0x68, 0x36, 0x76,
	0x59, 0x20, 0x20, 0x20, 0x00, 0x08, 0x00, 0x14,
	0x9a, 0xea, 0xa7, 0x0c, 0xbf, 0xd8, 0xcb, 0x56,
	0x78, 0x1e, 0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49,
	0xc1, 0xb5, 0x71, 0xa2, 0x80, 0x28, 0x00, 0x04,
	0xe5, 0x7a, 0x3b, 0xcf,
};

static const u8 rfc_response4[] = {
	0x01, 0x01, 0x00, 0x3c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
	0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x0b,
	0x74, 0x65, 0x73, 0x74, 0x20, 0x76, 0x65, 0x63,
	0x74, 0x6f, 0x72, 0x20, 0x00, 0x20, 0x00, 0x08,
	0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43,
	0x00, 0x08, 0x00, 0x14, 0x2b, 0x91, 0xf5, 0x99,
	0xfd, 0x9e, 0x90, 0xc3, 0x8c, 0x74, 0x89, 0xf9,
	0x2a, 0xf9, 0xba, 0x53, 0xf0, 0x6b, 0xe7, 0xd7,
	0x80, 0x28, 0x00, 0x04, 0xc0, 0x7d, 0x4c, 0x96,
};

static const u8 rfc_response6[] = {
	0x01, 0x01, 0x00, 0x48, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
	0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x0b,
	0x74, 0x65, 0x73, 0x74, 0x20, 0x76, 0x65, 0x63,
	0x74, 0x6f, 0x72, 0x20, 0x00, 0x20, 0x00, 0x14,
	0x00, 0x02, 0xa1, 0x47, 0x01, 0x13, 0xa9, 0xfa,
	0xa5, 0xd3, 0xf1, 0x79, 0xbc, 0x25, 0xf4, 0xb5,
	0xbe, 0xd2, 0xb9, 0xd9, 0x00, 0x08, 0x00, 0x14,
	0xa3, 0x82, 0x95, 0x4e, 0x4b, 0xe6, 0x7b, 0xf1,
	0x17, 0x84, 0xc9, 0x7c, 0x82, 0x92, 0xc2, 0x75,
	0xbf, 0xe3, 0xed, 0x41, 0x80, 0x28, 0x00, 0x04,
	0xc8, 0xfb, 0x0b, 0x4c,
};

/* Where the XOR-MAPPED-ADDRESS attribute sits in the RFC's responses. */
#define RFC_XMA_OFF	36

/* 192.0.2.1 port 32853; 2001:db8:1234:5678:11:2233:4455:6677 port 32853. */
static const struct sipreg_stun_addr rfc_addr4 = {
	4, { 192, 0, 2, 1 }, { 0x80, 0x55 }
};
static const struct sipreg_stun_addr rfc_addr6 = {
	6, { 0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78,
	     0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 }, { 0x80, 0x55 }
};

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* A Binding request with the RFC's txid, @attrs after the header. */
static size_t request(u8 *buf, const u8 *attrs, size_t alen)
{
	memcpy(buf, rfc_request, 20);
	buf[2] = alen >> 8;
	buf[3] = alen;
	memcpy(buf + 20, attrs, alen);
	return 20 + alen;
}

/* Appends a correct FINGERPRINT to the message of @len bytes. */
static size_t add_fingerprint(u8 *buf, size_t len)
{
	u32 crc;

	buf[2] = (len + 8 - 20) >> 8;
	buf[3] = len + 8 - 20;
	crc = sipreg_stun_crc32(buf, len) ^ 0x5354554e;
	memcpy(buf + len, "\x80\x28\x00\x04", 4);
	buf[len + 4] = crc >> 24;
	buf[len + 5] = crc >> 16;
	buf[len + 6] = crc >> 8;
	buf[len + 7] = crc;
	return len + 8;
}

TEST(crc32_of_the_rfc_vectors)
{
	/* The check value of CRC-32/ISO-HDLC. */
	EXPECT_EQ(0xcbf43926u, sipreg_stun_crc32((const u8 *)"123456789", 9));
	EXPECT_EQ(be32(rfc_request + sizeof(rfc_request) - 4),
		  sipreg_stun_crc32(rfc_request, sizeof(rfc_request) - 8) ^
		  0x5354554e);
	EXPECT_EQ(be32(rfc_response4 + sizeof(rfc_response4) - 4),
		  sipreg_stun_crc32(rfc_response4, sizeof(rfc_response4) - 8) ^
		  0x5354554e);
	EXPECT_EQ(be32(rfc_response6 + sizeof(rfc_response6) - 4),
		  sipreg_stun_crc32(rfc_response6, sizeof(rfc_response6) - 8) ^
		  0x5354554e);
}

/*
 * RFC 5769's request is ICE's (USERNAME, MESSAGE-INTEGRITY, PRIORITY are
 * comprehension-required): recognised as STUN, not answered.
 */
TEST(rfc_request_is_stun_not_answered)
{
	struct sipreg_stun_req req;

	EXPECT_EQ(SIPREG_STUN_IGNORED,
		  sipreg_stun_classify(rfc_request, sizeof(rfc_request), &req));
}

/* The RFC's comprehension-optional attributes (SOFTWARE, ICE-CONTROLLED). */
static size_t rfc_optional_request(u8 *buf, bool fingerprint)
{
	u8 attrs[40];

	memcpy(attrs, rfc_request + 20, 20);		/* SOFTWARE */
	memcpy(attrs + 20, rfc_request + 48, 12);	/* ICE-CONTROLLED */
	request(buf, attrs, 32);
	return fingerprint ? add_fingerprint(buf, 52) : 52;
}

TEST(xor_mapped_address_ipv4_as_rfc5769)
{
	struct sipreg_stun_req req;
	u8 buf[128], out[SIPREG_STUN_RESP_MAX];
	size_t len = rfc_optional_request(buf, false);
	int n;

	ASSERT_EQ(SIPREG_STUN_BINDING, sipreg_stun_classify(buf, len, &req));
	EXPECT_FALSE(req.fingerprint);
	n = sipreg_stun_response(&req, &rfc_addr4, out, sizeof(out));
	ASSERT_EQ(32, n);
	EXPECT_EQ(0, memcmp(out, "\x01\x01\x00\x0c", 4));
	EXPECT_EQ(0, memcmp(out + 4, rfc_response4 + 4, 16));	/* cookie, txid */
	EXPECT_EQ(0, memcmp(out + 20, rfc_response4 + RFC_XMA_OFF, 12));
}

TEST(xor_mapped_address_ipv6_as_rfc5769)
{
	struct sipreg_stun_req req;
	u8 buf[128], out[SIPREG_STUN_RESP_MAX];
	size_t len = rfc_optional_request(buf, false);
	int n;

	ASSERT_EQ(SIPREG_STUN_BINDING, sipreg_stun_classify(buf, len, &req));
	n = sipreg_stun_response(&req, &rfc_addr6, out, sizeof(out));
	ASSERT_EQ(44, n);
	EXPECT_EQ(0, memcmp(out, "\x01\x01\x00\x18", 4));
	EXPECT_EQ(0, memcmp(out + 4, rfc_response6 + 4, 16));
	EXPECT_EQ(0, memcmp(out + 20, rfc_response6 + RFC_XMA_OFF, 24));
}

TEST(fingerprint_asked_fingerprint_given)
{
	struct sipreg_stun_req req;
	u8 buf[128], out[SIPREG_STUN_RESP_MAX];
	size_t len = rfc_optional_request(buf, true);
	int n;

	ASSERT_EQ(SIPREG_STUN_BINDING, sipreg_stun_classify(buf, len, &req));
	EXPECT_TRUE(req.fingerprint);
	n = sipreg_stun_response(&req, &rfc_addr6, out, sizeof(out));
	ASSERT_EQ(SIPREG_STUN_RESP_MAX, n);
	EXPECT_EQ(n - 20, out[2] << 8 | out[3]);
	EXPECT_EQ(0, memcmp(out + 44, "\x80\x28\x00\x04", 4));
	EXPECT_EQ(be32(out + 48), sipreg_stun_crc32(out, 44) ^ 0x5354554e);
	n = sipreg_stun_response(&req, &rfc_addr4, out, sizeof(out));
	ASSERT_EQ(40, n);
	EXPECT_EQ(be32(out + 36), sipreg_stun_crc32(out, 32) ^ 0x5354554e);
}

/* The smallest keepalive: a bare header, as most phones send it. */
TEST(bare_binding_request)
{
	struct sipreg_stun_req req;
	u8 buf[20], out[SIPREG_STUN_RESP_MAX];
	size_t len = request(buf, (const u8 *)"", 0);

	ASSERT_EQ(SIPREG_STUN_BINDING, sipreg_stun_classify(buf, len, &req));
	EXPECT_EQ(0, memcmp(req.txid, rfc_request + 8, 12));
	EXPECT_EQ(32, sipreg_stun_response(&req, &rfc_addr4, out, sizeof(out)));
	/* Never more than 3 times the request (RFC 9000 8's bound). */
	EXPECT_LE(SIPREG_STUN_RESP_MAX, 3 * 20 + 8);
	EXPECT_LE(sipreg_stun_response(&req, &rfc_addr6, out, sizeof(out)),
		  3 * 20);
}

TEST(response_bounds)
{
	struct sipreg_stun_req req = { .fingerprint = true };
	struct sipreg_stun_addr bad = rfc_addr4;
	u8 out[SIPREG_STUN_RESP_MAX];

	EXPECT_EQ(-1, sipreg_stun_response(&req, &rfc_addr6, out, sizeof(out) - 1));
	EXPECT_EQ(40, sipreg_stun_response(&req, &rfc_addr4, out, 40));
	EXPECT_EQ(-1, sipreg_stun_response(&req, &rfc_addr4, out, 39));
	bad.family = 5;
	EXPECT_EQ(-1, sipreg_stun_response(&req, &bad, out, sizeof(out)));
}

struct refusal {
	const char *what;
	size_t off;		/* byte of a good request to change */
	u8 val;
	enum sipreg_stun_kind kind;
};

/* One byte of a good fingerprinted request changed: each is refused. */
TEST(each_field_checked)
{
	static const struct refusal r[] = {
		{ "top bits", 0, 0x40, SIPREG_STUN_NOT },
		{ "top bits", 0, 0x80, SIPREG_STUN_NOT },
		{ "cookie", 4, 0x20, SIPREG_STUN_NOT },
		{ "cookie", 7, 0x43, SIPREG_STUN_NOT },
		{ "length not a multiple of 4", 3, 26, SIPREG_STUN_NOT },
		{ "length shorter", 3, 24, SIPREG_STUN_NOT },
		{ "indication", 1, 0x11, SIPREG_STUN_IGNORED },
		{ "success response", 0, 0x01, SIPREG_STUN_IGNORED },
		{ "other method", 1, 0x03, SIPREG_STUN_IGNORED },
		{ "txid (fingerprint breaks)", 10, 0, SIPREG_STUN_IGNORED },
		{ "software made required", 20, 0x00, SIPREG_STUN_IGNORED },
		{ "attribute too long", 23, 0x40, SIPREG_STUN_IGNORED },
		{ "fingerprint value", 59, 0, SIPREG_STUN_IGNORED },
		{ "fingerprint length", 55, 8, SIPREG_STUN_IGNORED },
	};
	struct sipreg_stun_req req;
	u8 good[128], buf[128];
	size_t len = rfc_optional_request(good, true);
	unsigned int i;

	ASSERT_EQ(60, len);
	for (i = 0; i < ARRAY_SIZE(r); i++) {
		memcpy(buf, good, len);
		ASSERT_NE(buf[r[i].off], r[i].val);
		buf[r[i].off] = r[i].val;
		EXPECT_EQ(r[i].kind, sipreg_stun_classify(buf, len, &req))
			TH_LOG("%s (byte %zu)", r[i].what, r[i].off);
	}
}

/* A FINGERPRINT that is not the last attribute. */
TEST(fingerprint_not_last)
{
	struct sipreg_stun_req req;
	u8 buf[128];
	size_t len = rfc_optional_request(buf, true);

	/* SOFTWARE again after it: the fingerprint covers what came before. */
	memcpy(buf + len, rfc_request + 20, 20);
	buf[3] += 20;
	EXPECT_EQ(SIPREG_STUN_IGNORED, sipreg_stun_classify(buf, len + 20, &req));
}

/* RFC 5780's CHANGE-REQUEST asks for another source: not ours to give. */
TEST(change_request_not_answered)
{
	struct sipreg_stun_req req;
	u8 buf[64];
	size_t len = request(buf, (const u8 *)"\x00\x03\x00\x04\x00\x00\x00\x06", 8);

	EXPECT_EQ(SIPREG_STUN_IGNORED, sipreg_stun_classify(buf, len, &req));
}

/* SIP and other text is never taken for STUN. */
TEST(sip_is_not_stun)
{
	static const char *const texts[] = {
		"REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1\r\n",
		"\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n\r\n",
	};
	struct sipreg_stun_req req;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(texts); i++)
		EXPECT_EQ(SIPREG_STUN_NOT,
			  sipreg_stun_classify((const u8 *)texts[i],
					       strlen(texts[i]), &req));
}

/*
 * Every prefix of every message, each copied to a buffer of exactly its
 * length (ASan sees a read past it); every byte of a request flipped.
 */
TEST(hostile_lengths_and_bytes)
{
	const u8 *msgs[] = { rfc_request, rfc_response4, rfc_response6 };
	size_t lens[] = { sizeof(rfc_request), sizeof(rfc_response4),
			  sizeof(rfc_response6) };
	struct sipreg_stun_req req;
	unsigned int i, bit;
	size_t n, b;
	u8 good[128];
	size_t glen = rfc_optional_request(good, true);

	for (i = 0; i < ARRAY_SIZE(msgs); i++) {
		for (n = 0; n <= lens[i]; n++) {
			u8 *p = malloc(n ? n : 1);

			ASSERT_NE(NULL, p);
			memcpy(p, msgs[i], n);
			EXPECT_NE(SIPREG_STUN_BINDING,
				  sipreg_stun_classify(p, n, &req));
			free(p);
		}
	}
	for (b = 0; b < glen; b++) {
		for (bit = 0; bit < 8; bit++) {
			u8 *p = malloc(glen);

			ASSERT_NE(NULL, p);
			memcpy(p, good, glen);
			p[b] ^= 1u << bit;
			/*
			 * CRC-32 catches every one-bit error; a flip in the
			 * FINGERPRINT's type (bytes 52-53) that leaves it
			 * comprehension-optional makes an unknown attribute
			 * of a request without fingerprint: answered so.
			 */
			if (b == 52 || b == 53) {
				if (sipreg_stun_classify(p, glen, &req) ==
				    SIPREG_STUN_BINDING)
					EXPECT_FALSE(req.fingerprint);
			} else {
				EXPECT_NE(SIPREG_STUN_BINDING,
					  sipreg_stun_classify(p, glen, &req))
					TH_LOG("byte %zu bit %u", b, bit);
			}
			free(p);
		}
	}
}

TEST(crlf_keepalives)
{
	EXPECT_TRUE(sipreg_stun_is_crlf((const u8 *)"\r\n", 2));
	EXPECT_TRUE(sipreg_stun_is_crlf((const u8 *)"\r\n\r\n", 4));
	EXPECT_FALSE(sipreg_stun_is_crlf((const u8 *)"\r\n\r\n\r\n", 6));
	EXPECT_FALSE(sipreg_stun_is_crlf((const u8 *)"\n\n", 2));
	EXPECT_FALSE(sipreg_stun_is_crlf((const u8 *)"\r\n\r", 3));
	EXPECT_FALSE(sipreg_stun_is_crlf((const u8 *)"", 0));
	EXPECT_FALSE(sipreg_stun_is_crlf((const u8 *)"\r\r\n\n", 4));
}

TEST_HARNESS_MAIN

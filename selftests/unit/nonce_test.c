// SPDX-License-Identifier: GPL-2.0
/*
 * Stateless nonces: lifetime, key rotation, binding to client address and
 * realm, and that no mutation of a genuine nonce is accepted.
 */
#include <stdio.h>

/* The harness itself trips these under -Wextra; its enum compares too. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include "kselftest_harness.h"

#include "hash.h"
#include "nonce.h"

#define REALM		"example.com"
#define LIFE		300
#define T0		1000

static const struct sipreg_mackey key_a = { { 0x0706050403020100ULL,
					      0x0f0e0d0c0b0a0908ULL } };
static const struct sipreg_mackey key_b = { { 0x1111111111111111ULL,
					      0x2222222222222222ULL } };
static const struct sipreg_mackey key_c = { { 0x3333333333333333ULL,
					      0x4444444444444444ULL } };

FIXTURE(nonce) {
	struct sipreg_nonce_keys k;
	struct sipreg_addr v4, v6;
	char n[SIPREG_NONCE_LEN + 1];
};

FIXTURE_SETUP(nonce)
{
	static const u8 ip4[4] = { 192, 0, 2, 10 };
	static const u8 ip6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

	sipreg_nonce_keys_init(&self->k, &key_a, T0);
	sipreg_addr_set_v4(&self->v4, ip4);
	sipreg_addr_set_v6(&self->v6, ip6);
	memset(self->n, 0, sizeof(self->n));
}

FIXTURE_TEARDOWN(nonce) {}

static void make_us(struct sipreg_nonce_keys *k, u32 now, u32 usec,
		    const struct sipreg_addr *a, const char *realm, char *out)
{
	size_t n = sipreg_nonce_make(k, now, usec, a, (const u8 *)realm,
				     strlen(realm), out);

	out[n] = 0;
}

static void make(struct sipreg_nonce_keys *k, u32 now,
		 const struct sipreg_addr *a, const char *realm, char *out)
{
	make_us(k, now, 0, a, realm, out);
}

static enum sipreg_nonce_verdict check(const struct sipreg_nonce_keys *k,
				       u32 now, const struct sipreg_addr *a,
				       const char *realm, const char *n,
				       size_t len)
{
	return sipreg_nonce_check(k, now, LIFE, a, (const u8 *)realm,
				  strlen(realm), (const u8 *)n, len);
}

#define CHECK(now, addr, realm, n) \
	check(&self->k, now, addr, realm, n, strlen(n))

TEST_F(nonce, format)
{
	int i;

	make(&self->k, T0, &self->v4, REALM, self->n);
	ASSERT_EQ(SIPREG_NONCE_LEN, strlen(self->n));
	/* Lowercase hex only: nothing to escape inside a quoted-string. */
	for (i = 0; i < SIPREG_NONCE_LEN; i++)
		ASSERT_TRUE(strchr("0123456789abcdef", self->n[i]) != NULL);
	EXPECT_EQ(0, strncmp(self->n, "000003e8" "00000" "0", 14));
}

/*
 * Only the lower-case hex digits it was issued with: a digit in upper
 * case, or any other byte, anywhere, makes a nonce bad.
 */
TEST_F(nonce, only_lower_hex)
{
	static const char other[] = { 'A', 'F', 'g', '/', ':', '`', 'G', ' ',
				      '\x80', '\xff' };
	char bad[SIPREG_NONCE_LEN + 1];
	unsigned int i, j;

	make(&self->k, T0, &self->v4, REALM, self->n);
	ASSERT_EQ(SIPREG_NONCE_VALID, CHECK(T0, &self->v4, REALM, self->n));
	for (i = 0; i < SIPREG_NONCE_LEN; i++) {
		for (j = 0; j < sizeof(other); j++) {
			memcpy(bad, self->n, sizeof(bad));
			bad[i] = other[j];
			EXPECT_EQ(SIPREG_NONCE_BAD,
				  check(&self->k, T0, &self->v4, REALM, bad,
					SIPREG_NONCE_LEN));
		}
		memcpy(bad, self->n, sizeof(bad));
		if (bad[i] >= 'a') {
			bad[i] -= 'a' - 'A';
			EXPECT_EQ(SIPREG_NONCE_BAD,
				  CHECK(T0, &self->v4, REALM, bad));
		}
	}
}

/* The issue time comes back out, in microseconds; malformed gives 0. */
TEST_F(nonce, issue_time)
{
	make_us(&self->k, 0x12345678, 123456, &self->v4, REALM, self->n);
	EXPECT_EQ(0x12345678ULL * 1000000 + 123456,
		  sipreg_nonce_issued((const u8 *)self->n, SIPREG_NONCE_LEN));
	EXPECT_EQ(0, sipreg_nonce_issued((const u8 *)self->n,
					  SIPREG_NONCE_LEN - 1));
	memcpy(self->n + 8, "f4240", 5);	/* 1000000 microseconds */
	EXPECT_EQ(0, sipreg_nonce_issued((const u8 *)self->n,
					  SIPREG_NONCE_LEN));
	self->n[3] = 'g';
	EXPECT_EQ(0, sipreg_nonce_issued((const u8 *)self->n,
					  SIPREG_NONCE_LEN));
}

/*
 * Two challenges of one client in one second: two nonces, both valid, the
 * later one newer (a phone challenged again counts from 1 with it, which
 * must not look like a replay of the first), the microseconds covered by
 * the MAC.
 */
TEST_F(nonce, same_second)
{
	char n2[SIPREG_NONCE_LEN + 1];

	make_us(&self->k, T0, 1000, &self->v4, REALM, self->n);
	make_us(&self->k, T0, 1001, &self->v4, REALM, n2);
	EXPECT_NE(0, strcmp(self->n, n2));
	EXPECT_EQ(SIPREG_NONCE_VALID, CHECK(T0, &self->v4, REALM, self->n));
	EXPECT_EQ(SIPREG_NONCE_VALID, CHECK(T0, &self->v4, REALM, n2));
	EXPECT_LT(sipreg_nonce_issued((const u8 *)self->n, SIPREG_NONCE_LEN),
		  sipreg_nonce_issued((const u8 *)n2, SIPREG_NONCE_LEN));
	memcpy(n2 + 8, self->n + 8, 5);
	EXPECT_EQ(SIPREG_NONCE_BAD, CHECK(T0, &self->v4, REALM, n2));
}

/*
 * Pins the wire format, so that a change (which breaks nonces issued by
 * the other side, kernel or daemon, of an upgraded host) is deliberate.
 * Value from a separate Python model of nonce.c's documented layout:
 * SipHash(key, le32 time | le32 usec | le32 gen | addr[16] |
 *         le64 SipHash(key, realm)).
 */
TEST_F(nonce, golden)
{
	make(&self->k, 0x12345678, &self->v4, REALM, self->n);
	EXPECT_STREQ("12345678" "00000" "0" "0ce2fe23ddddb38c", self->n);
	make_us(&self->k, 0x12345678, 123456, &self->v4, REALM, self->n);
	EXPECT_STREQ("12345678" "1e240" "0" "f42b033cd1fe8784", self->n);
}

TEST_F(nonce, lifetime)
{
	make(&self->k, T0, &self->v4, REALM, self->n);
	EXPECT_EQ(SIPREG_NONCE_VALID, CHECK(T0, &self->v4, REALM, self->n));
	EXPECT_EQ(SIPREG_NONCE_VALID,
		  CHECK(T0 + LIFE, &self->v4, REALM, self->n));
	EXPECT_EQ(SIPREG_NONCE_STALE,
		  CHECK(T0 + LIFE + 1, &self->v4, REALM, self->n));
	EXPECT_EQ(SIPREG_NONCE_STALE,
		  CHECK(T0 + 100000, &self->v4, REALM, self->n));
	/* Stale only when genuine: the MAC is checked first. */
	self->n[SIPREG_NONCE_LEN - 1] ^= 1;
	EXPECT_EQ(SIPREG_NONCE_BAD,
		  CHECK(T0 + LIFE + 1, &self->v4, REALM, self->n));
}

TEST_F(nonce, future)
{
	make(&self->k, T0 + SIPREG_NONCE_SKEW, &self->v4, REALM, self->n);
	EXPECT_EQ(SIPREG_NONCE_VALID, CHECK(T0, &self->v4, REALM, self->n));
	make(&self->k, T0 + SIPREG_NONCE_SKEW + 1, &self->v4, REALM, self->n);
	EXPECT_EQ(SIPREG_NONCE_BAD, CHECK(T0, &self->v4, REALM, self->n));
	make(&self->k, T0 + 100000, &self->v4, REALM, self->n);
	EXPECT_EQ(SIPREG_NONCE_BAD, CHECK(T0, &self->v4, REALM, self->n));
}

TEST_F(nonce, clock_wraps)
{
	make(&self->k, 0xfffffff0u, &self->v4, REALM, self->n);
	EXPECT_EQ(SIPREG_NONCE_VALID, CHECK(0x10, &self->v4, REALM, self->n));
	EXPECT_EQ(SIPREG_NONCE_STALE,
		  CHECK(0xfffffff0u + LIFE + 1, &self->v4, REALM, self->n));
}

TEST_F(nonce, rotation)
{
	char n2[SIPREG_NONCE_LEN + 1], n3[SIPREG_NONCE_LEN + 1];

	make(&self->k, T0, &self->v4, REALM, self->n);
	sipreg_nonce_rotate(&self->k, &key_b, T0 + 10);
	EXPECT_EQ(T0 + 10, self->k.cur_since);
	EXPECT_EQ(SIPREG_NONCE_VALID,
		  CHECK(T0 + 20, &self->v4, REALM, self->n));
	EXPECT_EQ(SIPREG_NONCE_STALE,
		  CHECK(T0 + LIFE + 1, &self->v4, REALM, self->n));
	make(&self->k, T0 + 20, &self->v4, REALM, n2);
	EXPECT_NE(0, strcmp(self->n + 13, n2 + 13));
	EXPECT_EQ(SIPREG_NONCE_VALID, CHECK(T0 + 20, &self->v4, REALM, n2));

	sipreg_nonce_rotate(&self->k, &key_c, T0 + 30);
	EXPECT_EQ(SIPREG_NONCE_BAD, CHECK(T0 + 30, &self->v4, REALM, self->n));
	EXPECT_EQ(SIPREG_NONCE_VALID, CHECK(T0 + 30, &self->v4, REALM, n2));
	make(&self->k, T0 + 30, &self->v4, REALM, n3);
	EXPECT_EQ(SIPREG_NONCE_VALID, CHECK(T0 + 30, &self->v4, REALM, n3));
}

/* Only four bits of generation travel; sixteen rotations alias them. */
TEST_F(nonce, generation_alias)
{
	struct sipreg_mackey key = key_b;
	int i;

	make(&self->k, T0, &self->v4, REALM, self->n);
	for (i = 0; i < 16; i++) {
		key.key[0]++;
		sipreg_nonce_rotate(&self->k, &key, T0);
	}
	EXPECT_EQ(SIPREG_NONCE_BAD, CHECK(T0, &self->v4, REALM, self->n));
	/* Same key, generation 16 later: the MAC covers the whole number. */
	sipreg_nonce_keys_init(&self->k, &key_a, T0);
	make(&self->k, T0, &self->v4, REALM, self->n);
	self->k.gen += 16;
	EXPECT_EQ(SIPREG_NONCE_BAD, CHECK(T0, &self->v4, REALM, self->n));
}

TEST_F(nonce, generation_wraps)
{
	self->k.gen = 0xffffffffu;
	make(&self->k, T0, &self->v4, REALM, self->n);
	EXPECT_EQ('f', self->n[13]);
	sipreg_nonce_rotate(&self->k, &key_b, T0);
	EXPECT_EQ(0u, self->k.gen);
	EXPECT_EQ(SIPREG_NONCE_VALID, CHECK(T0, &self->v4, REALM, self->n));
}

TEST_F(nonce, bound_to_address)
{
	struct sipreg_addr other = self->v4;

	make(&self->k, T0, &self->v4, REALM, self->n);
	other.a[15] ^= 1;
	EXPECT_EQ(SIPREG_NONCE_BAD, CHECK(T0, &other, REALM, self->n));
	EXPECT_EQ(SIPREG_NONCE_BAD, CHECK(T0, &self->v6, REALM, self->n));
	make(&self->k, T0, &self->v6, REALM, self->n);
	EXPECT_EQ(SIPREG_NONCE_VALID, CHECK(T0, &self->v6, REALM, self->n));
	EXPECT_EQ(SIPREG_NONCE_BAD, CHECK(T0, &self->v4, REALM, self->n));
}

TEST_F(nonce, v4_mapped_is_v4)
{
	static const u8 mapped[16] = { [10] = 0xff, [11] = 0xff,
				       192, 0, 2, 10 };
	static const u8 compat[16] = { [12] = 192, 0, 2, 10 };
	struct sipreg_addr m, c;

	sipreg_addr_set_v6(&m, mapped);
	sipreg_addr_set_v6(&c, compat);
	EXPECT_EQ(0, memcmp(&m, &self->v4, sizeof(m)));
	make(&self->k, T0, &self->v4, REALM, self->n);
	EXPECT_EQ(SIPREG_NONCE_VALID, CHECK(T0, &m, REALM, self->n));
	EXPECT_EQ(SIPREG_NONCE_BAD, CHECK(T0, &c, REALM, self->n));
}

TEST_F(nonce, bound_to_realm)
{
	make(&self->k, T0, &self->v4, REALM, self->n);
	EXPECT_EQ(SIPREG_NONCE_BAD, CHECK(T0, &self->v4, "example.org",
					  self->n));
	EXPECT_EQ(SIPREG_NONCE_BAD, CHECK(T0, &self->v4, "example.co",
					  self->n));
	EXPECT_EQ(SIPREG_NONCE_BAD, CHECK(T0, &self->v4, "Example.com",
					  self->n));
	EXPECT_EQ(SIPREG_NONCE_BAD, CHECK(T0, &self->v4, "", self->n));
	make(&self->k, T0, &self->v4, "", self->n);
	EXPECT_EQ(SIPREG_NONCE_VALID, CHECK(T0, &self->v4, "", self->n));
}

TEST_F(nonce, other_key)
{
	struct sipreg_nonce_keys k2;

	sipreg_nonce_keys_init(&k2, &key_b, T0);
	make(&self->k, T0, &self->v4, REALM, self->n);
	EXPECT_EQ(SIPREG_NONCE_BAD,
		  check(&k2, T0, &self->v4, REALM, self->n, SIPREG_NONCE_LEN));
}

TEST_F(nonce, every_mutation_fails)
{
	char m[SIPREG_NONCE_LEN];
	int i, c;

	make(&self->k, T0, &self->v4, REALM, self->n);
	for (i = 0; i < SIPREG_NONCE_LEN; i++) {
		for (c = 0; c < 256; c++) {
			if (c == (u8)self->n[i])
				continue;
			memcpy(m, self->n, sizeof(m));
			m[i] = c;
			ASSERT_EQ(SIPREG_NONCE_BAD,
				  check(&self->k, T0, &self->v4, REALM, m,
					sizeof(m))) TH_LOG("pos %d char %d", i, c);
		}
	}
}

TEST_F(nonce, malformed)
{
	char buf[64];
	size_t len;
	int i;

	make(&self->k, T0, &self->v4, REALM, self->n);
	for (len = 0; len < sizeof(buf); len++) {
		if (len == SIPREG_NONCE_LEN)
			continue;
		memset(buf, '0', sizeof(buf));
		memcpy(buf, self->n, min(len, (size_t)SIPREG_NONCE_LEN));
		ASSERT_EQ(SIPREG_NONCE_BAD,
			  check(&self->k, T0, &self->v4, REALM, buf, len));
	}
	/* Issued lowercase, so uppercase is not the nonce we issued. */
	memcpy(buf, self->n, SIPREG_NONCE_LEN);
	for (i = 0; i < SIPREG_NONCE_LEN; i++)
		if (buf[i] >= 'a')
			buf[i] -= 32;
	EXPECT_EQ(SIPREG_NONCE_BAD, check(&self->k, T0, &self->v4, REALM, buf,
					  SIPREG_NONCE_LEN));
	EXPECT_EQ(SIPREG_NONCE_BAD,
		  check(&self->k, T0, &self->v4, REALM, NULL, 0));
}

TEST_HARNESS_MAIN

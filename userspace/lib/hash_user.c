// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace side of hash.h: MD5 (RFC 1321), SHA-256 (FIPS 180-4) and
 * SipHash-2-4 (Aumasson/Bernstein 2012), written from those documents.
 * Own code rather than OpenSSL EVP: no per-call context setup, no library
 * dependency for the fuzzers, and the benchmark counts these instructions.
 */
#include "hash.h"

int sipreg_hash_init(void)
{
	return 0;
}

void sipreg_hash_exit(void)
{
}

static inline u32 rol32(u32 x, unsigned int s)
{
	return (x << s) | (x >> (32 - s));
}

static inline u32 ror32(u32 x, unsigned int s)
{
	return (x >> s) | (x << (32 - s));
}

static inline u64 rol64(u64 x, unsigned int s)
{
	return (x << s) | (x >> (64 - s));
}

static inline u32 get_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static inline u32 get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | (u32)p[3];
}

static inline u64 get_le64(const u8 *p)
{
	return (u64)get_le32(p) | (u64)get_le32(p + 4) << 32;
}

static inline void put_le32(u8 *p, u32 v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static inline void put_be32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* Merkle-Damgard framing common to MD5 and SHA-256: 64-byte blocks. */
struct md_ctx {
	u32 h[8];
	u64 len;
	u8 buf[64];
};

typedef void (*md_block_fn)(u32 *h, const u8 *blk);

static inline void md_update(struct md_ctx *c, md_block_fn block,
			     const u8 *p, size_t n)
{
	size_t fill = c->len & 63;

	c->len += n;
	if (fill) {
		size_t take = min(n, 64 - fill);

		memcpy(c->buf + fill, p, take);
		p += take;
		n -= take;
		if (fill + take < 64)
			return;
		block(c->h, c->buf);
	}
	for (; n >= 64; p += 64, n -= 64)
		block(c->h, p);
	memcpy(c->buf, p, n);
}

/* Pads the last block; the caller stores the bit length in bytes 56..63. */
static inline void md_pad(struct md_ctx *c, md_block_fn block)
{
	size_t fill = c->len & 63;

	c->buf[fill++] = 0x80;
	if (fill > 56) {
		memset(c->buf + fill, 0, 64 - fill);
		block(c->h, c->buf);
		fill = 0;
	}
	memset(c->buf + fill, 0, 56 - fill);
}

/* ---- MD5, RFC 1321 section 3.4 ---------------------------------------- */

#define F(x, y, z)	((z) ^ ((x) & ((y) ^ (z))))
#define G(x, y, z)	((y) ^ ((z) & ((x) ^ (y))))
#define H(x, y, z)	((x) ^ (y) ^ (z))
#define I(x, y, z)	((y) ^ ((x) | ~(z)))
#define STEP(f, a, b, c, d, xk, t, s) \
	((a) = (b) + rol32((a) + f(b, c, d) + (xk) + (t), s))

/* T[i] = floor(2^32 * abs(sin(i + 1))), inlined as immediates. */
static void md5_block(u32 *h, const u8 *blk)
{
	u32 a = h[0], b = h[1], c = h[2], d = h[3];
	u32 x[16];
	int i;

	for (i = 0; i < 16; i++)
		x[i] = get_le32(blk + 4 * i);

	STEP(F, a, b, c, d, x[0],  0xd76aa478,  7);
	STEP(F, d, a, b, c, x[1],  0xe8c7b756, 12);
	STEP(F, c, d, a, b, x[2],  0x242070db, 17);
	STEP(F, b, c, d, a, x[3],  0xc1bdceee, 22);
	STEP(F, a, b, c, d, x[4],  0xf57c0faf,  7);
	STEP(F, d, a, b, c, x[5],  0x4787c62a, 12);
	STEP(F, c, d, a, b, x[6],  0xa8304613, 17);
	STEP(F, b, c, d, a, x[7],  0xfd469501, 22);
	STEP(F, a, b, c, d, x[8],  0x698098d8,  7);
	STEP(F, d, a, b, c, x[9],  0x8b44f7af, 12);
	STEP(F, c, d, a, b, x[10], 0xffff5bb1, 17);
	STEP(F, b, c, d, a, x[11], 0x895cd7be, 22);
	STEP(F, a, b, c, d, x[12], 0x6b901122,  7);
	STEP(F, d, a, b, c, x[13], 0xfd987193, 12);
	STEP(F, c, d, a, b, x[14], 0xa679438e, 17);
	STEP(F, b, c, d, a, x[15], 0x49b40821, 22);
	STEP(G, a, b, c, d, x[1],  0xf61e2562,  5);
	STEP(G, d, a, b, c, x[6],  0xc040b340,  9);
	STEP(G, c, d, a, b, x[11], 0x265e5a51, 14);
	STEP(G, b, c, d, a, x[0],  0xe9b6c7aa, 20);
	STEP(G, a, b, c, d, x[5],  0xd62f105d,  5);
	STEP(G, d, a, b, c, x[10], 0x02441453,  9);
	STEP(G, c, d, a, b, x[15], 0xd8a1e681, 14);
	STEP(G, b, c, d, a, x[4],  0xe7d3fbc8, 20);
	STEP(G, a, b, c, d, x[9],  0x21e1cde6,  5);
	STEP(G, d, a, b, c, x[14], 0xc33707d6,  9);
	STEP(G, c, d, a, b, x[3],  0xf4d50d87, 14);
	STEP(G, b, c, d, a, x[8],  0x455a14ed, 20);
	STEP(G, a, b, c, d, x[13], 0xa9e3e905,  5);
	STEP(G, d, a, b, c, x[2],  0xfcefa3f8,  9);
	STEP(G, c, d, a, b, x[7],  0x676f02d9, 14);
	STEP(G, b, c, d, a, x[12], 0x8d2a4c8a, 20);
	STEP(H, a, b, c, d, x[5],  0xfffa3942,  4);
	STEP(H, d, a, b, c, x[8],  0x8771f681, 11);
	STEP(H, c, d, a, b, x[11], 0x6d9d6122, 16);
	STEP(H, b, c, d, a, x[14], 0xfde5380c, 23);
	STEP(H, a, b, c, d, x[1],  0xa4beea44,  4);
	STEP(H, d, a, b, c, x[4],  0x4bdecfa9, 11);
	STEP(H, c, d, a, b, x[7],  0xf6bb4b60, 16);
	STEP(H, b, c, d, a, x[10], 0xbebfbc70, 23);
	STEP(H, a, b, c, d, x[13], 0x289b7ec6,  4);
	STEP(H, d, a, b, c, x[0],  0xeaa127fa, 11);
	STEP(H, c, d, a, b, x[3],  0xd4ef3085, 16);
	STEP(H, b, c, d, a, x[6],  0x04881d05, 23);
	STEP(H, a, b, c, d, x[9],  0xd9d4d039,  4);
	STEP(H, d, a, b, c, x[12], 0xe6db99e5, 11);
	STEP(H, c, d, a, b, x[15], 0x1fa27cf8, 16);
	STEP(H, b, c, d, a, x[2],  0xc4ac5665, 23);
	STEP(I, a, b, c, d, x[0],  0xf4292244,  6);
	STEP(I, d, a, b, c, x[7],  0x432aff97, 10);
	STEP(I, c, d, a, b, x[14], 0xab9423a7, 15);
	STEP(I, b, c, d, a, x[5],  0xfc93a039, 21);
	STEP(I, a, b, c, d, x[12], 0x655b59c3,  6);
	STEP(I, d, a, b, c, x[3],  0x8f0ccc92, 10);
	STEP(I, c, d, a, b, x[10], 0xffeff47d, 15);
	STEP(I, b, c, d, a, x[1],  0x85845dd1, 21);
	STEP(I, a, b, c, d, x[8],  0x6fa87e4f,  6);
	STEP(I, d, a, b, c, x[15], 0xfe2ce6e0, 10);
	STEP(I, c, d, a, b, x[6],  0xa3014314, 15);
	STEP(I, b, c, d, a, x[13], 0x4e0811a1, 21);
	STEP(I, a, b, c, d, x[4],  0xf7537e82,  6);
	STEP(I, d, a, b, c, x[11], 0xbd3af235, 10);
	STEP(I, c, d, a, b, x[2],  0x2ad7d2bb, 15);
	STEP(I, b, c, d, a, x[9],  0xeb86d391, 21);
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
}

#undef F
#undef G
#undef H
#undef I
#undef STEP

static void md5_parts(const struct sipreg_buf *parts, unsigned int n, u8 *out)
{
	struct md_ctx c = {
		.h = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476 },
	};
	u64 bits;
	unsigned int i;

	for (i = 0; i < n; i++)
		md_update(&c, md5_block, parts[i].p, parts[i].len);
	bits = c.len << 3;
	md_pad(&c, md5_block);
	put_le32(c.buf + 56, (u32)bits);
	put_le32(c.buf + 60, (u32)(bits >> 32));
	md5_block(c.h, c.buf);
	for (i = 0; i < 4; i++)
		put_le32(out + 4 * i, c.h[i]);
}

/* ---- SHA-256, FIPS 180-4 sections 4.1.2, 5.3.3, 6.2 -------------------- */

/* Fractional parts of the cube roots of the first 64 primes, 32 bits. */
static const u32 sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define CH(x, y, z)	((z) ^ ((x) & ((y) ^ (z))))
#define MAJ(x, y, z)	((((x) ^ (y)) & ((y) ^ (z))) ^ (y))
/* The same sums as 4.1.2, nested so that fewer copies of x stay live. */
#define S0(x)		ror32(ror32(ror32(x, 9) ^ (x), 11) ^ (x), 2)
#define S1(x)		ror32(ror32(ror32(x, 14) ^ (x), 5) ^ (x), 6)
#define s0(x)		(ror32(ror32(x, 11) ^ (x), 7) ^ ((x) >> 3))
#define s1(x)		(ror32(ror32(x, 2) ^ (x), 17) ^ ((x) >> 10))
/* One round with the eight working variables renamed instead of moved. */
#define ROUND(a, b, c, d, e, f, g, h, j) do {				\
	u32 t1 = (h) + S1(e) + CH(e, f, g) + k[j] + w[j];		\
	(d) += t1;							\
	(h) = t1 + S0(a) + MAJ(a, b, c);				\
} while (0)

/* The message schedule, kept as a 16-word ring, for rounds 16 to 63. */
static inline void sha256_schedule(u32 *w)
{
	int j;

#pragma GCC unroll 16
	for (j = 0; j < 16; j++)
		w[j] += s1(w[(j + 14) & 15]) + w[(j + 9) & 15] +
			s0(w[(j + 1) & 15]);
}

static void sha256_block(u32 *st, const u8 *blk)
{
	u32 a = st[0], b = st[1], c = st[2], d = st[3];
	u32 e = st[4], f = st[5], g = st[6], h = st[7];
	const u32 *k;
	u32 w[16];
	int i;

	for (i = 0; i < 16; i++)
		w[i] = get_be32(blk + 4 * i);
	for (k = sha256_k; k < sha256_k + 64; k += 16) {
		if (k != sha256_k)
			sha256_schedule(w);
		ROUND(a, b, c, d, e, f, g, h, 0);
		ROUND(h, a, b, c, d, e, f, g, 1);
		ROUND(g, h, a, b, c, d, e, f, 2);
		ROUND(f, g, h, a, b, c, d, e, 3);
		ROUND(e, f, g, h, a, b, c, d, 4);
		ROUND(d, e, f, g, h, a, b, c, 5);
		ROUND(c, d, e, f, g, h, a, b, 6);
		ROUND(b, c, d, e, f, g, h, a, 7);
		ROUND(a, b, c, d, e, f, g, h, 8);
		ROUND(h, a, b, c, d, e, f, g, 9);
		ROUND(g, h, a, b, c, d, e, f, 10);
		ROUND(f, g, h, a, b, c, d, e, 11);
		ROUND(e, f, g, h, a, b, c, d, 12);
		ROUND(d, e, f, g, h, a, b, c, 13);
		ROUND(c, d, e, f, g, h, a, b, 14);
		ROUND(b, c, d, e, f, g, h, a, 15);
	}
	st[0] += a;
	st[1] += b;
	st[2] += c;
	st[3] += d;
	st[4] += e;
	st[5] += f;
	st[6] += g;
	st[7] += h;
}

#undef CH
#undef MAJ
#undef S0
#undef S1
#undef s0
#undef s1
#undef ROUND

static void sha256_parts(const struct sipreg_buf *parts, unsigned int n,
			 u8 *out)
{
	/* Square roots of the first eight primes, fractional bits. */
	struct md_ctx c = {
		.h = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 },
	};
	u64 bits;
	unsigned int i;

	for (i = 0; i < n; i++)
		md_update(&c, sha256_block, parts[i].p, parts[i].len);
	bits = c.len << 3;
	md_pad(&c, sha256_block);
	put_be32(c.buf + 56, (u32)(bits >> 32));
	put_be32(c.buf + 60, (u32)bits);
	sha256_block(c.h, c.buf);
	for (i = 0; i < 8; i++)
		put_be32(out + 4 * i, c.h[i]);
}

int sipreg_hash(enum sipreg_alg alg, const struct sipreg_buf *parts,
		unsigned int n, u8 *out)
{
	switch (alg) {
	case SIPREG_ALG_MD5:
		md5_parts(parts, n, out);
		return 0;
	case SIPREG_ALG_SHA256:
		sha256_parts(parts, n, out);
		return 0;
	}
	return -1;
}

/* ---- SipHash-2-4 -------------------------------------------------------- */

#define SIPROUND do {							\
	v0 += v1; v1 = rol64(v1, 13); v1 ^= v0; v0 = rol64(v0, 32);	\
	v2 += v3; v3 = rol64(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = rol64(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = rol64(v1, 17); v1 ^= v2; v2 = rol64(v2, 32);	\
} while (0)

/*
 * Key words are used as stored, like the kernel's siphash_key_t: on a
 * little-endian CPU key bytes 00..0f give k0 = 0x0706050403020100, the
 * paper's test key.
 */
u64 sipreg_mac64(const struct sipreg_mackey *key, const void *data,
		 size_t len)
{
	const u8 *p = data, *end = p + (len & ~(size_t)7);
	u64 v0 = key->key[0] ^ 0x736f6d6570736575ULL;
	u64 v1 = key->key[1] ^ 0x646f72616e646f6dULL;
	u64 v2 = key->key[0] ^ 0x6c7967656e657261ULL;
	u64 v3 = key->key[1] ^ 0x7465646279746573ULL;
	u64 m;
	int i;

	for (; p < end; p += 8) {
		m = get_le64(p);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	m = (u64)len << 56;
	for (i = (int)(len & 7) - 1; i >= 0; i--)
		m |= (u64)p[i] << (8 * i);
	v3 ^= m;
	SIPROUND;
	SIPROUND;
	v0 ^= m;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

int sipreg_memneq(const void *a, const void *b, size_t n)
{
	const volatile u8 *x = a, *y = b;
	u8 diff = 0;
	size_t i;

	for (i = 0; i < n; i++)
		diff |= x[i] ^ y[i];
	return diff != 0;
}

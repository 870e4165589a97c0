// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for digest verification and nonce checks.
 *
 * Input: one control byte, four bytes of time, then fields separated by
 * '\n': method, uri, nonce, nc, cnonce, qop, response, realm, algorithm.
 * Each field is copied to its own allocation so that ASan sees a read one
 * byte past any of them. Besides not crashing, the target checks:
 * - an issued nonce checks VALID, STALE or BAD exactly as its age says;
 * - any one-byte change of an issued nonce is BAD;
 * - a response computed by sipreg_digest_response() verifies, in either
 *   case of hex, and stops verifying when one digit changes.
 */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "digest.h"
#include "nonce.h"

enum { F_METHOD, F_URI, F_NONCE, F_NC, F_CNONCE, F_QOP, F_RESPONSE,
       F_REALM, F_ALG, NFIELDS };

#define LIFETIME	300

static const struct sipreg_mackey key_a = { { 0x0123456789abcdefULL,
					      0xfedcba9876543210ULL } };
static const struct sipreg_mackey key_b = { { 0x1122334455667788ULL,
					      0x99aabbccddeeff00ULL } };

struct input {
	u8 ctl;
	u32 now;
	struct sipreg_digest_str f[NFIELDS];
};

static void split(const u8 *p, size_t len, struct input *in)
{
	int i;

	for (i = 0; i < NFIELDS; i++) {
		const u8 *nl = len ? memchr(p, '\n', len) : NULL;
		size_t n = nl ? (size_t)(nl - p) : len;
		u8 *copy = malloc(n ? n : 1);

		memcpy(copy, p, n);
		in->f[i].p = copy;
		in->f[i].len = n;
		p += n;
		len -= n;
		if (nl) {
			p++;
			len--;
		}
	}
}

static void release(struct input *in)
{
	int i;

	for (i = 0; i < NFIELDS; i++)
		free((void *)in->f[i].p);
}

static void keys(struct sipreg_nonce_keys *k, u8 ctl)
{
	sipreg_nonce_keys_init(k, &key_a, 0);
	k->gen = ctl >> 4;
	if (ctl & 8)
		sipreg_nonce_rotate(k, &key_b, 0);
}

static void addr(struct sipreg_addr *a, u8 ctl, u32 salt)
{
	u8 raw[16] = { 0x20, 0x01, 0x0d, 0xb8 };

	memcpy(raw + 12, &salt, 4);
	if (ctl & 4)
		sipreg_addr_set_v4(a, raw + 12);
	else
		sipreg_addr_set_v6(a, raw);
}

/* Arbitrary bytes as a nonce. */
static void fuzz_nonce_check(const struct input *in)
{
	const struct sipreg_digest_str *realm = &in->f[F_REALM];
	const struct sipreg_digest_str *n = &in->f[F_NONCE];
	struct sipreg_nonce_keys k;
	struct sipreg_addr a;

	keys(&k, in->ctl);
	addr(&a, in->ctl, in->now);
	sipreg_nonce_check(&k, in->now, LIFETIME, &a, realm->p, realm->len,
			   n->p, n->len);
}

static enum sipreg_nonce_verdict expected(u32 issued, u32 now)
{
	s32 age = (s32)(now - issued);

	if (age < -SIPREG_NONCE_SKEW)
		return SIPREG_NONCE_BAD;
	return age > LIFETIME ? SIPREG_NONCE_STALE : SIPREG_NONCE_VALID;
}

/* A genuine nonce, issued at a fuzzed time, then one fuzzed change. */
static void fuzz_nonce_roundtrip(const struct input *in)
{
	const struct sipreg_digest_str *realm = &in->f[F_REALM];
	const struct sipreg_digest_str *m = &in->f[F_NC];
	u32 issued = in->now ^ (m->len ? (u32)m->p[0] << 4 : 0);
	struct sipreg_nonce_keys k;
	struct sipreg_addr a;
	char n[SIPREG_NONCE_LEN];

	keys(&k, in->ctl);
	addr(&a, in->ctl, 7);
	sipreg_nonce_make(&k, issued, m->len > 1 ? (u32)m->p[1] * 3907 : 0,
			  &a, realm->p, realm->len, n);
	if (sipreg_nonce_check(&k, in->now, LIFETIME, &a, realm->p,
			       realm->len, (u8 *)n, sizeof(n)) !=
	    expected(issued, in->now))
		abort();
	if (m->len < 3 || m->p[1] >= SIPREG_NONCE_LEN ||
	    (u8)n[m->p[1]] == m->p[2])
		return;
	n[m->p[1]] = m->p[2];
	if (sipreg_nonce_check(&k, in->now, LIFETIME, &a, realm->p,
			       realm->len, (u8 *)n, sizeof(n)) !=
	    SIPREG_NONCE_BAD)
		abort();
}

static void request(const struct input *in, struct sipreg_digest_req *r)
{
	r->alg = SIPREG_ALG_MD5;
	r->sess = false;
	sipreg_digest_alg_parse(in->f[F_ALG].p, in->f[F_ALG].len, &r->alg,
				&r->sess);
	r->method = in->f[F_METHOD];
	r->uri = in->f[F_URI];
	r->nonce = in->f[F_NONCE];
	r->nc = in->f[F_NC];
	r->cnonce = in->f[F_CNONCE];
	r->qop = in->f[F_QOP];
	r->response = in->f[F_RESPONSE];
}

static void check_verifies(struct sipreg_digest_req *r, const u8 *ha1,
			   size_t ha1_len, const u8 *want, u8 ctl)
{
	char hex[SIPREG_DIGEST_HEX_MAX];
	size_t n = sipreg_hash_len(r->alg), i;

	sipreg_digest_hex(want, n, hex);
	if (ctl & 2)
		for (i = 0; i < 2 * n; i++)
			hex[i] = hex[i] >= 'a' ? hex[i] - 32 : hex[i];
	r->response.p = (const u8 *)hex;
	r->response.len = 2 * n;
	if (sipreg_digest_verify(r, ha1, ha1_len) != SIPREG_DIGEST_OK)
		abort();
	i = ctl % (2 * n);
	hex[i] = hex[i] == '0' ? '1' : '0';
	if (sipreg_digest_verify(r, ha1, ha1_len) != SIPREG_DIGEST_MISMATCH)
		abort();
}

static void fuzz_digest(const struct input *in)
{
	static const u8 ha1[SIPREG_HASH_MAX] = { 0x93, 0x9e, 0x75, 0x78 };
	size_t ha1_len = in->ctl & 1 ? SIPREG_MD5_LEN : SIPREG_SHA256_LEN;
	struct sipreg_digest_req r;
	u8 want[SIPREG_HASH_MAX];
	u32 nc;

	request(in, &r);
	sipreg_digest_parse_nc(r.nc.p, r.nc.len, &nc);
	sipreg_digest_verify(&r, ha1, ha1_len);
	if (sipreg_digest_response(&r, ha1, ha1_len, want) == SIPREG_DIGEST_OK)
		check_verifies(&r, ha1, ha1_len, want, in->ctl);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct input in;

	if (size < 5)
		return 0;
	in.ctl = data[0];
	memcpy(&in.now, data + 1, 4);
	split(data + 5, size - 5, &in);
	fuzz_nonce_check(&in);
	fuzz_nonce_roundtrip(&in);
	fuzz_digest(&in);
	release(&in);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for sipreg_parse_auth(): the input is the value of an
 * Authorization header field. Aborts when a span leaves the input, when a
 * Digest verdict of OK lacks a parameter parser.h promises, when the nc
 * value does not match its 8 hex digits, or when the unquoting helpers
 * disagree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "invariant broken: %s (line %d)\n", \
			#cond, __LINE__); \
		abort(); \
	} \
} while (0)

static void span_ok(const u8 *buf, size_t size, struct sipreg_span sp)
{
	u8 out[SIPREG_MAX_LEN];
	int n;

	CHECK((size_t)sp.off + sp.len <= size);
	n = sipreg_span_unquote(buf, sp, out, sizeof(out));
	CHECK(n >= 0 && n <= sp.len);
	CHECK(sipreg_span_eq_unquoted(buf, sp, out, n));
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct sipreg_auth a, b;
	enum sipreg_verdict v;
	unsigned int i;
	u32 nc = 0;

	v = sipreg_parse_auth(data, size, &a);
	CHECK(v == SIPREG_OK || v == SIPREG_BAD_AUTH ||
	      v == SIPREG_UNTERMINATED_QUOTE ||
	      v == SIPREG_TOO_MANY_PARAMS || v == SIPREG_TOO_LARGE);
	span_ok(data, size, a.scheme);
	span_ok(data, size, a.username);
	span_ok(data, size, a.realm);
	span_ok(data, size, a.nonce);
	span_ok(data, size, a.uri);
	span_ok(data, size, a.response);
	span_ok(data, size, a.algorithm);
	span_ok(data, size, a.cnonce);
	span_ok(data, size, a.opaque);
	span_ok(data, size, a.qop);
	CHECK(sipreg_parse_auth(data, size, &b) == v);
	CHECK(!memcmp(&a, &b, sizeof(a)));
	if (v != SIPREG_OK)
		return 0;
	CHECK(a.flags & SIPREG_AUTH_PRESENT);
	CHECK(a.scheme.len > 0);
	if (!(a.flags & SIPREG_AUTH_DIGEST)) {
		CHECK(!a.username.off && !(a.flags & SIPREG_AUTH_NC));
		return 0;
	}
	CHECK(a.scheme.len == 6);
	CHECK(a.username.off && a.realm.off && a.nonce.off && a.uri.off &&
	      a.response.off);
	if (a.qop.off)
		CHECK(a.cnonce.off && (a.flags & SIPREG_AUTH_NC));
	if (a.flags & SIPREG_AUTH_NC) {
		/* find "nc" = 8 hex digits again, the slow way */
		for (i = 0; i + 8 <= size; i++) {
			unsigned int k, ok = 1, v2 = 0;

			for (k = 0; k < 8 && ok; k++) {
				u8 ch = data[i + k] | 0x20;

				if (ch >= '0' && ch <= '9')
					v2 = v2 << 4 | (ch - '0');
				else if (ch >= 'a' && ch <= 'f')
					v2 = v2 << 4 | (ch - 'a' + 10);
				else
					ok = 0;
			}
			if (ok && v2 == a.nc) {
				nc = 1;
				break;
			}
		}
		CHECK(nc);
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the STUN keepalive codec (kmod/sip/stun.c): the
 * whole datagram is the input. Besides not crashing under ASan/UBSan, it
 * aborts when an invariant breaks: a Binding request to answer is STUN
 * with a length that matches the datagram, classifying is deterministic,
 * the answer fits SIPREG_STUN_RESP_MAX and 3 times the request, carries
 * the request's transaction id and the FINGERPRINT exactly when asked,
 * and is itself never taken for a request to answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stun.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "invariant broken: %s (line %d)\n", \
			#cond, __LINE__); \
		abort(); \
	} \
} while (0)

static void answer_ok(const u8 *data, size_t size,
		      const struct sipreg_stun_req *req, u8 family)
{
	struct sipreg_stun_addr a = { .family = family,
				      .addr = { 192, 0, 2, 1 },
				      .port = { 0x13, 0xc4 } };
	struct sipreg_stun_req again;
	u8 out[SIPREG_STUN_RESP_MAX];
	int n;

	n = sipreg_stun_response(req, &a, out, sizeof(out));
	CHECK(n >= 32 && n <= (int)sizeof(out) && (size_t)n <= 3 * size);
	CHECK(((size_t)out[2] << 8 | out[3]) == (size_t)n - 20);
	CHECK(!memcmp(out + 8, data + 8, SIPREG_STUN_TXID_LEN));
	CHECK(req->fingerprint == (n == 40 || n == 52));
	CHECK(sipreg_stun_classify(out, n, &again) == SIPREG_STUN_IGNORED);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct sipreg_stun_req req, req2;
	enum sipreg_stun_kind k;
	u8 *copy;

	/* An exact-size copy: ASan sees any read past the datagram. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	k = sipreg_stun_classify(copy, size, &req);
	CHECK(sipreg_stun_classify(copy, size, &req2) == k);
	if (k != SIPREG_STUN_NOT)
		CHECK(size >= 20 && size % 4 == 0 && !(copy[0] & 0xc0));
	if (k == SIPREG_STUN_BINDING) {
		CHECK(!memcmp(&req, &req2, sizeof(req)));
		CHECK(copy[0] == 0 && copy[1] == 1);
		answer_ok(copy, size, &req, 4);
		answer_ok(copy, size, &req, 6);
	}
	CHECK(!(sipreg_stun_is_crlf(copy, size) && k != SIPREG_STUN_NOT));
	free(copy);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RFC 4475's notation for test messages (its section 2), as the files of
 * selftests/data/rfc4475 use it: LF line ends become CRLF, <hex>..</hex>
 * the bytes it spells, <repeat count=N>..</repeat> N copies.
 */
#ifndef SIPREG_TORTURE_H
#define SIPREG_TORTURE_H

#include <stddef.h>
#include <stdint.h>

/* The decoded message's length, or -1 (bad notation, too long). */
long torture_decode(const char *in, size_t n, uint8_t *out, size_t size);

/* The same for a file; -1 also when it cannot be read. */
long torture_load(const char *path, uint8_t *out, size_t size);

#endif /* SIPREG_TORTURE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* Hex digits to bytes and numbers. */
#ifndef SIPREG_LIB_HEX_H
#define SIPREG_LIB_HEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The value of hex digit @c (either case), or -1. */
static inline int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Exactly 2 * @n hex digits in the string @s into @out. False, @out
 * partly written, on a wrong length or a non-digit; hex_bad() says which.
 */
bool hex_decode(const char *s, uint8_t *out, size_t n);

/*
 * Why hex_decode(@s, ..., @n) failed: the first non-digit's offset, or
 * (size_t)-1 when all are digits (then the length is wrong).
 */
size_t hex_bad(const char *s, size_t n);

#endif /* SIPREG_LIB_HEX_H */

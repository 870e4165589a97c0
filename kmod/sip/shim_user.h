/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The userspace half of shim.h: the kernel names that the shared
 * parser, digest and nonce code uses, from libc and the compiler.
 */
#ifndef SIPREG_SHIM_USER_H
#define SIPREG_SHIM_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef min
#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
#endif

/* The kernel's name for wiping a secret. */
static inline void memzero_explicit(void *p, size_t n)
{
	explicit_bzero(p, n);
}

#endif /* SIPREG_SHIM_USER_H */

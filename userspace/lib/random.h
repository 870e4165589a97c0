/* SPDX-License-Identifier: GPL-2.0 */
/* Random bytes for keys (nonce MACs, hash tables). */
#ifndef SIPREG_LIB_RANDOM_H
#define SIPREG_LIB_RANDOM_H

#include <stddef.h>

/* @n bytes from getrandom(); waits for the pool at boot, never fails. */
void random_bytes(void *p, size_t n);

#endif /* SIPREG_LIB_RANDOM_H */

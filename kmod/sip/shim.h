/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only place where code shared between sipreg.ko and the userspace
 * programs (parser, digest, nonce) learns which side it is built for.
 * Shared files include this header and nothing else from the kernel or libc.
 */
#ifndef SIPREG_SHIM_H
#define SIPREG_SHIM_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/string.h>
#include <linux/compiler.h>
#include <linux/kernel.h>

#else

/* shim_user.h: the same names from libc and the compiler */
#include "shim_user.h"

#endif /* __KERNEL__ */

#endif /* SIPREG_SHIM_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where sipreg copes with the differences between the
 * kernels it supports (Debian's 6.1 and 6.12).
 */
#ifndef _SIPREG_COMPAT_H
#define _SIPREG_COMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>

/*
 * 6.1 has no formatted extack messages: there the user gets @plain, the
 * same text without the numbers.
 */
#ifdef NL_SET_ERR_MSG_FMT_MOD
#define SIPREG_SET_ERR_MSG_FMT(extack, plain, fmt, args...) do {	\
	(void)(plain);							\
	NL_SET_ERR_MSG_FMT_MOD(extack, fmt, ##args);			\
} while (0)
#else
#define SIPREG_SET_ERR_MSG_FMT(extack, plain, fmt, args...) do {	\
	(void)(fmt);							\
	NL_SET_ERR_MSG_MOD(extack, plain);				\
} while (0)
#endif

/* The ops a family's pre_doit gets: split ops since 6.2. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define SIPREG_GENL_OPS struct genl_split_ops
#else
#define SIPREG_GENL_OPS struct genl_ops
#endif

#endif /* _SIPREG_COMPAT_H */

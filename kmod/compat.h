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

/*
 * A multicast group only namespace admins may join. Debian's 6.1 (6.1.66
 * on) and 6.12 have the flag, which genl_bind() checks against the
 * namespace's user namespace; a kernel without it could not keep the
 * events from unprivileged listeners, so the module does not build there.
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define SIPREG_MCAST_ADMIN GENL_MCAST_CAP_NET_ADMIN
#else
#error "this kernel's genetlink has no GENL_MCAST_CAP_NET_ADMIN (6.1.66+, 6.6.5+, 6.7+)"
#endif

/*
 * The ops a family's pre_doit gets: split ops since 6.2. Told apart by
 * GENL_SET_ERR_MSG_FMT (6.3), which is good enough for 6.1 and 6.12.
 */
#ifdef GENL_SET_ERR_MSG_FMT
#define SIPREG_GENL_OPS struct genl_split_ops
#else
#define SIPREG_GENL_OPS struct genl_ops
#endif

#endif /* _SIPREG_COMPAT_H */

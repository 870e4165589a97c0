/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SIPREG_A_CONFIG nest sipregd sends with CONFIG_SET: its own
 * configuration as the kernel's (kmod/config.c). Built in memory only,
 * so that the unit test reads back what would be sent.
 */
#ifndef SIPREGD_KERNEL_CONFIG_MSG_H
#define SIPREGD_KERNEL_CONFIG_MSG_H

#include <stdbool.h>
#include <stdint.h>

#include <netlink/msg.h>

#include "config.h"

/*
 * The algorithm the daemon's challenges offer first (SIPREG_ALG_FLAG_*):
 * the first of "algorithms", so that kernel and daemon answer alike.
 */
uint32_t kmsg_algs_first(const struct registrar_cfg *r);

/*
 * Appends the nest to @msg; without @algs_first, no ALGS_FIRST (for a
 * module older than it, which refuses attributes it does not know).
 * 0, or -1 when @msg is full.
 */
int kmsg_put_config(struct nl_msg *msg, const struct daemon_config *c,
		    bool algs_first);

#endif /* SIPREGD_KERNEL_CONFIG_MSG_H */

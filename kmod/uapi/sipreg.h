/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * sipreg generic netlink interface: the contract between sipreg.ko,
 * sipregctl and sipregd. Append only: new commands, attributes and
 * counters go at the end of their enum so that older tools keep working.
 */
#ifndef _UAPI_SIPREG_H
#define _UAPI_SIPREG_H

#define SIPREG_GENL_NAME	"sipreg"
#define SIPREG_GENL_VERSION	1

#define SIPREG_DEFAULT_PORT	5060

enum sipreg_cmd {
	SIPREG_CMD_UNSPEC,
	SIPREG_CMD_STATS_GET,	/* reply: SIPREG_A_STATS */

	__SIPREG_CMD_MAX
};

#define SIPREG_CMD_MAX (__SIPREG_CMD_MAX - 1)

enum sipreg_attr {
	SIPREG_A_UNSPEC,
	SIPREG_A_PAD,
	SIPREG_A_STATS,		/* nest: SIPREG_STAT_* -> u64 */

	__SIPREG_A_MAX
};

#define SIPREG_A_MAX (__SIPREG_A_MAX - 1)

/* Counters, summed over CPUs; each one a u64 attribute inside SIPREG_A_STATS. */
enum sipreg_stat {
	SIPREG_STAT_UNSPEC,
	SIPREG_STAT_PAD,
	SIPREG_STAT_RX_PACKETS,	/* UDP datagrams to a SIP port */
	SIPREG_STAT_RX_BYTES,	/* their UDP payload bytes */

	__SIPREG_STAT_MAX
};

#define SIPREG_STAT_MAX (__SIPREG_STAT_MAX - 1)

#endif /* _UAPI_SIPREG_H */

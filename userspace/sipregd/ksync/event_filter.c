// SPDX-License-Identifier: GPL-2.0
/*
 * The events socket's filter (event_filter.h), classic BPF. A
 * notification is a nlmsghdr (16 bytes), a genlmsghdr (4) and, first of
 * its attributes, SIPREG_A_EVENT (uapi: the module puts it first), so the
 * event's u32 is at byte 24. BPF loads bytes in network order and netlink
 * is in host order: htons()/htonl() of the constants compare right on
 * either byte order. Anything not laid out so is let in: the filter only
 * ever drops what it recognises.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <sys/socket.h>

#include <linux/filter.h>

#include "sipreg.h"
#include "event_filter.h"

#define OFF_TYPE	4	/* nlmsghdr.nlmsg_type */
#define OFF_CMD		16	/* genlmsghdr.cmd */
#define OFF_ATTR_TYPE	22	/* the first nlattr's nla_type */
#define OFF_EVENT	24	/* its u32 */

#define LD(size, off)	BPF_STMT(BPF_LD | (size) | BPF_ABS, off)
#define RET(v)		BPF_STMT(BPF_RET | BPF_K, v)
/* jump over @t instructions when equal to @k, over @f when not */
#define JEQ(k, t, f)	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, t, f)

int kevents_filter(int fd, uint16_t family)
{
	struct sock_filter code[] = {
		/* 0 */ LD(BPF_H, OFF_TYPE),
		/* 1 */ JEQ(htons(family), 0, 9),		/* -> 11 */
		/* 2 */ LD(BPF_B, OFF_CMD),
		/* 3 */ JEQ(SIPREG_CMD_USER_NTF, 8, 0),		/* -> 12 */
		/* 4 */ JEQ(SIPREG_CMD_BINDING_NTF, 0, 6),	/* -> 11 */
		/* 5 */ LD(BPF_H, OFF_ATTR_TYPE),
		/* 6 */ JEQ(htons(SIPREG_A_EVENT), 0, 4),	/* -> 11 */
		/* 7 */ LD(BPF_W, OFF_EVENT),
		/* 8 */ JEQ(htonl(SIPREG_EVENT_BINDING_ADDED), 3, 0),	/* -> 12 */
		/* 9 */ JEQ(htonl(SIPREG_EVENT_BINDING_DELETED), 2, 0),	/* -> 12 */
		/* 10 */ JEQ(htonl(SIPREG_EVENT_BINDINGS_FLUSHED), 1, 0),/* -> 12 */
		/* 11 */ RET(0xffffffff),			/* in */
		/* 12 */ RET(0),				/* out */
	};
	struct sock_fprog prog = {
		.len = sizeof(code) / sizeof(code[0]),
		.filter = code,
	};

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)))
		return -errno;
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What sipregd reads from the sipreg family (kmod/uapi/sipreg.h): the
 * miss message, the contacts of BINDING nests (events and dumps), and
 * nlctrl's family notifications. Pure parsing of one netlink message,
 * no socket, so the unit test feeds messages built in memory. Every
 * string is checked for its NUL and its kernel limit.
 */
#ifndef SIPREGD_KERNEL_MSG_H
#define SIPREGD_KERNEL_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

#include "parser.h"	/* SIPREG_VERDICT_MAX */
#include "sipreg.h"

struct kmiss {
	uint32_t reason;		/* enum sipreg_miss_reason */
	uint32_t verdict;
	uint32_t ifindex;
	int family;			/* AF_INET or AF_INET6 */
	uint8_t saddr[16], daddr[16];	/* 4 or 16 bytes used */
	uint16_t sport, dport;		/* host order */
	const uint8_t *data;		/* into the message */
	size_t len;
};

struct kcontact {
	char aor[SIPREG_AOR_MAX + 1];
	char uri[SIPREG_URI_MAX + 1];
	char call_id[SIPREG_CALL_ID_MAX + 1];
	uint32_t cseq, nc, expires;	/* expires: seconds from the message */
	uint64_t expires_at;		/* CLOCK_BOOTTIME seconds, 0 if absent */
	uint16_t q, port;
	int family;			/* 0, AF_INET, AF_INET6 */
	uint8_t addr[16];
};

/* The module's counters in one namespace (SIPREG_CMD_STATS_GET). */
struct kcounters {
	uint64_t stat[__SIPREG_STAT_MAX];	/* enum sipreg_stat */
	uint64_t miss[__SIPREG_MISS_MAX];	/* enum sipreg_miss_reason */
	uint64_t verdict[SIPREG_VERDICT_MAX];	/* enum sip_verdict */
};

/* A STATS_GET reply into @c; 0, or -1 if it has no SIPREG_A_STATS. */
int kmsg_parse_stats(const struct nlmsghdr *h, struct kcounters *c);

/* The generic netlink command of @h, or -1 if it is too short. */
int kmsg_cmd(const struct nlmsghdr *h);

/* SIPREG_CMD_MISS into @m; 0, or -1 with the reason in @err. */
int kmsg_parse_miss(const struct nlmsghdr *h, struct kmiss *m, char *err,
		    size_t errlen);

/* SIPREG_A_EVENT of a notification, SIPREG_EVENT_UNSPEC if none. */
uint32_t kmsg_event(const struct nlmsghdr *h);

/*
 * Calls @cb for each contact of each BINDING nest of @h (an event or a
 * BINDING_GET reply). A contact without URI or Call-ID is skipped and
 * counted in *@bad. Returns 0, -1 if @h is malformed, or @cb's nonzero.
 */
typedef int (*kmsg_contact_cb)(void *arg, const struct kcontact *c);
int kmsg_each_contact(const struct nlmsghdr *h, kmsg_contact_cb cb,
		      void *arg, unsigned int *bad);

/* USER_GET reply: the NAME and REALM of its USER nest; 0 or -1. */
int kmsg_parse_user(const struct nlmsghdr *h, char *name, size_t nsize,
		    char *realm, size_t rsize);

/* DOMAIN_GET reply: the NAME and REALM of its DOMAIN nest; 0 or -1. */
int kmsg_parse_domain(const struct nlmsghdr *h, char *name, size_t nsize,
		      char *realm, size_t rsize);

/*
 * nlctrl notification about the family @name: 1 it appeared
 * (CTRL_CMD_NEWFAMILY), -1 it went away (DELFAMILY), 0 anything else.
 */
int kmsg_ctrl_family(const struct nlmsghdr *h, const char *name);

#endif /* SIPREGD_KERNEL_MSG_H */

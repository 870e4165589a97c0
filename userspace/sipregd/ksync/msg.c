// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of the sipreg family's messages with libnl's nla_parse() and
 * policies that mirror the kernel's (kmod/netlink.c): a message the
 * kernel could not have sent is refused here instead of half used.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "msg.h"

static struct nla_policy top_policy[SIPREG_A_MAX + 1] = {
	[SIPREG_A_USER] = { .type = NLA_NESTED },
	[SIPREG_A_BINDING] = { .type = NLA_NESTED },
	[SIPREG_A_MISS] = { .type = NLA_NESTED },
	[SIPREG_A_EVENT] = { .type = NLA_U32 },
	[SIPREG_A_DOMAIN] = { .type = NLA_NESTED },
	[SIPREG_A_STATS] = { .type = NLA_NESTED },
	[SIPREG_A_STATS_VERDICT] = { .type = NLA_NESTED },
	[SIPREG_A_STATS_MISS] = { .type = NLA_NESTED },
};

static struct nla_policy miss_policy[SIPREG_MISS_A_MAX + 1] = {
	[SIPREG_MISS_A_REASON] = { .type = NLA_U32 },
	[SIPREG_MISS_A_VERDICT] = { .type = NLA_U32 },
	[SIPREG_MISS_A_IFINDEX] = { .type = NLA_U32 },
	[SIPREG_MISS_A_SPORT] = { .type = NLA_U16 },
	[SIPREG_MISS_A_DPORT] = { .type = NLA_U16 },
};

static struct nla_policy binding_policy[SIPREG_BINDING_A_MAX + 1] = {
	[SIPREG_BINDING_A_AOR] = { .type = NLA_STRING },
	[SIPREG_BINDING_A_CONTACT] = { .type = NLA_NESTED },
};

static struct nla_policy contact_policy[SIPREG_CONTACT_A_MAX + 1] = {
	[SIPREG_CONTACT_A_URI] = { .type = NLA_STRING },
	[SIPREG_CONTACT_A_CALL_ID] = { .type = NLA_STRING },
	[SIPREG_CONTACT_A_CSEQ] = { .type = NLA_U32 },
	[SIPREG_CONTACT_A_EXPIRES] = { .type = NLA_U32 },
	[SIPREG_CONTACT_A_EXPIRES_AT] = { .type = NLA_U64 },
	[SIPREG_CONTACT_A_PORT] = { .type = NLA_U16 },
	[SIPREG_CONTACT_A_NC] = { .type = NLA_U32 },
	[SIPREG_CONTACT_A_Q] = { .type = NLA_U16 },
};

static struct nla_policy user_policy[SIPREG_USER_A_MAX + 1] = {
	[SIPREG_USER_A_NAME] = { .type = NLA_STRING },
	[SIPREG_USER_A_REALM] = { .type = NLA_STRING },
};

static struct nla_policy domain_policy[SIPREG_DOMAIN_A_MAX + 1] = {
	[SIPREG_DOMAIN_A_NAME] = { .type = NLA_STRING },
	[SIPREG_DOMAIN_A_REALM] = { .type = NLA_STRING },
};

static bool long_enough(const struct nlmsghdr *h)
{
	return h->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN;
}

int kmsg_cmd(const struct nlmsghdr *h)
{
	const struct genlmsghdr *g = NLMSG_DATA(h);

	return long_enough(h) ? g->cmd : -1;
}

static int parse_top(const struct nlmsghdr *h, struct nlattr **tb)
{
	if (!long_enough(h))
		return -1;
	return genlmsg_parse((struct nlmsghdr *)h, 0, tb, SIPREG_A_MAX,
			     top_policy) ? -1 : 0;
}

/* A NUL-terminated string attribute of at most @max bytes, into @out. */
static bool get_str(const struct nlattr *a, char *out, size_t max)
{
	const char *s;
	int n;

	if (!a)
		return false;
	s = nla_data(a);
	n = nla_len(a);
	if (n < 1 || s[n - 1] || (size_t)n - 1 > max || strlen(s) != (size_t)n - 1)
		return false;
	memcpy(out, s, n);
	return true;
}

static int miss_addrs(struct nlattr **tb, struct kmiss *m)
{
	struct nlattr *s4 = tb[SIPREG_MISS_A_SADDR4], *d4 = tb[SIPREG_MISS_A_DADDR4];
	struct nlattr *s6 = tb[SIPREG_MISS_A_SADDR6], *d6 = tb[SIPREG_MISS_A_DADDR6];

	if (s4 && d4 && !s6 && !d6 && nla_len(s4) == 4 && nla_len(d4) == 4) {
		m->family = AF_INET;
		memcpy(m->saddr, nla_data(s4), 4);
		memcpy(m->daddr, nla_data(d4), 4);
		return 0;
	}
	if (s6 && d6 && !s4 && !d4 && nla_len(s6) == 16 && nla_len(d6) == 16) {
		m->family = AF_INET6;
		memcpy(m->saddr, nla_data(s6), 16);
		memcpy(m->daddr, nla_data(d6), 16);
		return 0;
	}
	return -1;
}

static int miss_err(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "miss message: %s", why);
	return -1;
}

int kmsg_parse_miss(const struct nlmsghdr *h, struct kmiss *m, char *err,
		    size_t errlen)
{
	struct nlattr *top[SIPREG_A_MAX + 1], *tb[SIPREG_MISS_A_MAX + 1];

	memset(m, 0, sizeof(*m));
	if (kmsg_cmd(h) != SIPREG_CMD_MISS || parse_top(h, top))
		return miss_err(err, errlen, "not a well-formed SIPREG_CMD_MISS");
	if (!top[SIPREG_A_MISS] ||
	    nla_parse_nested(tb, SIPREG_MISS_A_MAX, top[SIPREG_A_MISS],
			     miss_policy))
		return miss_err(err, errlen, "no valid SIPREG_A_MISS nest");
	if (!tb[SIPREG_MISS_A_DATA] || !tb[SIPREG_MISS_A_SPORT] ||
	    !tb[SIPREG_MISS_A_DPORT])
		return miss_err(err, errlen, "DATA, SPORT or DPORT missing");
	if (miss_addrs(tb, m))
		return miss_err(err, errlen,
				"want SADDR4+DADDR4 or SADDR6+DADDR6");
	m->sport = nla_get_u16(tb[SIPREG_MISS_A_SPORT]);
	m->dport = nla_get_u16(tb[SIPREG_MISS_A_DPORT]);
	if (tb[SIPREG_MISS_A_REASON])
		m->reason = nla_get_u32(tb[SIPREG_MISS_A_REASON]);
	if (tb[SIPREG_MISS_A_VERDICT])
		m->verdict = nla_get_u32(tb[SIPREG_MISS_A_VERDICT]);
	if (tb[SIPREG_MISS_A_IFINDEX])
		m->ifindex = nla_get_u32(tb[SIPREG_MISS_A_IFINDEX]);
	m->data = nla_data(tb[SIPREG_MISS_A_DATA]);
	m->len = (size_t)nla_len(tb[SIPREG_MISS_A_DATA]);
	return 0;
}

uint32_t kmsg_event(const struct nlmsghdr *h)
{
	struct nlattr *top[SIPREG_A_MAX + 1];

	if (parse_top(h, top) || !top[SIPREG_A_EVENT])
		return SIPREG_EVENT_UNSPEC;
	return nla_get_u32(top[SIPREG_A_EVENT]);
}

static bool contact_addr(struct nlattr **tb, struct kcontact *c)
{
	struct nlattr *a4 = tb[SIPREG_CONTACT_A_ADDR4];
	struct nlattr *a6 = tb[SIPREG_CONTACT_A_ADDR6];

	if (a4 && nla_len(a4) == 4) {
		c->family = AF_INET;
		memcpy(c->addr, nla_data(a4), 4);
	} else if (a6 && nla_len(a6) == 16) {
		c->family = AF_INET6;
		memcpy(c->addr, nla_data(a6), 16);
	} else if (a4 || a6) {
		return false;
	}
	return true;
}

static bool parse_contact(struct nlattr *nest, struct kcontact *c)
{
	struct nlattr *tb[SIPREG_CONTACT_A_MAX + 1];

	if (nla_parse_nested(tb, SIPREG_CONTACT_A_MAX, nest, contact_policy) ||
	    !get_str(tb[SIPREG_CONTACT_A_URI], c->uri, SIPREG_URI_MAX) ||
	    !get_str(tb[SIPREG_CONTACT_A_CALL_ID], c->call_id,
		     SIPREG_CALL_ID_MAX) || !c->uri[0] ||
	    !tb[SIPREG_CONTACT_A_CSEQ] || !contact_addr(tb, c))
		return false;
	c->cseq = nla_get_u32(tb[SIPREG_CONTACT_A_CSEQ]);
	c->nc = tb[SIPREG_CONTACT_A_NC] ? nla_get_u32(tb[SIPREG_CONTACT_A_NC]) : 0;
	c->expires = tb[SIPREG_CONTACT_A_EXPIRES] ?
		     nla_get_u32(tb[SIPREG_CONTACT_A_EXPIRES]) : 0;
	c->expires_at = tb[SIPREG_CONTACT_A_EXPIRES_AT] ?
			nla_get_u64(tb[SIPREG_CONTACT_A_EXPIRES_AT]) : 0;
	c->q = tb[SIPREG_CONTACT_A_Q] ? nla_get_u16(tb[SIPREG_CONTACT_A_Q]) :
	       SIPREG_Q_MAX;
	c->port = tb[SIPREG_CONTACT_A_PORT] ?
		  nla_get_u16(tb[SIPREG_CONTACT_A_PORT]) : 0;
	return true;
}

/* The contacts of one BINDING nest. */
static int binding_contacts(struct nlattr *binding, kmsg_contact_cb cb,
			    void *arg, unsigned int *bad, struct kcontact *c)
{
	struct nlattr *tb[SIPREG_BINDING_A_MAX + 1], *a;
	int rem, rc;

	if (nla_parse_nested(tb, SIPREG_BINDING_A_MAX, binding, binding_policy) ||
	    !get_str(tb[SIPREG_BINDING_A_AOR], c->aor, SIPREG_AOR_MAX))
		return -1;
	nla_for_each_nested(a, binding, rem) {
		if (nla_type(a) != SIPREG_BINDING_A_CONTACT)
			continue;
		if (!parse_contact(a, c)) {
			(*bad)++;
			continue;
		}
		rc = cb(arg, c);
		if (rc)
			return rc;
	}
	return 0;
}

int kmsg_each_contact(const struct nlmsghdr *h, kmsg_contact_cb cb,
		      void *arg, unsigned int *bad)
{
	struct genlmsghdr *g = NLMSG_DATA(h);
	struct kcontact c;
	struct nlattr *a;
	int rem, rc;

	if (!long_enough(h))
		return -1;
	/* BINDING is repeated in REFRESHED events: walk, not nla_parse */
	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), rem) {
		if ((nla_type(a)) != SIPREG_A_BINDING)
			continue;
		memset(&c, 0, sizeof(c));
		rc = binding_contacts(a, cb, arg, bad, &c);
		if (rc)
			return rc;
	}
	return 0;
}

int kmsg_parse_user(const struct nlmsghdr *h, char *name, size_t nsize,
		    char *realm, size_t rsize)
{
	struct nlattr *top[SIPREG_A_MAX + 1], *tb[SIPREG_USER_A_MAX + 1];

	if (parse_top(h, top) || !top[SIPREG_A_USER] ||
	    nla_parse_nested(tb, SIPREG_USER_A_MAX, top[SIPREG_A_USER],
			     user_policy) ||
	    !get_str(tb[SIPREG_USER_A_NAME], name, nsize - 1) ||
	    !get_str(tb[SIPREG_USER_A_REALM], realm, rsize - 1))
		return -1;
	return 0;
}

int kmsg_parse_domain(const struct nlmsghdr *h, char *name, size_t nsize,
		      char *realm, size_t rsize)
{
	struct nlattr *top[SIPREG_A_MAX + 1], *tb[SIPREG_DOMAIN_A_MAX + 1];

	if (parse_top(h, top) || !top[SIPREG_A_DOMAIN] ||
	    nla_parse_nested(tb, SIPREG_DOMAIN_A_MAX, top[SIPREG_A_DOMAIN],
			     domain_policy) ||
	    !get_str(tb[SIPREG_DOMAIN_A_NAME], name, nsize - 1) ||
	    !get_str(tb[SIPREG_DOMAIN_A_REALM], realm, rsize - 1))
		return -1;
	return 0;
}

int kmsg_ctrl_family(const struct nlmsghdr *h, const char *name)
{
	static struct nla_policy pol[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_NAME] = { .type = NLA_STRING },
	};
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	char fam[GENL_NAMSIZ];
	int cmd = kmsg_cmd(h);

	if (h->nlmsg_type != GENL_ID_CTRL ||
	    (cmd != CTRL_CMD_NEWFAMILY && cmd != CTRL_CMD_DELFAMILY) ||
	    genlmsg_parse((struct nlmsghdr *)h, 0, tb, CTRL_ATTR_MAX, pol) ||
	    !get_str(tb[CTRL_ATTR_FAMILY_NAME], fam, sizeof(fam) - 1) ||
	    strcmp(fam, name))
		return 0;
	return cmd == CTRL_CMD_NEWFAMILY ? 1 : -1;
}

/* u64 counters of a nest into @v[type - @shift]; others are skipped. */
static void counters(const struct nlattr *nest, uint64_t *v, int n,
		     int shift)
{
	const struct nlattr *a;
	int rem;

	if (!nest)
		return;
	nla_for_each_nested(a, (struct nlattr *)nest, rem) {
		int i = nla_type(a) - shift;

		if (i >= 0 && i < n && nla_len(a) == sizeof(uint64_t))
			v[i] = nla_get_u64((struct nlattr *)a);
	}
}

int kmsg_parse_stats(const struct nlmsghdr *h, struct kcounters *c)
{
	struct nlattr *tb[SIPREG_A_MAX + 1];

	memset(c, 0, sizeof(*c));
	if (parse_top(h, tb) || !tb[SIPREG_A_STATS])
		return -1;
	counters(tb[SIPREG_A_STATS], c->stat, __SIPREG_STAT_MAX, 0);
	counters(tb[SIPREG_A_STATS_MISS], c->miss, __SIPREG_MISS_MAX, 0);
	/* a verdict's counter is at type verdict + 1 (0 is no attribute) */
	counters(tb[SIPREG_A_STATS_VERDICT], c->verdict, SIPREG_VERDICT_MAX, 1);
	return 0;
}

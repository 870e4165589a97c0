// SPDX-License-Identifier: GPL-2.0
/*
 * sipregctl: configure and inspect sipreg.ko over generic netlink.
 * Exit status: 0 success, 1 syntax error, 2 kernel error (as ip(8)).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "sipreg.h"

enum { EXIT_OK = 0, EXIT_SYNTAX = 1, EXIT_KERNEL = 2 };

static const char *const stat_names[__SIPREG_STAT_MAX] = {
	[SIPREG_STAT_RX_PACKETS] = "rx_packets",
	[SIPREG_STAT_RX_BYTES] = "rx_bytes",
};

static int json;

struct stats_result {
	uint64_t val[__SIPREG_STAT_MAX];
	int found;
};

static int stats_cb(struct nl_msg *msg, void *arg)
{
	struct stats_result *res = arg;
	struct nlattr *tb[SIPREG_A_MAX + 1];
	struct nlattr *a;
	int rem;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, SIPREG_A_MAX, NULL) < 0 ||
	    !tb[SIPREG_A_STATS])
		return NL_SKIP;
	nla_for_each_nested(a, tb[SIPREG_A_STATS], rem) {
		int type = nla_type(a);

		if (type > SIPREG_STAT_PAD && type < __SIPREG_STAT_MAX &&
		    nla_len(a) == sizeof(uint64_t))
			res->val[type] = nla_get_u64(a);
	}
	res->found = 1;
	return NL_OK;
}

static void print_stats(const struct stats_result *res)
{
	const char *sep = "";
	int i;

	if (json)
		printf("{");
	for (i = SIPREG_STAT_PAD + 1; i < __SIPREG_STAT_MAX; i++) {
		if (json)
			printf("%s\"%s\":%" PRIu64, sep, stat_names[i], res->val[i]);
		else
			printf("%-24s %" PRIu64 "\n", stat_names[i], res->val[i]);
		sep = ",";
	}
	if (json)
		printf("}\n");
}

static int cmd_stats(void)
{
	struct stats_result res = { 0 };
	struct nl_sock *sk;
	int family, err;

	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk)) {
		fprintf(stderr, "sipregctl: cannot open a generic netlink socket\n");
		return EXIT_KERNEL;
	}
	family = genl_ctrl_resolve(sk, SIPREG_GENL_NAME);
	if (family < 0) {
		fprintf(stderr, "sipregctl: the sipreg module is not loaded (no '%s' netlink family)\n",
			SIPREG_GENL_NAME);
		nl_socket_free(sk);
		return EXIT_KERNEL;
	}
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, stats_cb, &res);
	err = genl_send_simple(sk, family, SIPREG_CMD_STATS_GET,
			       SIPREG_GENL_VERSION, 0);
	if (err >= 0)
		err = nl_recvmsgs_default(sk);
	nl_socket_free(sk);
	if (err < 0 || !res.found) {
		fprintf(stderr, "sipregctl: stats: %s\n",
			err < 0 ? nl_geterror(err) : "empty reply");
		return EXIT_KERNEL;
	}
	print_stats(&res);
	return EXIT_OK;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: sipregctl [-j] stats\n");
}

int main(int argc, char **argv)
{
	int i = 1;

	if (i < argc && !strcmp(argv[i], "-j")) {
		json = 1;
		i++;
	}
	if (i < argc && !strcmp(argv[i], "stats") && i + 1 == argc)
		return cmd_stats();
	if (i < argc && (!strcmp(argv[i], "-h") || !strcmp(argv[i], "help"))) {
		usage(stdout);
		return EXIT_OK;
	}
	usage(stderr);
	return EXIT_SYNTAX;
}

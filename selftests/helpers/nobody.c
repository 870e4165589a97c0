// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-nobody [-u UID] [-g GID] [-c CAP[,CAP...]] PROG ARGS: runs PROG
 * under another uid/gid (default 65534) holding exactly the capabilities
 * named (default none), as systemd does for a unit's User=,
 * AmbientCapabilities= and CapabilityBoundingSet=. For the VM tests of
 * unprivileged access and of the systemd unit's settings: busybox's
 * setpriv cannot change uids.
 */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static const struct {
	const char *name;
	int cap;
} caps[] = {
	{ "CAP_NET_BIND_SERVICE", CAP_NET_BIND_SERVICE },
	{ "CAP_NET_ADMIN", CAP_NET_ADMIN },
	{ "CAP_NET_RAW", CAP_NET_RAW },
	{ "CAP_SYS_ADMIN", CAP_SYS_ADMIN },
	{ "CAP_SYS_RESOURCE", CAP_SYS_RESOURCE },
	{ "CAP_IPC_LOCK", CAP_IPC_LOCK },
};

static int usage(void)
{
	fprintf(stderr, "usage: sipreg-nobody [-u UID] [-g GID] "
		"[-c CAP[,CAP...]] PROG [ARGS]\n");
	return 1;
}

/* "CAP_NET_ADMIN,CAP_NET_BIND_SERVICE" (or with spaces) -> a mask. */
static int parse_caps(char *list, unsigned long long *mask)
{
	char *tok, *save = NULL;
	size_t i;

	for (tok = strtok_r(list, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save)) {
		for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
			if (!strcasecmp(tok, caps[i].name))
				break;
		if (i == sizeof(caps) / sizeof(caps[0])) {
			fprintf(stderr, "sipreg-nobody: unknown capability "
				"'%s'\n", tok);
			return -1;
		}
		*mask |= 1ULL << caps[i].cap;
	}
	return 0;
}

static int parse_id(const char *s, unsigned int *id)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > 0xfffffffeUL) {
		fprintf(stderr, "sipreg-nobody: bad id '%s'\n", s);
		return -1;
	}
	*id = v;
	return 0;
}

/* While still root: nothing outside @mask can ever come back. */
static int drop_bounding(unsigned long long mask)
{
	int cap;

	for (cap = 0; cap <= CAP_LAST_CAP; cap++)
		if (!(mask & (1ULL << cap)) &&
		    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL)
			return -1;
	return 0;
}

/* After setuid (with KEEPCAPS): exactly @mask, inherited across exec. */
static int keep_caps(unsigned long long mask)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { { 0 } };
	int cap;

	data[0].permitted = data[0].effective = data[0].inheritable = mask;
	data[1].permitted = data[1].effective = data[1].inheritable = mask >> 32;
	if (syscall(SYS_capset, &hdr, data))
		return -1;
	for (cap = 0; cap <= CAP_LAST_CAP; cap++)
		if ((mask & (1ULL << cap)) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0))
			return -1;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int uid = 65534, gid = 65534;
	unsigned long long mask = 0;
	int opt;

	while ((opt = getopt(argc, argv, "+u:g:c:")) != -1) {
		switch (opt) {
		case 'u':
			if (parse_id(optarg, &uid))
				return 1;
			break;
		case 'g':
			if (parse_id(optarg, &gid))
				return 1;
			break;
		case 'c':
			if (parse_caps(optarg, &mask))
				return 1;
			break;
		default:
			return usage();
		}
	}
	if (optind >= argc)
		return usage();
	if (drop_bounding(mask) || prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) ||
	    setgroups(0, NULL) || setgid(gid) || setuid(uid) ||
	    keep_caps(mask)) {
		perror("sipreg-nobody");
		return 1;
	}
	execvp(argv[optind], argv + optind);
	perror(argv[optind]);
	return 127;
}

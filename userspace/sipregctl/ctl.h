/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sipregctl's pieces: args.c turns argv into a request (no I/O), nl.c
 * talks to the kernel, print.c prints text or JSON through one path,
 * main.c runs it (HA1 from a password: userspace/lib/ha1.c).
 */
#ifndef SIPREG_CTL_H
#define SIPREG_CTL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shim.h"		/* ARRAY_SIZE */
#include "sipreg.h"

/* Exit status, as ip(8): */
enum { CTL_OK = 0, CTL_SYNTAX = 1, CTL_KERNEL = 2 };

enum ctl_cmd {
	CTL_HELP,
	CTL_VERSION,
	CTL_STATS,
	CTL_STATS_RESET,
	CTL_STATS_DAEMON,		/* the sipregd section alone */
	CTL_CONFIG_SHOW,
	CTL_CONFIG_SET,
	CTL_USER_ADD,
	CTL_USER_DEL,
	CTL_USER_LIST,
	CTL_USER_FLUSH,
	CTL_BINDING_LIST,
	CTL_BINDING_ADD,
	CTL_BINDING_DEL,
	CTL_BINDING_FLUSH,
	CTL_MONITOR,
	CTL_DAEMON_CLAIM,
	CTL_DAEMON_RELEASE,
	CTL_DOMAIN_ADD,
	CTL_DOMAIN_DEL,
	CTL_DOMAIN_LIST,
	CTL_DOMAIN_FLUSH,
};

/* config set: the keys given, as kernel attributes. */
struct ctl_config {
	uint32_t given;			/* bit (1 << SIPREG_CONFIG_A_*) */
	char realm[SIPREG_REALM_MAX + 1];
	uint16_t ports[SIPREG_PORTS_MAX];
	unsigned int nports;
	uint32_t val[SIPREG_CONFIG_A_MAX + 1];	/* the u32 and u8 keys */
};

struct ctl_contact {
	const char *uri;
	const char *call_id;
	uint32_t cseq, expires, nc;
	uint16_t port, q;
	bool has_nc, has_q;
	int family;			/* 0, AF_INET, AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
};

struct ctl_req {
	enum ctl_cmd cmd;
	bool json;
	const char *object;		/* argv word of the object, for messages */
	const char *topic;		/* help: the object, or NULL */
	struct ctl_config cfg;
	const char *user;
	const char *realm;		/* NULL: the configured realm (user),
					 * the domain's name (domain add)
					 */
	const char *domain;		/* domain add, del */
	bool password;			/* read it from stdin */
	bool has_md5, has_sha256;
	uint8_t ha1_md5[SIPREG_HA1_MD5_LEN];
	uint8_t ha1_sha256[SIPREG_HA1_SHA256_LEN];
	const char *aor;		/* binding list: NULL for all */
	struct ctl_contact contact;	/* binding del: only uri, may be NULL */
	bool hold;			/* daemon claim: keep it until killed */
	const char *stats_file;		/* stats ... file PATH, or NULL */
	char err[256];			/* why ctl_parse() failed */
};

/* CTL_OK, or CTL_SYNTAX with req->err set. */
int ctl_parse(int argc, char **argv, struct ctl_req *req);
/* Usage of one object ("config", "user"...) or of everything (NULL). */
const char *ctl_usage(const char *topic);

/* Names of config keys on the command line and in output. */
const char *ctl_config_key(int attr);
/* "md5", "sha256", "md5,sha256" or "none". */
const char *ctl_algs_name(uint32_t algs);
/* The same in the order of the challenges: "sha256,md5" if @first says so. */
const char *ctl_algs_order_name(uint32_t algs, uint32_t first);

#endif /* SIPREG_CTL_H */

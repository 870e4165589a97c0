/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "sipregd user ..." and "sipregd binding ...": work on the database
 * directly, with or without the daemon running. cli_parse() turns the
 * words into a request (a table of commands and keywords, no I/O, tested
 * by selftests/unit/sipregd_cli_test.c); cli_run() does it. Exit codes:
 * 0 ok, 1 usage, 2 runtime error.
 */
#ifndef SIPREGD_CLI_H
#define SIPREGD_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

#define EXIT_USAGE	1
#define EXIT_RUNTIME	2

enum cli_cmd {
	CLI_USER_ADD,
	CLI_USER_DEL,
	CLI_USER_LIST,
	CLI_USER_IMPORT,
	CLI_BINDING_LIST,
};

struct cli_req {
	enum cli_cmd cmd;
	const char *usage;		/* of this command, for errors */
	const char *user;		/* add, del */
	const char *file;		/* import: a path or "-" */
	const char *aor;		/* binding list: NULL for all */
	const char *realm;		/* NULL: the configured realm */
	char domain[REGISTRAR_DOMAIN_MAX + 1];	/* "": none; lowercase */
	bool json;			/* list -j */
	bool has_md5, has_sha256;	/* add: HA1 given, no password read */
	uint8_t ha1_md5[16];
	uint8_t ha1_sha256[32];
	char err[256];			/* why cli_parse() refused */
};

/*
 * @argv: from the object on ("user add alice ..."). 0, or EXIT_USAGE with
 * req->err (and req->usage when the command is known).
 */
int cli_parse(int argc, char **argv, struct cli_req *req);
/* 0 or EXIT_RUNTIME, after printing why. */
int cli_run(const struct daemon_config *c, const struct cli_req *req);
/* Both; a refused command line is printed with its usage. */
int cli_main(const struct daemon_config *c, int argc, char **argv);

#endif /* SIPREGD_CLI_H */

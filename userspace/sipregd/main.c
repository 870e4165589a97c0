// SPDX-License-Identifier: GPL-2.0
/*
 * sipregd: options, then either an operator command on the database
 * (cli.c) or the daemon (daemon.c).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "daemon.h"
#include "hash.h"

int main(int argc, char **argv)
{
	struct daemon d = { .sigfd = -1 };
	int cmd;

	if (sipreg_hash_init()) {
		fprintf(stderr, "sipregd: no MD5/SHA-256 available\n");
		return EXIT_RUNTIME;
	}
	cmd = args_parse(&d, argc, argv);
	if (cmd < 0)
		return 0;
	if (args_load_config(&d, &d.cfg))
		return EXIT_USAGE;
	if (cmd < argc && (!strcmp(argv[cmd], "user") ||
			   !strcmp(argv[cmd], "binding")))
		return cli_main(&d.cfg, argc - cmd, argv + cmd);
	if (cmd < argc && strcmp(argv[cmd], "run")) {
		args_help(stderr);
		return EXIT_USAGE;
	}
	return daemon_run(&d);
}

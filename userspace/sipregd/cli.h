/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "sipregd user ..." and "sipregd binding ...": work on the database
 * directly, with or without the daemon running. Exit codes: 0 ok,
 * 1 usage, 2 runtime error.
 */
#ifndef SIPREGD_CLI_H
#define SIPREGD_CLI_H

#include "config.h"

#define EXIT_USAGE	1
#define EXIT_RUNTIME	2

int cli_user(const struct daemon_config *c, int argc, char **argv);
int cli_binding(const struct daemon_config *c, int argc, char **argv);

#endif /* SIPREGD_CLI_H */

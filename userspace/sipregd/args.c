// SPDX-License-Identifier: GPL-2.0
/*
 * sipregd's command line: options before the command (-c FILE,
 * --key=value), and the configuration they make, at start and again on
 * SIGHUP (the flags win over the file both times).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"

void args_help(FILE *f)
{
	fprintf(f,
		"usage: sipregd [-c FILE] [--key=value...] [--foreground]\n"
		"       sipregd [-c FILE] [--key=value...] user add USER [realm R | domain D] [ha1 HEX] [ha1-sha256 HEX]\n"
		"       sipregd [-c FILE] [--key=value...] user del USER [realm R | domain D]\n"
		"       sipregd [-c FILE] [--key=value...] user list [domain D] [-j]\n"
		"       sipregd [-c FILE] [--key=value...] user import FILE [realm R | domain D]\n"
		"       sipregd [-c FILE] [--key=value...] binding list [AOR] [-j]\n"
		"keys: realm domain listen db db_sync db_busy_timeout min_expires default_expires\n"
		"      max_expires max_contacts nonce_lifetime algorithms expiry_jitter\n"
		"      challenge_rate challenge_burst challenge_rate_global log_level\n"
		"      retrans_cache retrans_cache_bytes kernel workers\n");
}

/* --key=value flags, in order, over whatever is in @c. */
static int apply_flags(struct daemon_config *c, int argc, char **argv)
{
	char key[64], where[80];
	const char *eq;
	int i;

	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) || !strcmp(argv[i], "--foreground"))
			continue;
		eq = strchr(argv[i], '=');
		if (!eq || eq - argv[i] - 2 >= (int)sizeof(key)) {
			fprintf(stderr, "sipregd: %s: want --key=value\n",
				argv[i]);
			return -1;
		}
		snprintf(key, sizeof(key), "%.*s", (int)(eq - argv[i] - 2),
			 argv[i] + 2);
		snprintf(where, sizeof(where), "flag --%s", key);
		if (config_set(c, key, eq + 1, where))
			return -1;
	}
	return 0;
}

int args_load_config(const struct daemon *d, struct daemon_config *c)
{
	config_defaults(c);
	if (d->cfg_file && config_load_file(c, d->cfg_file))
		return -1;
	if (apply_flags(c, d->argc, d->argv))
		return -1;
	config_finish(c);
	if (config_check(c))
		return -1;
	return 0;
}

int args_parse(struct daemon *d, int argc, char **argv)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			args_help(stdout);
			return -1;
		}
		if (!strcmp(argv[i], "-c") && i + 1 < argc)
			d->cfg_file = argv[++i];
		else if (strncmp(argv[i], "--", 2) || !argv[i][2])
			break;
	}
	d->argc = i - 1;
	d->argv = argv + 1;
	if (!d->cfg_file && !access(CONFIG_DEFAULT_FILE, R_OK))
		d->cfg_file = CONFIG_DEFAULT_FILE;
	return i;
}

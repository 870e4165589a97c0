// SPDX-License-Identifier: GPL-2.0
/*
 * Operator commands on the store. Passwords are read from stdin (never
 * from argv, which other users can see) and turned into HA1 at once;
 * only HA1 (MD5 and SHA-256) is stored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ha1.h"
#include "hex.h"
#include "json.h"

static struct store *open_store(const struct daemon_config *c)
{
	char err[512];
	struct store *st = store_open(c->db, c->db_sync, err, sizeof(err));

	if (!st)
		fprintf(stderr, "sipregd: database %s\n", err);
	return st;
}

static int usage(const char *what)
{
	fprintf(stderr, "usage: sipregd [-c FILE] [--key=value...] %s\n", what);
	return EXIT_USAGE;
}

static int set_password(struct store_user *u, const char *pw)
{
	if (ha1_from_password(SIPREG_ALG_MD5, u->user, u->realm, pw,
			      u->ha1_md5) ||
	    ha1_from_password(SIPREG_ALG_SHA256, u->user, u->realm, pw,
			      u->ha1_sha256))
		return -1;
	u->has_md5 = u->has_sha256 = true;
	return 0;
}

static bool set_name(char *out, size_t size, const char *v, const char *what)
{
	if (!*v || strlen(v) >= size || strpbrk(v, "\"\\\r\n;")) {
		fprintf(stderr, "sipregd: %s \"%s\": empty, too long or "
			"with one of \" \\ ; CR LF\n", what, v);
		return false;
	}
	strcpy(out, v);
	return true;
}

static int read_password(char *pw, size_t size)
{
	size_t n;

	if (!fgets(pw, (int)size, stdin)) {
		fprintf(stderr, "sipregd: user add: no password on stdin\n");
		return -1;
	}
	n = strcspn(pw, "\r\n");
	pw[n] = 0;
	if (!n) {
		fprintf(stderr, "sipregd: user add: empty password on stdin\n");
		return -1;
	}
	return 0;
}

/* user add USER [realm R] [ha1 HEX] [ha1-sha256 HEX] */
static int user_add(const struct daemon_config *c, int argc, char **argv)
{
	struct store_user u;
	struct store *st;
	char pw[1024];
	int i, rc;

	memset(&u, 0, sizeof(u));
	if (argc < 1 || !set_name(u.user, sizeof(u.user), argv[0], "user"))
		return usage("user add USER [realm R] [ha1 HEX] [ha1-sha256 HEX]");
	strcpy(u.realm, c->reg.realm);
	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "realm")) {
			if (!set_name(u.realm, sizeof(u.realm), argv[i + 1],
				      "realm"))
				return EXIT_USAGE;
		} else if (!strcmp(argv[i], "ha1")) {
			if (!hex_decode(argv[i + 1], u.ha1_md5, SIPREG_MD5_LEN))
				return usage("user add USER ha1 <32 hex digits>");
			u.has_md5 = true;
		} else if (!strcmp(argv[i], "ha1-sha256")) {
			if (!hex_decode(argv[i + 1], u.ha1_sha256, SIPREG_SHA256_LEN))
				return usage("user add USER ha1-sha256 <64 hex digits>");
			u.has_sha256 = true;
		} else {
			break;
		}
	}
	if (i != argc)
		return usage("user add USER [realm R] [ha1 HEX] [ha1-sha256 HEX]");
	if (!u.has_md5 && !u.has_sha256) {
		if (read_password(pw, sizeof(pw)) || set_password(&u, pw))
			return EXIT_RUNTIME;
		memset(pw, 0, sizeof(pw));
	}
	st = open_store(c);
	if (!st)
		return EXIT_RUNTIME;
	rc = store_user_put(st, &u);
	if (rc)
		fprintf(stderr, "sipregd: %s: user add %s: %s\n", c->db, u.user,
			store_error(st));
	store_close(st);
	return rc ? EXIT_RUNTIME : 0;
}

static int user_del(const struct daemon_config *c, int argc, char **argv)
{
	const char *realm = c->reg.realm;
	struct store *st;
	int rc;

	if (argc == 3 && !strcmp(argv[1], "realm"))
		realm = argv[2];
	else if (argc != 1)
		return usage("user del USER [realm R]");
	st = open_store(c);
	if (!st)
		return EXIT_RUNTIME;
	rc = store_user_del(st, argv[0], realm);
	if (rc < 0)
		fprintf(stderr, "sipregd: %s: user del %s: %s\n", c->db,
			argv[0], store_error(st));
	else if (!rc)
		fprintf(stderr, "sipregd: %s: user del: no user %s in realm %s\n",
			c->db, argv[0], realm);
	store_close(st);
	return rc == 1 ? 0 : EXIT_RUNTIME;
}

struct printer {
	bool json;
	unsigned int n;
};

static int print_user(void *arg, const struct store_user *u)
{
	struct printer *p = arg;

	if (!p->json) {
		printf("%-24s %-24s %s%s%s\n", u->user, u->realm,
		       u->has_md5 ? "md5" : "",
		       u->has_md5 && u->has_sha256 ? "," : "",
		       u->has_sha256 ? "sha256" : "");
		return 0;
	}
	printf("%s{\"user\":", p->n++ ? "," : "");
	json_write_cstr(stdout, u->user);
	printf(",\"realm\":");
	json_write_cstr(stdout, u->realm);
	printf(",\"md5\":%s,\"sha256\":%s}", u->has_md5 ? "true" : "false",
	       u->has_sha256 ? "true" : "false");
	return 0;
}

static int user_list(const struct daemon_config *c, int argc, char **argv)
{
	struct printer p = { argc == 1 && !strcmp(argv[0], "-j"), 0 };
	struct store *st;
	int rc;

	if (argc > 1 || (argc == 1 && !p.json))
		return usage("user list [-j]");
	st = open_store(c);
	if (!st)
		return EXIT_RUNTIME;
	if (p.json)
		printf("[");
	rc = store_user_each(st, print_user, &p);
	if (p.json)
		printf("]\n");
	if (rc)
		fprintf(stderr, "sipregd: %s: user list: %s\n", c->db,
			store_error(st));
	store_close(st);
	return rc ? EXIT_RUNTIME : 0;
}

/* One "user;password" line into @u; 0 skip, 1 user, -1 bad. */
static int import_line(char *line, const char *realm, struct store_user *u)
{
	char *semi, *pw;

	line[strcspn(line, "\r\n")] = 0;
	if (!*line || *line == '#' || !strcmp(line, "SEQUENTIAL") ||
	    !strcmp(line, "RANDOM") || !strcmp(line, "USER"))
		return 0;
	semi = strchr(line, ';');
	if (!semi)
		return -1;
	*semi = 0;
	pw = semi + 1;
	pw[strcspn(pw, ";")] = 0;
	memset(u, 0, sizeof(*u));
	strcpy(u->realm, realm);
	if (!set_name(u->user, sizeof(u->user), line, "user") || !*pw ||
	    set_password(u, pw))
		return -1;
	return 1;
}

/* All or nothing: one transaction, so a bad line leaves no half import. */
static int user_import(const struct daemon_config *c, int argc, char **argv)
{
	const char *realm = c->reg.realm;
	unsigned int ln = 0, n = 0;
	struct store_user u;
	struct store *st;
	char line[1024];
	int rc = 0, r;
	FILE *f;

	if (argc == 3 && !strcmp(argv[1], "realm"))
		realm = argv[2];
	else if (argc != 1)
		return usage("user import FILE [realm R]");
	f = strcmp(argv[0], "-") ? fopen(argv[0], "r") : stdin;
	if (!f) {
		perror(argv[0]);
		return EXIT_RUNTIME;
	}
	st = open_store(c);
	if (!st || store_begin(st)) {
		if (st)
			fprintf(stderr, "sipregd: %s: %s\n", c->db,
				store_error(st));
		rc = EXIT_RUNTIME;
		goto out;
	}
	while (!rc && fgets(line, sizeof(line), f)) {
		ln++;
		r = import_line(line, realm, &u);
		if (r < 0) {
			fprintf(stderr, "sipregd: %s:%u: want user;password\n",
				argv[0], ln);
			rc = EXIT_RUNTIME;
		} else if (r && store_user_put(st, &u)) {
			fprintf(stderr, "sipregd: %s: %s\n", c->db,
				store_error(st));
			rc = EXIT_RUNTIME;
		}
		n += r > 0;
	}
	if (!rc && store_commit(st)) {
		fprintf(stderr, "sipregd: %s: %s\n", c->db, store_error(st));
		rc = EXIT_RUNTIME;
	}
	if (rc)
		store_rollback(st);
	else
		fprintf(stderr, "sipregd: imported %u users into realm %s\n",
			n, realm);
out:
	store_close(st);
	if (f != stdin)
		fclose(f);
	return rc;
}

int cli_user(const struct daemon_config *c, int argc, char **argv)
{
	if (argc >= 1 && !strcmp(argv[0], "add"))
		return user_add(c, argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "del"))
		return user_del(c, argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "import"))
		return user_import(c, argc - 1, argv + 1);
	if (argc == 0 || !strcmp(argv[0], "list"))
		return user_list(c, argc ? argc - 1 : 0, argv + 1);
	return usage("user {add|del|list|import} ...");
}

struct bprinter {
	bool json;
	unsigned int n;
	int64_t now;
};

static int print_binding(void *arg, const struct store_binding *b)
{
	struct bprinter *p = arg;
	long long left = (long long)(b->expires - p->now);

	if (!p->json) {
		printf("%s <%s> expires=%lld", b->aor, b->contact, left);
		if (b->q >= 0)
			printf(" q=%d.%03d", b->q / 1000, b->q % 1000);
		if (b->instance[0])
			printf(" instance=%s reg-id=%u", b->instance, b->reg_id);
		printf(" call-id=%s cseq=%u source=%s", b->call_id, b->cseq,
		       b->source);
		if (b->path[0])
			printf(" path=%s", b->path);
		printf("\n");
		return 0;
	}
	printf("%s{\"aor\":", p->n++ ? "," : "");
	json_write_cstr(stdout, b->aor);
	printf(",\"contact\":");
	json_write_cstr(stdout, b->contact);
	printf(",\"expires\":%lld,\"q\":%d,\"call_id\":", left, b->q);
	json_write_cstr(stdout, b->call_id);
	printf(",\"cseq\":%u,\"instance\":", b->cseq);
	json_write_cstr(stdout, b->instance);
	printf(",\"reg_id\":%u,\"path\":", b->reg_id);
	json_write_cstr(stdout, b->path);
	printf(",\"source\":");
	json_write_cstr(stdout, b->source);
	printf("}");
	return 0;
}

/* binding list [AOR] [-j]: read-only, current (unexpired) bindings. */
int cli_binding(const struct daemon_config *c, int argc, char **argv)
{
	struct bprinter p = { false, 0, time(NULL) };
	const char *aor = NULL;
	struct store *st;
	int i, rc;

	if (argc < 1 || strcmp(argv[0], "list"))
		return usage("binding list [AOR] [-j]");
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j"))
			p.json = true;
		else if (!aor)
			aor = argv[i];
		else
			return usage("binding list [AOR] [-j]");
	}
	st = open_store(c);
	if (!st)
		return EXIT_RUNTIME;
	if (p.json)
		printf("[");
	rc = store_binding_each(st, aor, p.now, print_binding, &p);
	if (p.json)
		printf("]\n");
	if (rc)
		fprintf(stderr, "sipregd: %s: binding list: %s\n", c->db,
			store_error(st));
	store_close(st);
	return rc ? EXIT_RUNTIME : 0;
}

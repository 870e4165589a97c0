// SPDX-License-Identifier: GPL-2.0
/*
 * Operator commands on the store. Passwords are read from stdin (never
 * from argv, which other users can see) and turned into HA1 at once;
 * only HA1 (MD5 and SHA-256) is stored.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "registrar/gruu.h"
#include "ha1.h"
#include "hex.h"
#include "json.h"
#include "registrar/domain.h"
#include "shim.h"		/* ARRAY_SIZE */

/* ---- the grammar ---- */

/* Keywords a command takes, as bits of struct command.keys. */
enum { K_REALM = 1, K_HA1 = 2, K_HA1_SHA256 = 4, K_JSON = 8, K_DOMAIN = 16 };

static const struct keyword {
	unsigned int bit;
	const char *word;
	bool has_value;
} keywords[] = {
	{ K_REALM, "realm", true },
	{ K_HA1, "ha1", true },
	{ K_HA1_SHA256, "ha1-sha256", true },
	{ K_JSON, "-j", false },
	{ K_DOMAIN, "domain", true },
};

static const struct command {
	const char *object;
	const char *verb;		/* NULL: the object alone */
	enum cli_cmd cmd;
	const char *arg;		/* its one positional word, or NULL */
	bool arg_optional;
	unsigned int keys;
	const char *usage;
} commands[] = {
	{ "user", "add", CLI_USER_ADD, "USER", false,
	  K_REALM | K_DOMAIN | K_HA1 | K_HA1_SHA256,
	  "user add USER [realm R | domain D] [ha1 HEX] [ha1-sha256 HEX]" },
	{ "user", "del", CLI_USER_DEL, "USER", false, K_REALM | K_DOMAIN,
	  "user del USER [realm R | domain D]" },
	{ "user", "list", CLI_USER_LIST, NULL, false, K_JSON | K_DOMAIN,
	  "user list [domain D] [-j]" },
	{ "user", NULL, CLI_USER_LIST, NULL, false, 0,
	  "user list [domain D] [-j]" },
	{ "user", "import", CLI_USER_IMPORT, "FILE", false, K_REALM | K_DOMAIN,
	  "user import FILE [realm R | domain D]" },
	{ "binding", "list", CLI_BINDING_LIST, "AOR", true, K_JSON,
	  "binding list [AOR] [-j]" },
};

static const char *const usage_objects[] = {
	"user {add|del|list|import} ...",
	"binding list [AOR] [-j]",
};

__attribute__((format(printf, 2, 3)))
static int bad(struct cli_req *req, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(req->err, sizeof(req->err), fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

/* User names and realms go into headers and the database as they are. */
static int check_name(struct cli_req *req, const char *what, const char *v)
{
	char why[128];

	if (store_name_check(v, why, sizeof(why)))
		return 0;
	return bad(req, "%s \"%.64s%s\": %s", what, v,
		   strlen(v) > 64 ? "..." : "", why);
}

/* Domain names: host names or [IPv6], folded to lowercase. */
static int set_domain(struct cli_req *req, const char *v)
{
	char why[160];

	if (domain_name_check(v, req->domain, why, sizeof(why)))
		return 0;
	return bad(req, "domain \"%.64s%s\": %s", v,
		   strlen(v) > 64 ? "..." : "", why);
}

static int set_hex(struct cli_req *req, const char *key, const char *v,
		   uint8_t *out, size_t n, bool *has)
{
	if (!hex_decode(v, out, n))
		return bad(req, "%s: need %zu hex digits", key, 2 * n);
	*has = true;
	return 0;
}

static int set_keyword(struct cli_req *req, unsigned int bit,
		       const char *key, const char *v)
{
	switch (bit) {
	case K_REALM:
		req->realm = v;
		return check_name(req, "realm", v);
	case K_HA1:
		return set_hex(req, key, v, req->ha1_md5,
			       sizeof(req->ha1_md5), &req->has_md5);
	case K_HA1_SHA256:
		return set_hex(req, key, v, req->ha1_sha256,
			       sizeof(req->ha1_sha256), &req->has_sha256);
	case K_JSON:
		req->json = true;
		return 0;
	case K_DOMAIN:
		return set_domain(req, v);
	}
	return bad(req, "%s: not handled", key);
}

static const struct keyword *find_keyword(const char *word)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keywords); i++)
		if (!strcmp(word, keywords[i].word))
			return &keywords[i];
	return NULL;
}

static const struct command *find_command(int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[0], commands[i].object) &&
		    (verb && commands[i].verb ? !strcmp(verb, commands[i].verb) :
		     !verb && !commands[i].verb))
			return &commands[i];
	return NULL;
}

static void set_arg(struct cli_req *req, const char *v)
{
	switch (req->cmd) {
	case CLI_USER_ADD:
	case CLI_USER_DEL:
		req->user = v;
		break;
	case CLI_USER_IMPORT:
		req->file = v;
		break;
	case CLI_BINDING_LIST:
		req->aor = v;
		break;
	case CLI_USER_LIST:
		break;
	}
}

int cli_parse(int argc, char **argv, struct cli_req *req)
{
	const struct command *c;
	const struct keyword *k;
	unsigned int given = 0;
	bool have_arg = false;
	int i;

	memset(req, 0, sizeof(*req));
	if (argc < 1)
		return bad(req, "need user or binding");
	c = find_command(argc, argv);
	if (!c)
		return bad(req, "unknown command \"%s%s%s\"", argv[0],
			   argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
	req->cmd = c->cmd;
	req->usage = c->usage;
	i = c->verb ? 2 : 1;
	/* a required word comes first: a user may be called "realm" */
	if (c->arg && !c->arg_optional && i < argc) {
		set_arg(req, argv[i++]);
		have_arg = true;
	}
	for (; i < argc; i++) {
		k = find_keyword(argv[i]);
		if (k && (c->keys & k->bit)) {
			if (given & k->bit)
				return bad(req, "%s given twice", k->word);
			given |= k->bit;
			if (k->has_value && i + 1 >= argc)
				return bad(req, "%s: missing value", k->word);
			if (set_keyword(req, k->bit, k->word,
					k->has_value ? argv[++i] : NULL))
				return EXIT_USAGE;
		} else if (c->arg && !have_arg) {
			set_arg(req, argv[i]);
			have_arg = true;
		} else {
			return bad(req, "unexpected \"%s\"", argv[i]);
		}
	}
	if (c->arg && !c->arg_optional && !have_arg)
		return bad(req, "need %s", c->arg);
	if ((given & K_REALM) && (given & K_DOMAIN))
		return bad(req, "realm and domain: give one (a domain has "
			   "its realm)");
	if (req->user && check_name(req, "user", req->user))
		return EXIT_USAGE;
	return 0;
}

/* ---- the commands ---- */

static struct store *open_store(const struct daemon_config *c)
{
	char err[512];
	struct store *st = store_open(c->db, c->db_sync, err, sizeof(err));

	if (!st)
		fprintf(stderr, "sipregd: database %s\n", err);
	return st;
}

/*
 * The realm a command works in: "realm R", the realm of "domain D" (one
 * of the configuration's domains), or the configured realm. NULL after
 * printing why.
 */
static const char *cmd_realm(const struct daemon_config *c,
			     const struct cli_req *r)
{
	const struct registrar_domain *d;
	const char *realm;

	if (r->realm || !r->domain[0]) {
		realm = r->realm ? r->realm : c->reg.realm;
		/* not an error: the domains may be configured afterwards */
		if (c->reg.n_domains && !domain_of_realm(&c->reg, realm) &&
		    r->cmd != CLI_USER_LIST)
			fprintf(stderr, "sipregd: note: realm %s is the realm of "
				"no configured domain: its users cannot register "
				"until one has it (user ... domain D picks one)\n",
				realm);
		return realm;
	}
	d = domain_find(&c->reg, (const uint8_t *)r->domain, strlen(r->domain));
	if (!d)
		fprintf(stderr, "sipregd: domain %s is not configured (no "
			"\"domain = %s\" line in the configuration)\n",
			r->domain, r->domain);
	return d ? d->realm : NULL;
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

struct printer {
	bool json;
	unsigned int n;
	const struct registrar_cfg *cfg;
	const char *realm;		/* only this realm's users, or NULL */
};

static int print_user(void *arg, const struct store_user *u)
{
	struct printer *p = arg;
	/* a user belongs to the domain whose realm it has, if any */
	const struct registrar_domain *d = domain_of_realm(p->cfg, u->realm);

	if (p->realm && strcmp(p->realm, u->realm))
		return 0;
	if (!p->json) {
		printf("%-24s %-24s %s%s%s%s%s\n", u->user, u->realm,
		       u->has_md5 ? "md5" : "",
		       u->has_md5 && u->has_sha256 ? "," : "",
		       u->has_sha256 ? "sha256" : "",
		       d ? " domain=" : "", d ? d->name : "");
		return 0;
	}
	printf("%s{\"user\":", p->n++ ? "," : "");
	json_write_cstr(stdout, u->user);
	printf(",\"realm\":");
	json_write_cstr(stdout, u->realm);
	printf(",\"domain\":");
	if (d)
		json_write_cstr(stdout, d->name);
	else
		printf("null");
	printf(",\"md5\":%s,\"sha256\":%s}", u->has_md5 ? "true" : "false",
	       u->has_sha256 ? "true" : "false");
	return 0;
}

static int user_add(const struct daemon_config *c, const struct cli_req *r)
{
	const char *realm = cmd_realm(c, r);
	struct store_user u;
	struct store *st;
	char pw[1024];
	int rc;

	if (!realm)
		return EXIT_RUNTIME;
	memset(&u, 0, sizeof(u));
	/* both checked: cli_parse() and the configuration */
	snprintf(u.user, sizeof(u.user), "%s", r->user);
	snprintf(u.realm, sizeof(u.realm), "%s", realm);
	memcpy(u.ha1_md5, r->ha1_md5, sizeof(u.ha1_md5));
	memcpy(u.ha1_sha256, r->ha1_sha256, sizeof(u.ha1_sha256));
	u.has_md5 = r->has_md5;
	u.has_sha256 = r->has_sha256;
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
		fprintf(stderr, "sipregd: %s: user add %s: %s\n", store_name(st), u.user,
			store_error(st));
	store_close(st);
	return rc ? EXIT_RUNTIME : 0;
}

static int user_del(const struct daemon_config *c, const struct cli_req *r)
{
	const char *realm = cmd_realm(c, r);
	struct store *st;
	int rc;

	if (!realm)
		return EXIT_RUNTIME;
	st = open_store(c);
	if (!st)
		return EXIT_RUNTIME;
	rc = store_user_del(st, r->user, realm);
	if (rc < 0)
		fprintf(stderr, "sipregd: %s: user del %s: %s\n", store_name(st),
			r->user, store_error(st));
	else if (!rc)
		fprintf(stderr, "sipregd: %s: user del: no user %s in realm %s\n",
			store_name(st), r->user, realm);
	store_close(st);
	return rc == 1 ? 0 : EXIT_RUNTIME;
}

static int user_list(const struct daemon_config *c, const struct cli_req *r)
{
	struct printer p = { r->json, 0, &c->reg, NULL };
	struct store *st;
	int rc;

	if (r->domain[0]) {
		p.realm = cmd_realm(c, r);
		if (!p.realm)
			return EXIT_RUNTIME;
	}
	st = open_store(c);
	if (!st)
		return EXIT_RUNTIME;
	if (p.json)
		printf("[");
	rc = store_user_each(st, print_user, &p);
	if (p.json)
		printf("]\n");
	if (rc)
		fprintf(stderr, "sipregd: %s: user list: %s\n", store_name(st),
			store_error(st));
	store_close(st);
	return rc ? EXIT_RUNTIME : 0;
}

/*
 * One "user;password" line into @u: 0 skip, 1 user, -1 bad with the
 * reason in @why. @line has its end of line removed.
 */
static int import_line(char *line, const char *realm, struct store_user *u,
		       char *why, size_t size)
{
	char *semi, *pw, nwhy[128];

	if (!*line || *line == '#' || !strcmp(line, "SEQUENTIAL") ||
	    !strcmp(line, "RANDOM") || !strcmp(line, "USER"))
		return 0;
	semi = strchr(line, ';');
	if (!semi) {
		snprintf(why, size, "want user;password");
		return -1;
	}
	*semi = 0;
	pw = semi + 1;
	pw[strcspn(pw, ";")] = 0;
	if (!store_name_check(line, nwhy, sizeof(nwhy))) {
		snprintf(why, size, "user \"%.64s\": %s", line, nwhy);
		return -1;
	}
	if (!*pw) {
		snprintf(why, size, "user %s: empty password", line);
		return -1;
	}
	memset(u, 0, sizeof(*u));
	snprintf(u->realm, sizeof(u->realm), "%s", realm);
	snprintf(u->user, sizeof(u->user), "%s", line);
	if (set_password(u, pw)) {
		snprintf(why, size, "user %s: cannot compute HA1", line);
		return -1;
	}
	return 1;
}

/*
 * The next line of @f without its end of line: 1, 0 at the end, -1 if
 * it does not fit in @size (the rest of it is skipped).
 */
static int read_line(FILE *f, char *line, size_t size)
{
	size_t n;
	int c;

	if (!fgets(line, (int)size, f))
		return 0;
	n = strlen(line);
	if (n && line[n - 1] == '\n') {
		line[--n] = 0;
		if (n && line[n - 1] == '\r')
			line[--n] = 0;
		return 1;
	}
	if (feof(f))
		return 1;		/* the last line, without a newline */
	while ((c = fgetc(f)) != EOF && c != '\n')
		;
	return -1;
}

/* All or nothing: one transaction, so a bad line leaves no half import. */
static int user_import(const struct daemon_config *c, const struct cli_req *r)
{
	const char *realm = cmd_realm(c, r);
	unsigned int ln = 0, n = 0;
	struct store_user u;
	struct store *st;
	char line[1024], why[256];
	int rc = 0, got;
	FILE *f;

	if (!realm)
		return EXIT_RUNTIME;
	f = strcmp(r->file, "-") ? fopen(r->file, "r") : stdin;
	if (!f) {
		perror(r->file);
		return EXIT_RUNTIME;
	}
	st = open_store(c);
	if (!st || store_begin(st)) {
		if (st)
			fprintf(stderr, "sipregd: %s: %s\n", store_name(st),
				store_error(st));
		rc = EXIT_RUNTIME;
		goto out;
	}
	while (!rc && (got = read_line(f, line, sizeof(line)))) {
		ln++;
		if (got < 0) {
			snprintf(why, sizeof(why), "line longer than %zu bytes",
				 sizeof(line) - 2);
		} else {
			got = import_line(line, realm, &u, why, sizeof(why));
		}
		if (got < 0) {
			fprintf(stderr, "sipregd: %s:%u: %s\n", r->file, ln, why);
			rc = EXIT_RUNTIME;
		} else if (got && store_user_put(st, &u)) {
			fprintf(stderr, "sipregd: %s: %s\n", store_name(st),
				store_error(st));
			rc = EXIT_RUNTIME;
		}
		n += got > 0;
	}
	if (!rc && store_commit(st)) {
		fprintf(stderr, "sipregd: %s: %s\n", store_name(st), store_error(st));
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

struct bprinter {
	bool json;
	unsigned int n;
	int64_t now;
};

static int print_binding(void *arg, const struct store_binding *b)
{
	struct bprinter *p = arg;
	long long left = (long long)(b->expires - p->now);
	char pub[GRUU_MAX] = "";

	/* RFC 5627: the public GRUU a UA that supports it was given */
	if (b->instance[0] && !gruu_public(b->aor, b->instance, pub,
					   sizeof(pub)))
		pub[0] = 0;
	if (!p->json) {
		printf("%s <%s> expires=%lld", b->aor, b->contact, left);
		if (b->q >= 0)
			printf(" q=%d.%03d", b->q / 1000, b->q % 1000);
		if (b->instance[0])
			printf(" instance=%s reg-id=%u", b->instance, b->reg_id);
		if (pub[0])
			printf(" pub-gruu=%s", pub);
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
	printf(",\"reg_id\":%u,\"pub_gruu\":", b->reg_id);
	json_write_cstr(stdout, pub);
	printf(",\"path\":");
	json_write_cstr(stdout, b->path);
	printf(",\"source\":");
	json_write_cstr(stdout, b->source);
	printf("}");
	return 0;
}

/* binding list [AOR] [-j]: read-only, current (unexpired) bindings. */
static int binding_list(const struct daemon_config *c,
			const struct cli_req *r)
{
	struct bprinter p = { r->json, 0, time(NULL) };
	struct store *st;
	int rc;

	st = open_store(c);
	if (!st)
		return EXIT_RUNTIME;
	if (p.json)
		printf("[");
	rc = store_binding_each(st, r->aor, p.now, print_binding, &p);
	if (p.json)
		printf("]\n");
	if (rc)
		fprintf(stderr, "sipregd: %s: binding list: %s\n", store_name(st),
			store_error(st));
	store_close(st);
	return rc ? EXIT_RUNTIME : 0;
}

int cli_run(const struct daemon_config *c, const struct cli_req *req)
{
	switch (req->cmd) {
	case CLI_USER_ADD:
		return user_add(c, req);
	case CLI_USER_DEL:
		return user_del(c, req);
	case CLI_USER_LIST:
		return user_list(c, req);
	case CLI_USER_IMPORT:
		return user_import(c, req);
	case CLI_BINDING_LIST:
		return binding_list(c, req);
	}
	return EXIT_USAGE;
}

int cli_main(const struct daemon_config *c, int argc, char **argv)
{
	struct cli_req req;
	size_t i;

	if (!cli_parse(argc, argv, &req))
		return cli_run(c, &req);
	fprintf(stderr, "sipregd: %s\n", req.err);
	if (req.usage) {
		fprintf(stderr, "usage: sipregd [-c FILE] [--key=value...] %s\n",
			req.usage);
	} else {
		for (i = 0; i < ARRAY_SIZE(usage_objects); i++)
			fprintf(stderr, "%s sipregd [-c FILE] [--key=value...] %s\n",
				i ? "      " : "usage:", usage_objects[i]);
	}
	return EXIT_USAGE;
}

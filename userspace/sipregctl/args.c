// SPDX-License-Identifier: GPL-2.0
/*
 * sipregctl's grammar: argv to a struct ctl_req, no I/O. Everything that
 * can be checked without the kernel is checked here, so that a typo never
 * reaches it and the message names the word at fault.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ctl.h"
#include "hex.h"

struct args {
	int argc;
	char **argv;
	int i;
	struct ctl_req *req;
};

static const char *const usage_global =
	"usage: sipregctl [-j] OBJECT COMMAND [ARGS]\n"
	"OBJECT: config | user | domain | binding | stats | monitor | version | help\n"
	"  -j, --json   print JSON\n"
	"  -h, --help   this text; 'sipregctl OBJECT help' for one object\n";

static const char *const usage_config =
	"usage: sipregctl config [show]\n"
	"       sipregctl config set KEY VALUE [KEY VALUE]...\n"
	"KEY: realm NAME | ports PORT[,PORT]... | expires-min S | expires-default S |\n"
	"     expires-max S | nonce-lifetime S |\n"
	"     algorithms md5|sha256|md5,sha256|sha256,md5 (challenges in this order) |\n"
	"     rate N | burst N | max-users N | max-bindings N | max-contacts N |\n"
	"     fastpath on|off | enabled on|off (the module answers in this namespace) |\n"
	"     legacy-digest on|off | rate-global N | busy-retry-after N |\n"
	"     miss-queue-max N | miss-queue-age MS | miss-queue-wait MS |\n"
	"     timing on|off (the module times itself: sipregctl stats)\n";

static const char *const usage_user =
	"usage: sipregctl user add USER [realm REALM] [ha1 HEX] [ha1-sha256 HEX]\n"
	"         (without ha1: the password is read from stdin)\n"
	"       sipregctl user del USER [realm REALM]\n"
	"       sipregctl user [list]\n"
	"       sipregctl user flush\n"
	"While sipregd holds the miss channel, users and domains are its: the kernel\n"
	"refuses these writes (use 'sipregd user add|del').\n";

static const char *const usage_domain =
	"usage: sipregctl domain add NAME [realm REALM]   (realm: NAME by default)\n"
	"       sipregctl domain del NAME\n"
	"       sipregctl domain [list]\n"
	"       sipregctl domain flush\n"
	"With domains, the fast path serves only Request-URIs naming one of them,\n"
	"with that domain's realm; users stay keyed by (user, realm).\n"
	"While sipregd holds the miss channel, the kernel refuses these writes.\n";

static const char *const usage_binding =
	"usage: sipregctl binding [list] [AOR]\n"
	"       sipregctl binding add AOR contact URI call-id ID cseq N expires S\n"
	"                 [addr IP] [port PORT] [q 0.0-1.0] [nc N]\n"
	"       sipregctl binding del AOR [contact URI]\n"
	"       sipregctl binding flush\n";

static const char *const usage_stats =
	"usage: sipregctl stats [show|daemon] [file PATH]\n"
	"       sipregctl stats reset\n"
	"  daemon: only sipregd's counters, from its stats file (PATH, else\n"
	"          $SIPREGD_STATS_FILE, else /run/sipregd/stats)\n";
static const char *const usage_monitor = "usage: sipregctl monitor\n";
static const char *const usage_daemon =
	"usage: sipregctl daemon claim [hold] | release   (testing the miss channel)\n";

static const struct {
	const char *name;
	const char *usage;
} topics[] = {
	{ "config", usage_config }, { "user", usage_user },
	{ "domain", usage_domain },
	{ "binding", usage_binding }, { "stats", usage_stats },
	{ "monitor", usage_monitor }, { "daemon", usage_daemon },
	{ "version", "usage: sipregctl version\n" },
};

const char *ctl_usage(const char *topic)
{
	size_t i;

	for (i = 0; topic && i < ARRAY_SIZE(topics); i++)
		if (!strcmp(topic, topics[i].name))
			return topics[i].usage;
	return usage_global;
}

static const char *const config_keys[SIPREG_CONFIG_A_MAX + 1] = {
	[SIPREG_CONFIG_A_REALM] = "realm",
	[SIPREG_CONFIG_A_PORT] = "ports",
	[SIPREG_CONFIG_A_EXPIRES_MIN] = "expires-min",
	[SIPREG_CONFIG_A_EXPIRES_DEFAULT] = "expires-default",
	[SIPREG_CONFIG_A_EXPIRES_MAX] = "expires-max",
	[SIPREG_CONFIG_A_NONCE_LIFETIME] = "nonce-lifetime",
	[SIPREG_CONFIG_A_ALGS] = "algorithms",
	[SIPREG_CONFIG_A_RATE] = "rate",
	[SIPREG_CONFIG_A_BURST] = "burst",
	[SIPREG_CONFIG_A_MAX_USERS] = "max-users",
	[SIPREG_CONFIG_A_MAX_BINDINGS] = "max-bindings",
	[SIPREG_CONFIG_A_MAX_CONTACTS] = "max-contacts",
	[SIPREG_CONFIG_A_FASTPATH] = "fastpath",
	[SIPREG_CONFIG_A_ENABLED] = "enabled",
	[SIPREG_CONFIG_A_LEGACY_DIGEST] = "legacy-digest",
	[SIPREG_CONFIG_A_RATE_GLOBAL] = "rate-global",
	[SIPREG_CONFIG_A_BUSY_RETRY_AFTER] = "busy-retry-after",
	[SIPREG_CONFIG_A_TIMING] = "timing",
	[SIPREG_CONFIG_A_MISS_QUEUE_MAX] = "miss-queue-max",
	[SIPREG_CONFIG_A_MISS_QUEUE_AGE] = "miss-queue-age",
	[SIPREG_CONFIG_A_MISS_QUEUE_WAIT] = "miss-queue-wait",
};

const char *ctl_config_key(int attr)
{
	if (attr <= 0 || attr > SIPREG_CONFIG_A_MAX)
		return NULL;
	return config_keys[attr];
}

const char *ctl_algs_order_name(uint32_t algs, uint32_t first)
{
	if (algs == (SIPREG_ALG_FLAG_MD5 | SIPREG_ALG_FLAG_SHA256) &&
	    first == SIPREG_ALG_FLAG_SHA256)
		return "sha256,md5";
	return ctl_algs_name(algs);
}

const char *ctl_algs_name(uint32_t algs)
{
	switch (algs) {
	case SIPREG_ALG_FLAG_MD5:
		return "md5";
	case SIPREG_ALG_FLAG_SHA256:
		return "sha256";
	case SIPREG_ALG_FLAG_MD5 | SIPREG_ALG_FLAG_SHA256:
		return "md5,sha256";
	}
	return "none";
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int bad(struct args *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->req->err, sizeof(a->req->err), fmt, ap);
	va_end(ap);
	return CTL_SYNTAX;
}

static bool more(const struct args *a)
{
	return a->i < a->argc;
}

static const char *peek(const struct args *a)
{
	return more(a) ? a->argv[a->i] : NULL;
}

static bool is(const struct args *a, const char *word)
{
	return more(a) && !strcmp(a->argv[a->i], word);
}

static bool is_help(const struct args *a)
{
	return is(a, "help") || is(a, "-h") || is(a, "--help");
}

/* The value after keyword argv[i - 1]; NULL (and req->err) if none. */
static const char *value(struct args *a, const char *key)
{
	if (!more(a)) {
		bad(a, "%s: missing value", key);
		return NULL;
	}
	return a->argv[a->i++];
}

static int parse_u32(struct args *a, const char *key, const char *s,
		     uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (!s || !isdigit((unsigned char)*s))
		goto err;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		goto err;
	*out = v;
	return 0;
err:
	if (s)
		bad(a, "%s: \"%s\" is not a number in %u..%u", key, s, min, max);
	return -1;
}

static int want_end(struct args *a, const char *what)
{
	if (more(a))
		return bad(a, "%s: unexpected \"%s\"", what, peek(a));
	return CTL_OK;
}

/* Same rule as the kernel: printable, no quote or backslash. */
static int check_string(struct args *a, const char *key, const char *s,
			size_t max)
{
	size_t i, len = strlen(s);

	if (!len || len > max)
		return bad(a, "%s: must be 1 to %zu characters", key, max);
	for (i = 0; i < len; i++)
		if (!isprint((unsigned char)s[i]) || s[i] == '"' ||
		    s[i] == '\\')
			return bad(a, "%s: \"%s\" has a character that is not allowed",
				   key, s);
	return CTL_OK;
}

static int parse_hex(struct args *a, const char *key, const char *s,
		     uint8_t *out, size_t n)
{
	size_t bad_at;

	if (!s)
		return CTL_SYNTAX;
	if (strlen(s) != 2 * n)
		return bad(a, "%s: need %zu hex digits, got %zu", key, 2 * n,
			   strlen(s));
	bad_at = hex_bad(s, n);
	if (bad_at != (size_t)-1)
		return bad(a, "%s: \"%c\" is not a hex digit", key, s[bad_at]);
	hex_decode(s, out, n);
	return CTL_OK;
}

static int parse_ports(struct args *a, const char *s, struct ctl_config *cfg)
{
	char buf[64], *tok, *save = NULL;
	uint32_t port;

	if (!s)
		return CTL_SYNTAX;
	if (strlen(s) >= sizeof(buf))
		return bad(a, "ports: too long");
	strcpy(buf, s);
	cfg->nports = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (cfg->nports == SIPREG_PORTS_MAX)
			return bad(a, "ports: at most %d", SIPREG_PORTS_MAX);
		if (parse_u32(a, "ports", tok, 1, 65535, &port))
			return CTL_SYNTAX;
		cfg->ports[cfg->nports++] = port;
	}
	if (!cfg->nports)
		return bad(a, "ports: need at least one port");
	return CTL_OK;
}

/*
 * "md5", "sha256" or both, in the order the challenges offer them
 * (SIPREG_CONFIG_A_ALGS_FIRST is the first one named); "both" is
 * md5,sha256.
 */
static int parse_algs(struct args *a, const char *s, struct ctl_config *cfg)
{
	char buf[64], *tok, *save = NULL;
	uint32_t algs = 0, first = 0, f;

	if (!strcmp(s, "both"))
		s = "md5,sha256";
	if (strlen(s) >= sizeof(buf))
		return bad(a, "algorithms: too long");
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "md5"))
			f = SIPREG_ALG_FLAG_MD5;
		else if (!strcmp(tok, "sha256") || !strcmp(tok, "sha-256"))
			f = SIPREG_ALG_FLAG_SHA256;
		else
			return bad(a, "algorithms: \"%s\": use md5, sha256, "
				   "md5,sha256 or sha256,md5", s);
		if (algs & f)
			return bad(a, "algorithms: \"%s\": %s named twice", s, tok);
		algs |= f;
		if (!first)
			first = f;
	}
	if (!algs)
		return bad(a, "algorithms: \"%s\": name md5, sha256 or both", s);
	cfg->val[SIPREG_CONFIG_A_ALGS] = algs;
	cfg->val[SIPREG_CONFIG_A_ALGS_FIRST] = first;
	cfg->given |= 1u << SIPREG_CONFIG_A_ALGS_FIRST;
	return CTL_OK;
}

static const struct {
	int attr;
	uint32_t min, max;
} u32_keys[] = {
	{ SIPREG_CONFIG_A_EXPIRES_MIN, 1, SIPREG_EXPIRES_LIMIT },
	{ SIPREG_CONFIG_A_EXPIRES_DEFAULT, 1, SIPREG_EXPIRES_LIMIT },
	{ SIPREG_CONFIG_A_EXPIRES_MAX, 1, SIPREG_EXPIRES_LIMIT },
	{ SIPREG_CONFIG_A_NONCE_LIFETIME, 1, SIPREG_NONCE_LIFETIME_LIMIT },
	{ SIPREG_CONFIG_A_RATE, 0, 1000000 },
	{ SIPREG_CONFIG_A_BURST, 0, 1000000 },
	{ SIPREG_CONFIG_A_RATE_GLOBAL, 0, 1000000 },
	{ SIPREG_CONFIG_A_BUSY_RETRY_AFTER, 0, SIPREG_BUSY_RETRY_AFTER_LIMIT },
	{ SIPREG_CONFIG_A_MISS_QUEUE_MAX, 0, SIPREG_MISS_QUEUE_MAX_LIMIT },
	{ SIPREG_CONFIG_A_MISS_QUEUE_AGE, 0, SIPREG_MISS_QUEUE_AGE_LIMIT },
	{ SIPREG_CONFIG_A_MISS_QUEUE_WAIT, 0, SIPREG_MISS_QUEUE_WAIT_LIMIT },
	{ SIPREG_CONFIG_A_MAX_USERS, 1, SIPREG_TABLE_LIMIT },
	{ SIPREG_CONFIG_A_MAX_BINDINGS, 1, SIPREG_TABLE_LIMIT },
	{ SIPREG_CONFIG_A_MAX_CONTACTS, 1, SIPREG_CONTACTS_LIMIT },
};

static int config_key(struct args *a, const char *key, struct ctl_config *cfg)
{
	const char *v;
	size_t i;
	int attr;

	for (attr = 1; attr <= SIPREG_CONFIG_A_MAX; attr++)
		if (config_keys[attr] && !strcmp(key, config_keys[attr]))
			break;
	if (attr > SIPREG_CONFIG_A_MAX)
		return bad(a, "config set: unknown key \"%s\"", key);
	if (cfg->given & (1u << attr))
		return bad(a, "config set: \"%s\" given twice", key);
	cfg->given |= 1u << attr;
	v = value(a, key);
	if (!v)
		return CTL_SYNTAX;
	switch (attr) {
	case SIPREG_CONFIG_A_REALM:
		if (check_string(a, "realm", v, SIPREG_REALM_MAX))
			return CTL_SYNTAX;
		strcpy(cfg->realm, v);
		return CTL_OK;
	case SIPREG_CONFIG_A_PORT:
		return parse_ports(a, v, cfg);
	case SIPREG_CONFIG_A_ALGS:
		return parse_algs(a, v, cfg);
	case SIPREG_CONFIG_A_FASTPATH:
	case SIPREG_CONFIG_A_ENABLED:
	case SIPREG_CONFIG_A_LEGACY_DIGEST:
	case SIPREG_CONFIG_A_TIMING:
		if (strcmp(v, "on") && strcmp(v, "off"))
			return bad(a, "%s: \"%s\": use on or off", key, v);
		cfg->val[attr] = !strcmp(v, "on");
		return CTL_OK;
	}
	for (i = 0; i < ARRAY_SIZE(u32_keys); i++)
		if (u32_keys[i].attr == attr)
			return parse_u32(a, key, v, u32_keys[i].min,
					 u32_keys[i].max, &cfg->val[attr]) ?
			       CTL_SYNTAX : CTL_OK;
	return bad(a, "config set: cannot set \"%s\"", key);
}

static int parse_config(struct args *a)
{
	struct ctl_req *req = a->req;
	const uint32_t *v = req->cfg.val;
	uint32_t given;
	int err;

	if (!more(a) || is(a, "show") || is(a, "list")) {
		req->cmd = CTL_CONFIG_SHOW;
		a->i += more(a);
		return want_end(a, "config show");
	}
	if (!is(a, "set"))
		return bad(a, "config: unknown command \"%s\"", peek(a));
	a->i++;
	req->cmd = CTL_CONFIG_SET;
	if (!more(a))
		return bad(a, "config set: need KEY VALUE");
	while (more(a)) {
		err = config_key(a, a->argv[a->i++], &req->cfg);
		if (err)
			return err;
	}
	/* The kernel checks against the current values too: this is early. */
	given = req->cfg.given;
#define GIVEN(x) (given & (1u << SIPREG_CONFIG_A_##x))
	if ((GIVEN(EXPIRES_MIN) && GIVEN(EXPIRES_MAX) &&
	     v[SIPREG_CONFIG_A_EXPIRES_MIN] > v[SIPREG_CONFIG_A_EXPIRES_MAX]) ||
	    (GIVEN(EXPIRES_MIN) && GIVEN(EXPIRES_DEFAULT) &&
	     v[SIPREG_CONFIG_A_EXPIRES_MIN] > v[SIPREG_CONFIG_A_EXPIRES_DEFAULT]) ||
	    (GIVEN(EXPIRES_DEFAULT) && GIVEN(EXPIRES_MAX) &&
	     v[SIPREG_CONFIG_A_EXPIRES_DEFAULT] > v[SIPREG_CONFIG_A_EXPIRES_MAX]))
		return bad(a, "expires: need expires-min <= expires-default <= expires-max");
#undef GIVEN
	return CTL_OK;
}

static int parse_realm_opt(struct args *a)
{
	const char *v;

	if (!is(a, "realm"))
		return CTL_OK;
	a->i++;
	v = value(a, "realm");
	if (!v || check_string(a, "realm", v, SIPREG_REALM_MAX))
		return CTL_SYNTAX;
	a->req->realm = v;
	return CTL_OK;
}

static int parse_user_name(struct args *a, const char *cmd)
{
	if (!more(a))
		return bad(a, "user %s: need a user name", cmd);
	a->req->user = a->argv[a->i++];
	return check_string(a, "user", a->req->user, SIPREG_USER_MAX);
}

static int parse_user_add(struct args *a)
{
	struct ctl_req *req = a->req;
	int err;

	req->cmd = CTL_USER_ADD;
	err = parse_user_name(a, "add");
	while (!err && more(a)) {
		if (is(a, "realm") && !req->realm) {
			err = parse_realm_opt(a);
		} else if (is(a, "ha1") && !req->has_md5) {
			a->i++;
			err = parse_hex(a, "ha1", value(a, "ha1"), req->ha1_md5,
					sizeof(req->ha1_md5));
			req->has_md5 = true;
		} else if (is(a, "ha1-sha256") && !req->has_sha256) {
			a->i++;
			err = parse_hex(a, "ha1-sha256", value(a, "ha1-sha256"),
					req->ha1_sha256, sizeof(req->ha1_sha256));
			req->has_sha256 = true;
		} else {
			err = bad(a, "user add: unexpected \"%s\"", peek(a));
		}
	}
	req->password = !req->has_md5 && !req->has_sha256;
	return err;
}

static int parse_user(struct args *a)
{
	struct ctl_req *req = a->req;
	int err;

	if (!more(a) || is(a, "list") || is(a, "show")) {
		req->cmd = CTL_USER_LIST;
		a->i += more(a);
		return want_end(a, "user list");
	}
	if (is(a, "add")) {
		a->i++;
		return parse_user_add(a);
	}
	if (is(a, "del") || is(a, "delete")) {
		a->i++;
		req->cmd = CTL_USER_DEL;
		err = parse_user_name(a, "del");
		if (!err)
			err = parse_realm_opt(a);
		return err ?: want_end(a, "user del");
	}
	if (is(a, "flush")) {
		a->i++;
		req->cmd = CTL_USER_FLUSH;
		return want_end(a, "user flush");
	}
	return bad(a, "user: unknown command \"%s\"", peek(a));
}

/* As the kernel takes it: a host name, an IPv4 or an [IPv6] address. */
static int check_domain(struct args *a, const char *s)
{
	size_t i, len = strlen(s);
	bool v6 = len > 2 && s[0] == '[' && s[len - 1] == ']';

	if (!len || len > SIPREG_DOMAIN_MAX)
		return bad(a, "domain: must be 1 to %d characters",
			   SIPREG_DOMAIN_MAX);
	for (i = v6; i < len - v6; i++) {
		unsigned char c = s[i];

		if (v6 ? !isxdigit(c) && c != ':' && c != '.' :
			 !isalnum(c) && c != '-' && c != '.')
			return bad(a, "domain: \"%s\" is not a host name, "
				   "IPv4 or [IPv6] address", s);
	}
	return CTL_OK;
}

static int parse_domain_name(struct args *a, const char *cmd)
{
	if (!more(a))
		return bad(a, "domain %s: need a domain name", cmd);
	a->req->domain = a->argv[a->i++];
	return check_domain(a, a->req->domain);
}

static int parse_domain(struct args *a)
{
	struct ctl_req *req = a->req;
	int err;

	if (!more(a) || is(a, "list") || is(a, "show")) {
		req->cmd = CTL_DOMAIN_LIST;
		a->i += more(a);
		return want_end(a, "domain list");
	}
	if (is(a, "add")) {
		a->i++;
		req->cmd = CTL_DOMAIN_ADD;
		err = parse_domain_name(a, "add");
		if (!err)
			err = parse_realm_opt(a);
		return err ?: want_end(a, "domain add");
	}
	if (is(a, "del") || is(a, "delete")) {
		a->i++;
		req->cmd = CTL_DOMAIN_DEL;
		err = parse_domain_name(a, "del");
		return err ?: want_end(a, "domain del");
	}
	if (is(a, "flush")) {
		a->i++;
		req->cmd = CTL_DOMAIN_FLUSH;
		return want_end(a, "domain flush");
	}
	return bad(a, "domain: unknown command \"%s\"", peek(a));
}

static int parse_addr(struct args *a, const char *s, struct ctl_contact *c)
{
	if (!s)
		return CTL_SYNTAX;
	if (inet_pton(AF_INET, s, &c->addr.v4) == 1)
		c->family = AF_INET;
	else if (inet_pton(AF_INET6, s, &c->addr.v6) == 1)
		c->family = AF_INET6;
	else
		return bad(a, "addr: \"%s\" is not an IPv4 or IPv6 address", s);
	return CTL_OK;
}

/* q as a SIP q-value, 0 to 1 with up to three decimals: thousandths. */
static int parse_q(struct args *a, const char *s, struct ctl_contact *c)
{
	unsigned int whole, frac = 0, scale = 100;
	const char *p = s;

	if (!s)
		return CTL_SYNTAX;
	if (*p != '0' && *p != '1')
		goto err;
	whole = *p++ - '0';
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p) && scale; p++, scale /= 10)
			frac += (*p - '0') * scale;
	}
	if (*p || (whole == 1 && frac))
		goto err;
	c->q = whole * 1000 + frac;
	c->has_q = true;
	return CTL_OK;
err:
	return bad(a, "q: \"%s\" is not a q-value (0 to 1, at most 3 decimals)", s);
}

static int contact_word(struct args *a, struct ctl_contact *c)
{
	const char *w = a->argv[a->i++];
	uint32_t v;

	if (!strcmp(w, "contact") && !c->uri) {
		c->uri = value(a, w);
		return c->uri ? check_string(a, "contact", c->uri, SIPREG_URI_MAX) :
				CTL_SYNTAX;
	}
	if (!strcmp(w, "call-id") && !c->call_id) {
		c->call_id = value(a, w);
		return c->call_id ? check_string(a, "call-id", c->call_id,
						 SIPREG_CALL_ID_MAX) : CTL_SYNTAX;
	}
	if (!strcmp(w, "cseq"))
		return parse_u32(a, w, value(a, w), 0, UINT32_MAX, &c->cseq) ?
		       CTL_SYNTAX : CTL_OK;
	if (!strcmp(w, "expires"))
		return parse_u32(a, w, value(a, w), 1, SIPREG_EXPIRES_LIMIT,
				 &c->expires) ? CTL_SYNTAX : CTL_OK;
	if (!strcmp(w, "nc")) {
		c->has_nc = true;
		return parse_u32(a, w, value(a, w), 0, UINT32_MAX, &c->nc) ?
		       CTL_SYNTAX : CTL_OK;
	}
	if (!strcmp(w, "port")) {
		if (parse_u32(a, w, value(a, w), 1, 65535, &v))
			return CTL_SYNTAX;
		c->port = v;
		return CTL_OK;
	}
	if (!strcmp(w, "addr"))
		return parse_addr(a, value(a, w), c);
	if (!strcmp(w, "q"))
		return parse_q(a, value(a, w), c);
	return bad(a, "binding add: unexpected \"%s\"", w);
}

static int parse_binding_add(struct args *a)
{
	struct ctl_contact *c = &a->req->contact;
	int err = CTL_OK;

	a->req->cmd = CTL_BINDING_ADD;
	if (!more(a))
		return bad(a, "binding add: need an AOR");
	a->req->aor = a->argv[a->i++];
	if (check_string(a, "AOR", a->req->aor, SIPREG_AOR_MAX))
		return CTL_SYNTAX;
	while (!err && more(a))
		err = contact_word(a, c);
	if (err)
		return err;
	if (!c->uri)
		return bad(a, "binding add: need contact URI");
	if (!c->call_id)
		return bad(a, "binding add: need call-id ID");
	if (!c->expires)
		return bad(a, "binding add: need expires SECONDS");
	return CTL_OK;
}

static int parse_binding(struct args *a)
{
	struct ctl_req *req = a->req;

	if (is(a, "add")) {
		a->i++;
		return parse_binding_add(a);
	}
	if (is(a, "del") || is(a, "delete")) {
		a->i++;
		req->cmd = CTL_BINDING_DEL;
		if (!more(a))
			return bad(a, "binding del: need an AOR");
		req->aor = a->argv[a->i++];
		if (is(a, "contact")) {
			a->i++;
			req->contact.uri = value(a, "contact");
			if (!req->contact.uri)
				return CTL_SYNTAX;
		}
		return want_end(a, "binding del");
	}
	if (is(a, "flush")) {
		a->i++;
		req->cmd = CTL_BINDING_FLUSH;
		return want_end(a, "binding flush");
	}
	req->cmd = CTL_BINDING_LIST;
	if (is(a, "list") || is(a, "show"))
		a->i++;
	if (more(a)) {
		req->aor = a->argv[a->i++];
		if (check_string(a, "AOR", req->aor, SIPREG_AOR_MAX))
			return CTL_SYNTAX;
	}
	return want_end(a, "binding list");
}

static int parse_stats(struct args *a)
{
	struct ctl_req *req = a->req;

	req->cmd = CTL_STATS;
	if (is(a, "reset")) {
		a->i++;
		req->cmd = CTL_STATS_RESET;
		return want_end(a, "stats");
	}
	if (is(a, "daemon"))
		req->cmd = CTL_STATS_DAEMON;
	if (is(a, "daemon") || is(a, "show"))
		a->i++;
	if (is(a, "file")) {
		a->i++;
		if (!more(a))
			return bad(a, "stats file: need a PATH");
		req->stats_file = a->argv[a->i++];
	}
	return want_end(a, "stats");
}

static int parse_object(struct args *a)
{
	struct ctl_req *req = a->req;
	const char *obj = a->argv[a->i++];

	req->object = obj;
	if (is_help(a)) {
		req->cmd = CTL_HELP;
		req->topic = obj;
		return CTL_OK;
	}
	if (!strcmp(obj, "config"))
		return parse_config(a);
	if (!strcmp(obj, "user"))
		return parse_user(a);
	if (!strcmp(obj, "binding"))
		return parse_binding(a);
	if (!strcmp(obj, "domain"))
		return parse_domain(a);
	if (!strcmp(obj, "stats"))
		return parse_stats(a);
	if (!strcmp(obj, "monitor")) {
		req->cmd = CTL_MONITOR;
		return want_end(a, "monitor");
	}
	if (!strcmp(obj, "version")) {
		req->cmd = CTL_VERSION;
		return want_end(a, "version");
	}
	if (!strcmp(obj, "daemon")) {
		if (is(a, "claim")) {
			a->i++;
			req->cmd = CTL_DAEMON_CLAIM;
			req->hold = is(a, "hold");
			a->i += req->hold;
			return want_end(a, "daemon claim");
		}
		if (is(a, "release")) {
			a->i++;
			req->cmd = CTL_DAEMON_RELEASE;
			return want_end(a, "daemon release");
		}
		return bad(a, "daemon: use claim or release");
	}
	if (!strcmp(obj, "help")) {
		req->cmd = CTL_HELP;
		req->topic = more(a) ? a->argv[a->i++] : NULL;
		return want_end(a, "help");
	}
	return bad(a, "unknown object \"%s\"", obj);
}

int ctl_parse(int argc, char **argv, struct ctl_req *req)
{
	struct args a = { .argc = argc, .argv = argv, .i = 1, .req = req };

	memset(req, 0, sizeof(*req));
	for (; more(&a) && argv[a.i][0] == '-'; a.i++) {
		if (!strcmp(argv[a.i], "-j") || !strcmp(argv[a.i], "--json")) {
			req->json = true;
		} else if (is_help(&a)) {
			req->cmd = CTL_HELP;
			return CTL_OK;
		} else {
			return bad(&a, "unknown option \"%s\"", argv[a.i]);
		}
	}
	if (!more(&a))
		return bad(&a, "need an object");
	return parse_object(&a);
}

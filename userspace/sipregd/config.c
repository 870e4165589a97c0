// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "registrar/domain.h"

void config_defaults(struct daemon_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->reg.realm, sizeof(c->reg.realm), "sipreg");
	c->reg.min_expires = 60;
	c->reg.default_expires = 3600;
	c->reg.max_expires = 7200;
	c->reg.max_contacts = 10;
	c->reg.nonce_lifetime = 300;
	c->reg.alg_md5 = true;
	c->reg.alg_sha256 = true;
	c->reg.sha256_first = false;	/* sipp, MD5-only phones: see README */
	c->reg.expiry_jitter = 0;
	c->reg.challenge_rate = 100;
	c->reg.challenge_burst = 200;
	c->reg.challenge_rate_global = 2000;
	c->reg.retrans_bytes = 16u << 20;
	c->db_busy_timeout = 10;
	/* one: with sipreg.ko every miss goes to the claim's one socket */
	c->workers = 1;
	snprintf(c->listen[0], CONFIG_ADDR_MAX, "0.0.0.0:5060");
	snprintf(c->listen[1], CONFIG_ADDR_MAX, "[::]:5060");
	c->n_listen = 2;
	snprintf(c->db, sizeof(c->db), "%s", CONFIG_DEFAULT_DB);
	c->db_sync = STORE_SYNC_FULL;
	c->log_level = LOG_INFO;
	c->retrans_cache = 32768;
	c->kernel = true;
	c->events_rcvbuf = 0;
	c->stream.tls_min_version = 12;
	c->stream.idle_timeout = 300;
	c->stream.max_connections = 1024;
	c->stream.max_per_source = 32;
	c->stream.max_message = 65535;
	/* a stream's keepalive interval without Flow-Timer (RFC 5626 4.4.1) */
	c->reg.flow_timer = 120;
	snprintf(c->stats_file, sizeof(c->stats_file), "%s",
		 CONFIG_DEFAULT_STATS);
}

static int bad(const char *where, const char *key, const char *val,
	       const char *why)
{
	fprintf(stderr, "sipregd: %s: %s = \"%s\": %s\n", where, key, val, why);
	return -1;
}

static int num(const char *where, const char *key, const char *val,
	       unsigned long lo, unsigned long hi, uint32_t *out)
{
	char *end, why[80];
	unsigned long v;

	errno = 0;
	v = strtoul(val, &end, 10);
	if (errno || end == val || *end || *val == '-' || v < lo || v > hi) {
		snprintf(why, sizeof(why), "not a number from %lu to %lu",
			 lo, hi);
		return bad(where, key, val, why);
	}
	*out = (uint32_t)v;
	return 0;
}

static int bytes(const char *where, const char *key, const char *val,
		 size_t *out)
{
	uint32_t v;

	if (num(where, key, val, 65536, 1u << 30, &v))
		return -1;
	*out = v;
	return 0;
}

static int algorithms(struct daemon_config *c, const char *where,
		      const char *val)
{
	char buf[128], *tok, *save = NULL;
	bool md5 = false, sha = false, sha_first = false;

	if (snprintf(buf, sizeof(buf), "%s", val) >= (int)sizeof(buf))
		return bad(where, "algorithms", val, "too long");
	for (tok = strtok_r(buf, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save)) {
		if (!strcasecmp(tok, "md5")) {
			md5 = true;
		} else if (!strcasecmp(tok, "sha256") ||
			   !strcasecmp(tok, "sha-256")) {
			sha_first |= !md5;
			sha = true;
		} else {
			return bad(where, "algorithms", val,
				   "known algorithms are md5 and sha256");
		}
	}
	if (!md5 && !sha)
		return bad(where, "algorithms", val, "none given");
	c->reg.alg_md5 = md5;
	c->reg.alg_sha256 = sha;
	/* the order of the list is the order of the challenges */
	c->reg.sha256_first = sha_first;
	return 0;
}

/* "listen", "listen_tcp", "listen_tls": only "listen" may not be empty. */
static int listen_list(char list[][CONFIG_ADDR_MAX], unsigned int *count,
		       const char *where, const char *key, const char *val)
{
	char buf[CONFIG_LISTEN_MAX * CONFIG_ADDR_MAX], *tok, *save = NULL;
	unsigned int n = 0;

	if (snprintf(buf, sizeof(buf), "%s", val) >= (int)sizeof(buf))
		return bad(where, key, val, "too long");
	for (tok = strtok_r(buf, " \t,", &save); tok;
	     tok = strtok_r(NULL, " \t,", &save)) {
		if (n == CONFIG_LISTEN_MAX)
			return bad(where, key, val, "more than 8 addresses");
		if (strlen(tok) >= CONFIG_ADDR_MAX || !strrchr(tok, ':'))
			return bad(where, key, val,
				   "want ADDR:PORT or [ADDR6]:PORT");
		strcpy(list[n++], tok);
	}
	if (!n && !strcmp(key, "listen"))
		return bad(where, key, val, "no address");
	*count = n;
	return 0;
}

static int text(char *out, size_t size, const char *where, const char *key,
		const char *val)
{
	if (!*val || strlen(val) >= size)
		return bad(where, key, val, "empty or too long");
	strcpy(out, val);
	return 0;
}

/* A realm goes into every challenge as a quoted-string: store_name_check(). */
static int name(char *out, const char *where, const char *key,
		const char *val)
{
	char why[128];

	if (!store_name_check(val, why, sizeof(why)))
		return bad(where, key, val, why);
	snprintf(out, STORE_NAME_MAX, "%s", val);
	return 0;
}

/*
 * "domain = NAME [REALM]", repeatable: REALM defaults to NAME. A realm
 * belongs to one domain only, so users keyed by (user, realm) are users
 * of one domain; a name given twice is a mistake, not an update.
 */
static int domain(struct daemon_config *c, const char *where, const char *val)
{
	struct registrar_cfg *r = &c->reg;
	struct registrar_domain *d = &r->domains[r->n_domains];
	char buf[512], name[REGISTRAR_DOMAIN_MAX + 1], why[160];
	const struct registrar_domain *o;
	char *tok, *realm, *extra, *save = NULL;

	if (snprintf(buf, sizeof(buf), "%s", val) >= (int)sizeof(buf))
		return bad(where, "domain", val, "too long");
	tok = strtok_r(buf, " \t", &save);
	realm = strtok_r(NULL, " \t", &save);
	extra = strtok_r(NULL, " \t", &save);
	if (!tok || extra)
		return bad(where, "domain", val, "want NAME [REALM]");
	if (!domain_name_check(tok, name, why, sizeof(why))) {
		snprintf(buf, sizeof(buf), "name: %s", why);
		return bad(where, "domain", val, buf);
	}
	if (!realm)
		realm = name;
	if (!store_name_check(realm, why, sizeof(why))) {
		snprintf(buf, sizeof(buf), "realm: %s", why);
		return bad(where, "domain", val, buf);
	}
	if (r->n_domains == REGISTRAR_DOMAINS_MAX)
		return bad(where, "domain", val, "more than 64 domains");
	o = domain_find(r, (const uint8_t *)name, strlen(name));
	if (o) {
		snprintf(buf, sizeof(buf), "domain %s given before (%s)", name,
			 c->domain_where[o - r->domains]);
		return bad(where, "domain", val, buf);
	}
	o = domain_of_realm(r, realm);
	if (o) {
		snprintf(buf, sizeof(buf), "realm %.128s is already the realm of "
			 "domain %s (%s): a realm belongs to one domain",
			 realm, o->name, c->domain_where[o - r->domains]);
		return bad(where, "domain", val, buf);
	}
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(d->realm, sizeof(d->realm), "%s", realm);
	snprintf(c->domain_where[r->n_domains], sizeof(c->domain_where[0]),
		 "%s", where);
	r->n_domains++;
	return 0;
}

/* A stream key: 0 or -1 as config_set(); 1 if @key is not one. */
static int stream_set(struct stream_config *s, const char *key,
		      const char *val, const char *where)
{
	if (!strcmp(key, "listen_tcp"))
		return listen_list(s->tcp, &s->n_tcp, where, key, val);
	if (!strcmp(key, "listen_tls"))
		return listen_list(s->tls, &s->n_tls, where, key, val);
	if (!strcmp(key, "tls_certificate"))
		return text(s->tls_cert, sizeof(s->tls_cert), where, key, val);
	if (!strcmp(key, "tls_key"))
		return text(s->tls_key, sizeof(s->tls_key), where, key, val);
	if (!strcmp(key, "tls_ca"))
		return text(s->tls_ca, sizeof(s->tls_ca), where, key, val);
	if (!strcmp(key, "tls_min_version")) {
		if (strcmp(val, "1.2") && strcmp(val, "1.3"))
			return bad(where, key, val, "want 1.2 or 1.3");
		s->tls_min_version = strcmp(val, "1.2") ? 13 : 12;
		return 0;
	}
	if (!strcmp(key, "tls_require_client_cert")) {
		if (strcmp(val, "yes") && strcmp(val, "no"))
			return bad(where, key, val, "want yes or no");
		s->tls_require_client_cert = !strcmp(val, "yes");
		return 0;
	}
	if (!strcmp(key, "stream_idle_timeout"))
		return num(where, key, val, 1, 86400, &s->idle_timeout);
	if (!strcmp(key, "stream_max_connections"))
		return num(where, key, val, 1, 65536, &s->max_connections);
	if (!strcmp(key, "stream_max_per_source"))
		return num(where, key, val, 1, 65536, &s->max_per_source);
	if (!strcmp(key, "stream_max_message"))
		return num(where, key, val, 1024, 65535, &s->max_message);
	return 1;
}

static int min_expires(const char *where, const char *key, const char *val,
		       uint32_t *out)
{
	uint32_t v;

	if (num(where, key, val, 1, 86400, &v))
		return -1;
	if (v > 3600)
		return bad(where, key, val, "above 3600: RFC 3261 10.3 allows "
			   "423 Interval Too Brief only below one hour");
	*out = v;
	return 0;
}

int config_set(struct daemon_config *c, const char *key, const char *val,
	       const char *where)
{
	struct registrar_cfg *r = &c->reg;
	int rc;

	rc = stream_set(&c->stream, key, val, where);
	if (rc <= 0)
		return rc;
	if (!strcmp(key, "realm"))
		return name(r->realm, where, key, val);
	if (!strcmp(key, "domain"))
		return domain(c, where, val);
	if (!strcmp(key, "db"))
		return text(c->db, sizeof(c->db), where, key, val);
	if (!strcmp(key, "listen"))
		return listen_list(c->listen, &c->n_listen, where, key, val);
	if (!strcmp(key, "algorithms"))
		return algorithms(c, where, val);
	/*
	 * RFC 3261 10.3 step 7 allows a 423 only for an interval "greater
	 * than zero AND smaller than one hour": a min_expires above 3600
	 * would refuse one-hour registrations the RFC says to accept, so
	 * such a value is refused here, not clamped behind the user's back.
	 */
	if (!strcmp(key, "min_expires"))
		return min_expires(where, key, val, &r->min_expires);
	if (!strcmp(key, "default_expires"))
		return num(where, key, val, 1, 604800, &r->default_expires);
	if (!strcmp(key, "max_expires"))
		return num(where, key, val, 1, 604800, &r->max_expires);
	if (!strcmp(key, "max_contacts"))
		return num(where, key, val, 1, 256, &r->max_contacts);
	if (!strcmp(key, "nonce_lifetime"))
		return num(where, key, val, 10, 86400, &r->nonce_lifetime);
	if (!strcmp(key, "expiry_jitter"))
		return num(where, key, val, 0, 50, &r->expiry_jitter);
	if (!strcmp(key, "retrans_cache"))
		return num(where, key, val, 16, 1 << 22, &c->retrans_cache);
	if (!strcmp(key, "retrans_cache_bytes"))
		return bytes(where, key, val, &r->retrans_bytes);
	if (!strcmp(key, "challenge_rate"))
		return num(where, key, val, 0, 1000000, &r->challenge_rate);
	if (!strcmp(key, "challenge_burst"))
		return num(where, key, val, 0, 1000000, &r->challenge_burst);
	if (!strcmp(key, "challenge_rate_global"))
		return num(where, key, val, 0, 10000000,
			   &r->challenge_rate_global);
	if (!strcmp(key, "db_busy_timeout")) {
		c->db_busy_timeout_given = true;
		return num(where, key, val, 0, 60000, &c->db_busy_timeout);
	}
	if (!strcmp(key, "workers")) {
		if (!strcmp(val, "auto")) {
			c->workers = 0;
			return 0;
		}
		return num(where, key, val, 1, CONFIG_WORKERS_MAX, &c->workers);
	}
	if (!strcmp(key, "flow_timer")) {
		c->flow_timer_given = true;
		return num(where, key, val, 0, 86400, &r->flow_timer);
	}
	if (!strcmp(key, "stats_file")) {
		if (!strcmp(val, "off")) {
			c->stats_file[0] = 0;
			return 0;
		}
		return text(c->stats_file, sizeof(c->stats_file), where, key,
			    val);
	}
	if (!strcmp(key, "metrics_listen")) {
		if (!strcmp(val, "off")) {
			c->metrics_listen[0] = 0;
			return 0;
		}
		return text(c->metrics_listen, sizeof(c->metrics_listen),
			    where, key, val);
	}
	if (!strcmp(key, "events_rcvbuf"))
		return num(where, key, val, 0, 1 << 30, &c->events_rcvbuf);
	if (!strcmp(key, "kernel")) {
		if (strcmp(val, "auto") && strcmp(val, "off"))
			return bad(where, key, val, "want auto or off");
		c->kernel = !strcmp(val, "auto");
		return 0;
	}
	if (!strcmp(key, "log_level")) {
		if (!log_level_parse(val, &c->log_level))
			return bad(where, key, val,
				   "want err, warn, info or debug");
		return 0;
	}
	if (!strcmp(key, "db_sync")) {
		if (!strcmp(val, "full"))
			c->db_sync = STORE_SYNC_FULL;
		else if (!strcmp(val, "normal"))
			c->db_sync = STORE_SYNC_NORMAL;
		else
			return bad(where, key, val, "want full or normal");
		return 0;
	}
	fprintf(stderr, "sipregd: %s: unknown key \"%s\"\n", where, key);
	return -1;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
			 e[-1] == '\r'))
		*--e = 0;
	return s;
}

int config_load_file(struct daemon_config *c, const char *path)
{
	char line[1024], where[PATH_MAX + 16], *k, *v, *eq, *hash;
	unsigned int ln = 0;
	int rc = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "sipregd: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		ln++;
		hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		k = trim(line);
		if (!*k)
			continue;
		snprintf(where, sizeof(where), "%s:%u", path, ln);
		eq = strchr(k, '=');
		if (!eq) {
			fprintf(stderr, "sipregd: %s: \"%s\": want key = value\n",
				where, k);
			rc = -1;
			continue;
		}
		*eq = 0;
		v = trim(eq + 1);
		k = trim(k);
		if (config_set(c, k, v, where))
			rc = -1;
	}
	fclose(f);
	return rc;
}

static int config_check_stream(const struct stream_config *s)
{
	if (s->n_tls && (!*s->tls_cert || !*s->tls_key)) {
		fprintf(stderr, "sipregd: listen_tls needs tls_certificate "
			"and tls_key\n");
		return -1;
	}
	if (s->tls_require_client_cert && !*s->tls_ca) {
		fprintf(stderr, "sipregd: tls_require_client_cert = yes "
			"needs tls_ca\n");
		return -1;
	}
	return 0;
}

/*
 * The default Flow-Timer follows a short stream_idle_timeout down (half
 * of it) instead of refusing a configuration written before flow_timer
 * existed; one the admin wrote is checked as written.
 */
void config_finish(struct daemon_config *c)
{
	struct registrar_cfg *r = &c->reg;

	if (!c->flow_timer_given && r->flow_timer >= c->stream.idle_timeout)
		r->flow_timer = c->stream.idle_timeout / 2;
	if (!c->workers) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		c->workers = n < 1 ? 1 : n > CONFIG_WORKERS_MAX ?
			     CONFIG_WORKERS_MAX : (unsigned int)n;
	}
	if (c->workers > 1 && !c->db_busy_timeout_given)
		c->db_busy_timeout = CONFIG_WORKERS_BUSY_TIMEOUT;
}

int config_check(const struct daemon_config *c)
{
	const struct registrar_cfg *r = &c->reg;

	if (r->min_expires > r->default_expires ||
	    r->default_expires > r->max_expires) {
		fprintf(stderr, "sipregd: min_expires (%u) <= default_expires "
			"(%u) <= max_expires (%u) does not hold\n",
			r->min_expires, r->default_expires, r->max_expires);
		return -1;
	}
	/*
	 * A UA keeps its flow alive at most Flow-Timer seconds apart (RFC
	 * 5626 4.4.1): a stream idle timeout not above it would close
	 * connections whose UA does everything right.
	 */
	if (r->flow_timer && (c->stream.n_tcp || c->stream.n_tls) &&
	    r->flow_timer >= c->stream.idle_timeout) {
		fprintf(stderr, "sipregd: flow_timer (%u) must be below "
			"stream_idle_timeout (%u)\n", r->flow_timer,
			c->stream.idle_timeout);
		return -1;
	}
	return config_check_stream(&c->stream);
}

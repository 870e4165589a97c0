// SPDX-License-Identifier: GPL-2.0
/*
 * sipregctl: configure and inspect sipreg.ko over generic netlink.
 * Exit status: 0 success, 1 syntax error, 2 kernel error (as ip(8)).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "dstats.h"
#include "genl.h"
#include "ha1.h"
#include "nl.h"
#include "print.h"
#include "parser.h"
#include "uapi_names.h"

#define SIPREGCTL_VERSION "0.1"

static struct ctl_nl nl;
static const char *what = "";		/* the command, for messages */

static int kernel_error(void)
{
	fprintf(stderr, "sipregctl: %s%s%s\n", what, *what ? ": " : "", nl.err);
	return CTL_KERNEL;
}

/* Sends a request with no reply but the ack. */
static int simple(struct nl_msg *msg)
{
	if (!msg || ctl_nl_transact(&nl, msg, NULL))
		return msg ? kernel_error() : CTL_KERNEL;
	return CTL_OK;
}

static struct nlattr **parse(struct nlmsghdr *h, struct nlattr **tb)
{
	if (genlmsg_parse(h, 0, tb, SIPREG_A_MAX, NULL))
		memset(tb, 0, sizeof(*tb) * (SIPREG_A_MAX + 1));
	return tb;
}

/* ---- stats ---- */

static void print_counter(const char *prefix, const char *name, uint64_t v)
{
	char fmt[96];

	snprintf(fmt, sizeof(fmt), "%s%-*s %%" PRIu64 "\n", prefix,
		 (int)(28 - strlen(prefix)), name);
	pr_u64(name, fmt, v);
}

/* The parser's names: the kernel counts with the same parser.c. */
static const char *const *verdict_names(void)
{
	static const char *names[SIPREG_VERDICT_MAX];
	int v;

	for (v = 0; v < SIPREG_VERDICT_MAX; v++)
		names[v] = sipreg_verdict_name(v);
	return names;
}

static void print_nest(struct nlattr *nest, const char *key,
		       const char *prefix, const char *const *names,
		       int nnames, int offset)
{
	struct nlattr *a;
	char num[16];
	int rem;

	if (key)
		pr_open(key);
	nla_for_each_nested(a, nest, rem) {
		int id = nla_type(a) - offset;
		uint64_t v;

		if (nla_len(a) != sizeof(uint64_t) || id < 0)
			continue;
		v = nla_get_u64(a);
		if (names && id < nnames && names[id]) {
			print_counter(prefix, names[id], v);
		} else if (v) {
			snprintf(num, sizeof(num), "%d", id);
			print_counter(prefix, num, v);
		}
	}
	if (key)
		pr_close();
}

/*
 * The "timing" section: ns per request in the hook for each class timed
 * (sipregctl config set timing on), from the TIMED_* / TIME_NS_* pairs.
 */
static void print_timing(struct nlattr *nest)
{
	static const char *const classes[] = {
		"challenge", "refresh", "retransmission", "miss", "pass", "other",
	};
	uint64_t v[__SIPREG_STAT_MAX] = { 0 };
	struct nlattr *a;
	size_t i;
	int rem, any = 0;

	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) < __SIPREG_STAT_MAX &&
		    nla_len(a) == sizeof(uint64_t))
			v[nla_type(a)] = nla_get_u64(a);
	for (i = 0; i < ARRAY_SIZE(classes); i++)
		any |= !!v[SIPREG_STAT_TIMED_CHALLENGE + 2 * i];
	if (!any)
		return;
	pr_text("timing (ns per request in the hook):\n");
	pr_open("timing_ns_per_request");
	for (i = 0; i < ARRAY_SIZE(classes); i++) {
		uint64_t n = v[SIPREG_STAT_TIMED_CHALLENGE + 2 * i];

		if (n)
			print_counter("  ", classes[i],
				      v[SIPREG_STAT_TIME_NS_CHALLENGE + 2 * i] / n);
	}
	pr_close();
}

/*
 * The "sipregd" section, from the daemon's stats file: absent is no
 * error (no daemon, or one without a stats file); a file whose daemon is
 * gone or that was not renewed is shown as stale. 1 shown, 0 absent,
 * -1 unreadable.
 */
static int print_dstats(const char *given)
{
	const char *path = dstats_path(given);
	struct dstats ds;
	char err[PATH_MAX + 128];
	int64_t now = time(NULL);
	bool alive, stale;
	unsigned int i;
	int rc = dstats_read(path, &ds, err, sizeof(err));

	if (rc <= 0) {
		if (rc < 0)
			fprintf(stderr, "sipregctl: stats file %s\n", err);
		return rc;
	}
	alive = ds.pid && ds.pid <= INT32_MAX &&
		(!kill((pid_t)ds.pid, 0) || errno == EPERM);
	stale = dstats_stale(&ds, now, alive);
	pr_open("sipregd");
	pr_text("sipregd (%s, pid %" PRIu64 ", %" PRId64 " s old%s):\n", path,
		ds.pid, now - ds.mtime, !stale ? "" : alive ?
		", STALE: not renewed" : ", STALE: daemon gone");
	pr_str("file", NULL, path);
	pr_bool("stale", NULL, stale);
	pr_u64("age", NULL, (uint64_t)(now > ds.mtime ? now - ds.mtime : 0));
	for (i = 0; i < ds.n; i++)
		if (strcmp(ds.v[i].key, "sipregd_stats"))
			print_counter("  ", ds.v[i].key, ds.v[i].val);
	pr_close();
	return 1;
}

static int cmd_stats_daemon(const char *given)
{
	int rc;

	pr_open(NULL);
	rc = print_dstats(given);
	pr_close();
	pr_done();
	if (!rc)
		fprintf(stderr, "sipregctl: no sipregd stats file at %s\n",
			dstats_path(given));
	return rc > 0 ? CTL_OK : CTL_KERNEL;
}

static int cmd_stats(const char *given)
{
	struct nlattr *tb[SIPREG_A_MAX + 1];
	struct ctl_replies r = { 0 };

	if (ctl_nl_transact(&nl, ctl_nl_msg(&nl, SIPREG_CMD_STATS_GET, 0), &r))
		return kernel_error();
	if (!r.n || !parse(r.msg[0], tb)[SIPREG_A_STATS]) {
		ctl_replies_free(&r);
		snprintf(nl.err, sizeof(nl.err), "empty reply");
		return kernel_error();
	}
	pr_open(NULL);
	print_nest(tb[SIPREG_A_STATS], NULL, "", sipreg_stat_names, __SIPREG_STAT_MAX, 0);
	print_timing(tb[SIPREG_A_STATS]);
	if (tb[SIPREG_A_STATS_MISS])
		print_nest(tb[SIPREG_A_STATS_MISS], "misses", "miss.", sipreg_miss_names,
			   __SIPREG_MISS_MAX, 0);
	if (tb[SIPREG_A_STATS_VERDICT])
		print_nest(tb[SIPREG_A_STATS_VERDICT], "verdicts", "verdict.",
			   verdict_names(), SIPREG_VERDICT_MAX, 1);
	print_dstats(given);
	pr_close();
	pr_done();
	ctl_replies_free(&r);
	return CTL_OK;
}

/* ---- config ---- */

/* A module older than ALGS_FIRST offers SHA-256 first. */
static uint32_t algs_first(struct nlattr **tb)
{
	return tb[SIPREG_CONFIG_A_ALGS_FIRST] ?
	       nla_get_u32(tb[SIPREG_CONFIG_A_ALGS_FIRST]) :
	       SIPREG_ALG_FLAG_SHA256;
}

static void print_config(struct nlattr *nest)
{
	struct nlattr *tb[SIPREG_CONFIG_A_MAX + 1], *a;
	char ports[64] = "";
	int rem, attr;

	if (nla_parse_nested(tb, SIPREG_CONFIG_A_MAX, nest, NULL))
		return;
	pr_open(NULL);
	if (tb[SIPREG_CONFIG_A_REALM])
		pr_str("realm", "realm %s\n", nla_get_string(tb[SIPREG_CONFIG_A_REALM]));
	pr_open_arr("ports");
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != SIPREG_CONFIG_A_PORT)
			continue;
		snprintf(ports + strlen(ports), sizeof(ports) - strlen(ports),
			 "%s%u", ports[0] ? "," : "", nla_get_u16(a));
		pr_u64(NULL, NULL, nla_get_u16(a));
	}
	pr_close_arr();
	pr_text("ports %s\n", ports);
	for (attr = SIPREG_CONFIG_A_EXPIRES_MIN; attr <= SIPREG_CONFIG_A_MAX; attr++) {
		const char *key = ctl_config_key(attr);
		char fmt[64];

		if (!tb[attr] || !key)	/* ALGS_FIRST: part of algorithms */
			continue;
		snprintf(fmt, sizeof(fmt), "%s %%s\n", key);
		if (attr == SIPREG_CONFIG_A_ALGS) {
			pr_str(key, fmt, ctl_algs_order_name(nla_get_u32(tb[attr]),
							     algs_first(tb)));
		} else if (attr == SIPREG_CONFIG_A_FASTPATH ||
			   attr == SIPREG_CONFIG_A_ENABLED ||
			   attr == SIPREG_CONFIG_A_LEGACY_DIGEST ||
			   attr == SIPREG_CONFIG_A_TIMING) {
			pr_bool(key, fmt, nla_get_u8(tb[attr]));
		} else {
			snprintf(fmt, sizeof(fmt), "%s %%" PRIu64 "\n", key);
			pr_u64(key, fmt, nla_get_u32(tb[attr]));
		}
	}
	pr_close();
	pr_done();
}

static int config_get(struct ctl_replies *r, struct nlattr **tb)
{
	if (ctl_nl_transact(&nl, ctl_nl_msg(&nl, SIPREG_CMD_CONFIG_GET, 0), r))
		return kernel_error();
	if (!r->n || !parse(r->msg[0], tb)[SIPREG_A_CONFIG]) {
		snprintf(nl.err, sizeof(nl.err), "empty reply");
		return kernel_error();
	}
	return CTL_OK;
}

static int cmd_config_show(void)
{
	struct nlattr *tb[SIPREG_A_MAX + 1];
	struct ctl_replies r = { 0 };
	int err;

	err = config_get(&r, tb);
	if (!err)
		print_config(tb[SIPREG_A_CONFIG]);
	ctl_replies_free(&r);
	return err;
}

static int cmd_config_set(const struct ctl_config *cfg)
{
	struct nl_msg *msg = ctl_nl_msg(&nl, SIPREG_CMD_CONFIG_SET, 0);
	struct nlattr *nest;
	unsigned int i;
	int attr, err = 0;

	if (!msg || !(nest = sipreg_genl_nest(msg, SIPREG_A_CONFIG)))
		return CTL_KERNEL;
	for (attr = 1; attr <= SIPREG_CONFIG_A_MAX; attr++) {
		if (!(cfg->given & (1u << attr)))
			continue;
		if (attr == SIPREG_CONFIG_A_REALM)
			err |= nla_put_string(msg, attr, cfg->realm);
		else if (attr == SIPREG_CONFIG_A_PORT)
			for (i = 0; i < cfg->nports; i++)
				err |= nla_put_u16(msg, attr, cfg->ports[i]);
		else if (attr == SIPREG_CONFIG_A_FASTPATH ||
			 attr == SIPREG_CONFIG_A_ENABLED ||
			 attr == SIPREG_CONFIG_A_LEGACY_DIGEST ||
			 attr == SIPREG_CONFIG_A_TIMING)
			err |= nla_put_u8(msg, attr, cfg->val[attr]);
		else
			err |= nla_put_u32(msg, attr, cfg->val[attr]);
	}
	nla_nest_end(msg, nest);
	if (err) {
		nlmsg_free(msg);
		return CTL_KERNEL;
	}
	return simple(msg);
}

/* ---- users ---- */

/* The realm given, or else the one configured in the kernel. */
static const char *user_realm(const struct ctl_req *req, char *buf, size_t len)
{
	struct nlattr *tb[SIPREG_A_MAX + 1], *ctb[SIPREG_CONFIG_A_MAX + 1];
	struct ctl_replies r = { 0 };

	if (req->realm)
		return req->realm;
	if (config_get(&r, tb))
		return NULL;
	buf[0] = 0;
	if (!nla_parse_nested(ctb, SIPREG_CONFIG_A_MAX, tb[SIPREG_A_CONFIG], NULL) &&
	    ctb[SIPREG_CONFIG_A_REALM])
		snprintf(buf, len, "%s", nla_get_string(ctb[SIPREG_CONFIG_A_REALM]));
	ctl_replies_free(&r);
	return buf;
}

static int read_password(char **pw)
{
	size_t cap = 0;
	ssize_t len;

	*pw = NULL;
	len = getline(pw, &cap, stdin);
	while (len > 0 && ((*pw)[len - 1] == '\n' || (*pw)[len - 1] == '\r'))
		(*pw)[--len] = 0;
	if (len <= 0) {
		fprintf(stderr, "sipregctl: user add: no password on stdin\n");
		free(*pw);
		return CTL_SYNTAX;
	}
	return CTL_OK;
}

static int put_user(struct nl_msg *msg, const char *user, const char *realm,
		    const uint8_t *md5, const uint8_t *sha256)
{
	struct nlattr *nest = sipreg_genl_nest(msg, SIPREG_A_USER);

	if (!nest || nla_put_string(msg, SIPREG_USER_A_NAME, user) ||
	    nla_put_string(msg, SIPREG_USER_A_REALM, realm) ||
	    (md5 && nla_put(msg, SIPREG_USER_A_HA1_MD5, SIPREG_HA1_MD5_LEN, md5)) ||
	    (sha256 && nla_put(msg, SIPREG_USER_A_HA1_SHA256,
			       SIPREG_HA1_SHA256_LEN, sha256)))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

static int cmd_user(struct ctl_req *req)
{
	char buf[SIPREG_REALM_MAX + 1], *pw = NULL;
	const char *realm = user_realm(req, buf, sizeof(buf));
	struct nl_msg *msg;
	int err;

	if (!realm)
		return CTL_KERNEL;
	if (req->cmd == CTL_USER_ADD && req->password) {
		err = read_password(&pw);
		if (err)
			return err;
		if (ha1_from_password(SIPREG_ALG_MD5, req->user, realm, pw,
				      req->ha1_md5) ||
		    ha1_from_password(SIPREG_ALG_SHA256, req->user, realm, pw,
				      req->ha1_sha256)) {
			fprintf(stderr, "sipregctl: user add: cannot compute HA1\n");
			free(pw);
			return CTL_KERNEL;
		}
		memset(pw, 0, strlen(pw));
		free(pw);
		req->has_md5 = req->has_sha256 = true;
	}
	msg = ctl_nl_msg(&nl, req->cmd == CTL_USER_ADD ? SIPREG_CMD_USER_ADD :
			 SIPREG_CMD_USER_DEL, 0);
	if (!msg || put_user(msg, req->user, realm,
			     req->has_md5 ? req->ha1_md5 : NULL,
			     req->has_sha256 ? req->ha1_sha256 : NULL)) {
		nlmsg_free(msg);
		return CTL_KERNEL;
	}
	err = simple(msg);
	memset(req->ha1_md5, 0, sizeof(req->ha1_md5));
	memset(req->ha1_sha256, 0, sizeof(req->ha1_sha256));
	return err;
}

static void print_user(struct nlattr *nest)
{
	struct nlattr *tb[SIPREG_USER_A_MAX + 1];

	if (nla_parse_nested(tb, SIPREG_USER_A_MAX, nest, NULL))
		return;
	if (tb[SIPREG_USER_A_NAME])
		pr_str("user", "user %s", nla_get_string(tb[SIPREG_USER_A_NAME]));
	if (tb[SIPREG_USER_A_REALM])
		pr_str("realm", " realm %s", nla_get_string(tb[SIPREG_USER_A_REALM]));
	if (tb[SIPREG_USER_A_ALGS])
		pr_str("algorithms", " algorithms %s",
		       ctl_algs_name(nla_get_u32(tb[SIPREG_USER_A_ALGS])));
}

/* Every reply's @type nest through @print, as a JSON array. */
static void print_list(struct ctl_replies *r, int type,
		       void (*print)(struct nlattr *))
{
	struct nlattr *tb[SIPREG_A_MAX + 1];
	size_t i;

	pr_open_arr(NULL);
	for (i = 0; i < r->n; i++) {
		if (!parse(r->msg[i], tb)[type])
			continue;
		pr_open(NULL);
		print(tb[type]);
		pr_close();
		pr_text("\n");
	}
	pr_close_arr();
	pr_done();
}

static int cmd_list(uint8_t cmd, int type, void (*print)(struct nlattr *),
		    const char *aor)
{
	struct ctl_replies r = { 0 };
	struct nl_msg *msg;
	struct nlattr *nest;

	msg = ctl_nl_msg(&nl, cmd, aor ? 0 : NLM_F_DUMP);
	if (!msg)
		return CTL_KERNEL;
	if (aor) {
		nest = sipreg_genl_nest(msg, SIPREG_A_BINDING);
		if (!nest || nla_put_string(msg, SIPREG_BINDING_A_AOR, aor)) {
			nlmsg_free(msg);
			return CTL_KERNEL;
		}
		nla_nest_end(msg, nest);
	}
	if (ctl_nl_transact(&nl, msg, &r))
		return kernel_error();
	print_list(&r, type, print);
	ctl_replies_free(&r);
	return CTL_OK;
}

/* ---- domains ---- */

static int cmd_domain(const struct ctl_req *req)
{
	struct nl_msg *msg;
	struct nlattr *nest;

	msg = ctl_nl_msg(&nl, req->cmd == CTL_DOMAIN_ADD ? SIPREG_CMD_DOMAIN_ADD :
			 SIPREG_CMD_DOMAIN_DEL, 0);
	if (!msg || !(nest = sipreg_genl_nest(msg, SIPREG_A_DOMAIN)) ||
	    nla_put_string(msg, SIPREG_DOMAIN_A_NAME, req->domain) ||
	    (req->realm && nla_put_string(msg, SIPREG_DOMAIN_A_REALM, req->realm))) {
		nlmsg_free(msg);
		return CTL_KERNEL;
	}
	nla_nest_end(msg, nest);
	return simple(msg);
}

static void print_domain(struct nlattr *nest)
{
	struct nlattr *tb[SIPREG_DOMAIN_A_MAX + 1];

	if (nla_parse_nested(tb, SIPREG_DOMAIN_A_MAX, nest, NULL))
		return;
	if (tb[SIPREG_DOMAIN_A_NAME])
		pr_str("domain", "domain %s", nla_get_string(tb[SIPREG_DOMAIN_A_NAME]));
	if (tb[SIPREG_DOMAIN_A_REALM])
		pr_str("realm", " realm %s", nla_get_string(tb[SIPREG_DOMAIN_A_REALM]));
}

/* ---- bindings ---- */

static void print_contact(struct nlattr *nest)
{
	struct nlattr *tb[SIPREG_CONTACT_A_MAX + 1];
	char addr[INET6_ADDRSTRLEN] = "", q[16];

	if (nla_parse_nested(tb, SIPREG_CONTACT_A_MAX, nest, NULL))
		return;
	pr_open(NULL);
	if (tb[SIPREG_CONTACT_A_URI])
		pr_str("uri", "\tcontact %s", nla_get_string(tb[SIPREG_CONTACT_A_URI]));
	if (tb[SIPREG_CONTACT_A_CALL_ID])
		pr_str("call_id", " call-id %s",
		       nla_get_string(tb[SIPREG_CONTACT_A_CALL_ID]));
	if (tb[SIPREG_CONTACT_A_CSEQ])
		pr_u64("cseq", " cseq %" PRIu64, nla_get_u32(tb[SIPREG_CONTACT_A_CSEQ]));
	if (tb[SIPREG_CONTACT_A_EXPIRES])
		pr_u64("expires", " expires %" PRIu64,
		       nla_get_u32(tb[SIPREG_CONTACT_A_EXPIRES]));
	if (tb[SIPREG_CONTACT_A_EXPIRES_AT])
		pr_u64("expires_at", NULL, nla_get_u64(tb[SIPREG_CONTACT_A_EXPIRES_AT]));
	if (tb[SIPREG_CONTACT_A_Q]) {
		unsigned int v = nla_get_u16(tb[SIPREG_CONTACT_A_Q]);

		snprintf(q, sizeof(q), "%u.%03u", v / 1000, v % 1000);
		pr_str("q", " q %s", q);
	}
	if (tb[SIPREG_CONTACT_A_ADDR4])
		inet_ntop(AF_INET, nla_data(tb[SIPREG_CONTACT_A_ADDR4]), addr,
			  sizeof(addr));
	if (tb[SIPREG_CONTACT_A_ADDR6])
		inet_ntop(AF_INET6, nla_data(tb[SIPREG_CONTACT_A_ADDR6]), addr,
			  sizeof(addr));
	if (addr[0])
		pr_str("addr", " addr %s", addr);
	if (tb[SIPREG_CONTACT_A_PORT])
		pr_u64("port", " port %" PRIu64, nla_get_u16(tb[SIPREG_CONTACT_A_PORT]));
	if (tb[SIPREG_CONTACT_A_NC])
		pr_u64("nc", " nc %" PRIu64, nla_get_u32(tb[SIPREG_CONTACT_A_NC]));
	pr_close();
	pr_text("\n");
}

static void print_binding(struct nlattr *nest)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) == SIPREG_BINDING_A_AOR)
			pr_str("aor", "%s\n", nla_get_string(a));
	pr_open_arr("contacts");
	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) == SIPREG_BINDING_A_CONTACT)
			print_contact(a);
	pr_close_arr();
}

/* Binding list prints its own newlines: no blank line per AOR. */
static int cmd_binding_list(const char *aor)
{
	return cmd_list(SIPREG_CMD_BINDING_GET, SIPREG_A_BINDING, print_binding,
			aor);
}

static int put_contact(struct nl_msg *msg, const struct ctl_contact *c,
		       bool full)
{
	struct nlattr *nest = sipreg_genl_nest(msg, SIPREG_BINDING_A_CONTACT);
	int err;

	if (!nest)
		return -1;
	err = nla_put_string(msg, SIPREG_CONTACT_A_URI, c->uri);
	if (full) {
		err = err ?: nla_put_string(msg, SIPREG_CONTACT_A_CALL_ID, c->call_id);
		err = err ?: nla_put_u32(msg, SIPREG_CONTACT_A_CSEQ, c->cseq);
		err = err ?: nla_put_u32(msg, SIPREG_CONTACT_A_EXPIRES, c->expires);
	}
	if (!err && c->has_nc)
		err = nla_put_u32(msg, SIPREG_CONTACT_A_NC, c->nc);
	if (!err && c->has_q)
		err = nla_put_u16(msg, SIPREG_CONTACT_A_Q, c->q);
	if (!err && c->port)
		err = nla_put_u16(msg, SIPREG_CONTACT_A_PORT, c->port);
	if (!err && c->family == AF_INET)
		err = nla_put(msg, SIPREG_CONTACT_A_ADDR4, 4, &c->addr.v4);
	if (!err && c->family == AF_INET6)
		err = nla_put(msg, SIPREG_CONTACT_A_ADDR6, 16, &c->addr.v6);
	nla_nest_end(msg, nest);
	return err;
}

static int cmd_binding(const struct ctl_req *req)
{
	uint8_t cmd = req->cmd == CTL_BINDING_ADD ? SIPREG_CMD_BINDING_ADD :
		      SIPREG_CMD_BINDING_DEL;
	struct nl_msg *msg = ctl_nl_msg(&nl, cmd, 0);
	struct nlattr *nest;

	if (!msg || !(nest = sipreg_genl_nest(msg, SIPREG_A_BINDING)) ||
	    nla_put_string(msg, SIPREG_BINDING_A_AOR, req->aor) ||
	    (req->contact.uri &&
	     put_contact(msg, &req->contact, req->cmd == CTL_BINDING_ADD))) {
		nlmsg_free(msg);
		return CTL_KERNEL;
	}
	nla_nest_end(msg, nest);
	return simple(msg);
}

/* ---- monitor ---- */

static void print_event_obj(const char *name, struct nlattr *user,
			    struct nlattr *binding)
{
	pr_open(NULL);
	pr_str("event", "%s", name);
	if (user) {
		pr_text(" ");
		print_user(user);
	}
	pr_text("\n");
	if (binding) {
		pr_text("\t");
		print_binding(binding);
	}
	pr_close();
	pr_done();
}

/* One line (or JSON object) per event; a batch of refreshes is several. */
static int print_event(struct nlmsghdr *h, void *arg)
{
	struct genlmsghdr *g = nlmsg_data(h);
	struct nlattr *tb[SIPREG_A_MAX + 1], *a;
	const char *name;
	int rem, n = 0;
	uint32_t ev;

	(void)arg;
	if (h->nlmsg_type != nl.family || !parse(h, tb)[SIPREG_A_EVENT])
		return 0;
	ev = nla_get_u32(tb[SIPREG_A_EVENT]);
	name = ev < __SIPREG_EVENT_MAX && sipreg_event_names[ev] ? sipreg_event_names[ev] :
							     "unknown";
	if (g->cmd == SIPREG_CMD_USER_NTF) {
		print_event_obj(name, tb[SIPREG_A_USER], NULL);
		return 0;
	}
	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0),
			  rem) {
		if (nla_type(a) != SIPREG_A_BINDING)
			continue;
		print_event_obj(name, NULL, a);
		n++;
	}
	if (!n)
		print_event_obj(name, NULL, NULL);
	return 0;
}

/* ---- the rest ---- */

static int cmd_daemon(const struct ctl_req *req)
{
	int err;

	err = simple(ctl_nl_msg(&nl, req->cmd == CTL_DAEMON_CLAIM ?
				SIPREG_CMD_DAEMON_CLAIM :
				SIPREG_CMD_DAEMON_RELEASE, 0));
	if (err || !req->hold)
		return err;
	pr_open(NULL);
	pr_str("miss_channel", "miss channel %s\n", "claimed");
	pr_close();
	pr_done();
	for (;;)
		pause();
}

static int cmd_version(void)
{
	pr_open(NULL);
	pr_str("version", "sipregctl %s", SIPREGCTL_VERSION);
	pr_u64("genl_version", " (netlink family version %" PRIu64 ")\n",
	       SIPREG_GENL_VERSION);
	pr_close();
	pr_done();
	return CTL_OK;
}

static int run(struct ctl_req *req)
{
	switch (req->cmd) {
	case CTL_STATS:
		return cmd_stats(req->stats_file);
	case CTL_STATS_RESET:
		return simple(ctl_nl_msg(&nl, SIPREG_CMD_STATS_RESET, 0));
	case CTL_CONFIG_SHOW:
		return cmd_config_show();
	case CTL_CONFIG_SET:
		return cmd_config_set(&req->cfg);
	case CTL_USER_ADD:
	case CTL_USER_DEL:
		return cmd_user(req);
	case CTL_USER_LIST:
		return cmd_list(SIPREG_CMD_USER_GET, SIPREG_A_USER, print_user,
				NULL);
	case CTL_USER_FLUSH:
		return simple(ctl_nl_msg(&nl, SIPREG_CMD_USER_FLUSH, 0));
	case CTL_DOMAIN_ADD:
	case CTL_DOMAIN_DEL:
		return cmd_domain(req);
	case CTL_DOMAIN_LIST:
		return cmd_list(SIPREG_CMD_DOMAIN_GET, SIPREG_A_DOMAIN,
				print_domain, NULL);
	case CTL_DOMAIN_FLUSH:
		return simple(ctl_nl_msg(&nl, SIPREG_CMD_DOMAIN_FLUSH, 0));
	case CTL_BINDING_LIST:
		return cmd_binding_list(req->aor);
	case CTL_BINDING_ADD:
	case CTL_BINDING_DEL:
		return cmd_binding(req);
	case CTL_BINDING_FLUSH:
		return simple(ctl_nl_msg(&nl, SIPREG_CMD_BINDING_FLUSH, 0));
	case CTL_MONITOR:
		return ctl_nl_monitor(&nl, print_event, NULL) ? kernel_error() :
		       CTL_OK;
	case CTL_DAEMON_CLAIM:
	case CTL_DAEMON_RELEASE:
		return cmd_daemon(req);
	default:
		return CTL_SYNTAX;
	}
}

int main(int argc, char **argv)
{
	struct ctl_req req;
	int err;

	err = ctl_parse(argc, argv, &req);
	if (err) {
		fprintf(stderr, "sipregctl: %s\n%s", req.err,
			ctl_usage(req.object));
		return err;
	}
	pr_set_json(req.json);
	if (req.cmd == CTL_HELP) {
		fputs(ctl_usage(req.topic), stdout);
		return CTL_OK;
	}
	if (req.cmd == CTL_VERSION)
		return cmd_version();
	/* a file, no netlink: works with the module unloaded */
	if (req.cmd == CTL_STATS_DAEMON)
		return cmd_stats_daemon(req.stats_file);
	what = req.object;
	if (ctl_nl_open(&nl)) {
		fprintf(stderr, "sipregctl: %s\n", nl.err);
		ctl_nl_close(&nl);
		return CTL_KERNEL;
	}
	err = run(&req);
	ctl_nl_close(&nl);
	return err;
}

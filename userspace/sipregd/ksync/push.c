// SPDX-License-Identifier: GPL-2.0
/*
 * What kernel sync installs in sipreg.ko: nonce keys, configuration,
 * the realm's users (both HA1s) and the bindings, in exactly the form the
 * fast path compares: AOR "sip:user@realm" as the store keeps it, the
 * contact URI as stored (no <>), Call-ID, CSeq, nonce count, the source
 * address. Users and bindings are made equal by difference, never by a
 * flush, so that refreshes keep taking the fast path during a resync.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>

#include "config_msg.h"
#include "genl.h"
#include "kernel_priv.h"
#include "log.h"
#include "registrar/domain.h"

/* Per push, the first errors are logged one by one, the rest counted. */
#define LOGGED_ERRORS	5

struct push {
	struct kernel *k;
	const char *what;
	unsigned int errors;
};

static void push_error(struct push *p, const char *item, int err)
{
	p->k->stats.errors++;
	if (p->errors++ < LOGGED_ERRORS)
		log_msg(LOG_WARN, "kernel: %s %s: %s", p->what, item,
			p->k->err[0] ? p->k->err : strerror(-err));
}

static void push_done(struct push *p)
{
	if (p->errors > LOGGED_ERRORS)
		log_msg(LOG_WARN, "kernel: %s: %u more errors", p->what,
			p->errors - LOGGED_ERRORS);
}

/* ---- nonce keys and configuration ---- */

int kpush_keys(struct kernel *k)
{
	struct nl_msg *msg = knl_msg(k, SIPREG_CMD_NONCE_KEYS_SET, NLM_F_ACK);
	uint64_t cur[2], prev[2];
	struct nlattr *nest;
	uint32_t gen;
	int err;

	registrar_nonce_keys(k->reg, cur, prev, &gen);
	if (msg) {
		nest = sipreg_genl_nest(msg, SIPREG_A_NONCE_KEYS);
		if (!nest ||
		    nla_put(msg, SIPREG_NONCE_KEYS_A_CUR, sizeof(cur), cur) ||
		    nla_put(msg, SIPREG_NONCE_KEYS_A_PREV, sizeof(prev), prev) ||
		    nla_put_u32(msg, SIPREG_NONCE_KEYS_A_GEN, gen)) {
			nlmsg_free(msg);
			msg = NULL;
		} else {
			nla_nest_end(msg, nest);
		}
	}
	memset(cur, 0, sizeof(cur));
	memset(prev, 0, sizeof(prev));
	/* from the claiming socket: the kernel takes keys from it alone */
	err = knl_request(k, k->miss, msg, NULL, NULL);
	if (err && !k->keys_refused) {
		/* an older module: its 401s will not verify here, ours will */
		k->keys_refused = true;
		log_msg(LOG_WARN, "kernel: NONCE_KEYS_SET refused (%s): the "
			"kernel's nonces will not verify in the daemon", k->err);
	} else if (!err) {
		log_msg(LOG_DEBUG, "kernel: nonce keys of generation %u pushed",
			gen);
	}
	return err;
}

static int push_config_set(struct kernel *k, bool algs_first)
{
	struct nl_msg *msg = knl_msg(k, SIPREG_CMD_CONFIG_SET, NLM_F_ACK);

	if (msg && kmsg_put_config(msg, &k->cfg, algs_first)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return knl_request(k, k->cmd, msg, NULL, NULL);
}

int kpush_config(struct kernel *k)
{
	int err = push_config_set(k, true);

	/*
	 * A module older than ALGS_FIRST (still loaded after an upgrade)
	 * refuses the whole set for the attribute it does not know: it gets
	 * the rest, and its 401s keep offering SHA-256 first.
	 */
	if (err == -EINVAL && !push_config_set(k, false)) {
		if (!k->order_refused)
			log_msg(LOG_WARN, "kernel: the sipreg module takes no "
				"challenge order (ALGS_FIRST): its 401s offer "
				"SHA-256 first; reload it to offer %s first",
				kmsg_algs_first(&k->cfg.reg) ==
				SIPREG_ALG_FLAG_MD5 ? "MD5" : "SHA-256");
		k->order_refused = true;
		return 0;
	}
	if (err) {
		k->stats.errors++;
		log_msg(LOG_ERR, "kernel: CONFIG_SET (realm %s): %s",
			k->cfg.reg.realm, k->err);
	}
	return err;
}

int kpush_fastpath_off(struct kernel *k)
{
	struct nl_msg *msg = knl_msg(k, SIPREG_CMD_CONFIG_SET, NLM_F_ACK);
	struct nlattr *nest = msg ? sipreg_genl_nest(msg, SIPREG_A_CONFIG) : NULL;
	int err;

	if (!nest || nla_put_u8(msg, SIPREG_CONFIG_A_FASTPATH, 0)) {
		nlmsg_free(msg);
		msg = NULL;
	} else {
		nla_nest_end(msg, nest);
	}
	err = knl_request(k, k->cmd, msg, NULL, NULL);
	if (err)
		log_msg(LOG_ERR, "kernel: CONFIG_SET fastpath off: %s", k->err);
	return err;
}

/* ---- users ---- */

struct names {
	char **v;
	size_t n, cap;
};

static int names_add(struct names *s, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *x = malloc(la + lb + 2), **v;

	if (!x)
		return -ENOMEM;
	memcpy(x, a, la + 1);
	memcpy(x + la + 1, b, lb + 1);
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		v = realloc(s->v, s->cap * sizeof(*v));
		if (!v) {
			free(x);
			return -ENOMEM;
		}
		s->v = v;
	}
	s->v[s->n++] = x;
	return 0;
}

static void names_free(struct names *s)
{
	while (s->n)
		free(s->v[--s->n]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* (user, realm) pairs, as names_add() joins them */
static int name_cmp(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int c = strcmp(x, y);

	return c ? c : strcmp(x + strlen(x) + 1, y + strlen(y) + 1);
}

/*
 * The realms the kernel serves: the configured realm without domains,
 * else the domains' realms (a user of another realm could never log in).
 */
static bool realm_served(const struct kernel *k, const char *realm)
{
	const struct registrar_cfg *c = &k->cfg.reg;

	if (!c->n_domains)
		return !strcmp(realm, c->realm);
	return domain_of_realm(c, realm) != NULL;
}

static int kernel_user(void *arg, const struct nlmsghdr *h)
{
	char name[SIPREG_USER_MAX + 1], realm[SIPREG_REALM_MAX + 1];
	struct names *s = arg;

	if (!h) {
		names_free(s);
		return 0;
	}
	if (kmsg_parse_user(h, name, sizeof(name), realm, sizeof(realm)))
		return 0;
	return names_add(s, name, realm);
}

struct user_push {
	struct push p;
	struct names db;		/* the realm's users, installed or not */
	int fatal;
};

/* Queued in the pipeline: 0, or -ETIMEDOUT when the kernel stopped answering. */
static int user_add(struct kernel *k, const struct store_user *u)
{
	struct nl_msg *msg = knl_item_msg(k, SIPREG_CMD_USER_ADD, true);
	struct nlattr *nest = msg ? sipreg_genl_nest(msg, SIPREG_A_USER) : NULL;

	if (!nest || nla_put_string(msg, SIPREG_USER_A_NAME, u->user) ||
	    nla_put_string(msg, SIPREG_USER_A_REALM, u->realm) ||
	    (u->has_md5 && nla_put(msg, SIPREG_USER_A_HA1_MD5,
				   sizeof(u->ha1_md5), u->ha1_md5)) ||
	    (u->has_sha256 && nla_put(msg, SIPREG_USER_A_HA1_SHA256,
				      sizeof(u->ha1_sha256), u->ha1_sha256))) {
		msg = NULL;		/* k->item: kept */
	} else {
		nla_nest_end(msg, nest);
	}
	return knl_pipe_add(k, msg, 0, u->user);
}

/* A user's ack: errors are logged and counted, a timeout stops the push. */
static void user_done(void *arg, int tag, const char *label, int err)
{
	struct user_push *up = arg;

	(void)tag;
	if (err == -ETIMEDOUT)
		up->fatal = err;
	else if (err)
		push_error(&up->p, label, err);
}

static int db_user(void *arg, const struct store_user *u)
{
	struct user_push *up = arg;
	struct kernel *k = up->p.k;
	int err;

	if (!realm_served(k, u->realm))
		return 0;
	if (strlen(u->user) > SIPREG_USER_MAX || (!u->has_md5 && !u->has_sha256)) {
		k->stats.not_installable++;
		return 0;
	}
	err = user_add(k, u);
	if (err) {
		up->fatal = err;
		return 1;
	}
	up->fatal = names_add(&up->db, u->user, u->realm);
	return up->fatal;
}

static int user_del(struct kernel *k, const char *name, const char *realm)
{
	struct nl_msg *msg = knl_msg_owned(k, SIPREG_CMD_USER_DEL, NLM_F_ACK);
	struct nlattr *nest = msg ? sipreg_genl_nest(msg, SIPREG_A_USER) : NULL;

	if (!nest || nla_put_string(msg, SIPREG_USER_A_NAME, name) ||
	    nla_put_string(msg, SIPREG_USER_A_REALM, realm)) {
		nlmsg_free(msg);
		msg = NULL;
	} else {
		nla_nest_end(msg, nest);
	}
	return knl_request(k, k->cmd, msg, NULL, NULL);
}

/* Kernel users that are not the served realms' users of the database go. */
static void users_del_extra(struct user_push *up, const struct names *kern)
{
	struct kernel *k = up->p.k;
	const char *realm;
	size_t i;
	int err;

	qsort(up->db.v, up->db.n, sizeof(char *), name_cmp);
	for (i = 0; i < kern->n; i++) {
		char *name = kern->v[i];

		realm = name + strlen(name) + 1;
		if (realm_served(k, realm) &&
		    bsearch(&name, up->db.v, up->db.n, sizeof(char *), name_cmp))
			continue;
		err = user_del(k, name, realm);
		if (err && err != -ENOENT)
			push_error(&up->p, name, err);
	}
}

int kpush_users(struct kernel *k)
{
	struct user_push up = { .p = { k, "user", 0 } };
	struct names kern = { 0 };
	int err;

	err = knl_request(k, k->cmd, knl_msg(k, SIPREG_CMD_USER_GET,
					     NLM_F_DUMP), kernel_user, &kern);
	if (!err) {
		knl_pipe_begin(k, user_done, &up);
		err = store_user_each(k->st, db_user, &up);
		/* the last acks, whatever stopped the walk */
		if (knl_pipe_flush(k) && !up.fatal)
			up.fatal = -ETIMEDOUT;
		if (up.fatal)
			err = up.fatal;
		if (err)
			log_msg(LOG_ERR, "kernel: users: %s",
				up.fatal ? k->err : store_error(k->st));
		else
			users_del_extra(&up, &kern);
	} else {
		log_msg(LOG_ERR, "kernel: USER_GET dump: %s", k->err);
	}
	push_done(&up.p);
	log_msg(LOG_DEBUG, "kernel: %zu users installed, %zu were there",
		up.db.n, kern.n);
	k->pushed_users = up.db.n;
	names_free(&kern);
	names_free(&up.db);
	return err;
}

/* ---- bindings ---- */

int64_t kernel_wall_expiry(const struct kcontact *c)
{
	struct timespec wall, boot;

	clock_gettime(CLOCK_REALTIME, &wall);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	if (!c->expires_at)
		return wall.tv_sec + c->expires;
	return wall.tv_sec + ((int64_t)c->expires_at - boot.tv_sec);
}

static int kernel_contact(void *arg, const struct kcontact *c)
{
	const struct rec_binding b = {
		.aor = (char *)c->aor, .contact = (char *)c->uri,
		.call_id = (char *)c->call_id, .cseq = c->cseq, .nc = c->nc,
		.expires = kernel_wall_expiry(c), .q = c->q,
	};

	return rec_list_add(arg, &b) ? -ENOMEM : 0;
}

static int kernel_binding(void *arg, const struct nlmsghdr *h)
{
	unsigned int bad = 0;

	if (!h) {
		rec_list_free(arg);
		return 0;
	}
	return kmsg_each_contact(h, kernel_contact, arg, &bad) < 0 ? -EINVAL : 0;
}

static int db_binding(void *arg, const struct store_binding *s)
{
	const struct rec_binding b = {
		.aor = (char *)s->aor, .contact = (char *)s->contact,
		.call_id = (char *)s->call_id, .source = (char *)s->source,
		.cseq = s->cseq, .nc = s->nc, .expires = s->expires, .q = s->q,
	};

	return rec_list_add(arg, &b);
}

/* "addr port" as the registrar writes it into ADDR4/ADDR6 and PORT. */
static int put_source(struct nl_msg *msg, const char *source)
{
	char addr[64];
	unsigned char a[16];
	const char *sp = strrchr(source, ' ');
	long port;

	if (!sp || (size_t)(sp - source) >= sizeof(addr))
		return 0;
	snprintf(addr, sizeof(addr), "%.*s", (int)(sp - source), source);
	port = strtol(sp + 1, NULL, 10);
	if (inet_pton(AF_INET, addr, a) == 1) {
		if (nla_put(msg, SIPREG_CONTACT_A_ADDR4, 4, a))
			return -1;
	} else if (inet_pton(AF_INET6, addr, a) == 1) {
		if (nla_put(msg, SIPREG_CONTACT_A_ADDR6, 16, a))
			return -1;
	}
	if (port >= 1 && port <= 65535)
		return nla_put_u16(msg, SIPREG_CONTACT_A_PORT, (uint16_t)port);
	return 0;
}

/*
 * The issue time of the nonce a contact was last authorised with, when it
 * was written by the request being pushed (same AOR, Call-ID and CSeq);
 * else 0 and the kernel takes the time of the install, so that no nonce
 * issued before it can be replayed on the fast path.
 */
static uint64_t nonce_time(const struct kernel *k, const struct rec_binding *b)
{
	const struct registrar_change *ch = k->change;

	if (!ch || strcmp(ch->aor, b->aor) || strcmp(ch->call_id, b->call_id) ||
	    ch->cseq != b->cseq)
		return 0;
	return ch->nonce_time;
}

static int put_contact(struct nl_msg *msg, const struct rec_binding *b,
		       int64_t now, uint64_t ntime)
{
	int64_t left = b->expires - now;
	struct nlattr *nest = sipreg_genl_nest(msg, SIPREG_BINDING_A_CONTACT);

	if (left < 1)
		left = 1;
	if (left > SIPREG_EXPIRES_LIMIT)
		left = SIPREG_EXPIRES_LIMIT;
	if (!nest || nla_put_string(msg, SIPREG_CONTACT_A_URI, b->contact) ||
	    nla_put_string(msg, SIPREG_CONTACT_A_CALL_ID, b->call_id) ||
	    nla_put_u32(msg, SIPREG_CONTACT_A_CSEQ, b->cseq) ||
	    nla_put_u32(msg, SIPREG_CONTACT_A_EXPIRES, (uint32_t)left) ||
	    nla_put_u32(msg, SIPREG_CONTACT_A_NC, b->nc) ||
	    (ntime && nla_put_u64(msg, SIPREG_CONTACT_A_NONCE_TIME, ntime)) ||
	    (b->q >= 0 && nla_put_u16(msg, SIPREG_CONTACT_A_Q,
				      (uint16_t)(b->q > SIPREG_Q_MAX ?
						 SIPREG_Q_MAX : b->q))) ||
	    put_source(msg, b->source))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * BINDING_ADD (upsert of one contact) or BINDING_DEL of one contact,
 * queued in the pipeline with @label: 0 or -ETIMEDOUT.
 */
static int binding_op(struct kernel *k, uint8_t cmd,
		      const struct rec_binding *b, int tag, const char *label)
{
	struct nl_msg *msg = knl_item_msg(k, cmd, false);
	struct nlattr *nest = msg ? sipreg_genl_nest(msg, SIPREG_A_BINDING) : NULL;
	struct nlattr *c;
	int bad;

	bad = !nest || nla_put_string(msg, SIPREG_BINDING_A_AOR, b->aor);
	if (!bad && cmd == SIPREG_CMD_BINDING_ADD) {
		bad = put_contact(msg, b, time(NULL), nonce_time(k, b));
	} else if (!bad) {
		c = sipreg_genl_nest(msg, SIPREG_BINDING_A_CONTACT);
		bad = !c || nla_put_string(msg, SIPREG_CONTACT_A_URI,
					   b->contact);
		if (!bad)
			nla_nest_end(msg, c);
	}
	if (bad) {
		msg = NULL;		/* k->item: kept */
	} else {
		nla_nest_end(msg, nest);
	}
	return knl_pipe_add(k, msg, tag, label);
}

struct bind_push {
	struct push p;
	struct rec_list upd;		/* database updates, applied after */
	int fatal;
};

static void apply(void *arg, enum rec_action a, const struct rec_binding *b)
{
	struct bind_push *bp = arg;
	struct kernel *k = bp->p.k;
	char item[SIPREG_AOR_MAX + SIPREG_URI_MAX + 8];
	int err;

	_Static_assert(sizeof(item) <= KPIPE_LABEL, "KPIPE_LABEL too small");

	if (bp->fatal)
		return;
	if (a == REC_DB_UPDATE) {
		if (rec_list_add(&bp->upd, b))
			bp->fatal = -ENOMEM;
		return;
	}
	if (a == REC_KERNEL_ADD && !rec_kernel_installable(b)) {
		k->stats.not_installable++;
		return;
	}
	snprintf(item, sizeof(item), "%s <%s>", b->aor, b->contact);
	err = binding_op(k, a == REC_KERNEL_ADD ? SIPREG_CMD_BINDING_ADD :
			 SIPREG_CMD_BINDING_DEL, b, (int)a, item);
	if (err)
		bp->fatal = err;
}

/* A contact's ack: a delete of what is gone is no error. */
static void binding_done(void *arg, int tag, const char *label, int err)
{
	struct bind_push *bp = arg;

	if (err == -ETIMEDOUT)
		bp->fatal = err;
	else if (err && !(err == -ENOENT && tag == REC_KERNEL_DEL))
		push_error(&bp->p, label, err);
}

/* The kernel's newer refreshes, into the database in one transaction. */
static int store_updates(struct kernel *k, const struct rec_list *upd)
{
	struct store_binding s;
	size_t i;

	if (!upd->n)
		return 0;
	if (store_begin(k->st))
		goto fail;
	for (i = 0; i < upd->n; i++) {
		const struct rec_binding *b = &upd->v[i];

		memset(&s, 0, sizeof(s));
		snprintf(s.aor, sizeof(s.aor), "%s", b->aor);
		snprintf(s.contact, sizeof(s.contact), "%s", b->contact);
		snprintf(s.call_id, sizeof(s.call_id), "%s", b->call_id);
		s.cseq = b->cseq;
		s.nc = b->nc;
		s.expires = b->expires;
		s.updated = time(NULL);
		if (store_binding_refresh(k->st, &s) < 0)
			goto fail;
	}
	if (!store_commit(k->st))
		return 0;
fail:
	log_msg(LOG_ERR, "kernel: store of %zu refreshed bindings: %s",
		upd->n, store_error(k->st));
	store_rollback(k->st);
	return -1;
}

static int kernel_side(struct kernel *k, const char *aor, struct rec_list *l)
{
	struct nl_msg *msg;
	struct nlattr *nest;
	int err;

	if (!aor)
		return knl_request(k, k->cmd, knl_msg(k, SIPREG_CMD_BINDING_GET,
						      NLM_F_DUMP),
				   kernel_binding, l);
	msg = knl_msg(k, SIPREG_CMD_BINDING_GET, NLM_F_ACK);
	nest = msg ? sipreg_genl_nest(msg, SIPREG_A_BINDING) : NULL;
	if (!nest || nla_put_string(msg, SIPREG_BINDING_A_AOR, aor)) {
		nlmsg_free(msg);
		msg = NULL;
	} else {
		nla_nest_end(msg, nest);
	}
	err = knl_request(k, k->cmd, msg, kernel_binding, l);
	return err == -ENOENT ? 0 : err;	/* no such AOR: empty */
}

/*
 * With several workers each installs what it changed: one at a time
 * (flock on a file beside the database), so that the last to read the
 * store and the kernel is the last to write the kernel, and an older
 * view of an AOR never lands over a newer one.
 */
static void install_lock(struct kernel *k, int op)
{
	if (k->install_lock >= 0 && flock(k->install_lock, op))
		log_msg(LOG_WARN, "kernel: install lock: %s", strerror(errno));
}

static int push_bindings(struct kernel *k, const char *aor);

int kpush_bindings(struct kernel *k, const char *aor)
{
	int err;

	install_lock(k, LOCK_EX);
	err = push_bindings(k, aor);
	install_lock(k, LOCK_UN);
	return err;
}

static int push_bindings(struct kernel *k, const char *aor)
{
	struct bind_push bp = { .p = { k, "binding", 0 } };
	struct rec_list db = { 0 }, kern = { 0 };
	struct rec_counts n;
	int err;

	if (aor && strlen(aor) > SIPREG_AOR_MAX)
		return 0;
	err = kernel_side(k, aor, &kern);
	if (err) {
		k->stats.errors++;
		log_msg(LOG_ERR, "kernel: BINDING_GET %s: %s", aor ? aor : "dump",
			k->err);
		goto out;
	}
	/* expired rows too: the kernel may have refreshed them meanwhile */
	if (store_binding_each(k->st, aor, INT64_MIN, db_binding, &db)) {
		log_msg(LOG_ERR, "kernel: bindings: %s", store_error(k->st));
		err = -EIO;
		goto out;
	}
	knl_pipe_begin(k, binding_done, &bp);
	reconcile(&db, &kern, time(NULL), 2, apply, &bp, &n);
	if (knl_pipe_flush(k) && !bp.fatal)
		bp.fatal = -ETIMEDOUT;
	err = bp.fatal;
	if (store_updates(k, &bp.upd) && !err)
		err = -EIO;
	push_done(&bp.p);
	log_msg(aor ? LOG_DEBUG : LOG_INFO, "kernel: bindings%s%s: %zu installed, "
		"%zu removed, %zu taken from the kernel, %zu already equal",
		aor ? " of " : "", aor ? aor : "", n.kernel_adds,
		n.kernel_dels, n.db_updates, n.same);
	if (!aor)
		k->pushed_bindings = n.kernel_adds;
out:
	rec_list_free(&db);
	rec_list_free(&kern);
	rec_list_free(&bp.upd);
	return err;
}

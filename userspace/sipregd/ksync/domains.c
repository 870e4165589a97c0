// SPDX-License-Identifier: GPL-2.0
/*
 * The domains of the configuration in sipreg.ko's domain table
 * (SIPREG_CMD_DOMAIN_*), made equal by difference as the users are: the
 * kernel's table is dumped, every configured domain is upserted (its
 * realm may have changed) and the kernel's other domains are deleted.
 * Pushed before the users, so that the fast path never holds the users
 * of a realm without the domain that names it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "genl.h"
#include "kernel_priv.h"
#include "log.h"
#include "registrar/domain.h"

struct kdomains {
	char (*name)[SIPREG_DOMAIN_MAX + 1];
	size_t n, cap;
};

static int kernel_domain(void *arg, const struct nlmsghdr *h)
{
	char name[SIPREG_DOMAIN_MAX + 1], realm[SIPREG_REALM_MAX + 1];
	struct kdomains *s = arg;
	void *v;

	if (!h) {
		s->n = 0;		/* the dump is redone */
		return 0;
	}
	if (kmsg_parse_domain(h, name, sizeof(name), realm, sizeof(realm)))
		return 0;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		v = realloc(s->name, s->cap * sizeof(*s->name));
		if (!v)
			return -ENOMEM;
		s->name = v;
	}
	snprintf(s->name[s->n++], sizeof(s->name[0]), "%s", name);
	return 0;
}

/* DOMAIN_ADD (@realm given) or DOMAIN_DEL (@realm NULL). */
static int domain_op(struct kernel *k, const char *name, const char *realm)
{
	struct nl_msg *msg = knl_msg(k, realm ? SIPREG_CMD_DOMAIN_ADD :
				     SIPREG_CMD_DOMAIN_DEL, NLM_F_ACK);
	struct nlattr *nest = msg ? sipreg_genl_nest(msg, SIPREG_A_DOMAIN) : NULL;

	if (!nest || nla_put_string(msg, SIPREG_DOMAIN_A_NAME, name) ||
	    (realm && nla_put_string(msg, SIPREG_DOMAIN_A_REALM, realm))) {
		nlmsg_free(msg);
		msg = NULL;
	} else {
		nla_nest_end(msg, nest);
	}
	if (msg && knl_put_claim(k, msg)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return knl_request(k, k->cmd, msg, NULL, NULL);
}

static int add_configured(struct kernel *k)
{
	const struct registrar_cfg *c = &k->cfg.reg;
	unsigned int i;
	int err;

	for (i = 0; i < c->n_domains; i++) {
		err = domain_op(k, c->domains[i].name, c->domains[i].realm);
		if (err) {
			k->stats.errors++;
			log_msg(LOG_ERR, "kernel: DOMAIN_ADD %s (realm %s): %s",
				c->domains[i].name, c->domains[i].realm,
				k->err[0] ? k->err : strerror(-err));
			return err;
		}
	}
	return 0;
}

static void del_others(struct kernel *k, const struct kdomains *kern)
{
	const struct registrar_cfg *c = &k->cfg.reg;
	size_t i;
	int err;

	for (i = 0; i < kern->n; i++) {
		if (domain_find(c, (const uint8_t *)kern->name[i],
				strlen(kern->name[i])))
			continue;
		err = domain_op(k, kern->name[i], NULL);
		if (err && err != -ENOENT) {
			k->stats.errors++;
			log_msg(LOG_WARN, "kernel: DOMAIN_DEL %s: %s",
				kern->name[i], k->err[0] ? k->err : strerror(-err));
		}
	}
}

int kpush_domains(struct kernel *k)
{
	const struct registrar_cfg *c = &k->cfg.reg;
	struct kdomains kern = { 0 };
	int err;

	err = knl_request(k, k->cmd, knl_msg(k, SIPREG_CMD_DOMAIN_GET,
					     NLM_F_DUMP), kernel_domain, &kern);
	k->has_domains = !err;
	if (err == -EOPNOTSUPP || err == -EINVAL) {
		/* a module without a domain table */
		if (c->n_domains)
			log_msg(LOG_ERR, "kernel: the sipreg module has no "
				"domain table (older than sipregd): %u domains "
				"configured; its fast path is switched off",
				c->n_domains);
		err = c->n_domains ? -EOPNOTSUPP : 0;
		goto out;
	}
	if (err) {
		k->stats.errors++;
		log_msg(LOG_ERR, "kernel: DOMAIN_GET dump: %s", k->err);
		goto out;
	}
	err = add_configured(k);
	if (!err)
		del_others(k, &kern);
	log_msg(LOG_DEBUG, "kernel: %u domains configured, %zu were there",
		c->n_domains, kern.n);
out:
	free(kern.name);
	return err;
}

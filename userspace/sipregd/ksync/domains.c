// SPDX-License-Identifier: GPL-2.0
/*
 * The domains of the configuration in sipreg.ko's domain table
 * (SIPREG_CMD_DOMAIN_*), made equal by difference as the users are: the
 * kernel's table is dumped, its domains that are not configured, or
 * configured with another realm, are deleted first (a realm belongs to
 * one domain: a renamed domain's realm must be free before it is added
 * again), then the configured domains it lacks are added.
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

struct kdomain {
	char name[SIPREG_DOMAIN_MAX + 1];
	char realm[SIPREG_REALM_MAX + 1];
};

struct kdomains {
	struct kdomain *v;
	size_t n, cap;
};

static int kernel_domain(void *arg, const struct nlmsghdr *h)
{
	struct kdomains *s = arg;
	struct kdomain *d;

	if (!h) {
		s->n = 0;		/* the dump is redone */
		return 0;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		d = realloc(s->v, s->cap * sizeof(*s->v));
		if (!d)
			return -ENOMEM;
		s->v = d;
	}
	d = &s->v[s->n];
	if (!kmsg_parse_domain(h, d->name, sizeof(d->name), d->realm,
			       sizeof(d->realm)))
		s->n++;
	return 0;
}

/* DOMAIN_ADD (@realm given) or DOMAIN_DEL (@realm NULL). */
static int domain_op(struct kernel *k, const char *name, const char *realm)
{
	struct nl_msg *msg = knl_msg_owned(k, realm ? SIPREG_CMD_DOMAIN_ADD :
					   SIPREG_CMD_DOMAIN_DEL, NLM_F_ACK);
	struct nlattr *nest = msg ? sipreg_genl_nest(msg, SIPREG_A_DOMAIN) : NULL;

	if (!nest || nla_put_string(msg, SIPREG_DOMAIN_A_NAME, name) ||
	    (realm && nla_put_string(msg, SIPREG_DOMAIN_A_REALM, realm))) {
		nlmsg_free(msg);
		msg = NULL;
	} else {
		nla_nest_end(msg, nest);
	}
	return knl_request(k, k->cmd, msg, NULL, NULL);
}

/* The kernel's entry for @name with @realm, already right? */
static bool in_kernel(const struct kdomains *kern, const char *name,
		      const char *realm)
{
	size_t i;

	for (i = 0; i < kern->n; i++)
		if (!strcmp(kern->v[i].name, name))
			return !strcmp(kern->v[i].realm, realm);
	return false;
}

static int add_configured(struct kernel *k, const struct kdomains *kern)
{
	const struct registrar_cfg *c = &k->cfg.reg;
	unsigned int i;
	int err;

	for (i = 0; i < c->n_domains; i++) {
		if (in_kernel(kern, c->domains[i].name, c->domains[i].realm))
			continue;
		err = domain_op(k, c->domains[i].name, c->domains[i].realm);
		if (err == -ETIMEDOUT)
			return err;
		/*
		 * Refused (a realm above the kernel's 64 bytes...): that
		 * domain's REGISTERs reach the daemon as misses, the rest
		 * keep the fast path.
		 */
		if (err) {
			k->stats.errors++;
			log_msg(LOG_ERR, "kernel: DOMAIN_ADD %s (realm %s): %s: "
				"the daemon serves it alone", c->domains[i].name,
				c->domains[i].realm,
				k->err[0] ? k->err : strerror(-err));
		}
	}
	return 0;
}

static void del_others(struct kernel *k, const struct kdomains *kern)
{
	const struct registrar_cfg *c = &k->cfg.reg;
	const struct registrar_domain *d;
	size_t i;
	int err;

	for (i = 0; i < kern->n; i++) {
		d = domain_find(c, (const uint8_t *)kern->v[i].name,
				strlen(kern->v[i].name));
		if (d && !strcmp(d->realm, kern->v[i].realm))
			continue;
		err = domain_op(k, kern->v[i].name, NULL);
		if (err && err != -ENOENT) {
			k->stats.errors++;
			log_msg(LOG_WARN, "kernel: DOMAIN_DEL %s: %s",
				kern->v[i].name, k->err[0] ? k->err : strerror(-err));
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
	del_others(k, &kern);
	err = add_configured(k, &kern);
	log_msg(LOG_DEBUG, "kernel: %u domains configured, %zu were there",
		c->n_domains, kern.n);
out:
	free(kern.v);
	return err;
}

// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>

#include "config_msg.h"
#include "genl.h"
#include "sipreg.h"

uint32_t kmsg_algs_first(const struct registrar_cfg *r)
{
	return r->alg_sha256 && (r->sha256_first || !r->alg_md5) ?
	       SIPREG_ALG_FLAG_SHA256 : SIPREG_ALG_FLAG_MD5;
}

/* The ports of the listen addresses, each once, at most 4. */
static unsigned int listen_ports(const struct daemon_config *c,
				 uint16_t *ports)
{
	unsigned int i, j, n = 0;
	char *colon;
	long p;

	for (i = 0; i < c->n_listen && n < SIPREG_PORTS_MAX; i++) {
		colon = strrchr(c->listen[i], ':');
		p = colon ? strtol(colon + 1, NULL, 10) : 0;
		if (p < 1 || p > 65535)
			continue;
		for (j = 0; j < n && ports[j] != p; j++)
			;
		if (j == n)
			ports[n++] = (uint16_t)p;
	}
	return n;
}

int kmsg_put_config(struct nl_msg *msg, const struct daemon_config *c,
		    bool algs_first)
{
	const struct registrar_cfg *r = &c->reg;
	uint16_t ports[SIPREG_PORTS_MAX];
	unsigned int i, n = listen_ports(c, ports);
	uint32_t algs = (r->alg_md5 ? SIPREG_ALG_FLAG_MD5 : 0) |
			(r->alg_sha256 ? SIPREG_ALG_FLAG_SHA256 : 0);
	uint32_t maxc = r->max_contacts < SIPREG_CONTACTS_LIMIT ?
			r->max_contacts : SIPREG_CONTACTS_LIMIT;
	struct nlattr *nest = sipreg_genl_nest(msg, SIPREG_A_CONFIG);

	if (!nest || nla_put_string(msg, SIPREG_CONFIG_A_REALM, r->realm))
		return -1;
	for (i = 0; i < n; i++)
		if (nla_put_u16(msg, SIPREG_CONFIG_A_PORT, ports[i]))
			return -1;
	if (nla_put_u32(msg, SIPREG_CONFIG_A_EXPIRES_MIN, r->min_expires) ||
	    nla_put_u32(msg, SIPREG_CONFIG_A_EXPIRES_DEFAULT,
			r->default_expires) ||
	    nla_put_u32(msg, SIPREG_CONFIG_A_EXPIRES_MAX, r->max_expires) ||
	    nla_put_u32(msg, SIPREG_CONFIG_A_NONCE_LIFETIME,
			r->nonce_lifetime) ||
	    nla_put_u32(msg, SIPREG_CONFIG_A_ALGS, algs) ||
	    (algs_first && nla_put_u32(msg, SIPREG_CONFIG_A_ALGS_FIRST,
				       kmsg_algs_first(r))) ||
	    nla_put_u32(msg, SIPREG_CONFIG_A_MAX_CONTACTS, maxc) ||
	    /* running with kernel = auto is the admin's switch */
	    nla_put_u8(msg, SIPREG_CONFIG_A_ENABLED, 1))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Domain names and the hosts of URIs. A domain name goes into the AOR
 * "sip:USER@DOMAIN", the kernel's domain table and the database as it
 * is, so only host-name characters (or a bracketed IPv6 address) are
 * taken, and it is kept lowercase: RFC 3261 19.1.4 compares hosts
 * case-insensitively, and one spelling per domain keeps the AORs of
 * one domain one set.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "domain.h"

static bool host_char(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '.';
}

static bool ipv6_char(unsigned char c)
{
	return isxdigit(c) || c == ':' || c == '.';
}

bool domain_name_check(const char *v, char *out, char *why, size_t size)
{
	size_t n = strlen(v), i;
	bool v6 = n && v[0] == '[';

	if (!n || n > REGISTRAR_DOMAIN_MAX) {
		snprintf(why, size, n ? "too long: %zu bytes, at most %d" :
			 "empty", n, REGISTRAR_DOMAIN_MAX);
		return false;
	}
	if (v6 && (n < 4 || v[n - 1] != ']')) {
		snprintf(why, size, "an IPv6 address is written [ADDR]");
		return false;
	}
	for (i = v6; i < n - v6; i++) {
		unsigned char c = (unsigned char)v[i];

		if (v6 ? ipv6_char(c) : host_char(c))
			continue;
		if (c == ':' && !v6)
			snprintf(why, size, "character %zu is ':': no port, and "
				 "an IPv6 address is written [ADDR]", i + 1);
		else
			snprintf(why, size, "character %zu (0x%02x) not allowed: "
				 "letters, digits, '-' and '.', or [IPv6]",
				 i + 1, c);
		return false;
	}
	for (i = 0; i <= n; i++)
		out[i] = (char)tolower((unsigned char)v[i]);
	return true;
}

bool domain_uri_host(const uint8_t *b, uint32_t off, uint32_t len,
		     uint32_t *host_off, uint32_t *host_len)
{
	const uint8_t *u = b + off;
	uint32_t s, at, e;

	for (s = 0; s < len && u[s] != ':'; s++)
		;
	if (s++ >= len)
		return false;
	/* no '@' may follow the user part: the first one ends it */
	for (at = s; at < len && u[at] != '@'; at++)
		;
	if (at < len)
		s = at + 1;
	if (s < len && u[s] == '[') {
		for (e = s; e < len && u[e] != ']'; e++)
			;
		if (e == len)
			return false;
		e++;
	} else {
		for (e = s; e < len && !strchr(":;?>", u[e]); e++)
			;
	}
	if (e == s)
		return false;
	*host_off = off + s;
	*host_len = e - s;
	return true;
}

const struct registrar_domain *domain_find(const struct registrar_cfg *c,
					   const uint8_t *host, size_t len)
{
	unsigned int i;

	for (i = 0; i < c->n_domains; i++)
		if (strlen(c->domains[i].name) == len &&
		    !strncasecmp(c->domains[i].name, (const char *)host, len))
			return &c->domains[i];
	return NULL;
}

const struct registrar_domain *domain_of_realm(const struct registrar_cfg *c,
					       const char *realm)
{
	unsigned int i;

	for (i = 0; i < c->n_domains; i++)
		if (!strcmp(c->domains[i].realm, realm))
			return &c->domains[i];
	return NULL;
}

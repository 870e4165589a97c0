/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The domains a gateway serves (issue 13 item 4): what a domain name may
 * be, which configured domain a URI's host names, and the host of a SIP
 * URI. With no domain configured the registrar serves one realm for any
 * Request-URI host, as before; with domains, the Request-URI picks one.
 */
#ifndef SIPREGD_DOMAIN_H
#define SIPREGD_DOMAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "registrar.h"

/*
 * @v as a domain name: 1 to REGISTRAR_DOMAIN_MAX bytes of a host name
 * (letters, digits, '-', '.') or an IPv6 reference in brackets (hex
 * digits, ':', '.'), folded to lowercase into @out (REGISTRAR_DOMAIN_MAX
 * + 1 bytes). False with the reason in @why.
 */
bool domain_name_check(const char *v, char *out, char *why, size_t size);

/*
 * The host of the sip:/sips: URI [b + off, b + off + len): after the
 * user part if there is one, up to the port, parameters or headers; an
 * IPv6 reference keeps its brackets. False if there is none.
 */
bool domain_uri_host(const uint8_t *b, uint32_t off, uint32_t len,
		     uint32_t *host_off, uint32_t *host_len);

/* The configured domain named [host, host + len) (any case), or NULL. */
const struct registrar_domain *domain_find(const struct registrar_cfg *c,
					   const uint8_t *host, size_t len);

/* The configured domain whose realm is @realm, or NULL. */
const struct registrar_domain *domain_of_realm(const struct registrar_cfg *c,
					       const char *realm);

#endif /* SIPREGD_DOMAIN_H */

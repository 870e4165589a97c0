/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SIP URI equality as RFC 3261 19.1.4 defines it, for matching a
 * REGISTER's Contact against the stored bindings (10.3 step 7: "using
 * the URI comparison rules"), and the escapes of a user part.
 */
#ifndef SIPREGD_URI_EQ_H
#define SIPREGD_URI_EQ_H

#include <stdbool.h>
#include <stddef.h>

/*
 * True if the NUL-terminated URIs @a and @b are equal by RFC 3261
 * 19.1.4. sip: and sips: URIs are compared component by component; a
 * URI of another scheme, or one too long or with too many parameters to
 * take apart, only equals the same bytes.
 */
bool uri_equal(const char *a, const char *b);

/*
 * Decodes the %HH escapes of [s, s + n) into @out (NUL-terminated).
 * False if an escape is malformed, decodes to NUL, or @out is too small.
 */
bool uri_unescape(const char *s, size_t n, char *out, size_t size);

/*
 * True if @uri is a sip: or sips: URI whose host is @host (case
 * insensitive) and which carries the URI parameter @param: a GRUU of
 * that domain when @param is "gr" (RFC 5627 3.1).
 */
bool uri_has_host_param(const char *uri, const char *host,
			const char *param);

#endif /* SIPREGD_URI_EQ_H */

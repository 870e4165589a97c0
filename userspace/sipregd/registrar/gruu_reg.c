// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 5627 section 6.1, the registrar's part: GRUUs in the 200 for a UA
 * that supports them, and no GRUU of ours registered as a Contact.
 */
#include <string.h>

#include "gruu.h"
#include "registrar_priv.h"
#include "uri_eq.h"

static bool ua_supports_gruu(const struct req *q)
{
	return q->parsed &&
	       sipreg_list_has_lit(q->b, &q->m.supported, "gruu");
}

/*
 * Every Contact of the 200 that has an instance id gets both GRUUs, the
 * other UAs' too: the temp-gruu is the latest one of that binding.
 */
void reggruu_contact(struct req *q, const struct store_binding *b)
{
	char pub[GRUU_MAX], tmp[GRUU_MAX];

	if (!b->instance[0] || !ua_supports_gruu(q) || !q->r->gruu)
		return;
	if (!gruu_public(b->aor, b->instance, pub, sizeof(pub)) ||
	    !gruu_temp(q->r->gruu, b, tmp, sizeof(tmp))) {
		q->rep.overflow = true;
		return;
	}
	/* two lines of req_hdr(): each fits its buffer at any length */
	req_hdr(q, ";pub-gruu=\"%s\"", pub);
	req_hdr(q, ";temp-gruu=\"%s\"", tmp);
}

/*
 * RFC 3261 20.37: the extensions the registrar applied. No Require: a
 * UA that asked for gruu without support for it is not refused either.
 */
void reggruu_headers(struct req *q)
{
	if (ua_supports_gruu(q))
		req_hdr(q, "Supported: gruu\r\n");
}

/*
 * A GRUU of our domain (the AOR's, any user) as a Contact would route
 * requests for it back to itself: RFC 5627 6.1 refuses it with 403. Any
 * URI of our domain with a gr parameter is one: GRUUs of this domain are
 * ours to make, valid or not.
 */
bool reggruu_is_gruu(const struct req *q, const char *uri)
{
	return uri_has_host_param(uri, q->r->cfg.realm, "gr");
}

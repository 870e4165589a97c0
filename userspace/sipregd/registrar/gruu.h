/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GRUUs (RFC 5627): the public GRUU of an (AOR, instance) and the
 * temporary GRUUs of a binding, made from keys in the store so that no
 * GRUU needs a row of its own; and the registrar's use of them in a
 * REGISTER (section 6: the 200's Contact parameters, a GRUU as Contact).
 */
#ifndef SIPREGD_GRUU_H
#define SIPREGD_GRUU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* "sip:tgruu." 32 hex "@" host ";gr" */
#define GRUU_MAX	(STORE_AOR_MAX + 3 * STORE_INSTANCE_MAX + 8)

struct gruu;

/* Loads the keys from the store's meta table, or makes and saves them. */
struct gruu *gruu_open(struct store *st);
void gruu_free(struct gruu *g);

/*
 * The public GRUU: @aor;gr=ID where ID is @instance without its <>,
 * escaped as a URI parameter value. False if it does not fit.
 */
bool gruu_public(const char *aor, const char *instance, char *out,
		 size_t size);

/*
 * The temporary GRUU of binding @b (its AOR, instance, Call-ID, CSeq):
 * a new one at each CSeq, in the AOR's scheme and domain.
 */
bool gruu_temp(const struct gruu *g, const struct store_binding *b,
	       char *out, size_t size);

/*
 * True if @uri is a temporary GRUU made for @b's AOR and instance under
 * its current Call-ID, at a CSeq up to its current one: every temp-gruu
 * handed out stays valid while the binding lives (RFC 5627 3.2).
 */
bool gruu_temp_valid(const struct gruu *g, const char *uri,
		     const struct store_binding *b);

/* The registrar's side (needs registrar_priv.h). */
struct req;

/* ";pub-gruu=...;temp-gruu=..." for a Contact of the 200, when due. */
void reggruu_contact(struct req *q, const struct store_binding *b);
/* Header lines of the 200 when the UA supports GRUU. */
void reggruu_headers(struct req *q);
/* True if @uri is a GRUU of this registrar's domain (section 6: 403). */
bool reggruu_is_gruu(const struct req *q, const char *uri);

#endif /* SIPREGD_GRUU_H */

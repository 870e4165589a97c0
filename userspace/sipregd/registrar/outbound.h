/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RFC 5626 (SIP outbound) on the registrar's side: whether a REGISTER's
 * reg-id makes an outbound registration (section 6), and which
 * connection each outbound binding was registered over, so that a closed
 * connection takes its bindings with it.
 */
#ifndef SIPREGD_OUTBOUND_H
#define SIPREGD_OUTBOUND_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

struct req;

enum outbound_verdict {
	OB_NONE,	/* no reg-id (or one without +sip.instance): RFC 3261 */
	OB_FLOW,	/* an outbound registration */
	OB_IGNORE,	/* the first hop lacks outbound: reg-id ignored */
	OB_439,		/* ... and the UA supports outbound: 439 */
	OB_MULTI,	/* reg-id in a REGISTER of several Contacts: 400 */
};

enum outbound_verdict outbound_check(const struct req *q);

/* Connection -> the outbound bindings registered over it. */
struct flows;

struct flows *flows_new(void);
void flows_free(struct flows *f);
/* @flow now carries @b (as written: its Call-ID and CSeq). */
void flows_track(struct flows *f, uint64_t flow, const struct store_binding *b);
typedef void (*flows_cb)(void *arg, const char *aor, const char *contact,
			 const char *call_id, uint32_t cseq);
/* Calls @cb for each binding @flow carried, then forgets them. */
void flows_close(struct flows *f, uint64_t flow, flows_cb cb, void *arg);

#endif /* SIPREGD_OUTBOUND_H */

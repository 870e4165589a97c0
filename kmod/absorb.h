/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_ABSORB_H
#define _SIPREG_ABSORB_H

#include <linux/siphash.h>
#include <linux/types.h>

/*
 * The REGISTERs handed to the daemon in the last SIPREG_ABSORB_MS, so that
 * their retransmissions are dropped rather than queued behind them: per
 * namespace, fixed size, lock-free.
 */
struct sipreg_absorb {
	u64 *slots;		/* check bits << 32 | jiffies, 0 = empty */
	siphash_key_t key;
};

/*
 * Two Timer E retransmissions (0.5 and 1.5 s after the request): while the
 * first copy waits for the daemon. A later one reaches the daemon, which
 * answers it again if its answer was lost.
 */
#define SIPREG_ABSORB_MS	2000

struct sipreg_miss_meta;

int sipreg_absorb_init(struct sipreg_absorb *a);
void sipreg_absorb_exit(struct sipreg_absorb *a);
/* The request's transaction (RFC 3261 17.2.3) and where it came from. */
u64 sipreg_absorb_hash(const struct sipreg_absorb *a,
		       const void *call_id, size_t call_id_len,
		       const void *branch, size_t branch_len, u32 cseq,
		       const struct sipreg_miss_meta *meta);
/* Whether that transaction went to the daemon less than SIPREG_ABSORB_MS ago. */
bool sipreg_absorb_seen(const struct sipreg_absorb *a, u64 hash);
/* It did, now. */
void sipreg_absorb_note(struct sipreg_absorb *a, u64 hash);

#endif /* _SIPREG_ABSORB_H */

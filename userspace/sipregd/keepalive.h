/* SPDX-License-Identifier: GPL-2.0 */
/* keepalive.c's counters: logged on SIGUSR1 and in the stats file. */
#ifndef SIPREGD_KEEPALIVE_H
#define SIPREGD_KEEPALIVE_H

#include <stdint.h>

struct udp_stats {
	uint64_t stun_answered;		/* STUN Binding requests answered */
	uint64_t stun_ignored;		/* other STUN, dropped unanswered */
	uint64_t keepalives;		/* CRLF keepalives, dropped */
};

#endif /* SIPREGD_KEEPALIVE_H */

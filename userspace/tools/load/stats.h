/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sipreg-load: counters and latency histograms, one set per thread (no
 * sharing while the load runs), merged and reported at the end.
 */
#ifndef LG_STATS_H
#define LG_STATS_H

#include <stdio.h>

#include "shim.h"

/*
 * Log-linear histogram of nanoseconds: 32 linear buckets per power of two
 * (about 3 % resolution), exact below 64 ns, covering all of u64 in 1920
 * buckets. No per-sample storage.
 */
#define LG_HIST_SUB_BITS	5
#define LG_HIST_SUB		(1u << LG_HIST_SUB_BITS)
#define LG_HIST_BUCKETS		((64 - LG_HIST_SUB_BITS + 1) * LG_HIST_SUB)

struct lg_hist {
	u64 count;
	u64 max;
	u64 b[LG_HIST_BUCKETS];
};

void lg_hist_add(struct lg_hist *h, u64 v);
void lg_hist_merge(struct lg_hist *dst, const struct lg_hist *src);
/* Upper bound of the bucket holding quantile q (0..1), at most the max. */
u64 lg_hist_quantile(const struct lg_hist *h, double q);
unsigned int lg_hist_bucket(u64 v);
u64 lg_hist_bucket_high(unsigned int b);

/* Kinds of request, as the report counts them. */
enum lg_kind {
	LG_CHALLENGE,	/* REGISTER without credentials, expects 401 */
	LG_AUTH,	/* first REGISTER with credentials of a nonce */
	LG_REFRESH,	/* later REGISTER with the same nonce, nc + 1 */
	LG_KINDS
};

/* Why a response was wrong: the first check it failed. */
enum lg_wrong {
	LG_W_MALFORMED,		/* not a parseable response */
	LG_W_UNMATCHED,		/* branch not one of ours */
	LG_W_STATUS,		/* status not expected for the step */
	LG_W_CALL_ID,
	LG_W_CSEQ,
	LG_W_TO_TAG,		/* final response without To tag */
	LG_W_CHALLENGE,		/* 401 without a usable Digest challenge */
	LG_W_ALGORITHM,		/* our algorithm not offered */
	LG_W_REALM,		/* realm not the expected one */
	LG_W_CONTACT,		/* 200 without our Contact */
	LG_W_EXPIRES,		/* our Contact without expires > 0 */
	LG_W_REJECTED,		/* 401 to credentials, not stale */
	LG_WRONG_MAX
};

const char *lg_kind_name(enum lg_kind k);
const char *lg_wrong_name(enum lg_wrong w);

#define LG_STATUS_MAX	700

struct lg_stats {
	u64 sent[LG_KINDS];		/* first transmissions */
	u64 retrans[LG_KINDS];
	u64 ok[LG_KINDS];		/* expected final responses */
	u64 timeouts[LG_KINDS];
	u64 wrong[LG_WRONG_MAX];
	u64 status[LG_STATUS_MAX];
	u64 stale;			/* 401 stale=true, re-authenticated */
	u64 provisional;
	u64 stray;			/* late or duplicate, for no live txn */
	u64 send_errors;
	u64 unanswered;			/* still waiting when the run ended */
	u64 busy;			/* storm: 503s honoured */
	u64 restarts;			/* storm: registrations begun again
					 * after Timer F
					 */
	struct lg_hist lat[LG_KINDS];
	struct lg_hist done;		/* storm: from the start until each
					 * phone held its binding
					 */
};

void lg_stats_merge(struct lg_stats *dst, const struct lg_stats *src);
u64 lg_stats_wrong(const struct lg_stats *s);

/* What the report says about the run besides the counters. */
struct lg_run_info {
	const char *mode;
	const char *target;
	unsigned int threads;
	u32 users;
	u32 users_ok;		/* users that got at least one 200 */
	u32 warmup_failed;	/* refresh mode: users not registered */
	double rate;		/* 0: closed loop */
	unsigned int window;	/* per thread, 0: none */
	double seconds;		/* measured phase */
	double cpu_seconds;	/* user + system of the whole process */
	u64 cpu_requests;	/* requests sent over the whole process */
	bool storm;		/* add the storm's summary */
};

void lg_report_text(FILE *f, const struct lg_stats *s,
		    const struct lg_run_info *ri);
void lg_report_json(FILE *f, const struct lg_stats *s,
		    const struct lg_run_info *ri);

#endif /* LG_STATS_H */

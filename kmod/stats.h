/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_STATS_H
#define _SIPREG_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>

#include "uapi/sipreg.h"

/*
 * Room for the parser's verdicts (enum sipreg_verdict, dense from 0): the
 * counter of verdict v is attribute v + 1 of SIPREG_A_STATS_VERDICT.
 */
#define SIPREG_STATS_VERDICTS	64

struct sipreg_pcpu_stats {
	u64_stats_t cnt[__SIPREG_STAT_MAX];
	u64_stats_t verdict[SIPREG_STATS_VERDICTS];
	u64_stats_t miss[__SIPREG_MISS_MAX];
	struct u64_stats_sync syncp;
};

/* Every counter summed over CPUs, at one moment. */
struct sipreg_stats_snap {
	u64 cnt[__SIPREG_STAT_MAX];
	u64 verdict[SIPREG_STATS_VERDICTS];
	u64 miss[__SIPREG_MISS_MAX];
};

struct sipreg_pcpu_stats __percpu *sipreg_stats_alloc(void);
void sipreg_stats_free(struct sipreg_pcpu_stats __percpu *stats);
void sipreg_stats_read(struct sipreg_pcpu_stats __percpu *stats,
		       struct sipreg_stats_snap *out);
void sipreg_stats_sub(struct sipreg_stats_snap *val,
		      const struct sipreg_stats_snap *base);

static inline void __sipreg_stats_add(struct sipreg_pcpu_stats __percpu *stats,
				      u64_stats_t *cnt, u64 n)
{
	struct sipreg_pcpu_stats *s = this_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_add(cnt, n);
	u64_stats_update_end(&s->syncp);
}

/*
 * For the local CPU, from the hook (softirq) or from process context with
 * bottom halves disabled: a writer must not be interrupted by another
 * writer of the same CPU's counters.
 */
static inline void sipreg_stats_add(struct sipreg_pcpu_stats __percpu *stats,
				    enum sipreg_stat id, u64 n)
{
	__sipreg_stats_add(stats, &this_cpu_ptr(stats)->cnt[id], n);
}

static inline void sipreg_stats_inc(struct sipreg_pcpu_stats __percpu *stats,
				    enum sipreg_stat id)
{
	sipreg_stats_add(stats, id, 1);
}

/* Same as sipreg_stats_add(), from any context. */
static inline void sipreg_stats_add_any(struct sipreg_pcpu_stats __percpu *stats,
					enum sipreg_stat id, u64 n)
{
	local_bh_disable();
	sipreg_stats_add(stats, id, n);
	local_bh_enable();
}

static inline void sipreg_stats_inc_any(struct sipreg_pcpu_stats __percpu *stats,
					enum sipreg_stat id)
{
	sipreg_stats_add_any(stats, id, 1);
}

static inline void sipreg_stats_verdict(struct sipreg_pcpu_stats __percpu *stats,
					unsigned int verdict)
{
	if (verdict < SIPREG_STATS_VERDICTS)
		__sipreg_stats_add(stats, &this_cpu_ptr(stats)->verdict[verdict], 1);
}

static inline void sipreg_stats_miss(struct sipreg_pcpu_stats __percpu *stats,
				     enum sipreg_miss_reason reason)
{
	if (reason < __SIPREG_MISS_MAX)
		__sipreg_stats_add(stats, &this_cpu_ptr(stats)->miss[reason], 1);
}

#endif /* _SIPREG_STATS_H */

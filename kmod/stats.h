/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_STATS_H
#define _SIPREG_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>

#include "uapi/sipreg.h"

struct sipreg_pcpu_stats {
	u64_stats_t cnt[__SIPREG_STAT_MAX];
	struct u64_stats_sync syncp;
};

struct sipreg_pcpu_stats __percpu *sipreg_stats_alloc(void);
void sipreg_stats_free(struct sipreg_pcpu_stats __percpu *stats);
void sipreg_stats_read(struct sipreg_pcpu_stats __percpu *stats,
		       u64 out[__SIPREG_STAT_MAX]);

/* Called from the hook, in softirq context, for the local CPU. */
static inline void sipreg_stats_add(struct sipreg_pcpu_stats __percpu *stats,
				    enum sipreg_stat id, u64 n)
{
	struct sipreg_pcpu_stats *s = this_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->cnt[id], n);
	u64_stats_update_end(&s->syncp);
}

static inline void sipreg_stats_inc(struct sipreg_pcpu_stats __percpu *stats,
				    enum sipreg_stat id)
{
	sipreg_stats_add(stats, id, 1);
}

#endif /* _SIPREG_STATS_H */

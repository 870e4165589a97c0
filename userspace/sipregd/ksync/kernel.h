/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel sync: sipregd and sipreg.ko over generic netlink. When the
 * "sipreg" family exists (at start, or whenever the module appears), the
 * daemon claims the miss channel, pushes its nonce keys, configuration,
 * users and bindings, and from then on keeps the kernel tables equal to
 * the database: every binding change of the registrar is installed, every
 * refresh or expiry done by the kernel comes back as an event and is
 * stored, and a lost event (overflow) triggers a dump and a reconcile.
 * Without the module, or with "kernel = off", nothing here does anything
 * and the daemon serves REGISTERs from its UDP sockets alone. Netlink
 * errors are logged and counted, never fatal: the state is pushed again
 * at the next appearance of the family.
 */
#ifndef SIPREGD_KERNEL_H
#define SIPREGD_KERNEL_H

#include <poll.h>

#include "config.h"
#include "msg.h"
#include "registrar/registrar.h"
#include "store/store.h"

struct kernel;

struct kernel_hooks {
	/*
	 * A REGISTER the kernel did not answer: for the registrar. False
	 * when there is no UDP socket to answer from (counted).
	 */
	bool (*miss)(void *arg, const struct kmiss *m);
	/*
	 * The misses read in one turn have all been given to @miss: the
	 * daemon answers them now, as a group (one store commit).
	 */
	void (*miss_done)(void *arg);
	void *arg;
};

/* NULL when out of memory; never fails because of the kernel. */
struct kernel *kernel_new(const struct daemon_config *c, struct store *st,
			  struct registrar *reg, const struct kernel_hooks *h);
void kernel_free(struct kernel *k);

/* Configuration reloaded: pushed again, with users and bindings. */
void kernel_set_config(struct kernel *k, const struct daemon_config *c);

/* The sockets to poll for POLLIN (at most KERNEL_POLL_MAX). */
#define KERNEL_POLL_MAX	3
unsigned int kernel_pollfds(struct kernel *k, struct pollfd *pfd);
/* After poll(): @pfd and @n as kernel_pollfds() gave them. */
void kernel_handle(struct kernel *k, const struct pollfd *pfd,
		   unsigned int n);
/* Once a second: notices the family if notifications were missed. */
void kernel_tick(struct kernel *k);

/* The registrar's hooks (struct registrar_hooks), after a commit. */
void kernel_aor_changed(struct kernel *k, const struct registrar_change *ch);
void kernel_keys_changed(struct kernel *k);
void kernel_users_changed(struct kernel *k);

/* One log line with the counters (SIGUSR1 and shutdown). */
void kernel_log_stats(const struct kernel *k);

/*
 * The module's counters in this namespace, asked for now: 0, or -ENODEV
 * while kernel sync is not up (no module), or another -errno.
 */
int kernel_counters(struct kernel *k, struct kcounters *c);
/* Kernel sync's own counters. */
struct kernel_stats {
	uint64_t misses, miss_reason[__SIPREG_MISS_MAX], miss_bad, miss_lost;
	uint64_t miss_unanswerable;
	uint64_t refreshed, refresh_stale, expired, expire_stale;
	uint64_t overflows, reconciles, syncs, errors, not_installable;
	uint64_t remote_aors;		/* AORs other gateways changed, pushed */
};

const struct kernel_stats *kernel_sync_stats(const struct kernel *k);

#endif /* SIPREGD_KERNEL_H */

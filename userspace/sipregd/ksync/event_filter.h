/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the daemon's events socket lets in. sipregd acts on refreshes,
 * expiries and overflows only; every binding and user it installs comes
 * back as an event too. A full push of 100 000 users and bindings filled
 * the socket with its own echoes, overran it and cost a second full
 * reconcile; a socket filter drops them before they are queued.
 */
#ifndef SIPREGD_KSYNC_EVENT_FILTER_H
#define SIPREGD_KSYNC_EVENT_FILTER_H

#include <stdint.h>

/* On socket @fd, for the family @family: 0 or -errno. */
int kevents_filter(int fd, uint16_t family);

#endif /* SIPREGD_KSYNC_EVENT_FILTER_H */

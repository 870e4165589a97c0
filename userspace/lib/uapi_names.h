/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SIPREG_UAPI_NAMES_H
#define SIPREG_UAPI_NAMES_H

#include "sipreg.h"

/* NULL where a value has no name (padding, unspec). */
extern const char *const sipreg_stat_names[__SIPREG_STAT_MAX];
extern const char *const sipreg_miss_names[__SIPREG_MISS_MAX];
extern const char *const sipreg_event_names[__SIPREG_EVENT_MAX];

#endif /* SIPREG_UAPI_NAMES_H */

# SPDX-License-Identifier: GPL-2.0
#
# sipreg-load: the REGISTER load generator (challenges, registrations and
# refreshes with Digest, checked responses, latency histograms).
LOADGEN_LIB_SRCS := userspace/lg_sip.c userspace/lg_stats.c \
		    userspace/lg_timer.c userspace/lg_users.c userspace/lg_ua.c

PROGS += sipreg-load
sipreg-load_SRCS := userspace/loadgen.c userspace/lg_worker.c $(LOADGEN_LIB_SRCS)
sipreg-load_LDLIBS := -lpthread

loadgen_test_SRCS := $(LOADGEN_LIB_SRCS)

# SPDX-License-Identifier: GPL-2.0
#
# Userspace implementation of kmod/hash.h. Every userspace binary that links
# the shared objects (programs, unit tests, fuzzers) needs it, just as
# sipreg.ko needs kmod/hash_kernel.o. No library to link: MD5, SHA-256 and
# SipHash are our own (see hash_user.c).

# Until the top-level Makefile sets USER_COMMON_SRCS before including the
# fragments and adds it to SHARED_SRCS after them, ride on SHARED_SRCS here.
ifeq ($(origin USER_COMMON_SRCS),undefined)
SHARED_SRCS += userspace/hash_user.c
endif

USER_COMMON_SRCS += userspace/hash_user.c
USER_COMMON_LDLIBS +=

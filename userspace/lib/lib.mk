# SPDX-License-Identifier: GPL-2.0
#
# userspace/lib: code that two or more programs share. Built with
# kmod/sip/ into libsipreg.a (top-level Makefile), so each program links
# only what it calls.
#
# SIP_USER_SRCS: the userspace half of kmod/sip (hash.h's primitives:
# MD5, SHA-256 and SipHash are our own, no library), which sipreg.ko has
# in kmod/hash_kernel.c. The fuzzers link it with kmod/sip alone.
SIP_USER_SRCS := userspace/lib/hash_user.c

LIB_SRCS := $(SIP_USER_SRCS) $(addprefix userspace/lib/,uapi_names.c ha1.c \
	hex.c json.c random.c genl.c sipmsg.c sipmsg_reply.c)

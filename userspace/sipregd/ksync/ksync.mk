# SPDX-License-Identifier: GPL-2.0
#
# sipregd's kernel sync: sipreg.ko over generic netlink (libnl-genl-3);
# and its unit test (reconcile rules and message parsing, no socket).
KSYNC_SRCS := $(addprefix userspace/sipregd/ksync/,kernel.c nl.c push.c \
	msg.c reconcile.c)

kernelsync_test_SRCS := userspace/sipregd/ksync/reconcile.c \
	userspace/sipregd/ksync/msg.c
kernelsync_test_CPPFLAGS := -I$(TOP)/userspace/sipregd
kernelsync_test_LDLIBS := $(LIBNL_LIBS)

# SPDX-License-Identifier: GPL-2.0
#
# sipregd's kernel sync: sipreg.ko over generic netlink (libnl-genl-3);
# and its unit test (reconcile rules, message parsing and the configuration
# pushed, no socket); the pipelined writes' test (a fake kernel).
KSYNC_SRCS := $(addprefix userspace/sipregd/ksync/,kernel.c nl.c push.c \
	msg.c config_msg.c reconcile.c domains.c pipeline.c event_filter.c \
	backlog.c)

kernelsync_test_SRCS := userspace/sipregd/ksync/reconcile.c \
	userspace/sipregd/ksync/msg.c userspace/sipregd/ksync/config_msg.c \
	userspace/sipregd/config.c userspace/sipregd/log.c \
	userspace/sipregd/store/names.c \
	userspace/sipregd/registrar/domain.c
kernelsync_test_CPPFLAGS := -I$(TOP)/userspace/sipregd
kernelsync_test_LDLIBS := $(LIBNL_LIBS)

kpipe_test_SRCS := userspace/sipregd/ksync/pipeline.c
kpipe_test_CPPFLAGS := -I$(TOP)/userspace/sipregd
kpipe_test_LDLIBS := $(LIBNL_LIBS)

# The events socket's filter, on a socket pair.
event_filter_test_SRCS := userspace/sipregd/ksync/event_filter.c
event_filter_test_CPPFLAGS := -I$(TOP)/userspace/sipregd

# The misses kept while an ack is awaited.
backlog_test_SRCS := userspace/sipregd/ksync/backlog.c
backlog_test_CPPFLAGS := -I$(TOP)/userspace/sipregd

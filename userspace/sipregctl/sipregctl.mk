# SPDX-License-Identifier: GPL-2.0
#
# sipregctl (args / netlink / print, as wg does) and its argument
# parser's unit test.
$(call private_headers,userspace/sipregctl)
CTL_SRCS := $(addprefix userspace/sipregctl/,main.c args.c nl.c print.c \
	dstats.c)

PROGS += sipregctl
sipregctl_SRCS := $(CTL_SRCS)
sipregctl_LDLIBS := $(LIBNL_LIBS)

sipregctl_test_SRCS := userspace/sipregctl/args.c userspace/sipregctl/dstats.c
sipregctl_test_CPPFLAGS := -I$(TOP)/userspace/sipregctl

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin

.PHONY: install
install:: $(BIN)/sipregctl
	install -D -m 0755 $(BIN)/sipregctl $(DESTDIR)$(SBINDIR)/sipregctl

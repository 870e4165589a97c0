# SPDX-License-Identifier: GPL-2.0
#
# sipregctl, its argument parser's unit test, sipreg-jsoncheck (the VM
# tests' JSON validator: the VM has no jq) and their installation.
CTL_SRCS := userspace/ctl_args.c userspace/ctl_nl.c userspace/ctl_print.c \
	    userspace/ctl_ha1.c userspace/uapi_names.c

PROGS += sipregctl
sipregctl_SRCS := userspace/sipregctl.c $(CTL_SRCS)
sipregctl_LDLIBS := $(LIBNL_LIBS)

PROGS += sipreg-jsoncheck
sipreg-jsoncheck_SRCS := userspace/jsoncheck.c
sipreg-jsoncheck_LDLIBS :=

sipregctl_test_SRCS := userspace/ctl_args.c
sipregctl_test_LDLIBS :=

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions

.PHONY: install
install:: $(BIN)/sipregctl
	install -D -m 0755 $(BIN)/sipregctl $(DESTDIR)$(SBINDIR)/sipregctl
	install -D -m 0644 userspace/sipregctl.8 $(DESTDIR)$(MANDIR)/man8/sipregctl.8
	install -D -m 0644 userspace/sipregctl.bash-completion \
		$(DESTDIR)$(COMPLETIONDIR)/sipregctl

# For the VM tests: runs a program without privileges.
PROGS += sipreg-nobody
sipreg-nobody_SRCS := userspace/nobody.c
sipreg-nobody_LDLIBS :=

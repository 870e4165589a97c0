# SPDX-License-Identifier: GPL-2.0
#
# sipregd: the userspace registrar (RFC 3261 10.3) with its SQLite store,
# and its unit test (selftests/unit/registrar_test.c, ":memory:" store).
SIPREGD_CORE := userspace/registrar.c userspace/regauth.c \
		userspace/regbind.c userspace/nonces.c userspace/nctable.c \
		userspace/retrans.c userspace/store_sqlite.c \
		userspace/sipregd_log.c

PROGS += sipregd
# Kernel sync (sipreg.ko over generic netlink, libnl-genl-3).
SIPREGD_KSYNC := userspace/kernel.c userspace/kernel_nl.c \
		 userspace/kernel_push.c userspace/kernel_msg.c \
		 userspace/reconcile.c

sipregd_SRCS := userspace/sipregd.c userspace/sipregd_cli.c \
		userspace/daemon_config.c userspace/uapi_names.c \
		$(SIPREGD_CORE) $(SIPREGD_KSYNC)
sipregd_LDLIBS := -lsqlite3 $(LIBNL_LIBS)

registrar_test_SRCS := $(SIPREGD_CORE)
registrar_test_LDLIBS := -lsqlite3

# Reconcile rules and netlink message parsing, no socket.
kernelsync_test_SRCS := userspace/reconcile.c userspace/kernel_msg.c
kernelsync_test_LDLIBS := $(LIBNL_LIBS)

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
UNITDIR ?= /lib/systemd/system

.PHONY: install
install:: $(BIN)/sipregd
	install -D -m 0755 $(BIN)/sipregd $(DESTDIR)$(SBINDIR)/sipregd
	install -D -m 0644 userspace/sipregd.8 $(DESTDIR)$(MANDIR)/man8/sipregd.8
	sed 's|@SBINDIR@|$(SBINDIR)|g' userspace/sipregd.service > $(BUILD)/sipregd.service
	install -D -m 0644 $(BUILD)/sipregd.service $(DESTDIR)$(UNITDIR)/sipregd.service
	install -d -m 0750 $(DESTDIR)/var/lib/sipreg

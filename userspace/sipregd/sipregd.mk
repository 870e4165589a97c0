# SPDX-License-Identifier: GPL-2.0
#
# sipregd: the userspace registrar (RFC 3261 10.3). This folder: main,
# sockets, operator CLI, configuration, log; registrar/ (request handling,
# auth, bindings, retransmissions, nonce keys and counts), store/ (the
# store interface and its SQLite backend), ksync/ (kernel sync over
# generic netlink). Each subfolder's .mk lists its sources.
$(call private_headers,userspace/sipregd)
include userspace/sipregd/store/store.mk
include userspace/sipregd/registrar/registrar.mk
include userspace/sipregd/ksync/ksync.mk

SIPREGD_MAIN := $(addprefix userspace/sipregd/,main.c args.c daemon.c \
	sockets.c group.c keepalive.c transport_tcp.c stream.c tls.c miss.c signals.c \
	reload.c workers.c cli.c config.c log.c statsfile.c \
	metrics.c metrics_text.c)

PROGS += sipregd
sipregd_SRCS := $(SIPREGD_MAIN) $(REGISTRAR_SRCS) $(STORE_SRCS) $(KSYNC_SRCS)
OPENSSL_LIBS := $(shell pkg-config --libs openssl 2>/dev/null || echo -lssl -lcrypto)
sipregd_LDLIBS := $(STORE_LDLIBS) $(LIBNL_LIBS) $(OPENSSL_LIBS)

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin

.PHONY: install
install:: $(BIN)/sipregd
	install -D -m 0755 $(BIN)/sipregd $(DESTDIR)$(SBINDIR)/sipregd
	install -d -m 0750 $(DESTDIR)/var/lib/sipreg

# The operator commands' grammar, table-driven (no database is opened).
sipregd_cli_test_SRCS := userspace/sipregd/cli.c $(STORE_SRCS) \
	userspace/sipregd/registrar/domain.c \
	userspace/sipregd/registrar/gruu.c userspace/sipregd/registrar/uri_eq.c
sipregd_cli_test_CPPFLAGS := -I$(TOP)/userspace/sipregd
sipregd_cli_test_LDLIBS := $(STORE_LDLIBS)

# Stream framing (stream.c) and the registrar's transport rules (sips:).
transport_test_SRCS := userspace/sipregd/stream.c $(REGISTRAR_SRCS) $(STORE_SRCS)
transport_test_CPPFLAGS := -I$(TOP)/userspace/sipregd
transport_test_LDLIBS := $(STORE_LDLIBS)

# The stats file: its lines and the atomic write.
statsfile_test_SRCS := userspace/sipregd/statsfile.c
statsfile_test_CPPFLAGS := -I$(TOP)/userspace/sipregd

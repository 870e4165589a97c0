# SPDX-License-Identifier: GPL-2.0
#
# Tools for tests, debugging and benchmarks, one file each; the load
# generator has its own folder (load/load.mk).
include userspace/tools/load/load.mk

# sipreg-parse: the shared SIP parser on files, for debugging fast-path misses.
PROGS += sipreg-parse
sipreg-parse_SRCS := userspace/tools/sipreg-parse.c

# sipreg-ua: one REGISTER, any field, the answer printed (tests, debugging).
PROGS += sipreg-ua
sipreg-ua_SRCS := userspace/tools/sipreg-ua.c
sipreg-ua_LDLIBS := $(shell pkg-config --libs openssl 2>/dev/null || echo -lssl -lcrypto)

# sipreg-bench-bulk: many synthetic users or bindings into the module at
# once, for the scale step of `make bench` (selftests/bench/).
PROGS += sipreg-bench-bulk
sipreg-bench-bulk_SRCS := userspace/tools/sipreg-bench-bulk.c
sipreg-bench-bulk_LDLIBS := $(LIBNL_LIBS)

# sipreg-bench-db: many bindings into a sipregd database at once, for the
# sync step of `make bench` (a daemon starting with them pushes them all).
PROGS += sipreg-bench-db
sipreg-bench-db_SRCS := userspace/tools/sipreg-bench-db.c $(STORE_SRCS)
$(BUILD)/obj/userspace/tools/sipreg-bench-db.o: PRIV_CPPFLAGS += -I$(TOP)/userspace/sipregd/store
sipreg-bench-db_LDLIBS := $(STORE_LDLIBS)

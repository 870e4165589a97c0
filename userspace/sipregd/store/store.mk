# SPDX-License-Identifier: GPL-2.0
#
# sipregd's store (store.h): users, bindings, transactions, on SQLite
# (one gateway) or PostgreSQL (several sharing one location service).
STORE_SRCS := userspace/sipregd/store/store.c userspace/sipregd/store/sqlite.c \
	userspace/sipregd/store/pg.c userspace/sipregd/store/pg_schema.c \
	userspace/sipregd/store/names.c
PQ_CFLAGS := $(shell pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql)
PQ_LIBS := $(shell pkg-config --libs libpq 2>/dev/null || echo -lpq)
STORE_LDLIBS := -lsqlite3 $(PQ_LIBS)
$(foreach o,pg pg_schema,$(BUILD)/obj/userspace/sipregd/store/$(o).o $(BUILD)/san/userspace/sipregd/store/$(o).o): \
	PRIV_CPPFLAGS += $(PQ_CFLAGS)

# The contract, on SQLite and (store-postgres.sh) on PostgreSQL.
store_test_SRCS := $(STORE_SRCS)
store_test_CPPFLAGS := -I$(TOP)/userspace/sipregd $(PQ_CFLAGS)
store_test_LDLIBS := $(STORE_LDLIBS)

# SPDX-License-Identifier: GPL-2.0
#
# sipregd's store (store.h): users, bindings, transactions. SQLite is the
# only backend so far.
STORE_SRCS := userspace/sipregd/store/sqlite.c userspace/sipregd/store/names.c
STORE_LDLIBS := -lsqlite3

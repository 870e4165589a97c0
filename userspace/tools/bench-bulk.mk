# SPDX-License-Identifier: GPL-2.0
#
# sipreg-bench-bulk: many synthetic users or bindings into the module at
# once, for the scale step of `make bench` (selftests/bench/).
PROGS += sipreg-bench-bulk
sipreg-bench-bulk_SRCS := userspace/bench-bulk.c
sipreg-bench-bulk_LDLIBS := $(LIBNL_LIBS)

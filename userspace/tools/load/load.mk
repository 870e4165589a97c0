# SPDX-License-Identifier: GPL-2.0
#
# sipreg-load: the REGISTER load generator (challenges, registrations and
# refreshes with Digest, checked responses, latency histograms), and its
# unit test. sip.c also serves the fast-path benchmark (selftests/bench).
$(call private_headers,userspace/tools/load)
LOAD_LIB_SRCS := $(addprefix userspace/tools/load/,sip.c stats.c timer.c retry.c \
	users.c ua.c conn.c)

PROGS += sipreg-load
sipreg-load_SRCS := userspace/tools/load/main.c userspace/tools/load/worker.c \
	$(LOAD_LIB_SRCS)
sipreg-load_LDLIBS := -lpthread -lssl -lcrypto

loadgen_test_SRCS := $(LOAD_LIB_SRCS)
loadgen_test_CPPFLAGS := -I$(TOP)/userspace/tools/load
loadgen_test_LDLIBS := -lssl -lcrypto

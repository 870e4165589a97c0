# SPDX-License-Identifier: GPL-2.0
#
# sipregd's registrar: request handling, auth, bindings, retransmissions,
# nonce keys and nonce counts; and its unit test
# (selftests/unit/registrar_test.c, on a ":memory:" store).
REGISTRAR_SRCS := $(addprefix userspace/sipregd/registrar/,registrar.c \
	auth.c bindings.c domain.c uri_eq.c gruu.c gruu_reg.c nonce_keys.c \
	retrans.c ratelimit.c outbound.c batch.c) \
	userspace/sipregd/log.c

registrar_test_SRCS := $(REGISTRAR_SRCS) $(STORE_SRCS)
registrar_test_CPPFLAGS := -I$(TOP)/userspace/sipregd
registrar_test_LDLIBS := $(STORE_LDLIBS)

# The registrar under review's conditions (issue 13 item 8), with the
# configuration's checks (config.c).
sipregd_robust_test_SRCS := $(REGISTRAR_SRCS) $(STORE_SRCS) \
	userspace/sipregd/config.c
sipregd_robust_test_CPPFLAGS := -I$(TOP)/userspace/sipregd
sipregd_robust_test_LDLIBS := $(STORE_LDLIBS)

# RFC 3261's registrar rules (issue 13 item 6), with config.c's checks.
registrar_rules_test_SRCS := $(REGISTRAR_SRCS) $(STORE_SRCS) \
	userspace/sipregd/config.c
registrar_rules_test_CPPFLAGS := -I$(TOP)/userspace/sipregd
registrar_rules_test_LDLIBS := $(STORE_LDLIBS)

# RFC 5627 GRUUs (issue 13 item 5).
registrar_gruu_test_SRCS := $(REGISTRAR_SRCS) $(STORE_SRCS)
registrar_gruu_test_CPPFLAGS := -I$(TOP)/userspace/sipregd
registrar_gruu_test_LDLIBS := $(STORE_LDLIBS)

# Several domains (issue 13 item 4): the "domain" key, the registrar's
# choice of realm and AOR by the Request-URI, 404s.
registrar_domains_test_SRCS := $(REGISTRAR_SRCS) $(STORE_SRCS) \
	userspace/sipregd/config.c
registrar_domains_test_CPPFLAGS := -I$(TOP)/userspace/sipregd
registrar_domains_test_LDLIBS := $(STORE_LDLIBS)

# Group commit (batch.c): one transaction for the requests ready together.
registrar_batch_test_SRCS := $(REGISTRAR_SRCS) $(STORE_SRCS)
registrar_batch_test_CPPFLAGS := -I$(TOP)/userspace/sipregd
registrar_batch_test_LDLIBS := $(STORE_LDLIBS)

# Two workers on one store (workers.c): nonce counts and keys shared.
registrar_workers_test_SRCS := $(REGISTRAR_SRCS) $(STORE_SRCS)
registrar_workers_test_CPPFLAGS := -I$(TOP)/userspace/sipregd
registrar_workers_test_LDLIBS := $(STORE_LDLIBS)

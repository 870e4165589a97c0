# SPDX-License-Identifier: GPL-2.0
#
# Programs the tests run, not installed: sipreg-jsoncheck (a JSON
# validator: the VM has no jq) and sipreg-nobody (runs a program without
# privileges), sipreg-sipsend (RFC 4475 messages over UDP).
PROGS += sipreg-jsoncheck
sipreg-jsoncheck_SRCS := selftests/helpers/jsoncheck.c

PROGS += sipreg-nobody
sipreg-nobody_SRCS := selftests/helpers/nobody.c

# Sends message files (RFC 4475 notation) over UDP: the torture test.
PROGS += sipreg-sipsend
sipreg-sipsend_SRCS := selftests/helpers/sipsend.c selftests/helpers/torture.c

# The general message layer's unit test reads the RFC 4475 files.
sipmsg_test_SRCS := selftests/helpers/torture.c
sipmsg_test_CPPFLAGS := -I$(TOP)/selftests/helpers

# One TCP or TLS connection driven step by step: the stream transport test.
PROGS += sipreg-sipstream
sipreg-sipstream_SRCS := selftests/helpers/sipstream.c
sipreg-sipstream_LDLIBS := $(shell pkg-config --libs openssl 2>/dev/null || echo -lssl -lcrypto)

# One STUN Binding request and its answer checked: the keepalive tests.
PROGS += sipreg-stun
sipreg-stun_SRCS := selftests/helpers/stunclient.c

# A claimant of the miss channel that takes misses at a fixed rate: the
# storm valve's tests (a daemon of known speed).
PROGS += sipreg-drainer
sipreg-drainer_SRCS := selftests/helpers/drainer.c
sipreg-drainer_LDLIBS := $(LIBNL_LIBS)

# SPDX-License-Identifier: GPL-2.0
#
# sipreg-parse: the shared SIP parser on files, for debugging fast-path misses.
PROGS += sipreg-parse
sipreg-parse_SRCS := userspace/sipreg-parse.c
sipreg-parse_LDLIBS :=

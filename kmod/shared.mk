# SPDX-License-Identifier: GPL-2.0
#
# Objects built from the same source into sipreg.ko and into userspace
# (unit tests, fuzzers, sipregd). Keep them free of kernel/libc calls other
# than what shim.h provides.
SIPREG_SHARED :=
SIPREG_SHARED += digest.o nonce.o
SIPREG_SHARED += parser.o
SIPREG_SHARED += reply.o

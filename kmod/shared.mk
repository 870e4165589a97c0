# SPDX-License-Identifier: GPL-2.0
#
# Objects built from the same source into sipreg.ko and into userspace
# (unit tests, fuzzers, sipregd): everything in kmod/sip/. They see the
# kernel or libc only through sip/shim.h (selftests/unit/sip-includes.sh
# checks it).
SIPREG_SHARED :=
SIPREG_SHARED += sip/digest.o sip/nonce.o
SIPREG_SHARED += sip/parser.o
SIPREG_SHARED += sip/reply.o
SIPREG_SHARED += sip/stun.o

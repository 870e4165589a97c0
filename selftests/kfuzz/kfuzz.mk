# SPDX-License-Identifier: GPL-2.0
#
# Fuzzing the module in the kernel (issue 12, section 2): a packet fuzzer
# and a netlink fuzzer that run in the test VM, their smoke tests in
# `make check` (selftests/vm/tests/7x-kfuzz-*.sh) and a long run:
#   make fuzz-kernel [FUZZ_SECONDS=600] [FUZZ_KERNEL=6.12-debug]
PROGS += sipreg-kfuzz-packet
sipreg-kfuzz-packet_SRCS := selftests/kfuzz/kfuzz-packet.c
sipreg-kfuzz-packet_LDLIBS :=

# The long run: each fuzzer FUZZ_SECONDS in one VM on FUZZ_KERNEL, by
# default the debug kernel, whose checkers see what the fuzzers provoke.
FUZZ_KERNEL ?= 6.12-debug
.PHONY: fuzz-kernel
fuzz-kernel: userspace $(BUILD)/kmod-$(FUZZ_KERNEL)/kmod/sipreg.ko
	@BUILD=$(BUILD) selftests/kfuzz/fuzz-kernel.sh $(FUZZ_KERNEL) $(FUZZ_SECONDS)

PROGS += sipreg-kfuzz-netlink
sipreg-kfuzz-netlink_SRCS := selftests/kfuzz/kfuzz-netlink.c
sipreg-kfuzz-netlink_LDLIBS :=

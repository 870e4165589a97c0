# SPDX-License-Identifier: GPL-2.0
#
# sipreg: kernel module (kmod/), userspace programs (userspace/) and tests
# (selftests/). Everything generated goes under $(BUILD); `make deps` installs
# and unpacks what the build and the tests need.

TOP	:= $(CURDIR)
# Whatever rule a fragment (userspace/*/*.mk, selftests/*/*.mk, dist/*.mk)
# defines first, a bare `make` builds; it never installs.
.DEFAULT_GOAL := all
BUILD	?= $(TOP)/build
BIN	:= $(BUILD)/bin

# The module is built against Debian's 6.1 headers by default, never against
# the running kernel: the build machine's own kernel must not get it.
KVER_6.1 := $(shell ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | \
		sed 's|.*/linux-headers-||' | sort -V | tail -n 1)
KDIR	?= /usr/src/linux-headers-$(KVER_6.1)
KERNEL	?= 6.1
# The test VM's kernels: Debian's two, and 6.12 built with KASAN, lockdep,
# kmemleak and friends (selftests/vm/debug-kernel.sh, cached per machine),
# slowest first: `make vm-check` starts them in this order.
VM_KERNELS ?= 6.12-debug 6.1 6.12

# Kernel headers of the self-test harness, taken from linux-source-6.12.
KSFT	:= $(BUILD)/linux-src/tools/testing/selftests

CC	?= gcc
CLANG	?= clang
AR	?= ar
# Every userspace object sees the shared SIP code (kmod/sip), the netlink
# contract (kmod/uapi) and userspace/lib; a program's own folder is added
# for its own sources only ($(call private_headers,DIR) in its .mk). The
# compiler writes each object's header dependencies next to it (.d).
USER_WARN   := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	       -Wmissing-prototypes
USER_CPPFLAGS := -I$(TOP)/kmod/sip -I$(TOP)/kmod/uapi -I$(TOP)/userspace/lib
USER_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g $(USER_WARN) $(USER_CPPFLAGS)
DEPFLAGS := -MMD -MP
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	     -fno-sanitize-recover=all
LIBNL_CFLAGS := $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null)
LIBNL_LIBS   := $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null)

include kmod/shared.mk
SHARED_SRCS := $(addprefix kmod/,$(SIPREG_SHARED:.o=.c))

# $(call private_headers,DIR): the sources below DIR, and only they, find
# DIR's headers (e.g. "store/store.h" from anywhere in userspace/sipregd).
private_headers = $(eval $(BUILD)/obj/$(1)/%.o $(BUILD)/san/$(1)/%.o: \
	PRIV_CPPFLAGS += -I$(TOP)/$(1))

# kmod/sip and userspace/lib in one archive (rules below).
LIB	:= $(BUILD)/obj/libsipreg.a
LIB_SAN	:= $(BUILD)/san/libsipreg.a

# The fragments add programs (PROGS, <prog>_SRCS, <prog>_LDLIBS), sources
# and flags for unit tests (<name>_test_SRCS, _LDLIBS, _CPPFLAGS) and
# targets of their own. userspace/lib/lib.mk comes first: LIB_SRCS.
PROGS	:=
include userspace/lib/lib.mk
include $(filter-out userspace/lib/lib.mk,$(sort $(wildcard userspace/*/*.mk selftests/*/*.mk dist/*.mk)))

.PHONY: all module modules userspace deps check unit fuzz-smoke lint \
	vm-check vm-run vm-shell clean help
all: module userspace

help:
	@echo "make deps          install/unpack every package and kernel the project needs"
	@echo "make               build kmod/sipreg.ko (KDIR=$(KDIR)) and userspace programs"
	@echo "make check         unit tests, fuzz smoke, lint, VM tests on 6.1, 6.12 and 6.12-debug"
	@echo "make debug-kernel  build (once per machine, cached) the KASAN/lockdep/kmemleak kernel"
	@echo "make vm-run SCRIPT=path [KERNEL=6.1|6.12|6.12-debug]   run a script in the test VM"
	@echo "make vm-shell [KERNEL=6.1|6.12|6.12-debug]             interactive shell in the test VM"
	@echo "make fuzz-kernel [FUZZ_SECONDS=30] [FUZZ_KERNEL=6.12-debug]  packet and netlink fuzzing of the module in the VM"
	@echo "make mutate        one-line mutants of the security checks vs the tests (slow)"

deps:
	@BUILD=$(BUILD) $(TOP)/selftests/deps.sh

VERSION	:= 0.1.0

# ---- kernel module ---------------------------------------------------------

module modules:
	@test -f $(KDIR)/Makefile || { echo "no kernel headers at $(KDIR): run 'make deps' or give KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(TOP) modules

# The module for the kernel in KDIR; `modprobe sipreg` afterwards. The
# fragments add the programs, man pages and unit to `install`.
.PHONY: install dkms-install
install:: module
	$(MAKE) -C $(KDIR) M=$(TOP) INSTALL_MOD_PATH=$(DESTDIR) modules_install

# DKMS rebuilds the module for every kernel the host installs.
dkms-install:
	install -d $(DESTDIR)/usr/src/sipreg-$(VERSION)/kmod/uapi \
		$(DESTDIR)/usr/src/sipreg-$(VERSION)/kmod/sip
	install -m 0644 Kbuild $(DESTDIR)/usr/src/sipreg-$(VERSION)/
	install -m 0644 $(filter-out %.mod.c,$(wildcard kmod/*.c)) kmod/*.h kmod/Kbuild kmod/shared.mk \
		$(DESTDIR)/usr/src/sipreg-$(VERSION)/kmod/
	install -m 0644 kmod/sip/*.c kmod/sip/*.h \
		$(DESTDIR)/usr/src/sipreg-$(VERSION)/kmod/sip/
	install -m 0644 kmod/uapi/sipreg.h $(DESTDIR)/usr/src/sipreg-$(VERSION)/kmod/uapi/
	sed 's/@VERSION@/$(VERSION)/' kmod/dkms.conf > $(DESTDIR)/usr/src/sipreg-$(VERSION)/dkms.conf
	@echo "now: dkms install sipreg/$(VERSION)"

# The module for one of the VM kernels, built in a tree of symlinks so that
# two kernels' objects never mix with each other or with kmod/.
$(BUILD)/kmod-%/kmod/sipreg.ko: $(wildcard kmod/*.c kmod/*.h kmod/sip/*.[ch] kmod/uapi/*.h kmod/Kbuild kmod/*.mk) Kbuild
	@. $(BUILD)/kernels/$*/env && \
	rm -rf $(BUILD)/kmod-$* && mkdir -p $(BUILD)/kmod-$* && \
	for f in $$(cd $(TOP) && find Kbuild kmod -name '*.[ch]' -o -name Kbuild -o -name '*.mk'); do \
		mkdir -p $(BUILD)/kmod-$*/$$(dirname $$f) && ln -s $(TOP)/$$f $(BUILD)/kmod-$*/$$f || exit 1; \
	done && \
	$(MAKE) -C $$KDIR M=$(BUILD)/kmod-$* W=1 modules

# The debug kernel's env file (KVER, KDIR, VMLINUZ), where Debian's are:
# the kernel is built the first time on a machine (long) and then comes
# from the cache outside the clone. The file is rewritten only when it
# changes, so that the module is not rebuilt for nothing. Everything is
# built in: no netfilter modules to load.
.PHONY: FORCE debug-kernel
FORCE:
$(BUILD)/kernels/6.12-debug/env: FORCE
	@mkdir -p $(dir $@) $(BUILD)/nfmods/6.12-debug
	@touch $(BUILD)/nfmods/6.12-debug/order
	@env=$$(BUILD=$(BUILD) selftests/vm/kernel-env.sh 6.12-debug) && \
		{ cmp -s "$$env" $@ || cp "$$env" $@; }
$(BUILD)/kmod-6.12-debug/kmod/sipreg.ko: $(BUILD)/kernels/6.12-debug/env
debug-kernel: $(BUILD)/kernels/6.12-debug/env

# ---- userspace -------------------------------------------------------------

userspace: $(addprefix $(BIN)/,$(PROGS))

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(PRIV_CPPFLAGS) $(LIBNL_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(BUILD)/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(PRIV_CPPFLAGS) $(LIBNL_CFLAGS) $(SAN_FLAGS) $(DEPFLAGS) -c -o $@ $<

# libsipreg.a: kmod/sip and userspace/lib, so that a program links only
# what it calls (a tool without netlink needs no libnl).
LIB_OBJS	:= $(patsubst %.c,$(BUILD)/obj/%.o,$(SHARED_SRCS) $(LIB_SRCS))
LIB_SAN_OBJS	:= $(patsubst %.c,$(BUILD)/san/%.o,$(SHARED_SRCS) $(LIB_SRCS))
$(LIB): $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(LIB_SAN): $(LIB_SAN_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

define prog_rule
$(BIN)/$(1): $(patsubst %.c,$(BUILD)/obj/%.o,$($(1)_SRCS)) $(LIB)
	@mkdir -p $(BIN)
	$(CC) $(USER_CFLAGS) -o $$@ $$^ $($(1)_LDLIBS)
endef
$(foreach p,$(PROGS),$(eval $(call prog_rule,$(p))))

# ---- unit tests (kselftest harness, ASan + UBSan) --------------------------

UNIT_TESTS := $(patsubst selftests/unit/%.c,%,$(wildcard selftests/unit/*_test.c))

$(KSFT)/kselftest_harness.h:
	@echo "kselftest_harness.h missing: run 'make deps'" >&2; exit 1

define unit_rule
$(BUILD)/unit/$(1): selftests/unit/$(1).c $(patsubst %.c,$(BUILD)/san/%.o,$($(1)_SRCS)) $(LIB_SAN) $(KSFT)/kselftest_harness.h
	@mkdir -p $(BUILD)/unit
	$(CC) $(USER_CFLAGS) $($(1)_CPPFLAGS) $(LIBNL_CFLAGS) $(SAN_FLAGS) -Wno-missing-prototypes \
		-Wno-unused-parameter -Wno-sign-compare -Wno-clobbered -I$(KSFT) \
		-MMD -MP -MF $$@.d -o $$@ \
		selftests/unit/$(1).c $(patsubst %.c,$(BUILD)/san/%.o,$($(1)_SRCS)) $(LIB_SAN) \
		$($(1)_LDLIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))

unit: $(addprefix $(BUILD)/unit/,$(UNIT_TESTS)) userspace
	@selftests/run-unit.sh $(BUILD) $(UNIT_TESTS)

# ---- fuzzers (libFuzzer) ---------------------------------------------------

FUZZERS := $(patsubst selftests/fuzz/%.c,%,$(wildcard selftests/fuzz/fuzz_*.c))
FUZZ_FLAGS := -std=c11 -D_GNU_SOURCE -g -O1 $(USER_CPPFLAGS) \
	      -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_SECONDS ?= 30
# The shared code and its userspace hash primitives (SIP_USER_SRCS, lib.mk).
FUZZ_OBJS := $(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$(SHARED_SRCS) $(SIP_USER_SRCS))

$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_FLAGS) $(DEPFLAGS) -c -o $@ $<

define fuzz_rule
$(BUILD)/fuzz/$(1): $(BUILD)/fuzz/obj/selftests/fuzz/$(1).o $(FUZZ_OBJS)
	$(CLANG) $(FUZZ_FLAGS) -o $$@ $$^
endef
$(foreach f,$(FUZZERS),$(eval $(call fuzz_rule,$(f))))

# The differential one also links the frozen reference parser.
$(BUILD)/fuzz/fuzz_parser_diff: $(BUILD)/fuzz/obj/selftests/fuzz/ref/parser_ref.o

fuzzers: $(addprefix $(BUILD)/fuzz/,$(FUZZERS))

# Relative names for the absolute targets: make build/unit/parser_test.
build/%: $(BUILD)/% ;

# Bounded run of every fuzzer, as CI does; `make fuzz FUZZ_SECONDS=600` for longer.
fuzz-smoke fuzz: fuzzers
	@$(if $(FUZZERS),selftests/fuzz/run.sh $(BUILD) $(FUZZ_SECONDS) $(FUZZERS),echo "# no fuzzers")

# The parser against its frozen reference alone, long: e.g.
# `make fuzz-parser-diff FUZZ_RUNS=50000000` (or FUZZ_SECONDS=3600).
.PHONY: fuzz-parser-diff
fuzz-parser-diff: $(BUILD)/fuzz/fuzz_parser_diff
	@FUZZ_RUNS=$(FUZZ_RUNS) selftests/fuzz/run.sh $(BUILD) $(FUZZ_SECONDS) fuzz_parser_diff

# ---- static checks ---------------------------------------------------------

lint:
	@BUILD=$(BUILD) KDIR=$(KDIR) selftests/lint.sh

# ---- VM tests --------------------------------------------------------------

# Every VM test on every kernel, as many VMs at once as there are CPUs
# (each VM is one host thread), the slowest first.
vm-check: userspace $(foreach k,$(VM_KERNELS),$(BUILD)/kmod-$(k)/kmod/sipreg.ko)
	@BUILD=$(BUILD) selftests/vm/check-all.sh $(VM_KERNELS)

vm-run: userspace $(BUILD)/kmod-$(KERNEL)/kmod/sipreg.ko
	@test -n "$(SCRIPT)" || { echo "usage: make vm-run SCRIPT=path/to/script [KERNEL=6.1|6.12|6.12-debug]" >&2; exit 1; }
	@selftests/vm/run.sh run $(KERNEL) $(SCRIPT)

vm-shell: userspace $(BUILD)/kmod-$(KERNEL)/kmod/sipreg.ko
	@selftests/vm/run.sh shell $(KERNEL)

# ---- mutation testing (not in make check) ----------------------------------

# One-line mutants of the security checks, each against the tests that
# must catch it: prints survivors and a score. MUTATE_ARGS=--check only
# checks that every mutant applies; MUTATE_ARGS="--only fastpath.c".
.PHONY: mutate
mutate: userspace
	@BUILD=$(BUILD) python3 -u selftests/mutate/run.py --kernel $(or $(filter 6.1 6.12,$(KERNEL_MUTATE)),6.12) $(MUTATE_ARGS)

# ---- everything ------------------------------------------------------------

# Every stage runs even if an earlier one failed; the summary says what failed.
check: deps
	@BUILD=$(BUILD) selftests/check.sh

# Not kbuild's clean: with M=$(TOP) it deletes every *.ko under the tree,
# the VM kernels' modules in $(BUILD)/kernels included.
clean:
	rm -f kmod/*.o kmod/*.ko kmod/*.mod kmod/*.mod.c kmod/.*.cmd \
	      kmod/sip/*.o kmod/sip/.*.cmd \
	      kmod/modules.order modules.order Module.symvers .*.cmd
	rm -rf $(BUILD)/bin $(BUILD)/obj $(BUILD)/san $(BUILD)/unit $(BUILD)/fuzz \
	       $(BUILD)/kmod-* $(BUILD)/vm

# Header dependencies the compiler wrote (-MMD -MP): a header change
# rebuilds only the objects, tests and fuzzers that include it.
-include $(shell find $(BUILD)/obj $(BUILD)/san $(BUILD)/unit $(BUILD)/fuzz $(BUILD)/bench -name '*.d' 2>/dev/null)

# SPDX-License-Identifier: GPL-2.0
#
# sipreg: kernel module (kmod/), userspace programs (userspace/) and tests
# (selftests/). Everything generated goes under $(BUILD); `make deps` installs
# and unpacks what the build and the tests need.

TOP	:= $(CURDIR)
BUILD	?= $(TOP)/build
BIN	:= $(BUILD)/bin

# The module is built against Debian's 6.1 headers by default, never against
# the running kernel: the build machine's own kernel must not get it.
KVER_6.1 := $(shell ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | \
		sed 's|.*/linux-headers-||' | sort -V | tail -n 1)
KDIR	?= /usr/src/linux-headers-$(KVER_6.1)
KERNEL	?= 6.1

# Kernel headers of the self-test harness, taken from linux-source-6.12.
KSFT	:= $(BUILD)/linux-src/tools/testing/selftests

CC	?= gcc
CLANG	?= clang
USER_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
	       -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	       -I$(TOP)/kmod -I$(TOP)/kmod/uapi -I$(TOP)/userspace
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	     -fno-sanitize-recover=all
LIBNL_CFLAGS := $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null)
LIBNL_LIBS   := $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null)

include kmod/shared.mk
SHARED_SRCS := $(addprefix kmod/,$(SIPREG_SHARED:.o=.c))
SHARED_HDRS := $(wildcard kmod/*.h kmod/uapi/*.h userspace/*.h)

# Fragments add programs (PROGS, <prog>_SRCS, <prog>_LDLIBS), extra sources
# for unit tests (<name>_test_SRCS) and targets of their own.
# USER_COMMON_SRCS: userspace halves of shared code (e.g. hash_user.c),
# linked wherever the shared objects are.
PROGS	:=
USER_COMMON_SRCS :=
USER_COMMON_LDLIBS :=
include $(sort $(wildcard userspace/*.mk selftests/*/*.mk))
SHARED_SRCS += $(USER_COMMON_SRCS)

.PHONY: all module modules userspace deps check unit fuzz-smoke lint \
	vm-check vm-run vm-shell clean help
all: module userspace

help:
	@echo "make deps          install/unpack every package and kernel the project needs"
	@echo "make               build kmod/sipreg.ko (KDIR=$(KDIR)) and userspace programs"
	@echo "make check         unit tests, fuzz smoke, lint, VM tests on 6.1 and 6.12"
	@echo "make vm-run SCRIPT=path [KERNEL=6.1|6.12]   run a script in the test VM"
	@echo "make vm-shell [KERNEL=6.1|6.12]             interactive shell in the test VM"
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
	install -d $(DESTDIR)/usr/src/sipreg-$(VERSION)/kmod/uapi
	install -m 0644 Kbuild $(DESTDIR)/usr/src/sipreg-$(VERSION)/
	install -m 0644 kmod/*.c kmod/*.h kmod/Kbuild kmod/shared.mk \
		$(DESTDIR)/usr/src/sipreg-$(VERSION)/kmod/
	install -m 0644 kmod/uapi/sipreg.h $(DESTDIR)/usr/src/sipreg-$(VERSION)/kmod/uapi/
	sed 's/@VERSION@/$(VERSION)/' kmod/dkms.conf > $(DESTDIR)/usr/src/sipreg-$(VERSION)/dkms.conf
	@echo "now: dkms install sipreg/$(VERSION)"

# The module for one of the VM kernels, built in a tree of symlinks so that
# two kernels' objects never mix with each other or with kmod/.
$(BUILD)/kmod-%/kmod/sipreg.ko: $(wildcard kmod/*.c kmod/*.h kmod/uapi/*.h kmod/Kbuild kmod/*.mk) Kbuild
	@. $(BUILD)/kernels/$*/env && \
	rm -rf $(BUILD)/kmod-$* && mkdir -p $(BUILD)/kmod-$* && \
	for f in $$(cd $(TOP) && find Kbuild kmod -name '*.[ch]' -o -name Kbuild -o -name '*.mk'); do \
		mkdir -p $(BUILD)/kmod-$*/$$(dirname $$f) && ln -s $(TOP)/$$f $(BUILD)/kmod-$*/$$f || exit 1; \
	done && \
	$(MAKE) -C $$KDIR M=$(BUILD)/kmod-$* W=1 modules

# ---- userspace -------------------------------------------------------------

userspace: $(addprefix $(BIN)/,$(PROGS))

$(BUILD)/obj/%.o: %.c $(SHARED_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(LIBNL_CFLAGS) -c -o $@ $<

$(BUILD)/san/%.o: %.c $(SHARED_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(LIBNL_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

SHARED_OBJS	:= $(patsubst %.c,$(BUILD)/obj/%.o,$(SHARED_SRCS))
SHARED_SAN_OBJS	:= $(patsubst %.c,$(BUILD)/san/%.o,$(SHARED_SRCS))

define prog_rule
$(BIN)/$(1): $(patsubst %.c,$(BUILD)/obj/%.o,$($(1)_SRCS)) $(SHARED_OBJS)
	@mkdir -p $(BIN)
	$(CC) $(USER_CFLAGS) -o $$@ $$^ $($(1)_LDLIBS) $(USER_COMMON_LDLIBS)
endef
$(foreach p,$(PROGS),$(eval $(call prog_rule,$(p))))

# ---- unit tests (kselftest harness, ASan + UBSan) --------------------------

UNIT_TESTS := $(patsubst selftests/unit/%.c,%,$(wildcard selftests/unit/*_test.c))

$(KSFT)/kselftest_harness.h:
	@echo "kselftest_harness.h missing: run 'make deps'" >&2; exit 1

define unit_rule
$(BUILD)/unit/$(1): selftests/unit/$(1).c $(patsubst %.c,$(BUILD)/san/%.o,$($(1)_SRCS)) $(SHARED_SAN_OBJS) $(KSFT)/kselftest_harness.h $(SHARED_HDRS)
	@mkdir -p $(BUILD)/unit
	$(CC) $(USER_CFLAGS) $(LIBNL_CFLAGS) $(SAN_FLAGS) -Wno-missing-prototypes \
		-Wno-unused-parameter -Wno-sign-compare -Wno-clobbered -I$(KSFT) -o $$@ \
		selftests/unit/$(1).c $(patsubst %.c,$(BUILD)/san/%.o,$($(1)_SRCS)) $(SHARED_SAN_OBJS) \
		$($(1)_LDLIBS) $(USER_COMMON_LDLIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))

unit: $(addprefix $(BUILD)/unit/,$(UNIT_TESTS)) userspace
	@selftests/run-unit.sh $(BUILD) $(UNIT_TESTS)

# ---- fuzzers (libFuzzer) ---------------------------------------------------

FUZZERS := $(patsubst selftests/fuzz/%.c,%,$(wildcard selftests/fuzz/fuzz_*.c))
FUZZ_FLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -I$(TOP)/kmod -I$(TOP)/kmod/uapi -I$(TOP)/userspace \
	      -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_SECONDS ?= 30

define fuzz_rule
$(BUILD)/fuzz/$(1): selftests/fuzz/$(1).c $(SHARED_SRCS) $(SHARED_HDRS)
	@mkdir -p $(BUILD)/fuzz
	$(CLANG) $(FUZZ_FLAGS) -o $$@ selftests/fuzz/$(1).c $(SHARED_SRCS) $(USER_COMMON_LDLIBS)
endef
$(foreach f,$(FUZZERS),$(eval $(call fuzz_rule,$(f))))

fuzzers: $(addprefix $(BUILD)/fuzz/,$(FUZZERS))

# Relative names for the absolute targets: make build/unit/parser_test.
build/%: $(BUILD)/% ;

# Bounded run of every fuzzer, as CI does; `make fuzz FUZZ_SECONDS=600` for longer.
fuzz-smoke fuzz: fuzzers
	@$(if $(FUZZERS),selftests/fuzz/run.sh $(BUILD) $(FUZZ_SECONDS) $(FUZZERS),echo "# no fuzzers")

# ---- static checks ---------------------------------------------------------

lint:
	@BUILD=$(BUILD) KDIR=$(KDIR) selftests/lint.sh

# ---- VM tests --------------------------------------------------------------

vm-check: userspace $(BUILD)/kmod-6.1/kmod/sipreg.ko $(BUILD)/kmod-6.12/kmod/sipreg.ko
	@rc=0; for k in 6.1 6.12; do selftests/vm/run.sh check $$k || rc=1; done; exit $$rc

vm-run: userspace $(BUILD)/kmod-$(KERNEL)/kmod/sipreg.ko
	@test -n "$(SCRIPT)" || { echo "usage: make vm-run SCRIPT=path/to/script [KERNEL=6.1|6.12]" >&2; exit 1; }
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
	      kmod/modules.order modules.order Module.symvers .*.cmd
	rm -rf $(BUILD)/bin $(BUILD)/obj $(BUILD)/san $(BUILD)/unit $(BUILD)/fuzz \
	       $(BUILD)/kmod-* $(BUILD)/vm

# SPDX-License-Identifier: GPL-2.0
#
# make bench [KERNEL=6.1|6.12] [BENCH_SCALE="1000 100000 1000000"]
#   One VM run (TCG, VM_CPUS=2) measuring side by side: the floor module
#   (echo), sipreg's fast path, sipregd alone and Kamailio 5.6, the fast
#   path with many bindings installed, and its latency at half its peak;
#   then the instruction counts of item 7 (natively, callgrind). Prints the
#   table, writes build/bench/bench-<kernel>.csv and .png.
#   A third boot: a registration storm, STORM_PHONES (10000) phones with no
#   binding at once against the module + sipregd, then Kamailio.
# make bench-storm [STORM_PHONES=N] [STORM_SECONDS=S] [STORM_CONFIG="K V..."]
#   Only the storm boot, then the report of what build/bench/<kernel> holds;
#   STORM_CONFIG: more sipregctl config pairs for the module in the storm.
# make bench-sipp [KERNEL=6.1|6.12] [SIPP_USERS=200] [SIPP_REFRESHES=20]
#   Only sipp's comparison (one VM boot): registrations and refreshes
#   against the fast path, sipregd alone and Kamailio, with the server's
#   CPU per 401, per registration and per refresh; its table and goals go
#   to build/bench/<kernel>/bench-sipp.txt and .csv.
# make bench-fastpath-instr
#   Only the instruction counts: the fast path's shared code in a userspace
#   harness, sipregd and Kamailio per registration, each under callgrind.

BENCH_DIR	:= $(BUILD)/bench
BENCH_FASTPATH	:= $(BENCH_DIR)/bench_fastpath
BENCH_SCALE	?= 1000 100000 1000000
BENCH_SECONDS	?= 5
STORM_PHONES	?= 10000
STORM_SECONDS	?= 300
STORM_CONFIG	?=
BENCH_ENV	= BENCH_SCALE="$(BENCH_SCALE)" BENCH_SECONDS=$(BENCH_SECONDS) \
		  STORM_PHONES=$(STORM_PHONES) STORM_SECONDS=$(STORM_SECONDS) \
		  STORM_CONFIG="$(STORM_CONFIG)"

.PHONY: bench bench-sipp bench-storm bench-fastpath-instr bench-floor

# The floor module, against the same kernel headers as sipreg.ko, in its
# own tree of symlinks for the same reason (two kernels' objects never mix).
$(BUILD)/floor-%/sipreg_floor.ko: selftests/bench/floor/floor.c selftests/bench/floor/Kbuild kmod/send.c kmod/send.h
	@. $(BUILD)/kernels/$*/env && \
	rm -rf $(BUILD)/floor-$* && mkdir -p $(BUILD)/floor-$* && \
	ln -s $(TOP)/selftests/bench/floor/floor.c $(BUILD)/floor-$*/floor.c && \
	ln -s $(TOP)/selftests/bench/floor/Kbuild $(BUILD)/floor-$*/Kbuild && \
	ln -s $(TOP)/kmod/send.c $(TOP)/kmod/send.h $(BUILD)/floor-$*/ && \
	$(MAKE) -C $$KDIR M=$(BUILD)/floor-$* W=1 modules

bench-floor: $(BUILD)/floor-6.1/sipreg_floor.ko $(BUILD)/floor-6.12/sipreg_floor.ko

# The load generator's SIP writer builds its requests.
$(BUILD)/obj/selftests/bench/bench_fastpath.o: PRIV_CPPFLAGS += -I$(TOP)/userspace/tools/load
$(BENCH_FASTPATH): $(BUILD)/obj/selftests/bench/bench_fastpath.o \
		   $(BUILD)/obj/userspace/tools/load/sip.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Wl,-z,now -o $@ $^

bench-fastpath-instr: $(BENCH_FASTPATH) userspace
	@selftests/bench/instr.sh $(BUILD)

bench: userspace $(BENCH_FASTPATH) $(BUILD)/kmod-$(KERNEL)/kmod/sipreg.ko \
       $(BUILD)/floor-$(KERNEL)/sipreg_floor.ko
	@$(BENCH_ENV) selftests/bench/bench.sh $(BUILD) $(KERNEL)

bench-storm: userspace $(BUILD)/kmod-$(KERNEL)/kmod/sipreg.ko
	@$(BENCH_ENV) BENCH_PHASES=storm BENCH_INSTR=0 \
		selftests/bench/bench.sh $(BUILD) $(KERNEL)

bench-sipp: userspace $(BUILD)/kmod-$(KERNEL)/kmod/sipreg.ko
	@BENCH_PHASES=sipp BENCH_INSTR=0 BENCH_REPORT=sipp \
		selftests/bench/bench.sh $(BUILD) $(KERNEL)

# The VM tests run a smoke of the benchmark (selftests/vm/tests/30-bench-
# smoke.sh), so the VM images carry the floor module: mkinitramfs.sh packs
# it when it is there.
vm-check: $(foreach k,$(VM_KERNELS),$(BUILD)/floor-$(k)/sipreg_floor.ko)
$(BUILD)/floor-6.12-debug/sipreg_floor.ko: $(BUILD)/kernels/6.12-debug/env
vm-run vm-shell: $(BUILD)/floor-$(KERNEL)/sipreg_floor.ko

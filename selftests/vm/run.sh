#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh MODE KERNEL [SCRIPT]: boots KERNEL (Debian's 6.1 or 6.12, or
# 6.12-debug: selftests/vm/debug-kernel.sh) in QEMU
# with the module and tools, and
#   check   runs every VM test, prints TAP (test names prefixed with the
#           kernel), and fails on any Oops/WARNING/... on the console;
#   run     copies SCRIPT's folder in, runs SCRIPT in the test topology,
#           streams its output and exits with its status;
#   shell   gives an interactive shell.
# VM_APPEND=...: more kernel parameters (e.g. slub_debug=FZP).
# Logs: $BUILD/vm/KERNEL/console.log (kernel) and results.log (tests).
#
# Plain emulation (TCG) unless a hardware KVM module is loaded or
# SIPREG_VM_KVM=1 asks for it: /dev/kvm opening proves nothing here.
set -uo pipefail

mode=$1 series=$2 script=${3:-}
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
# VM_SHARD=I/N: this VM runs every Nth test from the Ith (make vm-check
# spreads the slow debug kernel's tests over several VMs this way); its
# logs and its name in the TAP output say which shard it is.
shard=${VM_SHARD:-}
name=$series${shard:+-shard${shard%/*}of${shard#*/}}
vmdir=$build/vm/$name
timeout=${VM_TIMEOUT:-1200}
memory=${VM_MEMORY:-1024}
mkdir -p "$vmdir"
. "$build/kernels/$series/env"
# The debug kernel runs everything three to four times slower (KASAN's
# shadow checks, lockdep, SLUB poisoning under TCG) and KASAN's shadow
# takes an eighth of memory: more time for the VM and each test, more RAM.
case $series in
*-debug)
	timeout=${VM_TIMEOUT:-3600}
	memory=${VM_MEMORY:-2048}
	TEST_TIMEOUT=${TEST_TIMEOUT:-600} ;;
esac

"$top/selftests/vm/mkinitramfs.sh" "$series" "$vmdir/initramfs.cpio" ||
	{ echo "not ok - $name: cannot build the initramfs"; exit 1; }
initrd=$vmdir/initramfs.cpio

append="console=ttyS0 panic=-1 oops=panic loglevel=6 sipreg.mode=$mode ${VM_APPEND:-}"
# TEST_TIMEOUT=SECONDS in the environment: each test's time limit in the VM.
[ -n "${TEST_TIMEOUT:-}" ] && append="$append sipreg.timeout=$TEST_TIMEOUT"
[ -n "$shard" ] && append="$append sipreg.shard=$shard"
if [ "$mode" = run ]; then
	[ -f "$script" ] || { echo "vm-run: no such script: $script" >&2; exit 1; }
	# A second cpio archive, appended, adds the script's folder at /user.
	dir=$(cd "$(dirname "$script")" && pwd)
	stage=$(mktemp -d) && mkdir "$stage/user" && cp -r "$dir"/. "$stage/user/"
	(cd "$stage" && find user | busybox cpio -o -H newc 2>/dev/null) > "$vmdir/user.cpio"
	rm -rf "$stage"
	cat "$vmdir/initramfs.cpio" "$vmdir/user.cpio" > "$vmdir/run.cpio"
	initrd=$vmdir/run.cpio
	append="$append sipreg.script=/user/$(basename "$script")"
fi

# One host thread for all vCPUs: with multi-threaded TCG (QEMU 7.2) a vCPU
# can run a stale translation of kernel text that another vCPU has just
# patched with int3 (jump labels, static calls), and the guest dies with
# "Oops: int3" in code that was never ours — seen at boot on a busy host.
# VM_TCG_THREAD=multi brings the faster, racy mode back.
# qemu64 plus RDRAND: the guest's crng is ready at boot (random.trust_cpu)
# instead of after 40 s (Debian's kernels) to 6 min (the debug kernel) of
# jitter entropy under emulation, and getrandom() no longer holds sipregd.
accel=(-accel "tcg,thread=${VM_TCG_THREAD:-single}" -cpu "${VM_CPU:-qemu64,+rdrand}")
if [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ] ||
   [ "${SIPREG_VM_KVM:-0}" = 1 ]; then
	accel=(-enable-kvm -cpu host)
fi

qemu=(qemu-system-x86_64 "${accel[@]}" -m "$memory" -smp "${VM_CPUS:-2}"
      -bios /usr/share/qemu/qboot.rom -nodefaults -display none -no-reboot
      -kernel "$VMLINUZ" -initrd "$initrd" -append "$append")

if [ "$mode" = shell ]; then
	exec "${qemu[@]}" -serial stdio
fi

console=$vmdir/console.log results=$vmdir/results.log
start=$(date +%s.%N)
# Line by line (sed -u): results.log shows a long run's progress as it goes.
timeout --foreground -k 10 "$timeout" "${qemu[@]}" \
	-serial "file:$console" -serial stdio < /dev/null |
	sed -u 's/\r//g' | tee "$results" |
	if [ "$mode" = check ]; then sed -u -E "s/^((not )?ok [0-9]+) /\1 $name\//"; else cat; fi
qemu_rc=${PIPESTATUS[0]}
elapsed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
echo "# $name: VM ran ${elapsed}s (qemu exit $qemu_rc); logs in $vmdir"

rc=0
done_line=$(grep -a '^# SIPREG-DONE' "$results" | tail -n 1)
if [ -z "$done_line" ]; then
	echo "not ok - $name/vm-finished: the VM stopped before the tests finished (timeout or panic)"
	rc=1
fi
# Any of these on the console fails the run, whatever the tests said.
# The debug kernel adds KASAN, UBSAN, lockdep and RCU checks (their reports
# carry BUG:, WARNING: or their own names) and kmemleak's report, which
# /init copies to the kernel log after the tests.
bad='Oops|BUG|WARNING:|RCU stall|rcu_sched self-detected|refcount_t|general protection|KASAN|UBSAN|unreferenced object|suspected memory leak|Call Trace|lockdep|circular locking|inconsistent lock state|possible recursive locking'
if grep -aEq "$bad" "$console"; then
	echo "not ok - $name/console-clean: kernel complained, see $console:"
	grep -aE -m 10 "$bad" "$console" | sed 's/^/#   /'
	rc=1
else
	echo "ok - $name/console-clean"
fi

case $mode in
check)	[[ $done_line == *" fail=0 "* ]] || rc=1 ;;
run)	code=${done_line##*exit=}
	[ -n "$done_line" ] && [ "$code" != 0 ] && rc=$code ;;
esac
exit $rc

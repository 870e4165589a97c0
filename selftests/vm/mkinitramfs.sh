#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh KERNEL OUT: packs the test VM's initramfs for one kernel
# series: busybox, iproute2's ip, sipp, our programs (each with the shared
# libraries ldd names), the module built against that kernel, veth, and the
# selftests tree (VM tests, sipp scenarios, test data).
set -euo pipefail

series=$1 out=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
. "$build/kernels/$series/env"

root=$(mktemp -d "$build/vm/initramfs.XXXXXX")
chmod 0755 "$root"	# mktemp makes it 0700: unprivileged tests need /
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,lib/modules,proc,sys,dev,run,tmp,etc,root,var}
ln -s ../run "$root/var/run"

# copy_bin FILE DEST_DIR: a program and every library it loads, at the
# same paths as on the build machine.
copy_bin() {
	local lib
	cp -L "$1" "$2/"
	ldd "$1" 2>/dev/null | grep -o '/[^ ]*' | while read -r lib; do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
copy_bin "$(command -v ip)" "$root/sbin"
copy_bin "$(command -v sipp)" "$root/usr/bin"
# curl scrapes sipregd's metrics endpoint (tests/82-metrics.sh)
copy_bin "$(command -v curl)" "$root/usr/bin"
# nft for the firewall and NAT tests (lib.sh: nf_modules_load).
nft=$(command -v nft || echo /usr/sbin/nft)
[ -x "$nft" ] || { echo "mkinitramfs: no nft: run 'make deps'" >&2; exit 1; }
copy_bin "$nft" "$root/usr/sbin"
for p in "$build"/bin/*; do
	copy_bin "$p" "$root/usr/local/bin"
done
# sipp's ncurses looks the terminal up, even in background mode.
mkdir -p "$root/usr/share/terminfo/d"
cp /usr/share/terminfo/d/dumb "$root/usr/share/terminfo/d/" 2>/dev/null ||
	cp /lib/terminfo/d/dumb "$root/usr/share/terminfo/d/"

cp "$build/kmod-$series/kmod/sipreg.ko" "$root/lib/modules/"
[ -f "$build/floor-$series/sipreg_floor.ko" ] && cp "$build/floor-$series/sipreg_floor.ko" "$root/lib/modules/"
# Debian's kernels: veth is a module; the debug kernel has it built in.
[ -n "${VETH_KO:-}" ] && cp "$VETH_KO" "$root/lib/modules/"
[ -f "$build/nfmods/$series/order" ] ||
	{ echo "mkinitramfs: no netfilter modules for $series: run 'make deps'" >&2; exit 1; }
cp -r "$build/nfmods/$series" "$root/lib/modules/nf"

mkdir -p "$root/sipreg"
cp -r "$top/selftests" "$root/sipreg/"
# The PROTOS c07-sip suite for the packet fuzzer (tests/70-kfuzz-packet.sh)
# when ../shared is beside the clone, as in CI; a user's clone may not have
# it. One gzipped stream of its records (36 MB -> 0.5 MB), made once.
protos=${SIPREG_SHARED:-$top/../shared}/corpora/protos-c07-sip
if [ -d "$protos" ]; then
	gz=$build/vm/protos-c07-sip.gz
	if [ ! -f "$gz" ] || [ -n "$(find "$protos" -newer "$gz" -print -quit)" ]; then
		# Two VMs' initramfs may be packed at once (make vm-check): each
		# writes its own file, and the rename is atomic.
		tmp=$(mktemp "$gz.XXXXXX")
		(cd "$protos" && find . -type f | LC_ALL=C sort | xargs cat) |
			gzip -9 > "$tmp" && chmod 0644 "$tmp" && mv -f "$tmp" "$gz"
	fi
	# Read through one open descriptor: cp refuses a file that the
	# other VM's rename replaced between its stat and its open.
	cat "$gz" > "$root/sipreg/protos-c07-sip.gz"
fi
# PostgreSQL for the gateways sharing one database (tests/83-two-gateways.sh):
# the server, plpgsql, its share files and a data directory that initdb
# makes here, once (it takes minutes under TCG); the test runs the server
# as the "postgres" user, whose ids the files keep.
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -n "$pgbin" ] && [ -x "$pgbin/postgres" ] && id postgres > /dev/null 2>&1; then
	. "$top/selftests/vm/pgdata.sh"
	pack_postgres "$pgbin"
fi
# The systemd unit, for the test that runs sipregd with its settings.
unit=$(find "$top/userspace" "$top/dist" -maxdepth 1 -name sipregd.service 2>/dev/null | head -n 1 || true)
cp "$unit" "$root/sipreg/sipregd.service"
# python3, ynl and the spec for tests/75-ynl.sh
. "$top/selftests/ynl/pack.sh"
pack_ynl
cp "$top/selftests/vm/init" "$root/init"
chmod +x "$root/init"
echo "$KVER" > "$root/etc/sipreg-kernel"

mkdir -p "$(dirname "$out")"
(cd "$root" && find . | busybox cpio -o -H newc 2>/dev/null) > "$out.tmp"
mv "$out.tmp" "$out"

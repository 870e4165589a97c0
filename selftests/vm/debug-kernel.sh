#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh: builds, once, the debug kernel of the test VM
# (KERNEL=6.12-debug: KASAN, UBSAN, lockdep, PROVE_RCU, kmemleak, ...) from
# Debian's linux-source-6.12 and selftests/vm/debug-kernel.config, and
# prints the path of its env file (KVER, KDIR, VMLINUZ, MODULES), as
# $BUILD/kernels/<series>/env are for Debian's own kernels.
#
# The build lives outside the clone, in $SIPREG_CACHE (/var/cache/sipreg by
# default), in a directory named by a hash of the config fragment, this
# script, the linux-source package's version, gcc's and ld's: every clone
# and CI run on the machine reuses it, and any change to one of those builds
# a new one. The built tree itself is the KDIR of the module's build
# (Module.symvers and headers of exactly that kernel).
#
#   debug-kernel.sh         build if needed, print the env file's path
#   debug-kernel.sh --key   print the cache key only
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
cache=${SIPREG_CACHE:-/var/cache/sipreg}
fragment=$top/selftests/vm/debug-kernel.config
series=6.12-debug

log() { printf 'debug-kernel: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

deb=$(ls "$build"/debs/linux-source-6.12_*.deb 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$deb" ] || die "no linux-source-6.12 package in $build/debs: run 'make deps'"
version=$(dpkg-deb -f "$deb" Version)
key=$({ echo "linux-source-6.12 $version"; gcc --version | head -n 1
	ld --version | head -n 1; cat "$fragment" "$0"; } | sha256sum | cut -c 1-16)
dir=$cache/$series-$key

case ${1:-} in
--key)	echo "$key"; exit 0 ;;
'')	;;
*)	die "usage: $0 [--key]" ;;
esac

# The env file is written last: its presence means a complete build.
build_kernel() {
	local src=$dir/src obj=$dir/obj jobs start tarball
	mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ] ||
		die "cannot write the cache $cache (set SIPREG_CACHE=DIR, or create it writable)"
	# One build at a time per key, whoever asks (two checks at once).
	exec 9> "$cache/.$series-$key.lock"
	flock 9
	[ -f "$dir/env" ] && return
	start=$SECONDS
	log "building $series (linux-source-6.12 $version, key $key) in $dir;" \
	    "log: $dir/build.log. This takes a while once per machine."
	rm -rf "$dir" && mkdir -p "$src" "$obj"
	tarball=$(dpkg-deb -c "$deb" | grep -o './usr/src/linux-source-.*\.tar\.xz')
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "$tarball" |
		tar -xJ -C "$src" --strip-components=1
	# allnoconfig + the fragment; every value asked for must survive.
	(cd "$src" && scripts/kconfig/merge_config.sh -n -O "$obj" "$fragment") \
		> "$dir/build.log" 2>&1 || die "merge_config failed, see $dir/build.log"
	if grep -q '^Value requested for' "$dir/build.log"; then
		grep -A 2 '^Value requested for' "$dir/build.log" >&2
		die "$fragment asks for values Kconfig does not allow (above)"
	fi
	jobs=${DEBUG_KERNEL_JOBS:-$(nproc)}
	# `all`: bzImage, and Module.symvers for the module's build.
	make -C "$src" O="$obj" -j"$jobs" all >> "$dir/build.log" 2>&1 ||
		{ tail -n 30 "$dir/build.log" >&2; die "build failed, see $dir/build.log"; }
	[ -f "$obj/Module.symvers" ] || die "no Module.symvers in $obj"
	# wall seconds; then the CPU time of this shell and of its children
	{ echo "$((SECONDS - start)) s"; times; } > "$dir/build-time"
	cat > "$dir/env.tmp" <<-EOF
		KVER=$(make -s -C "$src" O="$obj" kernelrelease)
		KDIR=$obj
		VMLINUZ=$obj/arch/x86/boot/bzImage
		MODULES=
	EOF
	mv "$dir/env.tmp" "$dir/env"
	log "built in $((SECONDS - start))s"
}

# Builds of other keys nobody used for 30 days go (each is about 2 GB).
prune() {
	local d
	for d in "$cache/$series"-*; do
		[ -d "$d" ] && [ "$d" != "$dir" ] || continue
		[ -n "$(find "$d" -maxdepth 0 -mtime +30)" ] || continue
		log "removing $d, unused for 30 days"
		rm -rf "$d" "$cache/.$(basename "$d").lock"
	done
}

[ -f "$dir/env" ] || build_kernel
touch "$dir" 2>/dev/null || true	# last use, for prune
prune 2>/dev/null || true

echo "$dir/env"

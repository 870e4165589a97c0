#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs and unpacks everything sipreg's build, tests, demo and benchmarks
# need on a Debian 12 machine. Idempotent: a second run changes nothing.
#
# - Debian packages are installed with apt (6.1 kernel headers included).
# - The 6.12 headers, both kernel images and the few files taken from
#   linux-source-6.12 (kselftest harness, checkpatch, ynl) are downloaded with
#   `apt-get download` and unpacked under $BUILD: a kernel image is never
#   installed on the build machine (the 6.12 headers package would pull one).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
debs=$build/debs

PKGS=(build-essential pkg-config linux-headers-amd64 qemu-system-x86
      busybox-static sip-tester libnl-3-dev libnl-genl-3-dev libsqlite3-dev
      sqlite3 sparse clang libclang-rt-14-dev llvm valgrind jq gnuplot-nox
      kamailio kamailio-sqlite-modules kamailio-postgres-modules iproute2
      xz-utils python3-yaml
      dwarves nftables curl
      # sipregd's TLS (libssl-dev, below) and its test's throwaway certificate
      openssl
      # the PostgreSQL store (libpq) and the server its tests start
      libpq-dev postgresql-15
      # the debug kernel's build (selftests/vm/debug-kernel.sh)
      flex bison bc libelf-dev libssl-dev cpio)

# Modules of each VM kernel that the firewall and NAT tests load, in
# dependency order (the image has no modules.dep; busybox insmod loads
# no compressed module).
NF_MODULES=(crypto/crc32c_generic lib/libcrc32c net/netfilter/nfnetlink net/netfilter/nf_tables
	    net/ipv4/netfilter/nf_defrag_ipv4 net/ipv6/netfilter/nf_defrag_ipv6
	    net/netfilter/nf_conntrack net/netfilter/nf_nat
	    net/netfilter/nft_chain_nat net/netfilter/nft_redir
	    net/xfrm/xfrm_algo net/xfrm/xfrm_user)

log() { printf 'deps: %s\n' "$*" >&2; }

# The package names, the kernels and the VM are Debian 12's, amd64's: on
# anything else say so before installing anything at all.
check_platform() {
	local id= version= arch osr=${SIPREG_OS_RELEASE:-/etc/os-release}
	if [ -r "$osr" ]; then
		id=$(. "$osr" && echo "${ID:-}")
		version=$(. "$osr" && echo "${VERSION_ID:-}")
	fi
	arch=$(dpkg --print-architecture 2>/dev/null || uname -m)
	if [ "$id" != debian ] || [ "$version" != 12 ] || [ "$arch" != amd64 ]; then
		log "this needs Debian 12 (bookworm) on amd64; this machine is" \
		    "'${id:-unknown} ${version:-?}' on '$arch'. Nothing was installed."
		exit 1
	fi
}

# Once per run, also from the subshells of $(download ...).
apt_stamp=$build/.apt-updated.$$
trap 'rm -f "$apt_stamp"' EXIT
apt_update() {
	[ -e "$apt_stamp" ] && return
	log "apt-get update"
	apt-get update -qq
	mkdir -p "$build" && touch "$apt_stamp"
}

install_packages() {
	local missing=() p
	for p in "${PKGS[@]}"; do
		dpkg-query -W -f '${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} = 0 ] && return
	if [ "$(id -u)" != 0 ]; then
		log "missing packages: ${missing[*]}; installing them needs root" \
		    "(run 'sudo make deps')"
		exit 1
	fi
	apt_update
	log "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
}

# download PKG: fetch PKG's .deb into $debs once; prints its path.
download() {
	local f
	f=$(ls "$debs/$1"_*.deb 2>/dev/null | head -n 1 || true)
	if [ -z "$f" ]; then
		apt_update
		mkdir -p "$debs"
		(cd "$debs" && apt-get download -qq "$1" >/dev/null 2>&1) ||
			{ apt_update; (cd "$debs" && apt-get download -qq "$1"); }
		f=$(ls "$debs/$1"_*.deb | head -n 1)
	fi
	echo "$f"
}

# Debian's ABI name of a kernel series, from its headers meta package.
abi_of() {
	local series=$1
	if [ "$series" = 6.1 ]; then
		ls -d /usr/src/linux-headers-6.1.*-amd64 | sed 's|.*/linux-headers-||' |
			sort -V | tail -n 1
	else
		apt_update
		apt-cache depends "linux-headers-$series-amd64" |
			sed -n "s/.*Depends: linux-headers-\($series\..*-amd64\)$/\1/p" | head -n 1
	fi
}

# Unpack one kernel series: image (vmlinuz + veth), and for 6.12 the headers.
setup_kernel() {
	local series=$1 dir=$build/kernels/$1 abi kdir root veth
	if [ -f "$dir/env" ]; then
		# shellcheck source=/dev/null
		(. "$dir/env" && [ -f "$VMLINUZ" ] && [ -f "$VETH_KO" ]) && return
	fi
	abi=$(abi_of "$series")
	[ -n "$abi" ] || { log "cannot find Debian's $series kernel"; exit 1; }
	log "kernel $series: $abi"
	root=$dir/root
	rm -rf "$dir" && mkdir -p "$root"
	dpkg-deb --fsys-tarfile "$(download "linux-image-$abi")" |
		tar -x -C "$root" --wildcards "./boot/vmlinuz-*" \
			"./lib/modules/*/kernel/drivers/net/veth.ko*"
	veth=$(find "$root/lib/modules" -name 'veth.ko*' | head -n 1)
	case $veth in *.xz) xz -d "$veth"; veth=${veth%.xz};; esac
	if [ "$series" = 6.1 ]; then
		kdir=/usr/src/linux-headers-$abi
	else
		local common=${abi%-amd64}
		for p in "linux-headers-$abi" "linux-headers-$common-common" \
			 "linux-kbuild-$common"; do
			dpkg -x "$(download "$p")" "$root"
		done
		kdir=$root/usr/src/linux-headers-$abi
		# Debian's headers include their -common half by absolute path.
		sed -i "s|include /usr/src/|include $root/usr/src/|" "$kdir/Makefile"
	fi
	cat > "$dir/env.tmp" <<-EOF
		KVER=$abi
		KDIR=$kdir
		VMLINUZ=$(ls "$root"/boot/vmlinuz-*)
		VETH_KO=$veth
	EOF
	mv "$dir/env.tmp" "$dir/env"
}

# kselftest harness, checkpatch and ynl (tools/net/ynl, for the VM test of
# kmod/uapi/sipreg.yaml) come from linux-source-6.12, never from git.
setup_linux_src() {
	local dst=$build/linux-src deb tarball
	# A tree unpacked before ynl was on the list is unpacked again.
	[ -f "$dst/.done" ] && [ -f "$dst/tools/net/ynl/cli.py" ] && return
	log "unpacking the kselftest harness, checkpatch and ynl from linux-source-6.12"
	deb=$(download linux-source-6.12)
	rm -rf "$dst" && mkdir -p "$dst.tmp"
	tarball=$(dpkg-deb -c "$deb" | grep -o './usr/src/linux-source-.*\.tar\.xz')
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dst.tmp" "$tarball"
	mkdir -p "$dst"
	tar -xJf "$dst.tmp/$tarball" -C "$dst" --strip-components=1 --wildcards \
		'*/tools/testing/selftests/kselftest_harness.h' \
		'*/tools/testing/selftests/kselftest.h' \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch' \
		'*/tools/net/ynl/cli.py' '*/tools/net/ynl/lib/*.py'
	rm -rf "$dst.tmp"
	touch "$dst/.done"
}

# The netfilter modules of one series into $build/nfmods/SERIES, with a
# file "order" naming them in load order. Kept apart from the kernel's own
# directory so that adding modules never unpacks the kernel again.
setup_nf_modules() {
	local series=$1 dst=$build/nfmods/$1 abi m f
	[ "$(cat "$dst/order" 2>/dev/null)" = \
	  "$(for m in "${NF_MODULES[@]}"; do basename "$m"; done)" ] && return
	# shellcheck source=/dev/null
	abi=$(. "$build/kernels/$series/env" && echo "$KVER")
	log "kernel $series: netfilter modules for the VM"
	rm -rf "$dst.tmp" && mkdir -p "$dst.tmp"
	dpkg-deb --fsys-tarfile "$(download "linux-image-$abi")" |
		tar -x -C "$dst.tmp" --wildcards \
			$(for m in "${NF_MODULES[@]}"; do echo "./lib/modules/*/kernel/$m.ko*"; done)
	for m in "${NF_MODULES[@]}"; do
		f=$(find "$dst.tmp" -name "$(basename "$m").ko*" | head -n 1)
		[ -n "$f" ] || { log "$series: no $m in the kernel image"; exit 1; }
		case $f in *.xz) xz -dc "$f" > "$dst.tmp/$(basename "$m").ko";;
			   *) mv "$f" "$dst.tmp/$(basename "$m").ko";; esac
		basename "$m" >> "$dst.tmp/order"
	done
	rm -rf "$dst.tmp/lib" "$dst" && mv "$dst.tmp" "$dst"
}

check_platform
install_packages
setup_kernel 6.1
setup_kernel 6.12
setup_nf_modules 6.1
setup_nf_modules 6.12
setup_linux_src

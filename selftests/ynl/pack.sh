# SPDX-License-Identifier: GPL-2.0
#
# Sourced by selftests/vm/mkinitramfs.sh (which defines $root, $top,
# $build and copy_bin): pack_ynl puts into the test VM's initramfs what
# tests/75-ynl.sh needs to drive the module through kmod/uapi/sipreg.yaml
# alone with the kernel's own ynl CLI: Debian's python3 with only the
# modules ynl uses (selftests/ynl/collect.py finds them: about 90 files,
# 2 MB), PyYAML, and tools/net/ynl from linux-source-6.12 as `make deps`
# unpacked it (YNL_SRC overrides). Without ynl or python3 it packs
# nothing, and the test skips.

pack_ynl() {
	local ynl=${YNL_SRC:-$build/linux-src/tools/net/ynl} py=/usr/bin/python3.11
	local f pyc list lib
	if [ ! -f "$ynl/cli.py" ] || [ ! -x $py ]; then
		echo "mkinitramfs: no ynl at $ynl or no $py ('make deps'): test 75-ynl will skip" >&2
		return 0
	fi
	list=$($py -I "$top/selftests/ynl/collect.py" "$ynl" "$top/kmod/uapi/sipreg.yaml" |
	       grep -v "^$top/") || { echo "mkinitramfs: collect.py failed" >&2; return 1; }
	copy_bin $py "$root/usr/bin"
	ln -sf python3.11 "$root/usr/bin/python3"
	for f in $list; do
		mkdir -p "$root$(dirname "$f")"
		case $f in
		*.so) cp -p "$f" "$root$f"
		      # copy_bin would stop at a module that needs no library
		      for lib in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*' || true); do
			      [ -e "$root$lib" ] && continue
			      mkdir -p "$root$(dirname "$lib")"
			      cp -L "$lib" "$root$lib"
		      done ;;
		*)    cp -p "$f" "$root$f"
		      # the compiled form, so that TCG does not compile it each time
		      pyc=$(dirname "$f")/__pycache__/$(basename "${f%.py}").cpython-311.pyc
		      if [ -f "$pyc" ]; then
			      mkdir -p "$root$(dirname "$pyc")"
			      cp -p "$pyc" "$root$pyc"
		      fi ;;
		esac
	done
	mkdir -p "$root/usr/lib/ynl/lib"
	cp "$ynl/cli.py" "$root/usr/lib/ynl/"
	cp "$ynl"/lib/*.py "$root/usr/lib/ynl/lib/"
	cp "$top/kmod/uapi/sipreg.yaml" "$root/sipreg/"
}

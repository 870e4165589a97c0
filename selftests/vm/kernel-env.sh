#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel-env.sh SERIES: prints the path of the env file (KVER, KDIR,
# VMLINUZ, and VETH_KO or MODULES: the modules the VM loads at boot) of one
# VM kernel: 6.1 and 6.12 are Debian's, unpacked by `make deps`; 6.12-debug
# is built from linux-source-6.12 by debug-kernel.sh (once per machine: it
# is cached outside the clone).
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}

case ${1:-} in
6.12-debug)
	# SIPREG_DEBUG_KERNEL_ENV=FILE: a debug kernel built some other way
	# (same variables; KDIR a built tree with Module.symvers).
	if [ -n "${SIPREG_DEBUG_KERNEL_ENV:-}" ]; then
		echo "$SIPREG_DEBUG_KERNEL_ENV"
		exit 0
	fi
	exec "$top/selftests/vm/debug-kernel.sh" ;;
6.1|6.12)
	env=$build/kernels/$1/env
	[ -f "$env" ] || { echo "no kernel $1 in $build/kernels: run 'make deps'" >&2; exit 1; }
	echo "$env" ;;
*)
	echo "unknown VM kernel '${1:-}': 6.1, 6.12 or 6.12-debug" >&2
	exit 1 ;;
esac

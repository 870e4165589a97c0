#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The YAML netlink spec agrees with the uapi header and the policies (TAP).
# Debian's python3, where make deps put python3-yaml (another python3
# earlier in PATH may lack it).
py=/usr/bin/python3
[ -x $py ] || py=python3
cd "$(dirname "$0")/../.." && exec $py selftests/netlink-spec-check.py .

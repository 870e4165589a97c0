#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The YAML netlink spec agrees with the uapi header and the policies (TAP).
cd "$(dirname "$0")/../.." && exec python3 selftests/netlink-spec-check.py .

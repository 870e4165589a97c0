# SPDX-License-Identifier: GPL-2.0
#
# make demo: the README's first command. On a fresh Debian 12 machine it
# installs what the project needs (make deps), builds the module for
# Debian's 6.1 kernel and the userspace programs, boots that kernel in
# QEMU and runs selftests/demo/demo.sh there: sipregd with 1000 users,
# the module in front of it, a registration load, and a short report.
# Sub-makes, so that what deps installs (headers, libnl) is seen by the
# build. DEMO_USERS, DEMO_RATE, DEMO_SECONDS reach the VM in demo.env,
# next to a copy of the script (the harness copies the script's folder).
DEMO_USERS ?=
DEMO_RATE ?=
DEMO_SECONDS ?=

.PHONY: demo
demo:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory userspace $(BUILD)/kmod-6.1/kmod/sipreg.ko
	@d=$$(mktemp -d) && cp selftests/demo/demo.sh $$d/ && \
	printf 'DEMO_USERS=%s\nDEMO_RATE=%s\nDEMO_SECONDS=%s\n' \
		'$(DEMO_USERS)' '$(DEMO_RATE)' '$(DEMO_SECONDS)' > $$d/demo.env && \
	selftests/vm/run.sh run 6.1 $$d/demo.sh; rc=$$?; rm -rf $$d; exit $$rc

# SPDX-License-Identifier: GPL-2.0
#
# Programs the VM tests run, not installed: sipreg-jsoncheck (a JSON
# validator: the VM has no jq) and sipreg-nobody (runs a program without
# privileges).
PROGS += sipreg-jsoncheck
sipreg-jsoncheck_SRCS := selftests/helpers/jsoncheck.c

PROGS += sipreg-nobody
sipreg-nobody_SRCS := selftests/helpers/nobody.c

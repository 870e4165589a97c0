# SPDX-License-Identifier: GPL-2.0
# sipreg-ua: one REGISTER, any field, the answer printed (tests, debugging).
PROGS += sipreg-ua
sipreg-ua_SRCS := userspace/sipreg-ua.c

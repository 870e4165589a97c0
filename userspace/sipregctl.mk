PROGS += sipregctl
sipregctl_SRCS := userspace/sipregctl.c
sipregctl_LDLIBS := $(LIBNL_LIBS)

// SPDX-License-Identifier: GPL-2.0
/*
 * failinject.so: LD_PRELOAD into a program under test to make one libc
 * call fail, chosen by SIPREG_FAIL:
 *   poll         every poll() fails with ENOMEM
 *   malloc=N     every malloc() of exactly N bytes returns NULL
 * so that a test can see what the program does then (exit status, log).
 * Built by the test that uses it (selftests/unit/sipregd-robust.sh).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

void *__libc_malloc(size_t n);

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	const char *f = getenv("SIPREG_FAIL");

	if (f && !strcmp(f, "poll")) {
		errno = ENOMEM;
		return -1;
	}
	return (int)syscall(SYS_poll, fds, nfds, timeout);
}

void *malloc(size_t n)
{
	const char *f = getenv("SIPREG_FAIL");

	if (f && !strncmp(f, "malloc=", 7) &&
	    strtoul(f + 7, NULL, 10) == n) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_malloc(n);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-nobody PROG ARGS: runs PROG as uid/gid 65534 with no capability,
 * for the VM tests of unprivileged access (busybox's setpriv cannot
 * change uids).
 */
#include <grp.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: sipreg-nobody PROG [ARGS]\n");
		return 1;
	}
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534)) {
		perror("sipreg-nobody");
		return 1;
	}
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}

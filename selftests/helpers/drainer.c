// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-drainer RATE: claims the miss channel of the current network
 * namespace and takes misses off its queue at RATE a second at most (0:
 * none), as a daemon of a known speed would; the storm valve's tests use
 * it to make the queue drain slowly or quickly. Prints "miss channel
 * claimed" once it holds the channel, then every second "taken N", and
 * runs until killed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <netlink/genl/ctrl.h>

#include "genl.h"
#include "sipreg.h"

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static int claim(struct nl_sock *sk)
{
	int family = genl_ctrl_resolve(sk, SIPREG_GENL_NAME);
	struct nl_msg *msg;
	int err;

	if (family < 0) {
		fprintf(stderr, "sipreg-drainer: no \"%s\" family: is sipreg.ko loaded?\n",
			SIPREG_GENL_NAME);
		return -1;
	}
	msg = sipreg_genl_request(family, SIPREG_CMD_DAEMON_CLAIM, 0, 0);
	if (!msg)
		return -1;
	err = nl_send_sync(sk, msg);
	if (err < 0) {
		fprintf(stderr, "sipreg-drainer: claim: %s\n", nl_geterror(err));
		return -1;
	}
	return 0;
}

/* One message off the queue, whatever it is (a miss, as it ends up). */
static void take(int fd)
{
	static char buf[65536];

	while (recv(fd, buf, sizeof(buf), 0) < 0 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	struct timespec gap = { 0 };
	long rate, taken = 0, next_log;
	struct nl_sock *sk;
	char *end;

	if (argc != 2 || (rate = strtol(argv[1], &end, 10)) < 0 || *end ||
	    rate > 100000) {
		fprintf(stderr, "usage: sipreg-drainer RATE (misses a second, 0..100000)\n");
		return 2;
	}
	sk = sipreg_genl_open(1 << 22, 0);
	if (!sk || claim(sk))
		return 1;
	printf("miss channel claimed\n");
	fflush(stdout);
	if (rate)
		gap.tv_nsec = 1000000000L / rate;
	next_log = now_ms() + 1000;
	for (;;) {
		nanosleep(rate ? &gap : &(struct timespec){ .tv_sec = 1 }, NULL);
		if (rate) {
			take(nl_socket_get_fd(sk));
			taken++;
		}
		if (now_ms() >= next_log) {
			printf("taken %ld\n", taken);
			fflush(stdout);
			next_log += 1000;
		}
	}
}

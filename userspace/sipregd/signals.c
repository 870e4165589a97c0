// SPDX-License-Identifier: GPL-2.0
/*
 * Signals as file descriptor events (signalfd), so the poll() loop sees
 * them between two datagrams: SIGHUP reloads, SIGUSR1 logs the counters,
 * SIGTERM and SIGINT stop.
 */
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "daemon.h"

int signals_open(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int signals_handle(struct daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			reload(d);
			continue;
		}
		if (si.ssi_signo == SIGUSR1) {
			daemon_log_stats(d);
			daemon_write_stats(d);
			continue;
		}
		log_msg(LOG_INFO, "signal %u: shutting down", si.ssi_signo);
		return 0;
	}
	return 1;
}

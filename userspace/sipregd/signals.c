// SPDX-License-Identifier: GPL-2.0
/*
 * Signals as file descriptor events (signalfd), so the poll() loop sees
 * them between two datagrams: SIGHUP reloads, SIGUSR1 logs the counters,
 * SIGTERM and SIGINT stop; worker 0 passes the first two on to the other
 * workers (workers_stop() the last), and stops when one of them ends
 * (SIGCHLD).
 */
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "daemon.h"

int signals_block(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGUSR1);
	sigaddset(set, SIGCHLD);
	return sigprocmask(SIG_BLOCK, set, NULL);
}

int signals_open(void)
{
	sigset_t set;

	if (signals_block(&set))
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int signals_handle(struct daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD) {
			if (workers_reap(d))
				continue;
			log_msg(LOG_ERR, "a worker ended: stopping all");
			d->worker_died = true;
			return 0;
		}
		/* every worker reloads, and logs its own counters */
		if (si.ssi_signo == SIGHUP) {
			workers_signal(d, SIGHUP);
			reload(d);
			continue;
		}
		if (si.ssi_signo == SIGUSR1) {
			workers_signal(d, SIGUSR1);
			daemon_log_stats(d);
			daemon_write_stats(d);
			continue;
		}
		log_msg(LOG_INFO, "signal %u: shutting down", si.ssi_signo);
		return 0;
	}
	return 1;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * "workers = N": N processes, each with its own UDP sockets (SO_REUSEPORT:
 * the kernel spreads the clients over them by their addresses), its own
 * registrar and its own connection to the one WAL database. The first
 * process is worker 0 and the supervisor: it forks the others, holds the
 * kernel's miss channel, serves TCP and TLS, purges, writes the stats
 * file, and passes SIGHUP, SIGUSR1 and SIGTERM on. A worker that dies
 * ends them all with a non-zero status: systemd's Restart=on-failure
 * then starts afresh, rather than a half-served port limping on. A worker
 * whose supervisor dies gets SIGTERM (PR_SET_PDEATHSIG).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"

/* How long the supervisor waits for the workers to stop, then kills. */
#define STOP_WAIT_MS	5000

/*
 * The schema (and a migration) before any worker opens the store, so
 * that they do not race to create or alter it.
 */
static int prepare_store(const struct daemon *d)
{
	char err[512];
	struct store *st = store_open(d->cfg.db, d->cfg.db_sync, err,
				      sizeof(err));

	if (!st) {
		fprintf(stderr, "sipregd: database %s\n", err);
		return -1;
	}
	store_close(st);
	return 0;
}

/* In the child: worker @i, to end with the supervisor. */
static void become_worker(struct daemon *d, unsigned int i, pid_t parent)
{
	d->cfg.worker = i;
	d->n_pids = 0;
	log_worker = (int)i;
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() != parent)
		_exit(EXIT_RUNTIME);	/* the supervisor is already gone */
}

int workers_start(struct daemon *d)
{
	pid_t parent = getpid(), pid;
	sigset_t set;
	unsigned int i;

	d->n_pids = 0;
	if (d->cfg.workers <= 1)
		return 0;
	if (prepare_store(d))
		return -1;
	/* blocked before the fork: none is lost before the signalfds exist */
	if (signals_block(&set))
		return -1;
	log_worker = 0;
	log_msg(LOG_INFO, "starting %u workers", d->cfg.workers);
	for (i = 1; i < d->cfg.workers; i++) {
		pid = fork();
		if (pid < 0) {
			log_msg(LOG_ERR, "fork of worker %u: %s", i,
				strerror(errno));
			return -1;
		}
		if (!pid) {
			become_worker(d, i, parent);
			return 0;
		}
		d->pids[d->n_pids++] = pid;
	}
	return 0;
}

void workers_signal(const struct daemon *d, int sig)
{
	unsigned int i;

	for (i = 0; i < d->n_pids; i++)
		if (d->pids[i] > 0)
			kill(d->pids[i], sig);
}

static unsigned int index_of(const struct daemon *d, pid_t pid)
{
	unsigned int i;

	for (i = 0; i < d->n_pids && d->pids[i] != pid; i++)
		;
	return i;
}

/* Logs how worker @i ended; true when it ended well (exit 0). */
static bool ended(unsigned int i, pid_t pid, int status)
{
	if (WIFEXITED(status) && !WEXITSTATUS(status)) {
		log_msg(LOG_INFO, "worker %u (pid %d) stopped", i + 1, pid);
		return true;
	}
	if (WIFEXITED(status))
		log_msg(LOG_ERR, "worker %u (pid %d) exited with status %d",
			i + 1, pid, WEXITSTATUS(status));
	else
		log_msg(LOG_ERR, "worker %u (pid %d) killed by signal %d (%s)",
			i + 1, pid, WTERMSIG(status),
			strsignal(WTERMSIG(status)));
	return false;
}

bool workers_reap(struct daemon *d)
{
	bool ok = true;
	unsigned int i;
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		i = index_of(d, pid);
		if (i == d->n_pids)
			continue;	/* not ours */
		d->pids[i] = -1;
		ended(i, pid, status);
		ok = false;	/* no worker may stop before the supervisor */
	}
	return ok;
}

static bool all_gone(const struct daemon *d)
{
	unsigned int i;

	for (i = 0; i < d->n_pids; i++)
		if (d->pids[i] > 0)
			return false;
	return true;
}

/* What is left of @ms from @start (CLOCK_MONOTONIC), in ms. */
static long left_ms(const struct timespec *start, long ms)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return ms - ((now.tv_sec - start->tv_sec) * 1000 +
		     (now.tv_nsec - start->tv_nsec) / 1000000);
}

int workers_stop(struct daemon *d, int rc)
{
	const struct timespec nap = { 0, 10 * 1000 * 1000 };
	struct timespec start;
	unsigned int i;
	int status;
	pid_t pid;

	if (!d->n_pids)
		return rc;
	workers_signal(d, SIGTERM);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!all_gone(d)) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid < 0 && errno != EINTR)
			break;
		if (pid <= 0) {
			if (left_ms(&start, STOP_WAIT_MS) > 0) {
				nanosleep(&nap, NULL);
				continue;
			}
			log_msg(LOG_ERR, "workers still running after %d ms: "
				"killing them", STOP_WAIT_MS);
			workers_signal(d, SIGKILL);
			rc = EXIT_RUNTIME;
			clock_gettime(CLOCK_MONOTONIC, &start);
			continue;
		}
		i = index_of(d, pid);
		if (i == d->n_pids)
			continue;
		d->pids[i] = -1;
		if (!ended(i, pid, status))
			rc = EXIT_RUNTIME;
	}
	d->n_pids = 0;
	return rc;
}

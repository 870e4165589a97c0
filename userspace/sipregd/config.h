/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sipregd's configuration: "key = value" lines, '#' comments, and the same
 * keys as --key=value flags, which override the file. Errors are printed
 * naming file:line (or the flag) and the key.
 */
#ifndef SIPREGD_DAEMON_CONFIG_H
#define SIPREGD_DAEMON_CONFIG_H

#include <limits.h>
#include <stdbool.h>

#include "registrar/registrar.h"
#include "log.h"
#include "store/store.h"

#define CONFIG_DEFAULT_FILE	"/etc/sipreg/sipregd.conf"
#define CONFIG_DEFAULT_DB	"/var/lib/sipreg/sipreg.db"
/* systemd's RuntimeDirectory=sipregd (dist/sipregd.service) */
#define CONFIG_DEFAULT_STATS	"/run/sipregd/stats"
#define CONFIG_LISTEN_MAX	8
#define CONFIG_ADDR_MAX		64
#define CONFIG_WORKERS_MAX	64
/*
 * db_busy_timeout's default with several workers (ms): a worker waits for
 * another's COMMIT, fsync included, rather than answer 503.
 */
#define CONFIG_WORKERS_BUSY_TIMEOUT	200

/* TCP and TLS listeners and their connections (transport_tcp.c, tls.c). */
struct stream_config {
	char tcp[CONFIG_LISTEN_MAX][CONFIG_ADDR_MAX];
	unsigned int n_tcp;
	char tls[CONFIG_LISTEN_MAX][CONFIG_ADDR_MAX];
	unsigned int n_tls;
	char tls_cert[PATH_MAX], tls_key[PATH_MAX], tls_ca[PATH_MAX];
	uint32_t tls_min_version;	/* 12 or 13: TLS 1.2 or 1.3 */
	bool tls_require_client_cert;	/* with tls_ca */
	uint32_t idle_timeout;		/* s without a whole message */
	uint32_t max_connections;	/* all streams */
	uint32_t max_per_source;	/* streams from one IP address */
	uint32_t max_message;		/* headers + body, bytes */
};

struct daemon_config {
	struct registrar_cfg reg;
	char listen[CONFIG_LISTEN_MAX][CONFIG_ADDR_MAX];
	unsigned int n_listen;
	struct stream_config stream;
	char db[PATH_MAX];
	enum store_sync db_sync;
	enum log_level log_level;
	unsigned int retrans_cache;	/* entries */
	uint32_t db_busy_timeout;	/* ms the daemon waits for a lock */
	bool kernel;			/* "kernel = auto": sync with sipreg.ko */
	uint32_t events_rcvbuf;		/* bytes, 0: default (tests shrink it) */
	char stats_file[PATH_MAX];	/* "": none (stats_file = off) */
	char metrics_listen[CONFIG_ADDR_MAX];	/* "": no metrics endpoint */
	bool flow_timer_given;		/* flow_timer set, not the default */
	bool db_busy_timeout_given;	/* db_busy_timeout set */
	unsigned int workers;		/* processes; 0: "auto", one per CPU */
	/* not a key: which worker this process is (workers.c), 0 the first */
	unsigned int worker;
	/* where each of reg.domains was given, for the errors naming both */
	char domain_where[REGISTRAR_DOMAINS_MAX][128];
};

void config_defaults(struct daemon_config *c);
/* Defaults that depend on other keys, once every key is read. */
void config_finish(struct daemon_config *c);
/* 0, or -1 after printing why. @where: "file:line" or "--flag". */
int config_set(struct daemon_config *c, const char *key, const char *val,
	       const char *where);
int config_load_file(struct daemon_config *c, const char *path);
/* Cross-key checks (min <= default <= max ...); 0 or -1 after printing. */
int config_check(const struct daemon_config *c);

#endif /* SIPREGD_DAEMON_CONFIG_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * SIGHUP: the configuration is read again (file and flags) and what can
 * change live goes to the registrar and kernel sync; the listen
 * addresses (UDP, TCP, TLS), the stream and TLS settings, the database
 * and the retransmission cache size stay until a
 * restart, with a warning naming them.
 */
#include <string.h>

#include "daemon.h"

#define CHANGED_U(name) do { \
	if (o->reg.name != n->reg.name) \
		log_msg(LOG_INFO, "reload: " #name " %u -> %u", \
			o->reg.name, n->reg.name); \
} while (0)

/* Domains added, removed, or given another realm: the whole new list. */
static void log_domains(const struct registrar_cfg *o,
			const struct registrar_cfg *n)
{
	unsigned int i;

	if (o->n_domains == n->n_domains &&
	    !memcmp(o->domains, n->domains, n->n_domains * sizeof(n->domains[0])))
		return;
	if (!n->n_domains)
		log_msg(LOG_INFO, "reload: no domain any more: realm %s for any "
			"Request-URI", n->realm);
	for (i = 0; i < n->n_domains; i++)
		log_msg(LOG_INFO, "reload: domain %u of %u: %s (realm %s)", i + 1,
			n->n_domains, n->domains[i].name, n->domains[i].realm);
}

static void log_changes(const struct daemon_config *o,
			const struct daemon_config *n)
{
	unsigned int i;
	bool listen = o->n_listen != n->n_listen;

	if (strcmp(o->reg.realm, n->reg.realm))
		log_msg(LOG_INFO, "reload: realm %s -> %s", o->reg.realm,
			n->reg.realm);
	log_domains(&o->reg, &n->reg);
	CHANGED_U(min_expires);
	CHANGED_U(default_expires);
	CHANGED_U(max_expires);
	CHANGED_U(max_contacts);
	CHANGED_U(nonce_lifetime);
	CHANGED_U(expiry_jitter);
	CHANGED_U(challenge_rate);
	CHANGED_U(challenge_burst);
	CHANGED_U(challenge_rate_global);
	CHANGED_U(flow_timer);
	if (o->db_busy_timeout != n->db_busy_timeout)
		log_msg(LOG_INFO, "reload: db_busy_timeout %u -> %u ms",
			o->db_busy_timeout, n->db_busy_timeout);
	if (o->reg.alg_md5 != n->reg.alg_md5 ||
	    o->reg.alg_sha256 != n->reg.alg_sha256 ||
	    o->reg.sha256_first != n->reg.sha256_first)
		log_msg(LOG_INFO, "reload: algorithms now%s%s%s",
			n->reg.alg_sha256 && n->reg.sha256_first ? " sha256" : "",
			n->reg.alg_md5 ? " md5" : "",
			n->reg.alg_sha256 && !n->reg.sha256_first ? " sha256" : "");
	if (o->log_level != n->log_level)
		log_msg(LOG_INFO, "reload: log_level %s -> %s",
			log_level_name(o->log_level),
			log_level_name(n->log_level));
	for (i = 0; !listen && i < n->n_listen; i++)
		listen = strcmp(o->listen[i], n->listen[i]);
	if (listen)
		log_msg(LOG_WARN, "reload: listen changed: needs a restart, "
			"still on the old addresses");
	/* every stream key: listeners, TLS files (re-read on restart), limits */
	if (memcmp(&o->stream, &n->stream, sizeof(o->stream)))
		log_msg(LOG_WARN, "reload: listen_tcp/listen_tls, tls_* or "
			"stream_* changed: needs a restart");
	if (strcmp(o->db, n->db) || o->db_sync != n->db_sync)
		log_msg(LOG_WARN, "reload: db/db_sync changed: needs a restart, "
			"still using %s", o->db);
	if (o->retrans_cache != n->retrans_cache ||
	    o->reg.retrans_bytes != n->reg.retrans_bytes)
		log_msg(LOG_WARN, "reload: retrans_cache changed: needs a restart");
	if (strcmp(o->metrics_listen, n->metrics_listen))
		log_msg(LOG_WARN, "reload: metrics_listen changed: needs a "
			"restart");
	if (o->workers != n->workers)
		log_msg(LOG_WARN, "reload: workers changed: needs a restart, "
			"still %u", o->workers);
	if (o->kernel != n->kernel)
		log_msg(LOG_INFO, "reload: kernel %s -> %s",
			o->kernel ? "auto" : "off", n->kernel ? "auto" : "off");
}

void reload(struct daemon *d)
{
	struct daemon_config n;
	unsigned int i;

	log_msg(LOG_INFO, "SIGHUP: reloading %s",
		d->cfg_file ? d->cfg_file : "flags (no config file)");
	if (args_load_config(d, &n)) {
		log_msg(LOG_ERR, "reload failed: keeping the running configuration");
		return;
	}
	log_changes(&d->cfg, &n);
	/* what cannot change live stays as it is */
	n.n_listen = d->cfg.n_listen;
	for (i = 0; i < n.n_listen; i++)
		strcpy(n.listen[i], d->cfg.listen[i]);
	n.stream = d->cfg.stream;
	strcpy(n.db, d->cfg.db);
	n.db_sync = d->cfg.db_sync;
	n.retrans_cache = d->cfg.retrans_cache;
	n.workers = d->cfg.workers;
	n.worker = d->cfg.worker;
	n.reg.retrans_bytes = d->cfg.reg.retrans_bytes;
	d->cfg = n;
	log_level = n.log_level;
	registrar_set_cfg(d->reg, &n.reg);
	store_set_busy_timeout(d->st, n.db_busy_timeout);
	kernel_set_config(d->kern, &n);
}

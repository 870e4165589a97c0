// SPDX-License-Identifier: GPL-2.0
/*
 * The PostgreSQL schema: the SQLite backend's tables, the triggers that
 * tell other gateways what changed (LISTEN/NOTIFY), and the view through
 * which Kamailio's usrloc reads the bindings. Made or migrated by the
 * first sipregd to connect, under an advisory lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_priv.h"

#define SCHEMA_VERSION	2
/* pg_advisory_lock key: 'sipr' 'egs' */
#define LOCK_SCHEMA	"1936290930, 6645619"

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS schema_version(version integer NOT NULL);"
	"CREATE TABLE IF NOT EXISTS users("
	" \"user\" text NOT NULL, realm text NOT NULL,"
	" ha1_md5 bytea, ha1_sha256 bytea,"
	" PRIMARY KEY(\"user\", realm));"
	/* SQLite's rowid: the order in which an AOR's contacts registered */
	"CREATE SEQUENCE IF NOT EXISTS bindings_seq;"
	"CREATE TABLE IF NOT EXISTS bindings("
	" aor text NOT NULL, contact text NOT NULL,"
	" call_id text NOT NULL, cseq bigint NOT NULL,"
	" expires bigint NOT NULL, updated bigint NOT NULL, q integer,"
	" instance text NOT NULL DEFAULT '', reg_id bigint NOT NULL DEFAULT 0,"
	" path text NOT NULL DEFAULT '', source text NOT NULL DEFAULT '',"
	" nc bigint NOT NULL DEFAULT 0,"
	" seq bigint NOT NULL DEFAULT nextval('bindings_seq'),"
	" PRIMARY KEY(aor, contact));"
	"CREATE INDEX IF NOT EXISTS bindings_expires ON bindings(expires);"
	"CREATE TABLE IF NOT EXISTS meta(key text PRIMARY KEY, value bytea);"
	"CREATE TABLE IF NOT EXISTS nonce_counts(key bytea PRIMARY KEY,"
	" nc bigint NOT NULL, time bigint NOT NULL);"
	"CREATE INDEX IF NOT EXISTS nonce_counts_time ON nonce_counts(time);"
	"CREATE TABLE IF NOT EXISTS gens(what text PRIMARY KEY,"
	" gen bigint NOT NULL);"
	"CREATE OR REPLACE FUNCTION sipreg_users_changed() RETURNS trigger"
	" LANGUAGE plpgsql AS $$ BEGIN"
	" INSERT INTO gens VALUES('users', 1) ON CONFLICT(what)"
	" DO UPDATE SET gen = gens.gen + 1;"
	" PERFORM pg_notify('sipreg', 'users'); RETURN NULL; END $$;"
	"CREATE OR REPLACE TRIGGER users_changed AFTER INSERT OR UPDATE OR"
	" DELETE ON users FOR EACH ROW EXECUTE FUNCTION sipreg_users_changed();"
	/*
	 * Every gateway installs the bindings the others wrote into its own
	 * kernel: the AOR of each changed row, once per transaction (equal
	 * notifications of one transaction are folded into one).
	 */
	"CREATE OR REPLACE FUNCTION sipreg_bindings_changed() RETURNS trigger"
	" LANGUAGE plpgsql AS $$ BEGIN"
	" IF TG_OP = 'DELETE' THEN PERFORM pg_notify('sipreg_aor', OLD.aor);"
	" ELSE PERFORM pg_notify('sipreg_aor', NEW.aor); END IF;"
	" IF TG_OP = 'UPDATE' AND OLD.aor <> NEW.aor THEN"
	"  PERFORM pg_notify('sipreg_aor', OLD.aor); END IF;"
	" RETURN NULL; END $$;"
	"CREATE OR REPLACE TRIGGER bindings_changed AFTER INSERT OR UPDATE OR"
	" DELETE ON bindings FOR EACH ROW"
	" EXECUTE FUNCTION sipreg_bindings_changed();"
	/*
	 * The bindings as Kamailio's usrloc reads them in DB-only mode
	 * (db_mode 3, table "location", version 9), so that a proxy on the
	 * same database routes calls to them with lookup("location"). Not
	 * made where a "location" table of a real usrloc already is.
	 * Timestamps are in the session's time zone, as Kamailio's
	 * db_postgres reads them (server and proxy must agree on it).
	 */
	"CREATE TABLE IF NOT EXISTS version(table_name varchar(32) NOT NULL,"
	" table_version integer DEFAULT 0 NOT NULL,"
	" CONSTRAINT version_table_name_idx UNIQUE (table_name));"
	"INSERT INTO version VALUES('location', 9)"
	" ON CONFLICT(table_name) DO NOTHING;"
	"DO $$ BEGIN"
	" IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'location'"
	"  AND relnamespace = current_schema()::regnamespace"
	"  AND relkind <> 'v') THEN"
	"  CREATE OR REPLACE VIEW location AS SELECT"
	"   (seq % 2147483647)::integer AS id,"
	"   'sipreg-' || seq AS ruid,"
	"   substring(aor FROM '^sips?:([^@]*)@')::varchar(64) AS username,"
	"   substring(aor FROM '@(.*)$')::varchar(64) AS domain,"
	"   contact::varchar(512) AS contact,"
	"   NULL::varchar(128) AS received,"
	"   NULLIF(path, '')::varchar(512) AS path,"
	"   to_timestamp(expires)::timestamp AS expires,"
	"   (COALESCE(q, 1000) / 1000.0)::real AS q,"
	"   call_id::varchar(255) AS callid, cseq::integer AS cseq,"
	"   to_timestamp(updated)::timestamp AS last_modified,"
	"   0 AS flags, 0 AS cflags, ''::varchar(255) AS user_agent,"
	"   NULL::varchar(64) AS socket, NULL::integer AS methods,"
	"   NULLIF(instance, '')::varchar(255) AS instance,"
	"   reg_id::integer AS reg_id, 0 AS server_id, 0 AS connection_id,"
	"   0 AS keepalive, 0 AS partition"
	"  FROM bindings;"
	" END IF; END $$;";

/* The schema's version in the database; 0 before the first gateway. */
static int schema_version(struct pg_store *st, int *ver)
{
	PGresult *res = PQexec(st->conn, "SELECT max(version) FROM"
			       " schema_version");
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	*ver = 0;
	if (PQresultStatus(res) == PGRES_TUPLES_OK) {
		if (!PQgetisnull(res, 0, 0))
			*ver = atoi(PQgetvalue(res, 0, 0));
		PQclear(res);
		return 0;
	}
	if (state && !strcmp(state, "42P01")) {	/* undefined_table */
		PQclear(res);
		return 0;
	}
	return pg_fail_res(st, "schema_version", res);
}

/*
 * Tables made, or brought to this version, under a session lock, so that
 * gateways started together do not make them at once; a database that is
 * up to date is only read (DDL takes locks the other gateways wait for).
 */
int pg_schema_make(struct pg_store *st)
{
	char cmd[64];
	int ver, rc;

	if (pg_exec_cmd(st, "SELECT pg_advisory_lock(" LOCK_SCHEMA ")"))
		return -1;
	rc = schema_version(st, &ver);
	if (!rc && ver > SCHEMA_VERSION)
		rc = pg_set_err(st, false, "schema_version", "the database's "
			     "schema is newer than this sipregd's");
	if (!rc && ver < SCHEMA_VERSION) {
		snprintf(cmd, sizeof(cmd),
			 "INSERT INTO schema_version VALUES(%d)", SCHEMA_VERSION);
		rc = pg_exec_cmd(st, "BEGIN");
		if (!rc)
			rc = pg_exec_cmd(st, schema);
		if (!rc)
			rc = pg_exec_cmd(st, cmd);
		rc = rc ? rc : pg_exec_cmd(st, "COMMIT");
		if (rc && st->conn)
			pg_exec_cmd(st, "ROLLBACK");
	}
	if (st->conn)
		pg_exec_cmd(st, "SELECT pg_advisory_unlock(" LOCK_SCHEMA ")");
	return rc;
}

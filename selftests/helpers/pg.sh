# SPDX-License-Identifier: GPL-2.0
#
# A throwaway PostgreSQL server for tests, from Debian's packages: its
# data and its Unix socket in a scratch directory, no TCP port, trust
# authentication, run as the "postgres" user (the server refuses root).
# Sourced; the caller stops it with pg_stop (from its EXIT trap).
#
#   pg_start DIR    -> sets PG_URI (for db = ...) or returns 1 with why;
#                      with PG_TCP_PORT set it also listens on
#                      127.0.0.1:PG_TCP_PORT (for clients that want TCP)
#   pg_restart      -> stops and starts the same server (fault tests)
#   pg_newdb NAME   -> an empty database NAME, its URI on stdout
#   pg_psql SQL [DB] -> runs SQL, prints rows as a|b|c
#   pg_stop

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PG_DIR=
PG_URI=

pg_as() { # runs a command as the server's user
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_available() {
	[ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || { echo "no PostgreSQL server (postgresql-15)"; return 1; }
	if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
		echo "no 'postgres' user to run the server as"; return 1
	fi
	return 0
}

pg_start() {
	local why
	why=$(pg_available) || { echo "$why" >&2; return 1; }
	PG_DIR=$1
	mkdir -p "$PG_DIR"
	[ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR"
	pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U sipreg --auth=trust \
		--no-sync -E UTF8 --locale=C > "$PG_DIR/initdb.log" 2>&1 ||
		{ cat "$PG_DIR/initdb.log" >&2; return 1; }
	# fsync stays on: the tests kill gateways, and what they check is
	# that acknowledged registrations survive.
	pg_ctl_start || { cat "$PG_DIR/server.log" >&2; return 1; }
	pg_as "$PG_BIN/createdb" -h "$PG_DIR" -p "${PG_TCP_PORT:-5432}" -U sipreg sipreg || return 1
	PG_URI="postgresql://sipreg@/sipreg?host=$PG_DIR&port=${PG_TCP_PORT:-5432}"
}

pg_ctl_start() {
	local o="-k $PG_DIR -c listen_addresses="
	[ -n "${PG_TCP_PORT:-}" ] && o="-k $PG_DIR -c listen_addresses=127.0.0.1 -p $PG_TCP_PORT"
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
		-o "$o" start > /dev/null
}

pg_restart() { # MODE: fast (default) or immediate (a crash)
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m "${1:-fast}" -w stop > /dev/null &&
		pg_ctl_start
}

pg_newdb() { # NAME: an empty database; prints its URI
	pg_as "$PG_BIN/createdb" -h "$PG_DIR" -p "${PG_TCP_PORT:-5432}" -U sipreg "$1" &&
		echo "postgresql://sipreg@/$1?host=$PG_DIR&port=${PG_TCP_PORT:-5432}"
}

pg_psql() { # SQL on the test database
	pg_as "$PG_BIN/psql" -X -q -A -t -h "$PG_DIR" -p "${PG_TCP_PORT:-5432}" \
		-U sipreg -d "${2:-sipreg}" -c "$1"
}

pg_stop() {
	[ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ] &&
		pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop > /dev/null 2>&1
	PG_URI=
}

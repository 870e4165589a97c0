#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# setup-db.sh DB N [options]: creates the SQLite database of the reference
# Kamailio (kamailio.cfg) with N subscribers named like sipreg-load's
# users, so both sides agree without a user list.
#   --realm R             realm (default sipreg.test)
#   --user-pattern P      default user%06d (printf, one integer)
#   --password-pattern P  default pw%06d
#   --first N             first user number (default 1)
#   --algorithm A         md5 (default) or sha256: the hash in column ha1
#   --add USER:PASSWORD   one more subscriber (e.g. sipp:sipp for sipp, whose
#                         [authentication] cannot take per-call users, sipp
#                         issue #640)
# Schema: Kamailio's own (standard-create.sql, auth_db-create.sql) when the
# package has it. ha1 = H(user:realm:password), ha1b = H(user@realm:realm:
# password) as kamctl writes them. Needs sqlite3 and perl.
set -euo pipefail

usage() { echo "usage: $0 DB N [--realm R] [--user-pattern P] [--password-pattern P] [--first N] [--algorithm md5|sha256]" >&2; exit 1; }
[ $# -ge 2 ] || usage
db=$1 n=$2
shift 2
realm=sipreg.test upat='user%06d' ppat='pw%06d' first=1 alg=md5 add=""
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case $1 in
	--realm) realm=$2 ;;
	--user-pattern) upat=$2 ;;
	--password-pattern) ppat=$2 ;;
	--first) first=$2 ;;
	--algorithm) alg=$2 ;;
	--add) add=$2 ;;
	*) usage ;;
	esac
	shift 2
done
case $n$first in *[!0-9]*) echo "$0: N and --first must be numbers" >&2; exit 1 ;; esac
case $alg in md5|sha256) ;; *) echo "$0: --algorithm: md5 or sha256" >&2; exit 1 ;; esac
for t in sqlite3 perl; do
	command -v $t >/dev/null || { echo "$0: $t not found" >&2; exit 2; }
done

schema=/usr/share/kamailio/db_sqlite
rm -f "$db"
{
	if [ -r $schema/standard-create.sql ] && [ -r $schema/auth_db-create.sql ]; then
		cat $schema/standard-create.sql $schema/auth_db-create.sql
	else
		cat <<'SQL'
CREATE TABLE version (id INTEGER PRIMARY KEY NOT NULL, table_name VARCHAR(32) NOT NULL,
  table_version INTEGER DEFAULT 0 NOT NULL, CONSTRAINT version_table_name_idx UNIQUE (table_name));
INSERT INTO version (table_name, table_version) values ('version','1');
CREATE TABLE subscriber (id INTEGER PRIMARY KEY NOT NULL, username VARCHAR(64) DEFAULT '' NOT NULL,
  domain VARCHAR(64) DEFAULT '' NOT NULL, password VARCHAR(64) DEFAULT '' NOT NULL,
  ha1 VARCHAR(128) DEFAULT '' NOT NULL, ha1b VARCHAR(128) DEFAULT '' NOT NULL,
  CONSTRAINT subscriber_account_idx UNIQUE (username, domain));
CREATE INDEX subscriber_username_idx ON subscriber (username);
INSERT INTO version (table_name, table_version) values ('subscriber','7');
SQL
	fi
	echo "BEGIN;"
	N=$n FIRST=$first REALM=$realm UPAT=$upat PPAT=$ppat ALG=$alg ADD=$add perl -e '
		use Digest::MD5 qw(md5_hex);
		use Digest::SHA qw(sha256_hex);
		my $h = $ENV{ALG} eq "sha256" ? \&sha256_hex : \&md5_hex;
		my $r = $ENV{REALM};
		sub row {
			my ($u, $p) = @_;
			my @v = ($u, $r, $p, $h->("$u:$r:$p"), $h->("$u\@$r:$r:$p"));
			s/\x27/\x27\x27/g for @v;
			printf("INSERT INTO subscriber (username, domain, password, ha1, ha1b) VALUES (%s);\n",
			       join(", ", map { "\x27$_\x27" } @v));
		}
		for my $i ($ENV{FIRST} .. $ENV{FIRST} + $ENV{N} - 1) {
			row(sprintf($ENV{UPAT}, $i), sprintf($ENV{PPAT}, $i));
		}
		row(split(/:/, $ENV{ADD}, 2)) if $ENV{ADD} ne "";'
	echo "COMMIT;"
} | sqlite3 "$db"

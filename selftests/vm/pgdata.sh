# SPDX-License-Identifier: GPL-2.0
#
# pack_postgres PGBIN: sourced by mkinitramfs.sh ($root, $build, copy_bin
# set). Puts the PostgreSQL server into the VM image with a ready data
# directory at /var/lib/sipreg-pg, a superuser "sipreg" (trust on the
# Unix socket in /tmp/pg, no TCP), and /etc/passwd and /etc/group lines
# for "postgres", which the server runs as (it refuses root).
pack_postgres() {
	local bin=$1 ver data uid gid tmp
	ver=$(basename "$(dirname "$bin")")
	uid=$(id -u postgres)
	gid=$(id -g postgres)
	data=$build/vm/pgdata-$ver
	# Two VMs' images may be packed at once: each makes its own, the
	# first rename wins, the other's is dropped.
	if [ ! -f "$data/PG_VERSION" ]; then
		tmp=$data.tmp.$$
		rm -rf "$tmp"
		mkdir -p "$tmp"
		chown postgres: "$tmp"
		runuser -u postgres -- "$bin/initdb" -D "$tmp" -U sipreg \
			--auth=trust --no-sync -E UTF8 --locale=C \
			--wal-segsize=1 > "$tmp.log" 2>&1 ||
			{ cat "$tmp.log" >&2; rm -rf "$tmp" "$tmp.log"; return 1; }
		rm -f "$tmp.log"
		# small, no TCP, its socket in /tmp/pg; tmpfs has no /dev/shm
		cat >> "$tmp/postgresql.conf" <<EOC
listen_addresses = ''
unix_socket_directories = '/tmp/pg'
shared_buffers = 16MB
max_connections = 30
dynamic_shared_memory_type = mmap
max_wal_size = 32MB
min_wal_size = 4MB
timezone = 'UTC'
log_timezone = 'UTC'
EOC
		mv -T "$tmp" "$data" 2>/dev/null || rm -rf "$tmp"
	fi
	mkdir -p "$root$bin" "$root/usr/lib/postgresql/$ver/lib" \
		"$root/usr/share/postgresql" "$root/usr/share/zoneinfo/Etc" \
		"$root/var/lib"
	copy_bin "$bin/postgres" "$root$bin"
	cp "$(dirname "$bin")/lib/plpgsql.so" "$root/usr/lib/postgresql/$ver/lib/"
	cp -r "/usr/share/postgresql/$ver" "$root/usr/share/postgresql/"
	cp -L /usr/share/zoneinfo/UTC "$root/usr/share/zoneinfo/UTC"
	cp -L /usr/share/zoneinfo/UTC "$root/usr/share/zoneinfo/Etc/UTC"
	cp -a "$data" "$root/var/lib/sipreg-pg"
	echo "PG_BIN=$bin PG_UID=$uid PG_GID=$gid" > "$root/etc/sipreg-pg"
	grep -q '^root:' "$root/etc/passwd" 2>/dev/null ||
		echo "root:x:0:0:root:/root:/bin/sh" >> "$root/etc/passwd"
	echo "postgres:x:$uid:$gid:PostgreSQL:/tmp:/bin/sh" >> "$root/etc/passwd"
	grep -q '^root:' "$root/etc/group" 2>/dev/null ||
		echo "root:x:0:" >> "$root/etc/group"
	echo "postgres:x:$gid:" >> "$root/etc/group"
}

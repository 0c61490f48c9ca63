#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL 15 server, then stops it:
#
#   .ci/postgres.sh cargo test -j2 --all-features
#
# The server lives in a temporary directory, listens on a free port of
# 127.0.0.1 only, has pg_trgm installed in its database `hsq_test`, and is
# stopped (and its directory removed) by a trap on exit, whatever happens.
# The command finds it through HSQ_TEST_DATABASE_URL. Where the binaries
# are missing and this runs as root, `apt-get install postgresql` brings
# them. Durability is off (fsync, full-page writes): the data is thrown away.
# HSQ_PG_DURABLE=1 keeps PostgreSQL's durable defaults (for benchmarks).
# HSQ_PG_HUGE_PAGES=1 puts the server's shared memory on 2 MB huge pages
# (huge_pages=on), reserving them first when this runs as root and the
# machine has too few (vm.nr_hugepages, put back on exit): a new server
# process then maps the shared buffers with a few hundred page faults
# instead of thousands, which PostgreSQL's documentation recommends and
# BENCHMARKS.md (section 7) measures.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$PG_BIN/initdb" ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "postgres.sh: installing PostgreSQL" >&2
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    fi
    # Another release may ship another major version: take the newest there is.
    if [ ! -x "$PG_BIN/initdb" ]; then
        newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
        [ -n "$newest" ] && PG_BIN=$newest
    fi
    if [ ! -x "$PG_BIN/initdb" ]; then
        echo "postgres.sh: PostgreSQL is not installed ($PG_BIN/initdb is missing)" >&2
        exit 1
    fi
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/hsq-pg.XXXXXX")
# initdb refuses to run as root: run the server as the `postgres` user then.
if [ "$(id -u)" = 0 ]; then
    chown postgres "$dir"
    as_server() { runuser -u postgres -- "$@"; }
else
    as_server() { "$@"; }
fi

hugepages_before=
stop() {
    as_server "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    if [ -n "$hugepages_before" ]; then
        echo "$hugepages_before" >/proc/sys/vm/nr_hugepages 2>/dev/null || true
    fi
}
trap stop EXIT

password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$password" >"$dir/pwfile"
chmod 600 "$dir/pwfile"
[ "$(id -u)" = 0 ] && chown postgres "$dir/pwfile"
as_server "$PG_BIN/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
    -E UTF8 --locale=C.UTF-8 --auth=scram-sha-256 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
rm -f "$dir/pwfile"

# A free port: ask the kernel for one.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
    echo $((20000 + RANDOM % 20000)))
options="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200"
if [ "${HSQ_PG_DURABLE:-0}" != 1 ]; then
    options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi
if [ "${HSQ_PG_HUGE_PAGES:-0}" = 1 ]; then
    # 128 MB of shared buffers and the rest of the shared memory: 80 pages.
    have=$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0)
    if [ "$have" -lt 80 ] && [ "$(id -u)" = 0 ]; then
        hugepages_before=$have
        echo $((have + 80)) >/proc/sys/vm/nr_hugepages ||
            { echo "postgres.sh: cannot reserve huge pages" >&2; exit 1; }
    fi
    options="$options -c huge_pages=on"
fi
as_server "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$options" start >/dev/null ||
    { cat "$dir/server.log" >&2; exit 1; }

export PGPASSWORD=$password
psql_() { "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }
psql_ -d postgres -c "CREATE DATABASE hsq_test"
psql_ -d hsq_test -c "CREATE EXTENSION pg_trgm"
unset PGPASSWORD

export HSQ_TEST_DATABASE_URL="postgresql://postgres:$password@127.0.0.1:$port/hsq_test"
echo "postgres.sh: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
"$@"

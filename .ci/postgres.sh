#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, in one folder, listening on a unix socket there
# only (no TCP port). Used by .ci/run and by hand:
#   .ci/postgres.sh start DIR   # initdb DIR (if new), start; prints the URL to export
#   .ci/postgres.sh stop DIR    # stop the server (the folder stays; rm -rf it when done)
# initdb refuses to run as root, so as root the cluster belongs to the `postgres` user that
# Debian's package creates. Local connections are trusted: the socket is in DIR, mode 0700
# apart from the socket itself.
set -euo pipefail
action=${1:?usage: postgres.sh start|stop DIR}
dir=${2:?usage: postgres.sh start|stop DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ]; then
    echo "postgres.sh: no PostgreSQL under /usr/lib/postgresql; apt-get install postgresql" >&2
    exit 1
fi
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case $action in
start)
    mkdir -p "$dir"
    chmod 700 "$dir"  # connections are trusted: only the owner may reach the socket
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-c listen_addresses='' -k $dir -c fsync=off -c max_connections=50" start >/dev/null
    echo "postgresql:///postgres?host=$dir&user=postgres"
    ;;
stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
    ;;
*)
    echo "usage: postgres.sh start|stop DIR" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# pg_cluster.sh - a throwaway PostgreSQL cluster for the server store's tests.
#
#   pg_cluster.sh start STATE   initdb in a new temporary folder, pg_ctl start on a free port of
#                               127.0.0.1 (no socket file outside that folder), a database
#                               `teilhabe`; prints its URL and keeps it in STATE/url
#   pg_cluster.sh stop STATE    stops the cluster and removes its folder (also after a failed run)
#   pg_cluster.sh run STATE CMD...
#                               runs CMD with TK_PG_URL naming a fresh database of the cluster
#                               (and TK_PG_RESTART, the command that restarts it); exit 77
#                               (ctest: skipped) when PostgreSQL is not installed
#   pg_cluster.sh restart STATE stops and starts the cluster on its port (a database restart
#                               under running servers)
#
# PostgreSQL refuses to run as root: when started by root (the test command), the cluster runs
# as the unprivileged user tkpg, made here when missing. ctest runs start and stop as a
# FIXTURES_SETUP / FIXTURES_CLEANUP pair (tests/CMakeLists.txt).
set -euo pipefail

mode=${1:-}
state=${2:-}
[ -n "$mode" ] && [ -n "$state" ] || { echo "usage: pg_cluster.sh start|stop|run|restart STATE [CMD...]" >&2; exit 2; }

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "pg_cluster: PostgreSQL is not installed (Debian: apt-get install postgresql); the PostgreSQL tests are skipped"
    [ "$mode" = run ] && exit 77
    exit 0
fi

# Commands of the cluster run as its owner.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u tkpg -- "$@"; else "$@"; fi
}

case "$mode" in
start)
    mkdir -p "$state"
    if [ -f "$state/dir" ]; then "$0" stop "$state" >/dev/null 2>&1 || true; fi
    if [ "$(id -u)" -eq 0 ] && ! id tkpg >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin tkpg
    fi
    dir=$(mktemp -d "${TMPDIR:-/tmp}/tk-pg.XXXXXX")
    echo "$dir" > "$state/dir"
    [ "$(id -u)" -eq 0 ] && chown tkpg "$dir"
    chmod 700 "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" -U tk --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    # A free port: bind port 0, read what the kernel gave, let it go. PostgreSQL takes it a
    # moment later; a clash (rare) fails the start loudly rather than silently.
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200" start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U tk teilhabe
    echo "postgresql://tk@127.0.0.1:$port/teilhabe" > "$state/url"
    echo "$port" > "$state/port"
    cat "$state/url"
    ;;
stop)
    [ -f "$state/dir" ] || exit 0
    dir=$(cat "$state/dir")
    if [ -d "$dir/data" ]; then as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
    case "$dir" in */tk-pg.*) rm -rf "$dir" ;; esac
    rm -f "$state/dir" "$state/url" "$state/port"
    echo "pg_cluster: stopped"
    ;;
restart)
    [ -f "$state/dir" ] || { echo "pg_cluster: no cluster running for $state" >&2; exit 1; }
    dir=$(cat "$state/dir")
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w -t 60 restart >/dev/null \
        || { tail -n 20 "$dir/server.log" >&2; exit 1; }
    ;;
run)
    shift 2
    [ -f "$state/url" ] || { echo "pg_cluster: no cluster running for $state (pg_cluster.sh start $state)" >&2; exit 1; }
    port=$(cat "$state/port")
    db="run_$$_$RANDOM"
    as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U tk "$db"
    export TK_PG_URL="postgresql://tk@127.0.0.1:$port/$db"
    export TK_PG_BIN="$bindir"
    export TK_PG_RESTART="bash $0 restart $state"
    exec "$@"
    ;;
*)
    echo "pg_cluster.sh: unknown mode '$mode' (start, stop, run, restart)" >&2
    exit 2
    ;;
esac

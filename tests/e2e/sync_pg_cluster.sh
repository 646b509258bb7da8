#!/usr/bin/env bash
# sync_pg_cluster.sh - three `teilhabe-server` processes on one PostgreSQL database, 40 kiosks
# uploading at once with retries, one server SIGKILLed mid-ingest and started again; then every
# record is stored exactly once and every kiosk took a valid receipt for each of its records
# (counted in the database and in the vaults). Before that, `migrate` moves a SQLite store
# into the database; after it, the database restarts under the running servers and each of
# them stores again. Run by ctest through tests/common/pg_cluster.sh (TK_PG_URL, TK_PG_BIN,
# TK_PG_RESTART).
source "$(dirname "$0")/sync_common.bash"
: "${TK_PG_URL:?TK_PG_URL must name an empty PostgreSQL database (tests/common/pg_cluster.sh run)}"
PSQL="${TK_PG_BIN:-/usr/lib/postgresql/15/bin}/psql"
KIOSKS=40
N=30          # records per kiosk
PIDS=()       # the three servers
trap 'for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done; cleanup' EXIT
pg() { "$PSQL" -X -A -t -q "$TK_PG_URL" -c "$1"; }

# 1. migrate: a SQLite store with two kiosks' records into the (empty) database.
make_kiosk "$WORK/m1" 7
make_kiosk "$WORK/m2" 5
start_server
enrol "$WORK/m1" Rathaus
enrol "$WORK/m2" Schule
for k in m1 m2; do "$T" sync --data "$WORK/$k" --server "$URL" --quiet >/dev/null || fail "sync $k to SQLite"; done
stop_server
"$S" migrate --from "sqlite:$WORK/srv" --to "$TK_PG_URL" >"$WORK/migrate.out" 2>&1 || fail "migrate: $(cat "$WORK/migrate.out")"
grep -q "devices 2, .*records 12" "$WORK/migrate.out" || fail "migrate said: $(cat "$WORK/migrate.out")"
[ "$(pg "SELECT count(*) FROM records")" = 12 ] || fail "PostgreSQL holds $(pg "SELECT count(*) FROM records") records after migrate"
[ "$(sql "SELECT count(*) FROM records")" = 12 ] || fail "migrate changed the SQLite store"
# The same sealed bytes on both sides.
a=$(sql "SELECT group_concat(lower(hex(wire)), '') FROM (SELECT wire FROM records ORDER BY device, seq)" | sha256sum)
b=$(pg "SELECT string_agg(encode(wire, 'hex'), '' ORDER BY device, seq) FROM records" | sha256sum)
[ "$a" = "$b" ] || fail "the migrated records differ from the SQLite store's"
if "$S" migrate --from "sqlite:$WORK/srv" --to "$TK_PG_URL" >"$WORK/migrate2.out" 2>&1; then fail "migrate into a used database"; fi
grep -q "not empty" "$WORK/migrate2.out" || fail "second migrate said: $(cat "$WORK/migrate2.out")"
step "1 migrate: 12 records moved, byte for byte; a second migrate refused"

# 2. Three servers on the database, all with the data folder's key.
declare -a PORTS
start_one() { # I [PORT]
    local i=$1 port=${2:-0} p=""
    : >"$WORK/s$i.out"
    "$S" serve --data "$WORK/srv" --store "$TK_PG_URL" --listen "127.0.0.1:$port" --rate 1000 --threads 8 \
        >"$WORK/s$i.out" 2>>"$WORK/s$i.err" &
    PIDS[$i]=$!
    for _ in $(seq 100); do
        p=$(sed -n 's/.*127\.0\.0\.1:\([0-9][0-9]*\),.*/\1/p' "$WORK/s$i.out")
        [ -n "$p" ] && break
        sleep 0.1
    done
    [ -n "$p" ] || fail "server $i did not start: $(tail -n 5 "$WORK/s$i.err")"
    PORTS[$i]=$p
}
for i in 0 1 2; do start_one $i; done
URL="http://127.0.0.1:${PORTS[0]}"
for i in 0 1 2; do
    fp=$(sed -n 's/.*server fingerprint \([^ ]*\).*/\1/p' "$WORK/s$i.out")
    [ "$fp" = "$(sed -n 's/.*server fingerprint \([^ ]*\).*/\1/p' "$WORK/s0.out")" ] || fail "server $i has another key"
done
# The kiosks that were migrated go on against the new servers.
"$T" vault fill-demo --data "$WORK/m1" --count 3 >/dev/null
"$T" sync --data "$WORK/m1" --server "http://127.0.0.1:${PORTS[1]}" --quiet >/dev/null || fail "m1 after migrate"
step "2 three servers on one database (ports ${PORTS[*]}); a migrated kiosk syncs on"

# 3. 40 kiosks, enrolled at any of the servers.
for k in $(seq $KIOSKS); do
    make_kiosk "$WORK/k$k" $N
    code=$("$S" enrol --data "$WORK/srv" --store "$TK_PG_URL" --site "site$((k % 4))" 2>/dev/null) || fail "enrol code $k"
    "$T" enrol --data "$WORK/k$k" --server "http://127.0.0.1:${PORTS[$((k % 3))]}" --code "$code" >/dev/null \
        || fail "kiosk enrol $k"
done
step "3 $KIOSKS kiosks enrolled"

# 4. All upload at once in small batches, each attempt at the next server; a failed attempt
#    (the killed server, a refused connection) is retried at another.
echo "${PORTS[*]}" >"$WORK/ports"
kiosk_loop() { # K
    local k=$1 a ports
    for a in $(seq 60); do
        read -r -a ports <"$WORK/ports"
        if "$T" sync --data "$WORK/k$k" --server "http://127.0.0.1:${ports[$(((k + a) % 3))]}" --batch 3 --quiet \
            >>"$WORK/k$k.sync" 2>&1 && [ "$(unsynced "$WORK/k$k")" = 0 ]; then
            echo "$a" >"$WORK/k$k.done"
            return 0
        fi
        sleep 0.2
    done
    return 1
}
LOOPS=()
for k in $(seq $KIOSKS); do kiosk_loop "$k" & LOOPS+=($!); done
# SIGKILL server 1 once uploads are flowing, then start it again on its port.
for _ in $(seq 300); do [ "$(pg "SELECT count(*) FROM records")" -gt 200 ] && break; sleep 0.05; done
held=$(pg "SELECT count(*) FROM records")
kill -KILL "${PIDS[1]}"
before_kill=$(grep -c 'POST /v1/bundles 200' "$WORK/s1.err" || true)
wait "${PIDS[1]}" 2>/dev/null || true
[ "$held" -lt $((KIOSKS * N)) ] || fail "all records were in before the kill (make N larger)"
[ "$before_kill" -gt 0 ] || fail "server 1 had stored nothing before it was killed"
sleep 1
start_one 1 "${PORTS[1]}"
step "4 server 1 killed at $held of $((KIOSKS * N)) records (after $before_kill uploads of its own), started again"
failed=0
for p in "${LOOPS[@]}"; do wait "$p" || failed=$((failed + 1)); done
[ "$failed" = 0 ] || fail "$failed kiosks did not finish: $(cat "$WORK"/k*.sync | grep -v '^$' | tail -n 5)"
# (The sync client retries a dropped connection itself: a kiosk whose upload the kill cut may
# still finish in its first attempt, once server 1 is back. How many needed another: printed.)
retried=$(cat "$WORK"/k*.done | awk '$1 > 1' | wc -l)
served=0
for i in 0 1 2; do
    n=$(grep -c 'POST /v1/bundles 200' "$WORK/s$i.err" || true)
    [ "$n" -gt 0 ] || fail "server $i stored nothing"
    served=$((served + n))
done

# 5. Counted: every record once, every kiosk fully acknowledged by signed receipts.
total=$((KIOSKS * N + 15))
[ "$(pg "SELECT count(*) FROM records")" = "$total" ] || fail "the database holds $(pg "SELECT count(*) FROM records") records, expected $total"
[ "$(pg "SELECT count(*) FROM (SELECT DISTINCT device, seq FROM records) x")" = "$total" ] || fail "a record id twice"
[ "$(pg "SELECT count(DISTINCT hash) FROM records")" = "$total" ] || fail "the same record under two ids"
[ "$(pg "SELECT count(*) FROM devices d WHERE d.last_seq != (SELECT count(*) FROM records r WHERE r.device = d.pk)")" = 0 ] \
    || fail "a device's chain head does not match its records"
unsynced_sum=0
for k in $(seq $KIOSKS); do
    u=$(unsynced "$WORK/k$k")
    unsynced_sum=$((unsynced_sum + u))
    # The vault marks records synced only under a receipt signed by the enrolled server key,
    # naming the hash of its own newest record: all N here means every batch was receipted.
    grep -q "synced up to record $N," "$WORK/k$k.sync" || fail "kiosk $k: no receipt up to record $N"
done
[ "$unsynced_sum" = 0 ] || fail "$unsynced_sum records unsynced on the kiosks"
step "5 $total records stored once each; $KIOSKS kiosks hold receipts up to record $N; $served uploads stored over 3 servers, $retried kiosks needed another attempt"

# 6. The database restarts under the three servers: each takes uploads again (its connection
#    is opened anew between transactions), nothing is lost or doubled.
if [ -n "${TK_PG_RESTART:-}" ]; then
    $TK_PG_RESTART || fail "restarting PostgreSQL"
    for i in 0 1 2; do
        k=$((i + 1))
        "$T" vault fill-demo --data "$WORK/k$k" --count 2 >/dev/null
        ok=""
        for _ in 1 2 3; do
            if "$T" sync --data "$WORK/k$k" --server "http://127.0.0.1:${PORTS[$i]}" --quiet >>"$WORK/restart.sync" 2>&1 \
                && [ "$(unsynced "$WORK/k$k")" = 0 ]; then ok=1; break; fi
            sleep 0.5
        done
        [ -n "$ok" ] || fail "server $i after the database restart: $(tail -n 3 "$WORK/restart.sync")"
    done
    [ "$(pg "SELECT count(*) FROM records")" = $((total + 6)) ] || fail "after the restart: $(pg "SELECT count(*) FROM records") records"
    step "6 PostgreSQL restarted under the servers; each stored again, $((total + 6)) records once each"
fi

#!/usr/bin/env bash
# server_ops.sh - running the server and kiosk for real, with the real binaries:
#   --version of every program is project(VERSION) in CMakeLists.txt;
#   `serve --config FILE` reads server.conf, options on the command line win;
#   under systemd's protocol (a datagram socket as NOTIFY_SOCKET) the server says READY=1 once
#   it listens, WATCHDOG=1 at half of WATCHDOG_USEC, STOPPING=1 on SIGTERM;
#   one log line per request on stderr;
#   `backup` while it serves, `restore` refused while it serves, and the round trip;
#   `teilhabe vault backup/restore` the same for a kiosk's vault;
#   the fleet verbs: `status --json`, `codes`, `target`, `revoke` (a revoked kiosk's next sync is
#   refused with the reason, by the running server), GET /metrics.
source "$(dirname "$0")/sync_common.bash"

version=$(sed -n 's/^project(teilhabe_kiosk VERSION \([0-9.]*\).*/\1/p' "$TK_SOURCE_DIR/CMakeLists.txt")
[ -n "$version" ] || fail "no project(VERSION) in CMakeLists.txt"
[ "$("$S" --version)" = "teilhabe-server $version" ] || fail "teilhabe-server --version: $("$S" --version)"
[ "$("$T" --version)" = "teilhabe $version" ] || fail "teilhabe --version: $("$T" --version)"
K="$BUILD/kiosk/teilhabe-kiosk"
if [ -x "$K" ]; then
    [ "$("$K" --version)" = "teilhabe-kiosk $version" ] || fail "teilhabe-kiosk --version: $("$K" --version)"
    "$K" --help 2>&1 | grep -- "--version" >/dev/null || fail "teilhabe-kiosk --help does not list --version"
fi
step "--version: $version everywhere"

# The notify socket: a small listener that writes each datagram as one line.
cat >"$WORK/listen.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
out = open(sys.argv[2], "a", buffering=1)
while True:
    out.write(s.recv(4096).decode().replace("\n", " ") + "\n")
PY
python3 "$WORK/listen.py" "$WORK/notify.sock" "$WORK/notify.log" &
LISTENER=$!
trap 'kill $LISTENER 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 50); do [ -S "$WORK/notify.sock" ] && break; sleep 0.1; done

# server.conf as shipped, with the listen address of this test; --rate on the command line wins.
sed -e 's/^LISTEN=.*/LISTEN = 127.0.0.1:0/' "$TK_SOURCE_DIR/packaging/server/server.conf" >"$WORK/server.conf"
echo "DATA=$WORK/srv" >>"$WORK/server.conf"
NOTIFY_SOCKET="$WORK/notify.sock" WATCHDOG_USEC=400000 start_server_with serve --config "$WORK/server.conf" --rate 5
for _ in $(seq 50); do grep -q "^WATCHDOG=1" "$WORK/notify.log" 2>/dev/null && break; sleep 0.1; done
grep -q "^READY=1" "$WORK/notify.log" || fail "no READY=1 on the notify socket"
sleep 1.5
n=$(grep -c "^WATCHDOG=1" "$WORK/notify.log" || true)
[ "$n" -ge 3 ] || fail "only $n WATCHDOG=1 in about 1.5 s at WATCHDOG_USEC=400000 (want one every 0.2 to 0.4 s)"
step "READY and WATCHDOG ($n) on the notify socket"

printf 'RATE=1\nFROBNICATE=1\n' >"$WORK/bad.conf"
"$S" serve --config "$WORK/bad.conf" --data "$WORK/x" >/dev/null 2>"$WORK/err" && fail "a bad server.conf was accepted"
grep -q "bad.conf:2: unknown key 'FROBNICATE'" "$WORK/err" || fail "bad server.conf: $(cat "$WORK/err")"

# Uploads, each a log line with status, bytes, time, peer and device.
make_kiosk "$WORK/k1" 30
enrol "$WORK/k1"
"$T" sync --data "$WORK/k1" --server "$URL" >/dev/null || fail "sync"
grep -qE "POST /v1/bundles 200 in=[0-9]+ out=[0-9]+ ms=[0-9]+ peer=127\.0\.0\.1 device=[0-9a-f]{16} -- upload" "$WORK/server.err" ||
    fail "no log line for the upload"
grep -qE "POST /v1/enrol 200 in=[0-9]+ out=[0-9]+ ms=[0-9]+ peer=127\.0\.0\.1 device=[0-9a-f]{16}" "$WORK/server.err" ||
    fail "no log line for the enrolment"

# Backup while serving; restore refused while serving.
"$S" backup --data "$WORK/srv" --out "$WORK/store.backup" >"$WORK/out" || fail "backup while serving"
grep -q "30 records" "$WORK/out" || fail "backup: $(cat "$WORK/out")"
[ "$(stat -c %a "$WORK/store.backup")" = 600 ] || fail "backup file is not mode 0600"
"$S" restore --data "$WORK/srv" "$WORK/store.backup" >/dev/null 2>"$WORK/err" && fail "restore ran over a live store"
grep -q "in use" "$WORK/err" || fail "restore over a live store: $(cat "$WORK/err")"
make_kiosk "$WORK/k2" 7
enrol "$WORK/k2"
"$T" sync --data "$WORK/k2" --server "$URL" >/dev/null || fail "sync k2"
"$T" vault fill-demo --data "$WORK/k1" --count 5 >/dev/null || fail "fill-demo k1"
"$T" sync --data "$WORK/k1" --server "$URL" >/dev/null || fail "sync k1 after the backup"
check_store 42

stop_server TERM
grep -q "^STOPPING=1" "$WORK/notify.log" || fail "no STOPPING=1 on SIGTERM"
"$S" restore --data "$WORK/srv" "$WORK/store.backup" >"$WORK/out" || fail "restore: $(cat "$WORK/out")"
check_store 30
ls "$WORK/srv"/server.sqlite.before-restore-* >/dev/null 2>&1 || fail "the replaced store was not kept"
# k1's five records after the backup come again with its next sync (the server answers "gap"
# with its head, and the kiosk sends from there); k2, enrolled after the backup, is unknown.
start_server
"$T" vault fill-demo --data "$WORK/k1" --count 1 >/dev/null || fail "fill-demo k1 after the restore"
"$T" sync --data "$WORK/k1" --server "$URL" >/dev/null || fail "sync k1 after the restore"
check_store 36
"$T" vault fill-demo --data "$WORK/k2" --count 1 >/dev/null || fail "fill-demo k2"
"$T" sync --data "$WORK/k2" --server "$URL" >/dev/null 2>&1 && fail "a kiosk enrolled after the backup synced without enrolling again"
stop_server
"$S" --help | grep -F "restore --data DIR FILE" >/dev/null || fail "--help does not list restore"
"$S" --help | grep -F -- "--config FILE" >/dev/null || fail "--help does not list --config"
step "server backup while serving, restore round trip"

# The kiosk's vault: the same helpers behind `teilhabe vault backup/restore`.
"$T" vault backup --data "$WORK/k1" --out "$WORK/vault.backup" >/dev/null || fail "vault backup"
"$T" vault fill-demo --data "$WORK/k1" --count 4 >/dev/null || fail "fill-demo after the backup"
"$T" vault restore --data "$WORK/k1" "$WORK/vault.backup" >/dev/null || fail "vault restore"
n=$("$T" vault status --data "$WORK/k1" | sed -n 's/^records *\([0-9]*\)$/\1/p')
[ "$n" = 36 ] || fail "restored vault holds $n records, expected 36"
"$T" vault verify --data "$WORK/k1" >/dev/null || fail "restored vault does not verify"
"$T" vault restore --data "$WORK/k1" "$WORK/store.backup" >/dev/null 2>"$WORK/err" && fail "a server store restored as a vault"
grep -q "not a backup of a vault" "$WORK/err" || fail "wrong message: $(cat "$WORK/err")"
# The fleet: a coordinator's verbs against the running server.
start_server
"$S" enrol --data "$WORK/srv" --site "Seniorentreff" >/dev/null || fail "enrol for codes"
"$S" codes --data "$WORK/srv" | grep -q " open .*site 'Seniorentreff'" || fail "codes: $("$S" codes --data "$WORK/srv")"
"$S" target --data "$WORK/srv" --site "" --expected 50 >/dev/null 2>&1 && fail "target without a site accepted"
"$S" target --data "$WORK/srv" --site "Bibliothek" --expected 50 >/dev/null || fail "target"
"$S" status --data "$WORK/srv" --json >"$WORK/status.json" || fail "status --json"
python3 - "$WORK/status.json" <<'PY' || fail "status --json: $(head -c 400 "$WORK/status.json")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["records"] == sum(d["records"] for d in j["devices"]), "records per device do not add up"
assert j["records"] == sum(c["n"] for c in j["counts"]), "counts per site/day do not add up"
assert any(t["site"] == "Bibliothek" and t["expected"] == 50 for t in j["targets"]), j["targets"]
assert any(c["state"] == "open" and c["site"] == "Seniorentreff" for c in j["pairing_codes"])
PY
k1=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["devices"][0]["id"])' "$WORK/status.json")
"$S" revoke --data "$WORK/srv" --device "$k1" --reason "gestohlen" >/dev/null || fail "revoke $k1"
"$T" vault fill-demo --data "$WORK/k1" --count 1 >/dev/null || fail "fill-demo k1 before the revoked sync"
before=$(server_count)
"$T" sync --data "$WORK/k1" --server "$URL" >"$WORK/out" 2>&1 && fail "a revoked kiosk synced"
grep -q "gestohlen" "$WORK/out" || fail "the revoked kiosk was not told why: $(cat "$WORK/out")"
[ "$(server_count)" = "$before" ] || fail "a revoked kiosk's records were stored"
"$S" status --data "$WORK/srv" | grep -q "^device $k1 .*REVOKED (gestohlen)" || fail "status does not show the revocation"
python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1] + "/metrics").read().decode())' \
    "$URL" >"$WORK/metrics" || fail "GET /metrics"
grep -q '^teilhabe_devices_revoked 1$' "$WORK/metrics" || fail "metrics: $(grep revoked "$WORK/metrics")"
grep -q '^teilhabe_refusals_total{reason="revoked"} 1$' "$WORK/metrics" || fail "metrics: no revoked refusal"
stop_server
"$S" --help | grep -F "revoke --data DIR [--store URL] --device ID --reason TEXT" >/dev/null || fail "--help does not list revoke"
step "fleet: status --json, codes, target, revoke refused by the running server, /metrics"

step "ok"

#!/usr/bin/env bash
# sync_faults.sh - every fault with its expected outcome, and at the end nothing lost or
# duplicated: server killed mid-upload, client killed mid-upload, duplicate upload, one flipped
# byte, a record removed from the chain, wrong device key, unknown device, oversized body,
# slow-loris client, malformed JSON.
source "$(dirname "$0")/sync_common.bash"
N=10000

make_kiosk "$WORK/a" $N
make_kiosk "$WORK/b" 50
start_server
enrol "$WORK/a"
synced() { echo $(( $("$T" vault status --data "$1" | sed -n 's/^records *\([0-9]*\)$/\1/p') - $(unsynced "$1") )); }
wait_count_above() { # N: until the server holds more than N records (bounded)
    for _ in $(seq 400); do [ "$(server_count)" -gt "$1" ] && return 0; sleep 0.025; done
    fail "server never got past $1 records"
}

# 1. Server killed (SIGKILL) mid-upload: the client stops with an error, marks nothing the
#    server has not acknowledged; after a restart the next sync completes.
"$T" sync --server "$URL" --data "$WORK/a" --batch 100 --quiet >"$WORK/sync1.out" 2>"$WORK/sync1.err" &
CLIENT=$!
wait_count_above 0
stop_server KILL
wait $CLIENT && fail "sync reported success although the server was killed"
[ "$(synced "$WORK/a")" -le "$(server_count)" ] || fail "client marked more synced than the server holds"
[ "$(server_count)" -lt $N ] || fail "server finished before it was killed (make N larger)"
grep -q "nothing is lost" "$WORK/sync1.err" || fail "client error message: $(cat "$WORK/sync1.err")"
step "1 server killed at $(server_count) records; client marked $(synced "$WORK/a")"

# 2. Client killed (SIGKILL) mid-upload.
start_server
before=$(server_count)
"$T" sync --server "$URL" --data "$WORK/a" --batch 100 --quiet >/dev/null 2>&1 &
CLIENT=$!
wait_count_above $((before + 100))
kill -KILL $CLIENT
wait $CLIENT 2>/dev/null || true
[ "$(synced "$WORK/a")" -le "$(server_count)" ] || fail "client marked more synced than the server holds"
[ "$(server_count)" -lt $N ] || fail "sync finished before it was killed (make N larger)"
step "2 client killed at $(server_count) records"
"$T" sync --server "$URL" --data "$WORK/a" --quiet >/dev/null || fail "sync after the kills"
check_store $N
[ "$(unsynced "$WORK/a")" = 0 ] || fail "unsynced after recovery"
step "  recovered: $N stored once each"

# 3. Duplicate upload: the same bundle twice is acknowledged twice, stored once.
"$T" vault fill-demo --data "$WORK/a" --count 20 >/dev/null
"$T" export-bundle --data "$WORK/a" --out "$WORK/dup.tkb" >/dev/null
r1=$(http_post /v1/bundles "$WORK/dup.tkb" application/octet-stream)
r2=$(http_post /v1/bundles "$WORK/dup.tkb" application/octet-stream)
case "$r1" in 200*'"stored":20'*) ;; *) fail "first upload: $r1" ;; esac
case "$r2" in 200*'"duplicates":20'*'"stored":0'*) ;; *) fail "duplicate upload: $r2" ;; esac
check_store $((N + 20))
"$T" sync --server "$URL" --data "$WORK/a" --quiet >/dev/null || fail "sync after duplicate upload"
step "3 duplicate upload acknowledged, stored once"

# 4. One flipped byte: refused (422), nothing stored, logged; the import refuses it too.
"$T" vault fill-demo --data "$WORK/a" --count 30 >/dev/null
"$T" export-bundle --data "$WORK/a" --out "$WORK/flip.tkb" >/dev/null
flip_byte "$WORK/flip.tkb" 700
r=$(http_post /v1/bundles "$WORK/flip.tkb" application/octet-stream)
case "$r" in 422*bad-signature*) ;; *) fail "flipped byte: $r" ;; esac
"$S" import --data "$WORK/srv" "$WORK/flip.tkb" 2>"$WORK/err" && fail "import of a flipped bundle"
grep -q "bad-signature" "$WORK/err" || fail "import message: $(cat "$WORK/err")"
check_store $((N + 20))
grep -q "422 bad-signature" "$WORK/server.err" || fail "flipped byte not logged"
step "4 flipped byte refused"

# 5. A record removed from the chain (bundle re-signed by the device): 409 naming the gap.
"$T" export-bundle --data "$WORK/a" --out "$WORK/hole.tkb" --drill-drop $((N + 35)) >/dev/null
r=$(http_post /v1/bundles "$WORK/hole.tkb" application/octet-stream)
case "$r" in 409*chain-broken*"$((N + 36))"*missing*) ;; *) fail "record removed: $r" ;; esac
check_store $((N + 20))
# ... and a bundle that starts after a gap (the first record removed): 409 gap.
"$T" export-bundle --data "$WORK/a" --out "$WORK/gap.tkb" --drill-drop $((N + 21)) >/dev/null
r=$(http_post /v1/bundles "$WORK/gap.tkb" application/octet-stream)
case "$r" in 409*'"gap"'*) ;; *) fail "gap: $r" ;; esac
check_store $((N + 20))
"$T" sync --server "$URL" --data "$WORK/a" --quiet >/dev/null || fail "sync after the broken bundles"
check_store $((N + 50))
step "5 removed record refused as chain-broken / gap; real sync fills it"

# 6. Wrong device key: kiosk b's bundle dressed up with kiosk a's (enrolled) device key.
"$T" export-bundle --data "$WORK/b" --out "$WORK/b.tkb" >/dev/null
"$T" vault fill-demo --data "$WORK/a" --count 1 >/dev/null
"$T" export-bundle --data "$WORK/a" --out "$WORK/a1.tkb" >/dev/null
dd if="$WORK/a1.tkb" of="$WORK/b.tkb" bs=1 skip=8 seek=8 count=32 conv=notrunc status=none
r=$(http_post /v1/bundles "$WORK/b.tkb" application/octet-stream)
case "$r" in 422*bad-signature*) ;; *) fail "wrong device key: $r" ;; esac
step "6 wrong device key refused"

# 7. Unknown device: kiosk b was never enrolled (it copies a's server pin to try anyway).
cp "$WORK/a/server.pub" "$WORK/b/"
"$T" sync --server "$URL" --data "$WORK/b" --quiet >/dev/null 2>"$WORK/err" && fail "unknown device synced"
grep -q "unknown-device" "$WORK/err" || fail "unknown device message: $(cat "$WORK/err")"
[ "$(unsynced "$WORK/b")" = 50 ] || fail "unknown device's records marked synced"
grep -q "403 unknown-device" "$WORK/server.err" || fail "unknown device not logged"
step "7 unknown device refused"

# 8. Oversized body: 413 before it is stored; normal batches still work.
stop_server
start_server --max-body 65536
head -c 100000 /dev/zero >"$WORK/big.bin"
r=$(http_post /v1/bundles "$WORK/big.bin" application/octet-stream)
case "$r" in 413*too-large*) ;; *) fail "oversized body: $r" ;; esac
"$T" sync --server "$URL" --data "$WORK/a" --batch 20 --quiet >/dev/null || fail "sync under the small body limit"
step "8 oversized body refused"

# 9. Slow-loris: a client that sends half a header and stalls is cut off, others are served.
exec 4<>"/dev/tcp/127.0.0.1/$PORT"
printf 'POST /v1/bundles HTTP/1.1\r\nHost: x\r\nContent-Len' >&4
"$T" vault fill-demo --data "$WORK/a" --count 5 >/dev/null
"$T" sync --server "$URL" --data "$WORK/a" --quiet >/dev/null || fail "sync while a slow client holds a connection"
start=$SECONDS
timeout 20 cat <&4 >/dev/null || fail "slow client not cut off within 20 s"
exec 4<&- 4>&-
[ $((SECONDS - start)) -le 12 ] || fail "slow client held its connection $((SECONDS - start)) s"
step "9 slow-loris cut off"

# 10. Malformed JSON: 400 with the reason, logged.
printf '{"code": "ABCD-' >"$WORK/bad.json"
r=$(http_post /v1/enrol "$WORK/bad.json" application/json)
case "$r" in 400*malformed-json*) ;; *) fail "malformed JSON: $r" ;; esac
printf '{"code": 12, "device_pk": "00"}' >"$WORK/bad2.json"
r=$(http_post /v1/enrol "$WORK/bad2.json" application/json)
case "$r" in 400*'$.code'*) ;; *) fail "wrong JSON type: $r" ;; esac
grep -q "400 malformed-json" "$WORK/server.err" || fail "malformed JSON not logged"
step "10 malformed JSON refused"

# In the end: every record of kiosk a on the server exactly once; kiosk b untouched.
check_store $((N + 56))
[ "$(unsynced "$WORK/a")" = 0 ] || fail "kiosk a has unsynced records"
step "ok"

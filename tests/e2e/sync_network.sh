#!/usr/bin/env bash
# sync_network.sh - keygen -> kiosk vault with N responses -> server -> enrol -> sync over
# loopback: the server store holds exactly N records, each once; the kiosk has none unsynced;
# a second sync sends nothing; more responses later are added on top.
source "$(dirname "$0")/sync_common.bash"
N=3000

make_kiosk "$WORK/kiosk" $N
start_server
step "server on $URL"
"$T" sync --data "$WORK/kiosk" --server "$URL" --quiet >/dev/null 2>&1 && fail "sync before enrolment must fail"
[ "$(unsynced "$WORK/kiosk")" = $N ] || fail "records marked synced without enrolment"
enrol "$WORK/kiosk"
out=$("$T" sync --data "$WORK/kiosk" 2>"$WORK/progress") || fail "sync: $out"
grep -q "$N / $N" "$WORK/progress" || fail "no progress to $N / $N"
[ "$(unsynced "$WORK/kiosk")" = 0 ] || fail "unsynced after sync: $(unsynced "$WORK/kiosk")"
check_store $N
step "synced $N"

out=$("$T" sync --data "$WORK/kiosk" --quiet) || fail "second sync: $out"
case "$out" in "sent 0,"*) ;; *) fail "second sync sent records again: $out" ;; esac

"$T" vault fill-demo --data "$WORK/kiosk" --count 123 >/dev/null
"$T" sync --data "$WORK/kiosk" --quiet >/dev/null || fail "sync of the later responses"
check_store $((N + 123))
[ "$(unsynced "$WORK/kiosk")" = 0 ] || fail "later responses unsynced"
grep -q "200 ok" "$WORK/server.err" || fail "server log has no upload lines"
step "ok"

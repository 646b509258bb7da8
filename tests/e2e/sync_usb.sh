#!/usr/bin/env bash
# sync_usb.sh - the USB stick path: export-bundle (records stay unsynced) -> teilhabe-server
# import (same checks, writes a signed receipt) -> receipt apply (records synced). Importing the
# stick twice stores nothing twice; a receipt for another device or from another server is
# refused; a later network sync agrees; one stick carries many kiosks' bundles.
source "$(dirname "$0")/sync_common.bash"
N=2200 # enough for a bundle over 1 MiB (checked below)

make_kiosk "$WORK/kiosk" $N
make_kiosk "$WORK/other" 10
start_server
enrol "$WORK/kiosk"
enrol "$WORK/other"
stop_server # the USB path needs no running server

mkdir "$WORK/stick"
"$T" export-bundle --data "$WORK/kiosk" --out "$WORK/stick/kiosk.tkb" >/dev/null || fail "export-bundle"
[ "$(unsynced "$WORK/kiosk")" = $N ] || fail "export marked records synced"
"$T" export-bundle --data "$WORK/kiosk" --out "$WORK/stick/kiosk.tkb" >/dev/null 2>&1 && fail "export overwrote a bundle"
strings "$WORK/stick/kiosk.tkb" | grep -q "Antwort" && fail "plain answers readable on the stick"
[ "$(stat -c %s "$WORK/stick/kiosk.tkb")" -gt 1048576 ] || fail "bundle under 1 MiB: raise N so a large import stays tested"

"$S" import --data "$WORK/srv" "$WORK/stick/kiosk.tkb" >"$WORK/import.out" || fail "import: $(cat "$WORK/import.out")"
grep -q "$N records stored" "$WORK/import.out" || fail "import output: $(cat "$WORK/import.out")"
[ -f "$WORK/stick/kiosk.tkb.receipt" ] || fail "no receipt written"
check_store $N
"$S" import --data "$WORK/srv" --receipt "$WORK/stick/again.receipt" "$WORK/stick/kiosk.tkb" >"$WORK/import2.out" \
    || fail "second import"
grep -q "0 records stored, $N already held" "$WORK/import2.out" || fail "second import: $(cat "$WORK/import2.out")"
check_store $N
step "imported $N, twice, stored once"

# A server told the study's key refuses a stick sealed to another key, and stores nothing;
# with the key the kiosks seal to, the same import is taken (as above).
TEILHABE_PASSPHRASE=e2e-passphrase "$T" keygen --out "$WORK/otherkeys" >/dev/null 2>&1 || fail "keygen otherkeys"
"$S" import --data "$WORK/srv" --research-pub "$WORK/otherkeys/research.pub" --receipt "$WORK/stick/no.receipt" \
    "$WORK/stick/kiosk.tkb" 2>"$WORK/err" && fail "import of a bundle sealed to another key accepted"
grep -q "wrong-research-key" "$WORK/err" || fail "wrong-key import message: $(cat "$WORK/err")"
[ -f "$WORK/stick/no.receipt" ] && fail "a receipt for a refused import"
"$S" import --data "$WORK/srv" --research-pub "$WORK/keys/research.pub" --receipt "$WORK/stick/yes.receipt" \
    "$WORK/stick/kiosk.tkb" >/dev/null || fail "import with the study's key refused"
check_store $N
step "import with --research-pub: another key refused, the study's key taken"

# The other kiosk cannot use this kiosk's receipt.
"$T" receipt apply --data "$WORK/other" "$WORK/stick/kiosk.tkb.receipt" 2>"$WORK/err" && fail "foreign receipt accepted"
grep -q "not this one" "$WORK/err" || fail "foreign receipt message: $(cat "$WORK/err")"
# A receipt from another server (a second data directory) is refused.
"$T" export-bundle --data "$WORK/other" --out "$WORK/stick/other.tkb" >/dev/null
mkdir "$WORK/srv2" && cp "$WORK/srv/server.sqlite" "$WORK/srv2/"
"$S" import --data "$WORK/srv2" "$WORK/stick/other.tkb" >/dev/null 2>&1 && fail "import without server.key"
"$S" enrol --data "$WORK/srv2" >/dev/null 2>&1 || fail "srv2 enrol"  # makes srv2's own key
"$S" import --data "$WORK/srv2" --receipt "$WORK/stick/other-srv2.receipt" "$WORK/stick/other.tkb" >/dev/null || fail "srv2 import"
"$T" receipt apply --data "$WORK/other" "$WORK/stick/other-srv2.receipt" 2>"$WORK/err" && fail "receipt of another server accepted"
grep -q "enrolled with" "$WORK/err" || fail "wrong-server message: $(cat "$WORK/err")"
[ "$(unsynced "$WORK/other")" = 10 ] || fail "refused receipts changed the other kiosk"
# A damaged receipt is refused.
cp "$WORK/stick/kiosk.tkb.receipt" "$WORK/bad.receipt"
flip_byte "$WORK/bad.receipt" 100
"$T" receipt apply --data "$WORK/kiosk" "$WORK/bad.receipt" 2>/dev/null && fail "damaged receipt accepted"
[ "$(unsynced "$WORK/kiosk")" = $N ] || fail "damaged receipt changed the sync state"

"$T" receipt apply --data "$WORK/kiosk" "$WORK/stick/kiosk.tkb.receipt" >/dev/null || fail "receipt apply"
[ "$(unsynced "$WORK/kiosk")" = 0 ] || fail "unsynced after receipt: $(unsynced "$WORK/kiosk")"
step "receipt applied"

# A network sync afterwards agrees: nothing to send; new responses go by network.
start_server
"$T" vault fill-demo --data "$WORK/kiosk" --count 7 >/dev/null
out=$("$T" sync --data "$WORK/kiosk" --server "$URL" --quiet) || fail "network sync after USB: $out"
case "$out" in "sent 7, stored 7,"*) ;; *) fail "network sync after USB: $out" ;; esac
check_store $((N + 7))

# One stick for many kiosks: import takes the stick's folder, reports each file, stores what
# is good and fails (exit 1) because of the junk file; each kiosk takes its own receipt.
mkdir "$WORK/stick2"
"$T" vault fill-demo --data "$WORK/other" --count 4 >/dev/null
"$T" export-bundle --data "$WORK/other" --out "$WORK/stick2/teilhabe-other.tkb" >/dev/null || fail "export other"
"$T" vault fill-demo --data "$WORK/kiosk" --count 3 >/dev/null
"$T" export-bundle --data "$WORK/kiosk" --out "$WORK/stick2/teilhabe-kiosk.tkb" >/dev/null || fail "export kiosk"
echo junk >"$WORK/stick2/teilhabe-junk.tkb"
"$S" import --data "$WORK/srv" "$WORK/stick2" >"$WORK/import3.out" 2>"$WORK/import3.err" && fail "import with a junk file exited 0"
grep -q "^\[3/3\] .*teilhabe-other.tkb: device .*, 14 records stored" "$WORK/import3.out" || fail "import3: $(cat "$WORK/import3.out")"
grep -q "^\[1/3\] .*teilhabe-junk.tkb: refused (malformed)" "$WORK/import3.err" || fail "import3 err: $(cat "$WORK/import3.err")"
grep -q "2 of 3 files imported" "$WORK/import3.out" || fail "import3 summary: $(cat "$WORK/import3.out")"
"$S" import --data "$WORK/srv" "$WORK/stick2/teilhabe-kiosk.tkb" "$WORK/stick2/teilhabe-other.tkb" >/dev/null \
    || fail "import of two good files"
"$T" receipt apply --data "$WORK/kiosk" "$WORK/stick2/teilhabe-kiosk.tkb.receipt" >/dev/null || fail "kiosk receipt"
[ "$(unsynced "$WORK/kiosk")" = 0 ] || fail "kiosk unsynced after its receipt"
step "one stick, many kiosks"
step "ok"

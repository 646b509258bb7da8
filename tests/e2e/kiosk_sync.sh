#!/usr/bin/env bash
# Black-box: the coordinator's side in the real kiosk. A kiosk with sealed responses is
# enrolled from the staff menu with a code from `teilhabe-server enrol` (typed into the
# transport desk), then "Jetzt synchronisieren" uploads everything in batches to a real
# teilhabe-server over loopback: the server holds every record once and `teilhabe vault
# status` shows nothing unsynced. Then a USB stick export from the desk (nothing left to
# export), and a second sync sends nothing. Driven by xdotool under Xvfb like kiosk_*.sh.
source "$(dirname "$0")/kiosk_common.bash"
TEILHABE=$TK_BUILD_DIR/sync/teilhabe
SERVER=$TK_BUILD_DIR/sync/teilhabe-server
N=1600
SPID=
trap 'kiosk_stop; [ -n "$SPID" ] && kill "$SPID" 2>/dev/null; rm -rf "$WORK"' EXIT

# Research key, and a kiosk data directory with N responses sealed to it.
TEILHABE_PASSPHRASE=e2e-passphrase "$TEILHABE" keygen --out "$WORK/keys" >/dev/null 2>&1 || fail "keygen"
mkdir -p "$WORK/data"
cp "$WORK/keys/research.pub" "$WORK/data/"
"$TEILHABE" vault fill-demo --data "$WORK/data" --count $N >/dev/null || fail "fill-demo"

# The research server on a free loopback port.
"$SERVER" --data "$WORK/srv" --listen 127.0.0.1:0 >"$WORK/server.out" 2>"$WORK/server.err" &
SPID=$!
PORT=
for _ in $(seq 100); do
    PORT=$(sed -n 's/.*127\.0\.0\.1:\([0-9][0-9]*\),.*/\1/p' "$WORK/server.out")
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "$PORT" ] || fail "server did not start: $(cat "$WORK/server.err")"
URL="http://127.0.0.1:$PORT"
CODE=$("$SERVER" enrol --data "$WORK/srv" 2>/dev/null) || fail "server enrol"

mkdir -p "$WORK/stick"
export TK_USB_ROOTS=$WORK/stick
kiosk_start --windowed --idle 600

staff_first_login

click staff/sync
wait_page "SyncDesk idle" 10
shot sync_desk_open

# Enrol: server address and pairing code typed into the desk.
# The kiosk hands typed keys to ImGui one per frame: let the field take them all before
# the next click moves the keyboard elsewhere.
click sync/url
xdotool type --delay 40 "$URL"
sleep 2
click sync/code
xdotool type --delay 40 "$CODE"
sleep 2
shot sync_enrol_typed
click sync/enrol
wait_page "SyncDesk done enrol" 30
shot sync_enrolled
case "$(page)" in "SyncDesk done enrol ok") ;; *) fail "enrolment failed on page '$(page)': $(cat "$WORK/server.err" | tail -5)" ;; esac
[ -f "$WORK/data/server.pub" ] || fail "no server.pub after enrolling"

# Sync: progress while it runs, the result after.
click sync/run
sleep 0.15
shot sync_progress
wait_page "SyncDesk done sync" 60
shot sync_done
case "$(page)" in "SyncDesk done sync ok") ;; *) fail "sync failed on page '$(page)'" ;; esac
"$SERVER" status --data "$WORK/srv" >"$WORK/status.out" || fail "server status"
grep -q "^records $N\$" "$WORK/status.out" || fail "server holds: $(head -n3 "$WORK/status.out")"
left=$("$TEILHABE" vault status --data "$WORK/data" | sed -n 's/^unsynced *\([0-9]*\)$/\1/p')
[ "$left" = 0 ] || fail "vault status shows $left unsynced after the sync"

# The stick: chosen at once (the only one); nothing left to export, so no file is written.
has sync/usb/0 || reveal sync/usb/0
click sync/export
wait_page "SyncDesk done export ok" 20
[ -z "$(ls "$WORK/stick")" ] || fail "an export with nothing unsynced wrote $(ls "$WORK/stick")"

# A second sync sends nothing and stores nothing twice.
click sync/run
wait_page "SyncDesk done sync ok" 30
"$SERVER" status --data "$WORK/srv" | grep -q "^records $N\$" || fail "second sync changed the store"

click sync/leave
wait_page StaffMenu 10
echo "ok: enrolled from the staff menu, $N records synced through the kiosk, 0 unsynced"

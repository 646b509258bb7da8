#!/bin/bash
# A close request (what Alt+F4 or a window manager's close button sends: WM_DELETE_WINDOW)
# never ends the kiosk: not on the welcome page, not half-way through a survey, not on the
# PIN pad, not in the staff menu before the default PIN is changed. After each request the
# kiosk still takes input and still draws (screenshots before and after a key differ). The
# staff menu offers "Kiosk beenden" only after the PIN change, and that ends it cleanly: the
# interrupted respondent's answers reach the vault as a partial response.
source "$(dirname "$0")/kiosk_common.bash"

CLOSE=$TK_BUILD_DIR/tests/send-close-request
[ -x "$CLOSE" ] || fail "$CLOSE not built"

kiosk_start --idle 600
WIN=$(xdotool search --name '^Teilhabe Kiosk$' | head -n1)
[ -n "$WIN" ] || fail "no window named 'Teilhabe Kiosk'"

# close_request WHERE: sends WM_DELETE_WINDOW; the kiosk must still run a while later.
close_request() {
    "$CLOSE" "$WIN" || fail "could not send WM_DELETE_WINDOW to window $WIN"
    sleep 1.5
    kill -0 "$KPID" 2>/dev/null || fail "the kiosk ended on a close request on $1"
}

# redraws NAME KEY: a screenshot before and after KEY must differ (the kiosk still draws).
redraws() {
    shot "close_$1_before"
    xdotool key "$2"
    sleep 1
    shot "close_$1_after"
    local d
    d=$(compare -metric AE "$SHOTS/close_$1_before.png" "$SHOTS/close_$1_after.png" null: 2>&1 || true)
    [ "${d%% *}" != 0 ] || fail "nothing redrawn after a close request on $1 (key $2)"
}

close_request "the welcome page"
xdotool key Return
wait_page Language
xdotool key Return
wait_change Language
past_privacy
wait_page "Question INFO"
xdotool key Return
wait_page "Question ONLINE"
p=$(page)
close_request "a question page ($p)"
[ "$(page)" = "$p" ] || fail "page changed from '$p' to '$(page)' on a close request"
redraws question 1 # chooses the first option

xdotool key ctrl+alt+s
wait_page StaffPin
close_request "the PIN pad"
redraws pin 2
xdotool key BackSpace
xdotool type --delay 30 "246810"; xdotool key Return
wait_page StaffMenu 10
# The default PIN opens nothing but the PIN change: no "Kiosk beenden" yet.
sleep 0.5
has staff/quit && fail "the staff menu offers 'Kiosk beenden' before the default PIN is changed"
has staff/back && fail "the staff menu offers more than the PIN change before the default PIN is changed"
has pin/OK || fail "no PIN change form after logging in with the default PIN"
close_request "the staff menu (PIN change)"
xdotool type --delay 30 "975310"; xdotool key Return; sleep 0.5
xdotool type --delay 30 "975310"; xdotool key Return; sleep 3
grep -q '^\$argon2id\$' "$WORK/data/staff-pin" || fail "PIN not stored as an Argon2id hash"
shot close_staff_menu
quit_from_staff_menu
[ "$(records)" = 1 ] || fail "vault holds $(records) records, expected the interrupted respondent's partial response"
echo "ok: four close requests ignored (welcome, question, PIN pad, PIN change), kiosk ended from the staff menu"

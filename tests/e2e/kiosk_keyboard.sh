#!/bin/bash
# The citizen survey with the keyboard alone (what a numeric keypad has: digits, Enter,
# plus typing in the one free-text question): number keys choose, Enter goes on, the
# review page is submitted with Enter. The vault must hold one record. Then Ctrl+Alt+S
# opens the staff PIN prompt: wrong PINs back off, the default PIN must be changed, and
# "Kiosk beenden" ends the program.
source "$(dirname "$0")/kiosk_common.bash"

kiosk_start --idle 600
xdotool key Return
wait_page Language
xdotool key Return
wait_change Language
past_privacy
# The free-text page gets a line typed; every page is photographed before Enter.
on_text_page() {
    xdotool type --delay 50 "Mehr Hilfe vor Ort"
    sleep 0.5
    xdotool key Return
}
after_page() { shot "$(printf 'keyboard_%02d_%s' "$1" "$2")"; }
walk_by_keys
n=$walked
wait_page Review
shot keyboard_90_review
xdotool key Return
wait_page ThankYou
[ "$(records)" = 1 ] || fail "vault holds $(records) records, expected 1"
grep -q "Mehr Hilfe vor Ort" "$WORK/data/vault.sqlite" && fail "free text found in plain text in the vault"
xdotool key Return
wait_page Welcome

# Staff entrance.
xdotool key ctrl+alt+s
wait_page StaffPin
for attempt in 1 2 3; do
    xdotool type --delay 30 "1111"; xdotool key Return; sleep 1.5
done
shot keyboard_95_pin_locked
xdotool type --delay 30 "246810"; xdotool key Return; sleep 1.5
[ "$(page)" = StaffPin ] || fail "PIN accepted during the back-off"
sleep 5
xdotool type --delay 30 "246810"; xdotool key Return
wait_page StaffMenu 10
shot keyboard_96_staff_must_change
xdotool type --delay 30 "975310"; xdotool key Return; sleep 0.5
xdotool type --delay 30 "975310"; xdotool key Return; sleep 3
[ -s "$WORK/data/staff-pin" ] || fail "no PIN hash written"
grep -q '^\$argon2id\$' "$WORK/data/staff-pin" || fail "PIN not stored as an Argon2id hash"
shot keyboard_97_staff_menu
quit_from_staff_menu
echo "ok: survey finished by keyboard ($n pages), staff PIN and quit work"

#!/bin/bash
# Inactivity: after --idle seconds a warning with a countdown (>= 30 s) and a big
# "Ich brauche mehr Zeit"; pressing it continues the page; letting it run out ends the
# session: the answers so far reach the vault as a partial response and the next person
# gets the welcome page with nothing of it (a fresh start has no answer, the text is gone).
source "$(dirname "$0")/kiosk_common.bash"

kiosk_start --idle 5
click welcome
wait_page Language
click next
wait_change Language
past_privacy click
next_until "Question WUNSCH"
xdotool type --delay 40 "Vertraulich"
sleep 0.5
shot idle_00_typed
wait_page Warning 15
shot idle_01_warning
click more_time
wait_page "Question WUNSCH" 5
shot idle_02_more_time
wait_page Warning 15
[ "$(records)" = 0 ] || fail "record stored before the timeout"
wait_page Welcome 40
shot idle_03_reset
[ "$(records)" = 1 ] || fail "vault holds $(records) records after the timeout, expected 1 partial"
# The next person: no answer and no text of the previous one.
click welcome
wait_page Language
click next
wait_change Language
past_privacy click
next_until "Question WUNSCH"
shot idle_04_next_person
# Ctrl+Z (undo) must not bring the old text back either.
xdotool key ctrl+z
sleep 0.5
shot idle_05_after_undo
click next
wait_change "Question WUNSCH"
next_until Review
shot idle_06_review
kiosk_stop
echo "ok: warning, more time, timeout with partial response, clean start"

#!/bin/bash
# The citizen's first minute on a 1366x768 screen: a click in the middle of the welcome
# page starts the survey; the reading aids chosen on the welcome page carry into the session;
# a language button starts in that language; the data-protection notice comes before the
# first question. Screenshots of the welcome page and the notice go to screenshots/.
source "$(dirname "$0")/kiosk_common.bash"

kiosk_start --idle 600
shot welcome_01_de
# Only the survey's languages are offered, as buttons on the welcome page: the list is read
# from the survey file itself.
want=$(python3 -c 'import json, sys; print(" ".join(sorted(json.load(open(sys.argv[1]))["languages"])) + " ")' "$SURVEY")
langs=$(awk '$1 ~ /^welcome\/lang\// {sub("welcome/lang/", "", $1); print $1}' "$LAYOUT" | sort | tr '\n' ' ')
[ "$langs" = "$want" ] || fail "language buttons '$langs', expected the survey's '$want'"
for tile in welcome/text_size welcome/contrast welcome/read welcome; do has "$tile" || fail "no '$tile' on the welcome page"; done

# The middle of the screen starts.
xdotool mousemove 683 384 click 1
wait_page Language
xdotool key Return
wait_page Privacy
shot privacy_01_de
has next || fail "no Weiter on a notice that needs no consent"
xdotool key Return
wait_page "Question INFO"
kiosk_stop

# A spot that is no control (the left margin, half-way down) starts too; text size and
# contrast set on the welcome page stay for the session.
kiosk_start --idle 600
click welcome/text_size
click welcome/contrast
sleep 0.5
shot welcome_02_150_high
xdotool mousemove 10 500 click 1
wait_page Language
shot welcome_03_language_150_high
kiosk_stop

# One tap on "English" starts in English: the notice is in English.
kiosk_start --idle 600
click welcome/lang/en
wait_page Language
xdotool key Return
wait_page Privacy
shot privacy_02_en
# The speech log names each utterance's voice; the notice is spoken in English when asked.
xdotool key KP_Add
sleep 1
grep -q "Data protection" "$WORK/speech.log" || fail "the English notice was not read aloud: $(cat "$WORK/speech.log")"
kiosk_stop
echo "ok: welcome page starts by a tap anywhere and by language; notice before the first question"

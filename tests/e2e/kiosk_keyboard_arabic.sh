#!/bin/bash
# The citizen survey in Arabic with number keys alone: on the language page key 7 chooses
# Arabic (the survey's seventh language), on every page keypad + reads it aloud, number keys
# choose, Enter goes on (a free-text page is left empty), the review page is submitted with
# Enter. The vault must hold one record, and the utterance log must show every page read in
# the Arabic voice, with the Arabic texts of the survey and of the kiosk. How the Arabic glyphs
# look is not part of this run: it only needs the pages and the keys.
source "$(dirname "$0")/kiosk_common.bash"

LOG=$WORK/speech.log
# The texts the log must contain, taken from the files rather than written here.
read -r ar_index ar_language_title ar_online ar_answer1 < <(python3 - "$SURVEY" "$TK_SOURCE_DIR/assets/ui-texts.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))
t = json.load(open(sys.argv[2], encoding="utf-8"))
online = [q for g in s["groups"] for q in g["questions"] if q["code"] == "ONLINE"][0]
answer1 = t["ar"]["speak_option"].replace("{n}", "1").replace("{text}", online["options"][0]["text"]["ar"])
# One line, fields joined by tabs turned into a character that none of the texts holds.
print(s["languages"].index("ar") + 1, *(x.replace(" ", "\u00a0") for x in
      (t["ar"]["language_title"], online["text"]["ar"], answer1)))
PY
)
nb() { sed 's/\xc2\xa0/ /g' <<<"$1"; } # back to plain spaces
[ "$ar_index" = 7 ] || fail "Arabic is language $ar_index of the survey, the run expects 7"

kiosk_start --idle 600
xdotool key Return
wait_page Language
xdotool key "$ar_index"
sleep 0.5
: >"$LOG"
xdotool key KP_Add
sleep 0.5
grep -qF "[ar voice=ar] $(nb "$ar_language_title")" "$LOG" ||
    fail "language page not read in Arabic after key $ar_index: $(cat "$LOG")"
xdotool key Return
wait_change Language
past_privacy
# Every choice page is read aloud (keypad +) before the number keys; a free-text page is left
# empty (keypad + would type into its field).
read_pages=0
before_choice() {
    xdotool key KP_Add
    read_pages=$((read_pages + 1))
    sleep 0.3
}
after_page() { [ "$2" = ONLINE ] && shot keyboard_ar_online; return 0; }
walk_by_keys
n=$walked
wait_page Review
shot keyboard_ar_review
xdotool key Return
wait_page ThankYou
[ "$(records)" = 1 ] || fail "vault holds $(records) records, expected 1"

# Every utterance in the Arabic voice, one per page read, with the survey's Arabic question
# and the kiosk's Arabic numbering of the answers.
utter=$(grep -c '^\[' "$LOG")
arabic=$(grep -c '^\[ar voice=ar\] ' "$LOG")
[ "$utter" -ge $((read_pages + 1)) ] || fail "$utter utterances for $read_pages pages read: $(cat "$LOG")"
[ "$arabic" = "$utter" ] || fail "not every utterance in the Arabic voice: $(grep -v '^\[ar voice=ar\] ' "$LOG" | grep '^\[')"
grep -qF "$(nb "$ar_online")" "$LOG" || fail "ONLINE not read in Arabic"
grep -qF "$(nb "$ar_answer1")" "$LOG" || fail "answers not numbered in Arabic ('$(nb "$ar_answer1")')"
echo "ok: citizen survey in Arabic by number keys ($n pages, $read_pages read aloud, $arabic utterances, voice ar)"

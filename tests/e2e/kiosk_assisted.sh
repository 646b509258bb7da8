#!/usr/bin/env bash
# Black-box: staff set site and event in the real kiosk's staff menu, print a form into the
# data folder, and run an assisted interview; the record decrypted with the CLI carries
# channel assisted, the interviewer, the site and the event, and the next session is a
# normal kiosk session again. Driven by xdotool under Xvfb, like the other kiosk_*.sh.
source "$(dirname "$0")/kiosk_common.bash"
TEILHABE=$TK_BUILD_DIR/sync/teilhabe

kiosk_start --windowed --idle 600

staff_first_login

# Site and event, typed with the physical keyboard.
click staff/site
wait_page FieldSite
# type_slowly TEXT: the kiosk hands ImGui one key per frame; wait until all have arrived
# before the next click moves the keyboard elsewhere.
type_slowly() { xdotool type --delay 80 "$1"; sleep 1.5; }
click site/site
type_slowly "Stadtbibliothek, Interneterfahrungsort"
click site/event
type_slowly "Stadtteilfest 2026"
shot field_site
click site/save
wait_page StaffMenu 10
shot field_staff_menu
grep -q '"event": "Stadtteilfest 2026"' "$WORK/data/kiosk-settings.json" || fail "event not in kiosk-settings.json"

# Print one sheet into DIR/prints.
click staff/print
wait_page FieldPrint
shot field_print
click print/go
for i in $(seq 1 300); do
    [ "$(page)" = FieldPrint ] && ls "$WORK"/data/prints/*.txt >/dev/null 2>&1 && break
    sleep 0.2
done
PDF=$(ls "$WORK"/data/prints/*.pdf 2>/dev/null | head -n1)
[ -n "$PDF" ] || fail "no PDF in data/prints"
ID=$(head -n1 "${PDF%.pdf}.txt")
# An empty id would make the grep below match anything.
[ -n "$ID" ] || fail "no sheet id in ${PDF%.pdf}.txt"
pdftotext "$PDF" "$WORK/form.txt" || fail "pdftotext $PDF"
grep -q "$ID" "$WORK/form.txt" || fail "sheet id $ID not in $PDF"
sleep 0.5
shot field_print_done
click print/back
wait_page StaffMenu 10

# The assisted interview.
click staff/assisted
wait_page FieldAssisted
click assisted/id
type_slowly "iv-07"
shot field_assisted
click assisted/start
wait_page Language
has assisted/marker || fail "no assisted marker on the language page"
xdotool key Return
wait_change Language
past_privacy
while :; do
    p=$(page)
    case "$p" in Question*) ;; *) break ;; esac
    has assisted/marker || fail "no assisted marker on '$p'"
    case "$p" in
    "Question ONLINE "*) xdotool key 2; sleep 0.3; shot field_assisted_question ;;
    *" text "*|*" longtext "*) sleep 0.5; xdotool key Return; sleep 0.5 ;; # Enter leaves the field first
    esac
    xdotool key Return
    wait_change "$p"
done
wait_page Review
has assisted/marker || fail "no assisted marker on the review page"
xdotool key Return
wait_page ThankYou
xdotool key Return
wait_page Welcome
xdotool key Return
wait_page Language
has assisted/marker && fail "the session after the interview is still marked assisted"
kiosk_stop

[ "$(records)" = 1 ] || fail "vault holds $(records) records, expected 1"
TEILHABE_PASSPHRASE=demo "$TEILHABE" decrypt --key "$WORK/data/demo-research.key" --vault "$WORK/data" \
    --out "$WORK/resp.jsonl" >"$WORK/dec.log" 2>&1 || fail "decrypt: $(cat "$WORK/dec.log")"
python3 - "$WORK/resp.jsonl" <<'EOF' || fail "the record does not carry channel, interviewer, site and event"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
r = rows[0]["response"] if "response" in rows[0] else rows[0]
assert len(rows) == 1, rows
assert r["channel"] == "assisted", r["channel"]
assert r["meta"].get("interviewer") == "iv-07", r["meta"]
assert r["site"] == "Stadtbibliothek, Interneterfahrungsort", r["site"]
assert r["event"] == "Stadtteilfest 2026", r["event"]
assert r["answers"]["ONLINE"]["value"] == "2", r["answers"].get("ONLINE")
EOF
echo "ok: site, event and an assisted interview by iv-07 sealed; form printed with sheet $ID"

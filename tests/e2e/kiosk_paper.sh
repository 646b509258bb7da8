#!/usr/bin/env bash
# Black-box: a printed paper sheet is keyed in twice through the real kiosk's staff desk
# (double entry) and sealed as one record with channel paper; keying the same sheet a
# third time is refused. Driven by xdotool under Xvfb, like the other kiosk_*.sh.
source "$(dirname "$0")/kiosk_common.bash"
TEILHABE=$TK_BUILD_DIR/sync/teilhabe

# A real sheet id comes from printing the form.
"$TEILHABE" print "$SURVEY" --lang de --sheets 1 --out "$WORK/form.pdf" >"$WORK/ids.txt" 2>"$WORK/print.log" ||
    fail "print failed: $(cat "$WORK/print.log")"
ID=$(head -n1 "$WORK/ids.txt")
[ -n "$ID" ] || fail "print gave no sheet id"

kiosk_start --windowed

staff_first_login

# enter_sheet ENTERER: one complete entry of the sheet: ONLINE = box 3, everything else empty.
enter_sheet() {
    click staff/paper
    wait_page PaperEnterer
    # Enterer, Enter, sheet id, Enter in one burst at 50 characters a second: the next
    # step's input line must take every character (none lost while it takes the keyboard).
    xdotool type --delay 20 "$1"; xdotool key Return; xdotool type --delay 20 "$ID"; xdotool key Return
    wait_page PaperField 10
    local i p
    for i in $(seq 1 200); do
        p=$(page)
        case "$p" in
            "PaperField ONLINE"*) xdotool type --delay 20 "3"; xdotool key Return; wait_change "$p" ;;
            PaperField*) xdotool key Return; wait_change "$p" ;;
            PaperSummary*) shot "paper_summary_$1"; xdotool key Return; wait_change "$p" ;;
            PaperDone*|PaperSheet*|PaperEnterer*) break ;;
            *) fail "unexpected desk page '$p'" ;;
        esac
    done
    shot "paper_done_$1"
    click paper/leave
    wait_page StaffMenu 10
}

enter_sheet anna
[ "$(records)" = 0 ] || fail "the first entry alone was sealed ($(records) records)"
enter_sheet ben
[ "$(records)" = 1 ] || fail "two matching entries should seal one record, vault holds $(records)"

# A third entry of the same sheet is refused at the sheet id.
click staff/paper
wait_page PaperEnterer
xdotool type --delay 20 "carla"; xdotool key Return
wait_page PaperSheet
xdotool type --delay 20 "$ID"; sleep 0.5; xdotool key Return; sleep 1
shot paper_refused
case "$(page)" in PaperSheet*) ;; *) fail "an already sealed sheet was accepted (page '$(page)')" ;; esac
[ "$(records)" = 1 ] || fail "vault holds $(records) records after the refused sheet"
click paper/leave
wait_page StaffMenu 10
echo "ok: sheet $ID keyed twice through the kiosk and sealed once; a third entry refused"

#!/bin/bash
# The citizen survey by mouse/touch alone: every page by clicking, text typed on the
# on-screen keyboard (with umlauts and ß), review page, submit; the vault holds one record.
# Run once more at 300 % text in high contrast with every page read aloud
# (TK_SCALE=300 TK_THEME=high TK_READ_AUTO=1).
source "$(dirname "$0")/kiosk_common.bash"

run_survey() {
    local scale=$1 theme=$2 tag="mouse_${1}_${2}"
    kiosk_start --idle 600
    shot "${tag}_00_welcome"
    click welcome
    wait_page Language
    click "size/$scale"
    sleep 0.5
    [ "$theme" = high ] && click tool/contrast
    sleep 0.5
    if [ -n "${TK_READ_AUTO:-}" ]; then click read_auto; sleep 0.3; fi
    shot "${tag}_01_language"
    click next
    wait_change "Language"
    past_privacy click
    local n=2 p
    questions=0
    while :; do
        p=$(page)
        case "$p" in Question*) ;; *) break ;; esac
        set -- $p
        local code=$2 type=$3
        case "$type" in
        single|yesno|rating) click option/1 ;;
        multiple|ranking) click option/1; click option/2 ;;
        matrix)
            # Click the first option of every row, scrolling down until all rows are done.
            local done_rows=" " tries=0
            while [ $tries -lt 30 ]; do
                for cell in $(awk '$1 ~ /^cell\/.*\/1$/ {print $1}' "$LAYOUT"); do
                    row=${cell#cell/}; row=${row%/1}
                    case "$done_rows" in *" $row "*) ;; *) click "$cell"; done_rows="$done_rows$row " ;; esac
                done
                xy=$(center next); xdotool mousemove 600 400 click 5; sleep 0.3
                tries=$((tries + 1))
            done
            ;;
        text|longtext)
            click "keyboard/$code|value"
            wait_page "Question $code $type 0 keyboard"
            for k in g r ü ß e; do click "osk/$k"; done
            click osk/space
            click osk/shift; click osk/Ä; click osk/done
            ;;
        esac
        shot "$(printf '%s_%02d_%s' "$tag" "$n" "$code")"
        questions=$((questions + 1))
        n=$((n + 1))
        click next
        wait_change "$p"
    done
    wait_page Review
    shot "${tag}_90_review"
    click submit
    wait_page ThankYou
    shot "${tag}_91_thanks"
    click done
    wait_page Welcome
    kiosk_stop
}

run_survey "${TK_SCALE:-100}" "${TK_THEME:-standard}"
[ "$(records)" = 1 ] || fail "vault holds $(records) records, expected 1"
if [ -n "${TK_READ_AUTO:-}" ]; then
    # Read aloud on every page by itself: each question page was spoken with its position and
    # numbered answers (the kiosk logs every utterance it hands to espeak-ng).
    spoken=$(grep -o 'Frage [0-9]* von [0-9]*' "$WORK/speech.log" | sort -u | wc -l)
    [ "$spoken" -ge "$questions" ] || fail "read aloud on $spoken question pages, expected $questions"
    grep -q 'Antwort 1: ' "$WORK/speech.log" || fail "no numbered answers read aloud"
    echo "ok: $spoken question pages read aloud"
fi
echo "ok: survey finished by mouse, 1 record"

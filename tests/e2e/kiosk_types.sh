#!/bin/bash
# Every question type (fixture kiosk_types.json) at 100 % and 300 % text in both themes:
# each page is answered by keys and photographed, so the screenshots show every widget
# with a choice made. The run must reach the review page and submit (one record per run).
export SURVEY=${SURVEY:-$(dirname "$(readlink -f "$0")")/kiosk_types.json}
source "$(dirname "$0")/kiosk_common.bash"

runs=0
for combo in "100 standard" "300 standard" "100 high" "300 high"; do
    set -- $combo
    scale=$1 theme=$2 tag="types_${1}_${2}"
    rm -rf "$WORK/data"
    kiosk_start --idle 600
    click welcome
    wait_page Language
    click "size/$scale"
    sleep 0.5
    [ "$theme" = high ] && click tool/contrast
    click next
    wait_change Language
    while :; do
        p=$(page)
        case "$p" in Question*) ;; *) break ;; esac
        set -- $p
        code=$2 type=$3
        case "$type" in
        single|yesno|rating) xdotool key 1 ;;
        multiple|ranking) xdotool key 1; sleep 0.2; xdotool key 3 ;;
        matrix)
            if grep -q '^cell/' "$LAYOUT"; then xdotool key 1; sleep 0.2; xdotool key 2
            else sleep 0.3; xdotool type --delay 40 "3"; xdotool key Tab; xdotool type --delay 40 "12"; xdotool key Return; fi ;;
        date)
            sleep 0.3
            xdotool type --delay 40 "24"; xdotool key Tab; xdotool type --delay 40 "12"; xdotool key Tab
            xdotool type --delay 40 "2024"; xdotool key Return ;;
        text|longtext|numeric|multi_text|multi_numeric|ranked_list)
            sleep 0.3
            case "$type" in numeric|multi_numeric) xdotool type --delay 40 "3" ;; *) xdotool type --delay 40 "Lesecafe" ;; esac
            xdotool key Return ;;
        esac
        sleep 0.5
        shot "${tag}_${code}"
        xdotool key Return
        sleep 0.3
        sleep 0.5
        [ "$(page)" = "$p" ] && { shot "${tag}_${code}_stuck"; fail "$tag: page $code did not accept its answer"; }
        wait_change "$p"
    done
    wait_page Review
    shot "${tag}_review"
    xdotool key Return
    wait_page ThankYou
    [ "$(records)" = 1 ] || fail "$tag: vault holds $(records) records"
    kiosk_stop
    runs=$((runs + 1))
done
echo "ok: every question type in $runs size/theme combinations"

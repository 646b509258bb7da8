#!/bin/bash
# Arabic and Persian (fixture tests/fixtures/rtl/rtl-survey.json) at 100 % and 300 % text in
# both themes: the welcome page, a question page with a choice made by number key and the
# review page are photographed (rtl_<lang>_<size>_<theme>_*.png; at 300 % standard also a
# free-text answer typed in the script, _typed), the layout dump must show the mirrored page
# (option markers right of their text, "Weiter" left of "Zurück", the tool bar from the right),
# and the walk by keys alone must end in one sealed record.
export SURVEY=${SURVEY:-$(dirname "$(readlink -f "$0")")/../fixtures/rtl/rtl-survey.json}
source "$(dirname "$0")/kiosk_common.bash"

# left_of NAME_LEFT NAME_RIGHT WHAT: NAME_LEFT lies wholly left of NAME_RIGHT in the layout dump.
left_of() {
    awk -v a="$1" -v b="$2" '$1==a {ax1=$4} $1==b {bx0=$2} END {exit !(ax1 != "" && bx0 != "" && ax1 < bx0)}' "$LAYOUT" ||
        fail "$3: '$1' is not left of '$2'"
}

runs=0
for lang in ar fa; do
    for combo in "100 standard" "300 standard" "100 high_contrast" "300 high_contrast"; do
        set -- $combo
        scale=$1 theme=$2 tag="rtl_${lang}_${1}_${2%%_*}"
        rm -rf "$WORK/data"
        mkdir -p "$WORK/data"
        # The staff defaults for each new person: the welcome page already in the language,
        # size and contrast of the run.
        printf '{"language": "%s", "text_scale": %s, "theme": "%s"}\n' "$lang" "$scale" "$theme" >"$WORK/data/kiosk-settings.json"
        kiosk_start --idle 600
        sleep 0.4
        shot "${tag}_welcome"
        click welcome
        wait_page Language
        sleep 0.3
        [ "$scale" = 100 ] && left_of "lang/$lang/text" "lang/$lang/marker" "$tag language page"
        xdotool key Return
        wait_change Language
        wait_page "Question I1"
        xdotool key Return
        wait_page "Question S1"
        xdotool key 2
        sleep 0.6
        left_of option/2/text option/2/marker "$tag"
        left_of next back "$tag"
        # The tool bar mirrors: text size rightmost (at 100 % the three tools share one line).
        [ "$scale" = 100 ] && left_of tool/contrast tool/text_size "$tag tool bar"
        shot "${tag}_question"
        xdotool key Return
        wait_page "Question M1"
        xdotool key 1
        sleep 0.2
        xdotool key 3
        sleep 0.4
        shot "${tag}_multiple"
        xdotool key Return
        wait_page "Question T1"
        sleep 0.3
        if [ "$scale" = 300 ] && [ "$theme" = standard ]; then
            # Typed into the field (it has the keyboard): shown joined, right-aligned.
            xdotool type --delay 80 "$([ "$lang" = ar ] && echo 'كتاب ومقهى' || echo 'کتاب و کافه')"
            sleep 0.6
            shot "${tag}_typed"
        fi
        xdotool key Return # the field has the keyboard: Enter leaves it, Enter again is next
        sleep 0.3
        xdotool key Return
        wait_page Review
        sleep 0.4
        left_of submit back "$tag review"
        shot "${tag}_review"
        xdotool key Return
        wait_page ThankYou
        [ "$(records)" = 1 ] || fail "$tag: vault holds $(records) records"
        kiosk_stop
        runs=$((runs + 1))
    done
done
echo "ok: Arabic and Persian mirrored and walked by keys in $runs size/theme combinations"

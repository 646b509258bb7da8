# kiosk_common.bash - shared by tests/e2e/kiosk_*.sh (sourced; not a test itself).
#
# Runs the real teilhabe-kiosk under Xvfb (1366x768, a 14" laptop) and drives it with
# xdotool. Where to click comes from the kiosk's layout dump ($TK_KIOSK_LAYOUT): one line
# "@page <screen> [<question> <type> <rows>]" and one line per named control
# "<name> x0 y0 x1 y1". Screenshots go to $TK_BUILD_DIR/screenshots/.
set -euo pipefail
: "${TK_SOURCE_DIR:?set by ctest}" "${TK_BUILD_DIR:?set by ctest}"

if [ -z "${TK_IN_XVFB:-}" ]; then
    export TK_IN_XVFB=1
    exec xvfb-run -a -s "-screen 0 1366x768x24" bash "$0" "$@"
fi

KIOSK=${KIOSK:-$TK_BUILD_DIR/kiosk/teilhabe-kiosk}
SURVEY=${SURVEY:-$TK_SOURCE_DIR/surveys/buerger-digital.json}
SHOTS=$TK_BUILD_DIR/screenshots
mkdir -p "$SHOTS"
WORK=$(mktemp -d)
LAYOUT=$WORK/layout.txt
KPID=
trap 'kiosk_stop; rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*" >&2; import -window root "$SHOTS/last_fail.png" || true; [ -f "$LAYOUT" ] && cat "$LAYOUT" >&2; [ -f "$WORK/kiosk.log" ] && cat "$WORK/kiosk.log" >&2; exit 1; }

kiosk_start() {
    rm -f "$LAYOUT"
    TK_KIOSK_LAYOUT=$LAYOUT TK_KIOSK_SPEECH_LOG=$WORK/speech.log \
        "$KIOSK" --data "$WORK/data" --survey "$SURVEY" "$@" >"$WORK/kiosk.log" 2>&1 &
    KPID=$!
    wait_page Welcome 30
}

kiosk_stop() {
    if [ -n "$KPID" ] && kill -0 "$KPID" 2>/dev/null; then
        kill "$KPID"
        wait "$KPID" || true
    fi
    KPID=
}

page() { head -n1 "$LAYOUT" 2>/dev/null | sed 's/^@page //'; }

# wait_page PREFIX [SECONDS]: until the page name starts with PREFIX.
wait_page() {
    local want=$1 limit=${2:-10} i
    for i in $(seq 1 $((limit * 10))); do
        case "$(page)" in "$want"*) sleep 0.2; return 0 ;; esac
        sleep 0.1
    done
    fail "waited ${limit}s for page '$want', on '$(page)'"
}

# wait_change: until the page name differs from what it was.
wait_change() {
    local before=$1 i
    for i in $(seq 1 100); do
        [ "$(page)" != "$before" ] && { sleep 0.2; return 0; }
        sleep 0.1
    done
    fail "page did not change from '$before'"
}

# past_privacy [key|click]: on the data-protection notice (a survey with "privacy" and no
# required consent) goes on with Enter or "Weiter"; elsewhere does nothing.
past_privacy() {
    local i
    for i in $(seq 1 20); do case "$(page)" in Privacy*) break ;; Question*|Review*) return 0 ;; esac; sleep 0.1; done
    case "$(page)" in Privacy*) ;; *) return 0 ;; esac
    if [ "${1:-key}" = click ]; then click next; else xdotool key Return; fi
    wait_change Privacy
}

# next_until PREFIX: presses "Weiter" through the questions until the page name starts with
# PREFIX; a page that is neither fails (the walk went somewhere it should not).
next_until() {
    local p
    while :; do
        case "$(page)" in "$1"*) return 0 ;; Question*) ;; *) fail "'$1' not reached, on '$(page)'" ;; esac
        p=$(page)
        click next
        wait_change "$p"
    done
}

# walk_by_keys: answers the question pages with the keyboard alone (what a numeric keypad has),
# until a page that is no question (the review page): number keys choose - 1 for one choice,
# 1 and 2 for several, 2 in every matrix row - and Enter goes on. A script may redefine the
# hooks after sourcing this file:
#   on_text_page CODE       a free-text page, its field has the keyboard (default: Enter leaves
#                           it empty; the walk's Enter then skips the page)
#   before_choice CODE TYPE before the number keys of a choice page (default: nothing)
#   after_page N CODE       the page answered, before Enter (N counts from 1; default: nothing)
# Leaves the number of question pages walked in $walked.
on_text_page() { xdotool key Return; }
before_choice() { :; }
after_page() { :; }
walk_by_keys() {
    walked=0
    local p code type rows i
    while :; do
        p=$(page)
        case "$p" in Question*) ;; *) break ;; esac
        set -- $p
        code=$2 type=$3 rows=$4
        case "$type" in
        text|longtext)
            sleep 0.5
            on_text_page "$code"
            ;;
        *)
            before_choice "$code" "$type"
            case "$type" in
            single|yesno|rating) xdotool key 1 ;;
            multiple|ranking) xdotool key 1; sleep 0.2; xdotool key 2 ;;
            matrix) for i in $(seq 1 "$rows"); do xdotool key 2; sleep 0.15; done ;;
            esac
            ;;
        esac
        sleep 0.3
        walked=$((walked + 1))
        after_page "$walked" "$code"
        xdotool key Return
        wait_change "$p"
    done
}

# quit_from_staff_menu: "Kiosk beenden" asks first (one press leaves the kiosk running), the
# confirmation ends it, with exit status 0.
quit_from_staff_menu() {
    local i
    click staff/quit
    sleep 0.5
    kill -0 "$KPID" 2>/dev/null || fail "the kiosk ended on one press of Kiosk beenden, without asking"
    click staff/quit_confirm
    for i in $(seq 1 50); do kill -0 "$KPID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$KPID" 2>/dev/null && fail "kiosk still running after Kiosk beenden"
    wait "$KPID" || fail "kiosk exit status $?"
    KPID=
}

# has NAME: the control is on the page (NAME compared as text: item keys hold "[" and "]").
has() { awk -v n="$1" '$1 == n { found = 1 } END { exit !found }' "$LAYOUT"; }
center() { awk -v n="$1" '$1==n {print int(($2+$4)/2), int(($3+$5)/2)}' "$LAYOUT"; }

# reveal NAME: scrolls the page down (mouse wheel over the page) until NAME is fully visible.
reveal() {
    local i
    for i in $(seq 1 20); do
        has "$1" && return 0
        xdotool mousemove 683 420 click 5
        sleep 0.3
    done
    fail "control '$1' not found on page '$(page)' even after scrolling"
}

click() {
    local xy
    reveal "$1"
    xy=$(center "$1")
    [ -n "$xy" ] || fail "no control '$1' on page '$(page)'"
    # shellcheck disable=SC2086
    xdotool mousemove $xy click 1
    sleep 0.3
}

shot() { import -window root "$SHOTS/$1.png"; }

records() { sqlite3 "$WORK/data/vault.sqlite" "select count(*) from records"; }

# Opens the staff menu on a fresh data folder: key chord, the default PIN, then the PIN change
# the menu insists on before anything else (new PIN 975310, typed twice).
staff_first_login() {
    xdotool key ctrl+alt+s
    wait_page StaffPin
    xdotool type --delay 30 "246810"; xdotool key Return
    wait_page StaffMenu 10
    xdotool type --delay 30 "975310"; xdotool key Return; sleep 0.5
    xdotool type --delay 30 "975310"; xdotool key Return; sleep 3
}

# A Delphi round (kiosk_delphi.sh, delphi_study.sh):
# to_code_page: welcome -> language -> notice -> "Ich bin einverstanden" -> the code page.
to_code_page() {
    xdotool key Return
    wait_page Language
    xdotool key Return
    wait_page Privacy
    xdotool key 1
    wait_page DelphiCode
    sleep 0.5
}
# enter_to CODE: Enter through the questions to question CODE ("" = to the review page); where
# a text field has the keyboard, the first Enter only leaves it.
enter_to() {
    local p
    while :; do
        p=$(page)
        case "$p" in "Question $1 "*) [ -n "$1" ] && return 0 ;; Question*) ;; *) [ -z "$1" ] && return 0; fail "'$1' not reached, on '$p'" ;; esac
        xdotool key Return
        sleep 0.4
        [ "$(page)" = "$p" ] && xdotool key Return
        wait_change "$p"
    done
}

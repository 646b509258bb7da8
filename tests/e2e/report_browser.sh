#!/usr/bin/env bash
# report_browser.sh - the report's in-page filter, run by a real browser (headless Chromium).
# Data as in the field: keygen -> 300 drill responses (`vault fill-demo`) and 200 varied ones
# (channels, sites, languages, events, partial responses, skipped, "keine Antwort", other
# texts, comments, numbers, hidden questions) sealed with `vault add` -> decrypt -> export csv
# -> report. The page is filtered in its selects, as a person does, or by its URL fragment
# (#channel=paper&site=...); after its script ran, every number in the DOM - totals,
# answered/skipped/not shown/not reached, each block's n, counts, % and Wilson intervals,
# statistics, "Texte: N", "keine Antwort: N" and the texts shown - must equal a recount of the
# CSV done on its own from the filter's rows (report_browser_recount.py). The command line's
# filters are recounted the same way, and one that matches nothing must fail without a page.
# Screenshots of a filtered page (also at 200 % zoom, where the page must not be wider than the
# window) and a printed PDF are taken as well (REPORT_BROWSER_SHOTS=DIR keeps them).
source "$(dirname "$0")/cli_common.bash"
export TEILHABE_PASSPHRASE=e2e-passphrase
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || fail "no chromium (packaging/install-deps.sh installs it)"

step "a survey for the drill responses, keys, a kiosk directory"
cat >"$WORK/drill.json" <<'EOF'
{"format": "teilhabe-survey/1", "id": "drill", "version": "1", "languages": ["de"],
 "title": "Übungsumfrage", "settings": {"no_answer_option": true},
 "groups": [{"code": "G", "title": "Alles", "questions": [
  {"code": "Q1", "type": "single", "text": "Wie oft?", "other": true,
   "options": [{"code": "1", "text": "nie"}, {"code": "2", "text": "selten"}, {"code": "3", "text": "manchmal"},
               {"code": "4", "text": "oft"}, {"code": "5", "text": "immer"}]},
  {"code": "Q2", "type": "multiple", "text": "Was?", "comment": true,
   "options": [{"code": "A0", "text": "Lesen"}, {"code": "A1", "text": "Schreiben"}, {"code": "A2", "text": "Rechnen"},
               {"code": "B", "text": "Beraten"}]},
  {"code": "Q3", "type": "text", "text": "Warum?"},
  {"code": "Q4", "type": "numeric", "text": "Wie alt sind Sie?"},
  {"code": "Q5", "type": "yesno", "text": "Kommen Sie wieder?"},
  {"code": "Q6", "type": "matrix", "text": "Wie gut war es?",
   "options": [{"code": "1", "text": "gut"}, {"code": "2", "text": "mittel"}, {"code": "3", "text": "schlecht"}],
   "rows": [{"code": "SQ001", "text": "Beratung"}, {"code": "SQ002", "text": "Räume"}]}]}]}
EOF
"$BIN" survey check "$WORK/drill.json" >/dev/null || fail "drill survey does not load"
"$BIN" keygen --out "$WORK/keys" >/dev/null 2>&1 || fail "keygen"
mkdir "$WORK/kiosk" "$WORK/in"
cp "$WORK/keys/research.pub" "$WORK/kiosk/"

step "300 drill responses and 200 varied ones, sealed"
"$BIN" vault fill-demo --data "$WORK/kiosk" --count 300 >/dev/null || fail "fill-demo"
python3 - "$WORK/in" <<'EOF' || fail "making responses"
import json, os, random, sys
random.seed(7)
for i in range(200):
    r = {"format": "teilhabe-response/1", "survey_id": "drill", "survey_version": "1", "survey_hash": "sha256:drill",
         "language": random.choice(["de", "en"]), "channel": random.choice(["paper", "assisted", "kiosk"]),
         "site": random.choice(["Stadtbibliothek", "Seniorentreff"]), "event": "", "meta": {},
         "started": "2026-11-%02dT10:00:00Z" % (1 + i % 28), "finished": "2026-11-%02dT10:05:00Z" % (1 + i % 28),
         "complete": True, "answers": {}, "skipped": [], "not_shown": []}
    r["event"] = random.choice(["", "", "Stadtteilfest"])
    a = r["answers"]
    x = random.random()
    if x < 0.15: r["skipped"].append("Q1")
    elif x < 0.25: a["Q1"] = {"no_answer": True}
    elif x < 0.45: a["Q1"] = {"value": "-oth-", "other": random.choice(["Nachbarschaft", " Nachbarschaft ", "Verein", "Kirche"])}
    else: a["Q1"] = {"value": random.choice(["1", "4", "5"])}  # 2 and 3 stay empty: chi² leaves them out
    x = random.random()
    if x < 0.1: r["skipped"].append("Q2")
    elif x < 0.15: a["Q2"] = {"no_answer": True}
    else:
        vals = [c for c in ["A0", "A1", "A2", "B"] if random.random() < 0.5] or ["B"]
        a["Q2"] = {"values": vals}
        if random.random() < 0.4: a["Q2"]["comment"] = "Kommentar %d" % i
    x = random.random()
    if x < 0.2: r["skipped"].append("Q3")
    elif x < 0.3: a["Q3"] = {"no_answer": True}
    else: a["Q3"] = {"value": "Grund %d <b>&amp;</b>" % i}
    x = random.random()
    if x < 0.2: r["skipped"].append("Q4")
    elif x < 0.35: r["not_shown"].append("Q4")
    elif x < 0.45: a["Q4"] = {"no_answer": True}
    else: a["Q4"] = {"value": random.choice([str(random.randint(18, 90)), "%d.5" % random.randint(18, 90)])}
    # Q5 depends on Q1, so that the cross-table has something to find.
    x = random.random()
    if x < 0.1: r["skipped"].append("Q5")
    elif x < 0.2: a["Q5"] = {"no_answer": True}
    else: a["Q5"] = {"value": "Y" if random.random() < (0.8 if a.get("Q1", {}).get("value") in ("4", "5") else 0.4) else "N"}
    # Q6, a matrix: one grid in the page.
    x = random.random()
    if x < 0.1: r["skipped"].append("Q6")
    elif x < 0.2: a["Q6"] = {"no_answer": True}
    else: a["Q6"] = {"cells": {"SQ001": random.choice("123"), "SQ002": random.choice("12")}}
    # A quarter are partial: they end before question `cut`, whose followers are not reached
    # (neither answered, skipped nor not shown). No question of theirs is hidden.
    if random.random() < 0.25:
        r["complete"] = False
        cut = random.randint(0, 5)
        for q in ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6"][cut:]:
            a.pop(q, None)
            r["skipped"] = [c for c in r["skipped"] if c != q]
        r["not_shown"] = []
    json.dump(r, open(os.path.join(sys.argv[1], "r%03d.json" % i), "w"))
EOF
"$BIN" vault add --data "$WORK/kiosk" "$WORK"/in/r*.json >/dev/null || fail "vault add"

step "decrypt, export csv, report"
"$BIN" decrypt --key "$WORK/keys/research.key" --vault "$WORK/kiosk" --out "$WORK/resp.jsonl" >"$WORK/dec.out" \
    || fail "decrypt: $(cat "$WORK/dec.out")"
grep -q "500 responses written" "$WORK/dec.out" || fail "decrypt said: $(cat "$WORK/dec.out")"
# (Both say the drill responses name another survey hash: fill-demo writes a fixed one.)
"$BIN" export csv --survey "$WORK/drill.json" --in "$WORK/resp.jsonl" --out "$WORK/data.csv" >/dev/null 2>"$WORK/csv.err" \
    || fail "export csv: $(cat "$WORK/csv.err")"
"$BIN" report --survey "$WORK/drill.json" --in "$WORK/resp.jsonl" --out "$WORK/report.html" --crosstab Q1,Q5 --crosstab Q5,site \
    >/dev/null 2>"$WORK/report.err" \
    || fail "report: $(cat "$WORK/report.err")"

# The DOM after the page's scripts ran (virtual time lets them finish).
chromium() { # ARGS...
    timeout 120 "$CHROMIUM" --headless --disable-gpu --no-sandbox --no-first-run --disable-dev-shm-usage \
        --user-data-dir="$WORK/chromium" --virtual-time-budget=5000 "$@" 2>>"$WORK/chromium.log"
}
# A copy of the report with a script that chooses CHANNEL SITE LANG EVENT STATUS in the page's
# selects and fires "change", as a person choosing does.
choose() { # CHANNEL SITE LANG EVENT STATUS
    python3 - "$WORK/report.html" "$WORK/chosen.html" "$@" <<'PY'
import json, sys
page = open(sys.argv[1], encoding="utf-8").read()
pick = "".join("var s=document.getElementById(%s);s.value=%s;s.dispatchEvent(new Event('change'));"
               % (json.dumps(i), json.dumps(v)) for i, v in zip(["f-channel", "f-site", "f-lang", "f-event", "f-status"], sys.argv[3:8]) if v)
assert page.count("</body>") == 1
open(sys.argv[2], "w", encoding="utf-8").write(page.replace("</body>", "<script>" + pick + "</script>\n</body>"))
PY
}

# Every number of the page against the recount of the CSV's rows that match the filter. HOW is
# "select" (the selects, by choose) or a URL fragment the page reads on opening ("" = none).
check() { # HOW CHANNEL SITE LANG EVENT STATUS MIN_ROWS
    local what="${2:-alle}/${3:-alle}/${4:-alle}/${5:-alle}/${6:-alle} by ${1:-nothing}"
    step "filter $what"
    if [ "$1" = select ]; then
        choose "$2" "$3" "$4" "$5" "$6" || fail "cannot prepare the page"
        chromium --dump-dom "file://$WORK/chosen.html" >"$WORK/dom.html" || fail "chromium: $(tail -5 "$WORK/chromium.log")"
    else
        chromium --dump-dom "file://$WORK/report.html$1" >"$WORK/dom.html" || fail "chromium: $(tail -5 "$WORK/chromium.log")"
    fi
    local f=() k v i=2
    for k in channel site lang event status; do
        v="${!i}"; i=$((i + 1))
        [ -z "$v" ] || f+=("$k=$v")
    done
    python3 "$SRC/tests/e2e/report_browser_recount.py" "$WORK/data.csv" "$WORK/dom.html" "$7" "${f[@]}" \
        || fail "filter $what: the page's numbers differ from the CSV"
}

check "" "" "" "" "" "" 500
check select "" Drill "" "" "" 300
check select paper Stadtbibliothek "" "" "" 5
check select assisted "" en "" "" 5
check select "" Seniorentreff "" "" "" 20
check select "" "" "" Stadtteilfest "" 15
check select "" "" "" "" partial 15
check select kiosk "" "" "" complete 15
check select "" "" "" "" complete 300
# (the complete responses have enough answers for chi²: the script's own value is checked)
grep -q 'data-x="0">χ² = ' "$WORK/dom.html" || fail "the cross-table's chi² was not computed in the page"
check "#channel=paper&site=Stadtbibliothek" paper Stadtbibliothek "" "" "" 5
check "#lang=en&site=Seniorentreff" "" Seniorentreff en "" "" 5
check "#status=partial&event=Stadtteilfest" "" "" "" Stadtteilfest partial 3

step "the command line's filters: --event, --partial recounted; one that matches nothing fails"
"$BIN" report --survey "$WORK/drill.json" --in "$WORK/resp.jsonl" --out "$WORK/cli.html" --event Stadtteilfest --partial \
    --crosstab Q1,Q5 --crosstab Q5,site \
    >"$WORK/cli.out" 2>"$WORK/cli.err" || fail "report --event --partial: $(cat "$WORK/cli.err")"
chromium --dump-dom "file://$WORK/cli.html" >"$WORK/dom.html" || fail "chromium: $(tail -5 "$WORK/chromium.log")"
python3 "$SRC/tests/e2e/report_browser_recount.py" "$WORK/data.csv" "$WORK/dom.html" 3 event=Stadtteilfest status=partial --cli \
    || fail "report --event --partial: the page's numbers differ from the CSV"
rc=0
"$BIN" report --survey "$WORK/drill.json" --in "$WORK/resp.jsonl" --out "$WORK/none.html" --site Stadtbiblothek \
    >"$WORK/none.out" 2>"$WORK/none.err" || rc=$?
[ "$rc" -ne 0 ] || fail "report --site with a typing error exited 0"
grep -q "no response of 500 in .* matches the filter (--channel '' --site 'Stadtbiblothek'" "$WORK/none.err" \
    || fail "report --site with a typing error said: $(cat "$WORK/none.err")"
[ ! -e "$WORK/none.html" ] || fail "report --site with a typing error wrote a page"
"$BIN" report --survey "$WORK/drill.json" --in "$WORK/resp.jsonl" --out "$WORK/none.html" --complete --partial \
    >/dev/null 2>&1 && fail "report --complete --partial was accepted"

step "a screenshot of a filtered page"
chromium --window-size=1000,1800 --screenshot="$WORK/report.png" "file://$WORK/report.html#site=Seniorentreff" >/dev/null \
    || fail "chromium screenshot: $(tail -5 "$WORK/chromium.log")"
[ "$(stat -c %s "$WORK/report.png")" -gt 20000 ] || fail "the screenshot is (nearly) empty"
step "200 % zoom (a 500 px wide window at device scale 2): nothing wider than the window; print"
# The page measures itself after its script ran: how far its content reaches past the window.
python3 - "$WORK/report.html" "$WORK/zoom.html" <<'PY'
import sys
page = open(sys.argv[1], encoding="utf-8").read()
probe = ("<script>window.addEventListener('load',function(){document.body.setAttribute('data-overflow',"
         "String(document.documentElement.scrollWidth-window.innerWidth));});</script>")
open(sys.argv[2], "w", encoding="utf-8").write(page.replace("</body>", probe + "\n</body>"))
PY
chromium --window-size=500,1400 --force-device-scale-factor=2 --dump-dom "file://$WORK/zoom.html#site=Seniorentreff" \
    >"$WORK/zoom_dom.html" || fail "chromium: $(tail -5 "$WORK/chromium.log")"
overflow=$(sed -n 's/.*data-overflow="\(-\{0,1\}[0-9]*\)".*/\1/p' "$WORK/zoom_dom.html")
[ -n "$overflow" ] || fail "the zoomed page did not measure itself"
[ "$overflow" -le 0 ] || fail "at 200 % the page is $overflow px wider than the window"
chromium --window-size=500,1400 --force-device-scale-factor=2 --screenshot="$WORK/report-zoom200.png" \
    "file://$WORK/report.html#site=Seniorentreff" >/dev/null || fail "chromium screenshot: $(tail -5 "$WORK/chromium.log")"
chromium --no-pdf-header-footer --print-to-pdf="$WORK/report-print.pdf" "file://$WORK/report.html#site=Seniorentreff" \
    >/dev/null || fail "chromium print: $(tail -5 "$WORK/chromium.log")"
[ "$(stat -c %s "$WORK/report-print.pdf")" -gt 20000 ] || fail "the printed page is (nearly) empty"
if [ -n "${REPORT_BROWSER_SHOTS:-}" ]; then
    mkdir -p "$REPORT_BROWSER_SHOTS" && cp "$WORK/report.png" "$WORK/report-zoom200.png" "$WORK/report-print.pdf" "$REPORT_BROWSER_SHOTS/"
fi
step "ok"

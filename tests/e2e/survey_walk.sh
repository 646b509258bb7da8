#!/usr/bin/env bash
# survey_walk.sh - drives `teilhabe survey walk` with answers piped into stdin, on the
# shipped needs survey, and checks the response JSON it prints: conditions (C2 after C1 = ja,
# C5/C6 after C4, D1-D6 after D0 = ja, E2 after E1 = ja), skipped vs not shown, other texts,
# comments, "keine Antwort", back navigation, re-prompts on bad input, partial responses;
# then a small survey of its own for piped texts, a default, a validation tip and an equation.
source "$(dirname "$0")/cli_common.bash"
SURVEY="$SRC/surveys/bedarfe-akteure.json"
[ -f "$SURVEY" ] || fail "no survey at $SURVEY"

# check FILE EXPR...: every Python expression over `r` (the parsed response) must be true.
CHECK_PY='
import json, sys
r = json.load(open(sys.argv[1]))
bad = [e for e in sys.argv[2:] if not eval(e, {"r": r})]
for e in bad:
    print("survey_walk: failed:", e, file=sys.stderr)
if bad:
    print(json.dumps(r, indent=1, ensure_ascii=False), file=sys.stderr)
    sys.exit(1)
'
check() { python3 -c "$CHECK_PY" "$@" || fail "checks failed on $1 (stderr of the walk: $1.err)"; }

# --- 1: C1 = "nein" -> C2 is not shown; everything else skipped; sent from the review page.
# Pages: A1 A2 B1 C1(4) C4 D0 E1 E3 F1 F4 G1 G2 G3, then the review; surplus empty lines
# after the review's "send" are never read.
{ printf '\n\n\n4\n'; for i in $(seq 1 40); do printf '\n'; done; } |
    "$BIN" survey walk "$SURVEY" --lang en --channel assisted --site "Stadtbibliothek Test" \
        >"$WORK/r1.json" 2>"$WORK/r1.json.err" || fail "walk 1 exited with $?"
check "$WORK/r1.json" \
    'r["format"] == "teilhabe-response/1"' \
    'r["survey_id"] == "bedarfe-akteure"' \
    'r["survey_hash"].startswith("sha256:")' \
    'r["language"] == "en" and r["channel"] == "assisted" and r["site"] == "Stadtbibliothek Test"' \
    'r["complete"] is True' \
    'r["answers"] == {"C1": {"value": "4"}}' \
    '"C2" in r["not_shown"] and "C2" not in r["skipped"]' \
    'all(c in r["not_shown"] for c in ["C5", "C6", "D1", "D2", "D3", "D4", "D6", "E2"])' \
    'all(c in r["skipped"] for c in ["A1", "A2", "B1", "C4", "D0", "E1", "F4", "G3"])' \
    'not set(r["skipped"]) & set(r["not_shown"])'
# The prompts went to stderr, in English.
grep -q '^\[C1\]' "$WORK/r1.json.err" || fail "no page for C1 on stderr"
grep -q 'Yes, occasionally' "$WORK/r1.json.err" || fail "options not shown in English"
grep -q -- '--- Review ---' "$WORK/r1.json.err" || fail "no review page"

# --- 2: the "ja" paths, with other text, comment, keine Antwort, back, a bad input and a
# matrix; input ends at G3, so the response is partial.
cat >"$WORK/in2.txt" <<'EOF'
c:Anmerkung zu A1
o:Bibliotheksprojekt
Erfahrung mit dem Ausleihsystem
-
2
<

Probleme bei der Umstellung
5
1
1 3
9
1 2

Beratung; Schulung;; Austausch
weil es hilft
1
Digitalstrategie 2030

x

1;2;;3
2
o:Leitung
EOF
"$BIN" survey walk "$SURVEY" <"$WORK/in2.txt" >"$WORK/r2.json" 2>"$WORK/r2.json.err" || fail "walk 2 exited with $?"
check "$WORK/r2.json" \
    'r["complete"] is False and r["language"] == "de" and r["channel"] == "kiosk"' \
    'r["answers"]["A1"] == {"value": "-oth-", "other": "Bibliotheksprojekt", "comment": "Anmerkung zu A1"}' \
    'r["answers"]["A2"]["value"] == "Erfahrung mit dem Ausleihsystem"' \
    'r["answers"]["B1"] == {"no_answer": True}' \
    'r["answers"]["C1"]["value"] == "2"' \
    'r["answers"]["C2"]["value"] == "Probleme bei der Umstellung"' \
    'r["answers"]["C4"]["value"] == "5"' \
    '"C5" in r["not_shown"] and "C6" in r["not_shown"]' \
    'r["answers"]["D0"]["value"] == "Y"' \
    'r["answers"]["D1"]["values"] == ["1", "3"]' \
    'r["answers"]["D2"]["values"] == ["1", "2"]' \
    '"D3" in r["skipped"]' \
    'r["answers"]["D4"]["values"] == ["Beratung", "Schulung", "Austausch"]' \
    'r["answers"]["D6"]["value"] == "weil es hilft"' \
    'r["answers"]["E1"]["value"] == "Y"' \
    'r["answers"]["E2"]["value"] == "Digitalstrategie 2030"' \
    'r["answers"]["F4"]["cells"] == {"SQ001": "1", "SQ002": "2", "SQ004": "3"}' \
    'r["answers"]["G1"]["value"] == "2"' \
    'r["answers"]["G2"] == {"value": "-oth-", "other": "Leitung"}' \
    '"G3" in r["skipped"] and "F1" in r["skipped"] and "E3" in r["skipped"]' \
    'r["not_shown"] == ["C5", "C6"]'
grep -q 'no option 9' "$WORK/r2.json.err" || fail "bad option number was not reported"
grep -q 'partial response' "$WORK/r2.json.err" || fail "end of input not reported as partial"

# --- 3: D0 = nein hides the whole support group; changing C1 from the review drops C2.
cat >"$WORK/in3.txt" <<'EOF'



1
Text zu C2

2
EOF
for i in $(seq 1 7); do printf '\n' >>"$WORK/in3.txt"; done # E1 E3 F1 F4 G1 G2 G3
printf 'C1\n4\n' >>"$WORK/in3.txt"
for i in $(seq 1 20); do printf '\n' >>"$WORK/in3.txt"; done
"$BIN" survey walk "$SURVEY" <"$WORK/in3.txt" >"$WORK/r3.json" 2>"$WORK/r3.json.err" || fail "walk 3 exited with $?"
check "$WORK/r3.json" \
    'r["complete"] is True' \
    'r["answers"]["D0"]["value"] == "N"' \
    'r["answers"]["C1"]["value"] == "4"' \
    '"C2" not in r["answers"] and "C2" in r["not_shown"]' \
    'all(c in r["not_shown"] for c in ["D1", "D2", "D3", "D4", "D6"])'

# --- 4: piping, a default kept with Enter, a validation tip, an equation (FORMAT.md "Piping").
cat >"$WORK/pipe.json" <<'EOF'
{"format": "teilhabe-survey/1", "id": "pipe-walk", "version": "1", "languages": ["de"],
 "title": "Piping", "end_text": "Danke, {NAME}!",
 "groups": [{"code": "G", "title": "G", "questions": [
   {"code": "NAME", "type": "text", "text": "Wie heißen Sie?"},
   {"code": "ORT", "type": "single", "text": "Wo wohnen Sie, {NAME}?", "default": "2",
    "options": [{"code": "1", "text": "in der Stadt"}, {"code": "2", "text": "auf dem Land"}]},
   {"code": "ALTER", "type": "numeric", "text": "Wie alt sind Sie?",
    "validation": "this >= 14", "validation_tip": "Die Umfrage ist ab 14 Jahren, {NAME}."},
   {"code": "DOPPELT", "type": "equation", "equation": "{ALTER + ALTER}"},
   {"code": "ENDE", "type": "info", "text": "Sie wohnen {ORT.shown}; doppelt so alt: {DOPPELT}."}]}]}
EOF
printf 'Ada\n\n12\n40\n\n\n' | "$BIN" survey walk "$WORK/pipe.json" >"$WORK/r5.json" 2>"$WORK/r5.json.err" ||
    fail "walk 5 exited with $?"
check "$WORK/r5.json" \
    'r["complete"] is True' \
    'r["answers"]["ORT"] == {"value": "2"}' \
    'r["answers"]["ALTER"] == {"value": "40"}' \
    'r["answers"]["DOPPELT"] == {"value": "80"}'
for want in "Wo wohnen Sie, Ada?" "! Die Umfrage ist ab 14 Jahren, Ada." \
            "Sie wohnen auf dem Land; doppelt so alt: 80." "Danke, Ada!"; do
    grep -qF "$want" "$WORK/r5.json.err" || fail "walk 5 did not show '$want': $(cat "$WORK/r5.json.err")"
done
if grep -q "{NAME}" "$WORK/r5.json.err"; then fail "walk 5 showed a raw expression"; fi

# --- 5: errors: unknown language and missing file are usage errors (2), a broken survey 1.
set +e
"$BIN" survey walk "$SURVEY" --lang fr </dev/null >/dev/null 2>"$WORK/e1"; rc=$?
[ $rc -eq 2 ] || fail "unknown language: exit $rc, expected 2"
grep -q "language 'fr'" "$WORK/e1" || fail "unknown language not named: $(cat "$WORK/e1")"
"$BIN" survey walk "$WORK/missing.json" </dev/null >/dev/null 2>"$WORK/e2"; rc=$?
[ $rc -eq 2 ] || fail "missing file: exit $rc, expected 2"
sed 's/"C1 == /"C9 == /' "$SURVEY" >"$WORK/broken.json"
"$BIN" survey walk "$WORK/broken.json" </dev/null >"$WORK/broken.out" 2>"$WORK/e3"; rc=$?
[ $rc -eq 1 ] || fail "broken survey: exit $rc, expected 1"
grep -q "C9" "$WORK/e3" || fail "broken survey message does not name the bad reference: $(cat "$WORK/e3")"
[ ! -s "$WORK/broken.out" ] || fail "a broken survey printed a response"
set -e

echo "survey_walk: ok"

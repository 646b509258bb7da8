#!/usr/bin/env bash
# delphi_print.sh - `teilhabe delphi print` from the real verbs' files: codes from `delphi
# invite`, a pack from `delphi feedback` over stage-1 responses, two of which carry the
# pseudonyms of codes 1 and 3 (taken from `survey walk --code`, which derives them as the kiosk
# does). The file names are the codes' first four symbols in codes.txt's order; each form
# shows its own code and no other; beside stage 2's F5 stand the group's n and median for
# F5[L1] (recounted here in Python) and, on the forms of codes 1 and 3 only, "Ihre Antwort in
# Stufe 1:" with the words of the option they gave (read from the survey file here);
# ohne-code.pdf has no "Ihre Antwort". Refusals: a bad line of codes.txt, a pack for another
# survey, forms printed before (without --force). A page goes to $TK_BUILD_DIR/screenshots/.
source "$(dirname "$0")/cli_common.bash"
SHOTS=$TK_BUILD_DIR/screenshots
mkdir -p "$SHOTS"
for tool in pdftotext pdftoppm python3; do command -v $tool >/dev/null || fail "needs $tool"; done
S1=$SRC/surveys/delphi-stufe-1.json
S2=$SRC/surveys/delphi-stufe-2.json
export TEILHABE_PASSPHRASE=print-test
"$BIN" keygen --out "$WORK/keys" >/dev/null 2>&1 || fail "keygen"
"$BIN" delphi invite --count 4 --out "$WORK/inv" 2>/dev/null || fail "invite"

# The pseudonyms of codes 1 and 3, as a walk with the code puts them into its response.
for i in 1 3; do
    "$BIN" survey walk "$S1" --code "$(sed -n ${i}p "$WORK/inv/codes.txt")" </dev/null >"$WORK/walk$i.json" 2>/dev/null ||
        fail "walk with code $i"
done
# Nine stage-1 responses: code 1 answered F11[L1] with 2, code 3 with 6, the others are
# pseudonyms of nobody's code.
python3 - "$WORK/r1.jsonl" "$WORK/walk1.json" "$WORK/walk3.json" <<'PY'
import json, sys
out = open(sys.argv[1], "w")
own = [json.load(open(sys.argv[2]))["pseudonym"], json.load(open(sys.argv[3]))["pseudonym"]]
assert all(len(p) == 32 for p in own)
for i, l1 in enumerate(["2", "6", "5", "6", "3", "5", "7", "1", "5"]):
    r = {"format": "teilhabe-response/1", "survey_id": "delphi-stufe-1", "survey_version": "1.0",
         "survey_hash": "sha256:" + "0" * 64, "language": "de", "channel": "paper", "site": "", "event": "",
         "meta": {}, "started": "2026-11-02T10:00:00Z", "finished": "2026-11-02T10:%02d:00Z" % i, "complete": True,
         "answers": {"F11": {"cells": {"L1": l1}}}, "skipped": [], "not_shown": [], "pseudonym": own[i] if i < 2 else "%032x" % (i + 7)}
    out.write(json.dumps(r) + "\n")
PY
"$BIN" delphi feedback --round 1 --survey "$S1" --next "$S2" --key "$WORK/keys/research.key" --out "$WORK/p.delphi" \
    "$WORK/r1.jsonl" >/dev/null 2>"$WORK/err" || fail "feedback: $(cat "$WORK/err")"

step "forms for the 4 codes"
"$BIN" delphi print --survey "$S2" --pack "$WORK/p.delphi" --codes "$WORK/inv/codes.txt" --out "$WORK/forms" \
    >"$WORK/files.txt" 2>"$WORK/print.err" || fail "print: $(cat "$WORK/print.err")"
cut -c1-4 "$WORK/inv/codes.txt" | sed 's/$/.pdf/' >"$WORK/expected.txt"
# Two codes may begin alike (1 in 10^5 here): then the second is XXXX-2.pdf.
python3 - "$WORK/expected.txt" "$WORK/files.txt" <<'PY' || fail "file names: $(cat "$WORK/files.txt")"
import sys
want = [l.strip() for l in open(sys.argv[1])]
got = [l.strip() for l in open(sys.argv[2])]
seen = {}
for i, w in enumerate(want):
    seen[w] = seen.get(w, 0) + 1
    if seen[w] > 1: want[i] = w[:-4] + "-%d.pdf" % seen[w]
assert got == want, (got, want)
PY
grep -q "4 personal form(s) (2 with own answers" "$WORK/print.err" || fail "summary: $(cat "$WORK/print.err")"
grep -q "4 of 4 forms" "$WORK/print.err" || fail "no progress line: $(cat "$WORK/print.err")"
[ -s "$WORK/forms/ohne-code.pdf" ] || fail "no ohne-code.pdf"
# FORM CODE OWN: CODE "" for ohne-code.pdf, OWN the option code given in stage 1 or "".
check_form() {
    [ -s "$WORK/forms/$1" ] || fail "$1 missing"
    pdftotext -raw "$WORK/forms/$1" - | tr '\n' ' ' >"$WORK/form.txt"
    python3 - "$WORK/form.txt" "$WORK/r1.jsonl" "$S2" "$WORK/inv/codes.txt" "$2" "$3" <<'PY' || fail "$1: see above"
import json, sys, statistics
t = open(sys.argv[1], encoding="utf-8").read()
vals = [int(json.loads(l)["answers"]["F11"]["cells"]["L1"]) for l in open(sys.argv[2])]
s2 = json.load(open(sys.argv[3], encoding="utf-8"))
codes = [l.strip() for l in open(sys.argv[4])]
code, own = sys.argv[5], sys.argv[6]
med = statistics.median(vals)
med = str(int(med)) if med == int(med) else str(med).replace(".", ",")
q = t.index("Inwieweit ist die Digitalisierung eher eine Gefahr")
block = t[q:t.index("F5A", q)]
want = "Ergebnis der Gruppe in Stufe 1 zu „Teilhabe und Mitbestimmung“: n = %d, Median %s" % (len(vals), med)
assert want in block, "no '%s' beside F5: %s" % (want, block)
for c in codes:
    assert (("Code " + c) in t) == (c == code), "code %s on the form of %s" % (c, code)
if own:
    f5 = [q for g in s2["groups"] for q in g["questions"] if q["code"] == "F5"][0]
    words = [o["text"] for o in f5["options"] if o["code"] == own][0]
    assert ("Ihre Antwort in Stufe 1: %s %s" % (own, words)) in block, block
    # Only F11[L1] was answered: every other repeated item says so.
    n = t.count("Ihre Antwort in Stufe 1:")
    assert n > 1 and t.count("Ihre Antwort in Stufe 1: nicht beantwortet") == n - 1, t
else:
    assert "Ihre Antwort" not in t, "an own answer on a form without one"
PY
}
i=0
for f in $(cat "$WORK/files.txt"); do
    i=$((i + 1))
    own=""
    [ $i -eq 1 ] && own=2
    [ $i -eq 3 ] && own=6
    check_form "$f" "$(sed -n ${i}p "$WORK/inv/codes.txt")" "$own"
done
check_form ohne-code.pdf "" ""
pdftoppm -r 60 -f 6 -l 6 -png "$WORK/forms/ohne-code.pdf" "$SHOTS/delphi-ohne-code"

step "refusals"
"$BIN" delphi print --survey "$S2" --pack "$WORK/p.delphi" --codes "$WORK/inv/codes.txt" --out "$WORK/forms" \
    2>"$WORK/err" && fail "forms printed before were replaced"
grep -q "holds forms already" "$WORK/err" || fail "message: $(cat "$WORK/err")"
"$BIN" delphi print --survey "$S2" --pack "$WORK/p.delphi" --codes "$WORK/inv/codes.txt" --out "$WORK/forms" \
    --force >/dev/null 2>&1 || fail "--force did not replace"
{ head -2 "$WORK/inv/codes.txt"; echo "K7QM-4TZP-XW2R-9HNA-CD3F-3"; } >"$WORK/bad.txt"
"$BIN" delphi print --survey "$S2" --pack "$WORK/p.delphi" --codes "$WORK/bad.txt" --out "$WORK/f2" 2>"$WORK/err" &&
    fail "a bad code was taken"
grep -q "bad.txt:3: not a participant code" "$WORK/err" || fail "message: $(cat "$WORK/err")"
[ ! -e "$WORK/f2/ohne-code.pdf" ] || fail "forms written before the codes were checked"
"$BIN" delphi print --survey "$S1" --pack "$WORK/p.delphi" --codes "$WORK/inv/codes.txt" --out "$WORK/f3" 2>"$WORK/err" &&
    fail "a pack for stage 2 was printed with stage 1"
grep -q "is for survey 'delphi-stufe-2', not for 'delphi-stufe-1'" "$WORK/err" || fail "message: $(cat "$WORK/err")"
step "ok"

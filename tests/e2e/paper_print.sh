#!/usr/bin/env bash
# paper_print.sh - `teilhabe print`: the needs survey as an A4 form has every question (code
# and text) in survey order (pdftotext), conditions as instructions, a QR code on every page
# that decodes to the sheet id (zbarimg), large print and Leichte Sprache variants; page 1 is
# rendered to $TK_BUILD_DIR/screenshots/ to be looked at. Then the paper round trip through
# the CLI: two entries of a printed sheet are sealed as one record, a third is refused, and
# a tally is sealed with channel tally; a second one, and the first voided: the report counts
# only the second and lists the first as void. Last, piped texts print placeholders.
source "$(dirname "$0")/cli_common.bash"
SHOTS=$TK_BUILD_DIR/screenshots
mkdir -p "$SHOTS"
for tool in pdftotext pdftoppm pdfinfo zbarimg python3; do command -v $tool >/dev/null || fail "needs $tool"; done

# Every answerable question's code and the start of its text, in survey order, must appear in
# the text of the PDF in that order. Prints the first missing one.
check_order() { # PDF SURVEY LANG
    pdftotext -raw "$1" "$WORK/form.txt"
    python3 - "$WORK/form.txt" "$2" "$3" <<'PY'
import json, re, sys
text = re.sub(r"\s+", " ", open(sys.argv[1], encoding="utf-8").read())
survey = json.load(open(sys.argv[2], encoding="utf-8"))
lang = sys.argv[3]
langs = survey["languages"]
def get(t):
    if isinstance(t, str): return t
    for l in ([lang] + (["de"] if lang.startswith("de-") else []) + [langs[0]]):
        if l in t: return t[l]
    return ""
pos, n = 0, 0
for g in survey["groups"]:
    for q in g["questions"]:
        if q["type"] == "info":
            continue
        words = re.sub(r"\s+", " ", get(q["text"])).split(" ")[:4]
        head = " ".join(words)
        i = text.find(head, pos)
        if i < 0:
            sys.exit(f"question {q['code']}: text '{head}' not found after position {pos}")
        j = text.find(q["code"], i)
        if j < 0:
            sys.exit(f"question {q['code']}: code not found after its text")
        pos, n = i + len(head), n + 1
print(n)
PY
}

# --- the needs survey (Bedarfe der Akteure), German ---
NEEDS=$SRC/surveys/bedarfe-akteure.json
"$BIN" print "$NEEDS" --lang de --out "$WORK/needs.pdf" >"$WORK/ids.txt" 2>"$WORK/print.err" ||
    { cat "$WORK/print.err" >&2; fail "print failed"; }
[ "$(wc -l <"$WORK/ids.txt")" -eq 1 ] || fail "expected one sheet id, got: $(cat "$WORK/ids.txt")"
ID=$(cat "$WORK/ids.txt")
[[ $ID =~ ^BA-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$ ]] || fail "sheet id '$ID' has the wrong form"
n=$(check_order "$WORK/needs.pdf" "$NEEDS" de) || fail "needs survey: $n"
echo "needs survey: $n questions in order"
# The condition of C2 (C1 == '1' or '2' or '3') is printed as an instruction in words.
grep -q "Nur beantworten, wenn Sie bei Frage" "$WORK/form.txt" || fail "no condition instruction in the form"
grep -q "Diesen Teil nur ausfüllen, wenn Sie bei Frage" "$WORK/form.txt" || fail "no group condition instruction"
pages=$(pdfinfo "$WORK/needs.pdf" | awk '/^Pages:/ {print $2}')
[ "$(grep -c "Bogen-Nr. $ID" "$WORK/form.txt")" -ge "$pages" ] || fail "the sheet id is not on every page"

# The QR code of every page decodes to the sheet id.
pdftoppm -png -r 150 "$WORK/needs.pdf" "$WORK/page"
for p in "$WORK"/page-*.png; do
    got=$(zbarimg -q --raw "$p" 2>/dev/null || true)
    [ "$got" = "$ID" ] || fail "QR code on $(basename "$p") reads '$got', expected '$ID'"
done
echo "QR codes: $pages page(s) decode to $ID"
# Double-sided printing: a sheet has an even page count, the padding page says it is blank,
# and --simplex leaves it out (one page fewer, so the natural count is odd).
[ $((pages % 2)) -eq 0 ] || fail "a sheet of $pages pages would put the next sheet on its back when printed duplex"
pdftotext -f "$pages" -l "$pages" "$WORK/needs.pdf" - | grep -q "Diese Seite bleibt leer." ||
    fail "the last page of an odd-length sheet is not marked blank"
grep -q "last one blank" "$WORK/print.err" || fail "print does not say it padded: $(cat "$WORK/print.err")"
"$BIN" print "$NEEDS" --lang de --simplex --out "$WORK/needs-simplex.pdf" >/dev/null 2>&1 || fail "print --simplex failed"
[ "$(pdfinfo "$WORK/needs-simplex.pdf" | awk '/^Pages:/ {print $2}')" -eq $((pages - 1)) ] || fail "--simplex still pads"
"$BIN" print "$NEEDS" --lang de --sheets 2 --out "$WORK/needs2.pdf" >/dev/null 2>&1 || fail "print of two sheets failed"
pdftotext -f $((pages + 1)) -l $((pages + 1)) "$WORK/needs2.pdf" - | grep -q "Seite 1 von $pages" ||
    fail "the second sheet does not start on an odd (front) page"
# A printed batch is never replaced by accident: its sheet ids exist only on it.
"$BIN" print "$NEEDS" --lang de --out "$WORK/needs.pdf" >/dev/null 2>"$WORK/again.err" && fail "print overwrote a PDF"
grep -q -- "--force" "$WORK/again.err" || fail "refusal does not say how to replace: $(cat "$WORK/again.err")"
[ "$(pdftotext "$WORK/needs.pdf" - | grep -c "Bogen-Nr. $ID")" -ge "$pages" ] || fail "the refused print changed the PDF"
"$BIN" print "$NEEDS" --lang de --force --out "$WORK/needs.pdf" >/dev/null 2>&1 || fail "print --force failed"
pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$WORK/needs.pdf" "$SHOTS/paper_needs_de"

# --- the citizen survey: Leichte Sprache, large print, several sheets ---
CIT=$SRC/surveys/buerger-digital.json
"$BIN" print "$CIT" --lang de-x-ls --large --sheets 3 --out "$WORK/ls.pdf" >"$WORK/ls_ids.txt" 2>/dev/null ||
    fail "large print failed"
[ "$(sort -u "$WORK/ls_ids.txt" | wc -l)" -eq 3 ] || fail "three sheets need three different ids"
n=$(check_order "$WORK/ls.pdf" "$CIT" de-x-ls) || fail "Leichte Sprache: $n"
# Large print: no font below 16 pt. pdftotext gives each word's box; for Noto Sans its height
# is 1.362 x the font size (ascent + descent), so 16 pt is 21.79 pt high.
python3 - "$WORK/ls.pdf" <<'PY' || fail "large print has text below 16 pt"
import subprocess, sys, re
out = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "2", sys.argv[1], "-"], capture_output=True, text=True).stdout
hs = [float(m.group(2)) - float(m.group(1)) for m in re.finditer(r'<word xMin="[^"]+" yMin="([^"]+)" xMax="[^"]+" yMax="([^"]+)"', out)]
small = [h for h in hs if h < 16 * 1.362 - 0.05]
sys.exit(1 if not hs or small else 0)
PY
pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$WORK/ls.pdf" "$SHOTS/paper_citizen_ls_large"
# Large print fills its pages: a long question may start low on a page and go on overleaf
# ("Frage n (Fortsetzung)") instead of leaving half the page empty. The text of every page but
# the last reaches down 75 % of the body on average (the whole-questions-only layout: 70 %).
"$BIN" print "$CIT" --lang de --large --simplex --out "$WORK/large.pdf" >/dev/null 2>&1 || fail "large print (de) failed"
pdftotext "$WORK/large.pdf" "$WORK/large.txt"
grep -q "Frage [0-9]* (Fortsetzung)" "$WORK/large.txt" || fail "no split question is marked as continued"
python3 - "$WORK/large.pdf" <<'PY' || fail "large print leaves its pages empty"
import subprocess, sys, re
out = subprocess.run(["pdftotext", "-bbox", sys.argv[1], "-"], capture_output=True, text=True).stdout
fills = []
for pg in out.split("<page ")[1:]:
    h = float(re.search(r'height="([^"]+)"', pg).group(1))
    top, bottom = 128, h - 60  # below the header with its QR code, above the footer line
    ys = [float(b) for a, b in re.findall(r'<word xMin="[^"]+" yMin="([^"]+)" xMax="[^"]+" yMax="([^"]+)"', pg)
          if float(a) > top - 18 and float(b) < bottom]
    fills.append((max(ys) - top) / (bottom - top) if ys else 0)
mean = sum(fills[:-1]) / max(1, len(fills) - 1)
print("large print: %d pages, fill of each but the last %s, mean %.2f" % (len(fills), " ".join("%.2f" % f for f in fills[:-1]), mean))
sys.exit(0 if mean >= 0.75 else 1)
PY
"$BIN" print "$CIT" --lang fr --out "$WORK/x.pdf" 2>"$WORK/fr.err" && fail "an unknown language must fail"
grep -q "has no language 'fr'" "$WORK/fr.err" || fail "unclear message: $(cat "$WORK/fr.err")"

# --- a printed sheet entered twice through the CLI ---
CID=$(head -n1 "$WORK/ls_ids.txt")
DATA=$WORK/data
for who in anna ben; do
    printf 'sheet %s\nenterer %s\nONLINE 3\nWARUM 2\nBARR 1 5\nWUNSCH Mehr Bänke\n' "$CID" "$who" >"$WORK/$who.txt"
done
"$BIN" paper enter --data "$DATA" --survey "$CIT" --demo-key --site Bibliothek "$WORK/anna.txt" >"$WORK/e1.out" ||
    { cat "$WORK/e1.out" >&2; fail "first entry failed"; }
grep -q '^first' "$WORK/e1.out" || fail "first entry not stored: $(cat "$WORK/e1.out")"
"$BIN" paper enter --data "$DATA" --survey "$CIT" --demo-key --site Bibliothek "$WORK/ben.txt" >"$WORK/e2.out" ||
    { cat "$WORK/e2.out" >&2; fail "second entry failed"; }
grep -q '^sealed' "$WORK/e2.out" || fail "matching entries not sealed: $(cat "$WORK/e2.out")"
"$BIN" paper enter --data "$DATA" --survey "$CIT" --demo-key "$WORK/ben.txt" >"$WORK/e3.out" && fail "third entry accepted"
grep -q 'already entered' "$WORK/e3.out" || fail "third entry: $(cat "$WORK/e3.out")"
! grep -rq "Mehr Bänke" "$DATA" || fail "an answer is in plain text in the data directory"
# A sheet whose entries differ is held back until resolved against the paper.
DID=$(sed -n 2p "$WORK/ls_ids.txt")
printf 'sheet %s\nenterer anna\nONLINE 1\n' "$DID" >"$WORK/d1.txt"
printf 'sheet %s\nenterer ben\nONLINE 2\n' "$DID" >"$WORK/d2.txt"
"$BIN" paper enter --data "$DATA" --survey "$CIT" --demo-key "$WORK/d1.txt" >/dev/null || fail "first entry of $DID"
"$BIN" paper enter --data "$DATA" --survey "$CIT" --demo-key "$WORK/d2.txt" >"$WORK/d2.out" && fail "differing entries sealed"
grep -q '^DIFFERS' "$WORK/d2.out" || fail "no differences shown: $(cat "$WORK/d2.out")"
"$BIN" paper diff --data "$DATA" --survey "$CIT" --demo-key --sheet "$DID" | grep -Eq '^  ONLINE +1 +2' || fail "paper diff"
"$BIN" paper status --data "$DATA" --survey "$CIT" --demo-key | grep -q "^differs  $DID" ||
    fail "paper status does not list the sheet waiting for resolution"
# Whoever typed one of the entries cannot resolve it, however the id is capitalised.
"$BIN" paper resolve --data "$DATA" --survey "$CIT" --demo-key --sheet "$DID" --by " Anna" ONLINE=2 >"$WORK/r0.out" &&
    fail "an enterer resolved their own sheet"
grep -q "third person" "$WORK/r0.out" || fail "resolver refusal unclear: $(cat "$WORK/r0.out")"
"$BIN" paper resolve --data "$DATA" --survey "$CIT" --demo-key --sheet "$DID" --by cem ONLINE=2 >"$WORK/r.out" ||
    fail "resolve: $(cat "$WORK/r.out")"
"$BIN" paper status --data "$DATA" --survey "$CIT" --demo-key | grep -Eq '^sealed +2$' || fail "two sheets should be sealed"
"$BIN" tally add --data "$DATA" --survey "$CIT" --demo-key --event "Stadtteilfest" --place Marktplatz \
    --date 2026-06-13 --question ONLINE 1=31 2=23 >"$WORK/t0.out" 2>&1 && fail "tally add without --method accepted"
grep -q -- "--method is required" "$WORK/t0.out" || fail "tally refusal unclear: $(cat "$WORK/t0.out")"
"$BIN" tally add --data "$DATA" --survey "$CIT" --demo-key --event "Stadtteilfest" --place Marktplatz \
    --date 2026-06-13 --question ONLINE --method dots 1=31 2=23 >"$WORK/t.out" || fail "tally add failed: $(cat "$WORK/t.out")"
"$BIN" vault status --data "$DATA" >"$WORK/status.out"
grep -Eq '^  paper +2$' "$WORK/status.out" || fail "vault has no paper record: $(cat "$WORK/status.out")"
grep -Eq '^  tally +1$' "$WORK/status.out" || fail "vault has no tally record: $(cat "$WORK/status.out")"

# --- a tally typed in wrongly is voided: the report leaves it out of every sum and lists it ---
T1=$(sed -n 's/^sealed tally \([^ ]*\) .*/\1/p' "$WORK/t.out")
[ -n "$T1" ] || fail "tally add printed no record id: $(cat "$WORK/t.out")"
"$BIN" tally add --data "$DATA" --survey "$CIT" --demo-key --event "Stadtteilfest" --place Marktplatz \
    --date 2026-06-13 --question ONLINE --method dots 1=4 >/dev/null || fail "second tally"
"$BIN" tally void --data "$DATA" --survey "$CIT" --demo-key --tally "$T1" --by ben >"$WORK/v0.out" 2>&1 &&
    fail "tally void without --reason accepted"
grep -q "say why" "$WORK/v0.out" || fail "void refusal unclear: $(cat "$WORK/v0.out")"
"$BIN" tally void --data "$DATA" --survey "$CIT" --demo-key --tally "0000000000000000-000001" --reason x >"$WORK/v1.out" 2>&1 &&
    fail "void of a record the vault does not hold accepted"
grep -q "has no record" "$WORK/v1.out" || fail "void of an unknown id: $(cat "$WORK/v1.out")"
"$BIN" tally void --data "$DATA" --survey "$CIT" --demo-key --tally "$T1" --reason "Poster doppelt gezählt" --by ben \
    --date 2026-06-14 >"$WORK/v.out" || fail "tally void: $(cat "$WORK/v.out")"
grep -q "^sealed void record .*: tally $T1 is void" "$WORK/v.out" || fail "tally void said: $(cat "$WORK/v.out")"
TEILHABE_PASSPHRASE=demo "$BIN" decrypt --key "$DATA/demo-research.key" --vault "$DATA" --out "$WORK/p.jsonl" >/dev/null ||
    fail "decrypt of the paper vault"
"$BIN" report --survey "$CIT" --in "$WORK/p.jsonl" --tallies "$WORK/p.tallies.jsonl" --out "$WORK/p.html" >/dev/null ||
    fail "report with tallies"
python3 - "$WORK/p.html" "$T1" <<'PY' || fail "the voided tally is counted or not listed"
import re, sys
h, t1 = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
one = re.search(r'<tr data-t="ONLINE" data-k="1">.*?<td class="cnt">([^<]*)</td>', h)
assert one and one.group(1) == "4", one and one.group(1)           # 31 + 4 before the void
assert "Strichlisten von Veranstaltungen (getrennt, nicht in n): 1" in h
row = re.search(r'<tr data-void="%s">(.*?)</tr>' % re.escape(t1), h)
assert row and "Poster doppelt gezählt" in row.group(1) and "2026-06-14" in row.group(1), row
PY
# Piped answers cannot be known on paper: a placeholder with the question's number on this
# form; the equation is not printed and takes no number (FORMAT.md "Piping").
cat >"$WORK/pipe.json" <<'EOF'
{"format": "teilhabe-survey/1", "id": "pipe-paper", "version": "1", "languages": ["de", "en"],
 "title": {"de": "Piping", "en": "Piping"}, "groups": [{"code": "G", "title": {"de": "G", "en": "G"}, "questions": [
   {"code": "NAME", "type": "text", "text": {"de": "Wie heißen Sie?", "en": "Your name?"}},
   {"code": "ZWEI", "type": "equation", "equation": "{strlen(NAME) + 1}"},
   {"code": "ORT", "type": "single", "text": {"de": "Wo wohnen Sie, {NAME}?", "en": "Where, {NAME}?"},
    "options": [{"code": "1", "text": {"de": "Stadt {if(NAME == '', '', '!')}", "en": "town"}},
                {"code": "2", "text": {"de": "Land", "en": "country"}}]}]}]}
EOF
"$BIN" print "$WORK/pipe.json" --out "$WORK/pipe.pdf" >/dev/null || fail "print of the piping survey failed"
pdftotext -raw "$WORK/pipe.pdf" "$WORK/pipe.txt"
grep -qF "Wo wohnen Sie, [Ihre Antwort auf Frage 1]?" "$WORK/pipe.txt" || fail "no placeholder: $(cat "$WORK/pipe.txt")"
grep -qF "Stadt […]" "$WORK/pipe.txt" || fail "no placeholder for an expression: $(cat "$WORK/pipe.txt")"
if grep -qE "ZWEI|\{NAME\}|strlen" "$WORK/pipe.txt"; then fail "equation or raw expression printed"; fi
"$BIN" print "$WORK/pipe.json" --lang en --out "$WORK/pipe-en.pdf" >/dev/null || fail "English print failed"
pdftotext -raw "$WORK/pipe-en.pdf" - | grep -qF "Where, [your answer to question 1]?" || fail "no English placeholder"

echo "paper_print: ok"

#!/usr/bin/env bash
# delphi_invite.sh - `teilhabe delphi invite`: codes.txt has one valid code a line (checked by
# `delphi check-code` and by an independent mod-37 check here), letters.pdf one page per code
# in the same order (pdftotext finds page i's code on page i), each page's QR code decodes to
# that page's code, normalized (zbarimg); the study's title and the privacy sentence are on
# every page; an existing codes.txt is never replaced; --letter puts the team's own words in.
# Page 1 is rendered to $TK_BUILD_DIR/screenshots/ to be looked at.
source "$(dirname "$0")/cli_common.bash"
SHOTS=$TK_BUILD_DIR/screenshots
mkdir -p "$SHOTS"
for tool in pdftotext pdftoppm pdfinfo zbarimg python3; do command -v $tool >/dev/null || fail "needs $tool"; done
ROUND1=$SRC/surveys/delphi-stufe-1.json
N=6

"$BIN" delphi invite --count $N --out "$WORK/inv" --survey "$ROUND1" 2>"$WORK/invite.err" ||
    { cat "$WORK/invite.err" >&2; fail "invite failed"; }
CODES=$WORK/inv/codes.txt PDF=$WORK/inv/letters.pdf
[ "$(wc -l <"$CODES")" -eq $N ] || fail "expected $N codes, got $(wc -l <"$CODES")"
[ "$(sort -u "$CODES" | wc -l)" -eq $N ] || fail "codes repeat"
# Form and check symbol, computed here from DELPHI.md's definition, not by the program.
python3 - "$CODES" <<'PY' || fail "codes.txt holds a malformed code"
import re, sys
alpha = "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U"
for line in open(sys.argv[1]):
    c = line.strip()
    if not re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){5}[0-9A-HJKMNP-TV-Z]", c):
        sys.exit(f"bad form: {c}")
    s = c.replace("-", "")
    v = 0
    for ch in s[:20]:
        v = v * 32 + alpha.index(ch)
    if alpha[v % 37] != s[20]:
        sys.exit(f"bad check symbol: {c}")
PY
"$BIN" delphi check-code $(cat "$CODES") >"$WORK/check.out" || fail "check-code refused a code of codes.txt"
[ "$(grep -c '^ok' "$WORK/check.out")" -eq $N ] || fail "check-code: $(cat "$WORK/check.out")"
# One symbol changed and two neighbours swapped are refused; typing in lower case without hyphens is fine.
first=$(head -1 "$CODES")
bad=$(python3 -c "import sys; c=sys.argv[1]; print(c[:2] + ('0' if c[2] != '0' else '1') + c[3:])" "$first")
swapped=$(python3 -c "import sys; c=sys.argv[1]; print(c[1] + c[0] + c[2:])" "$first")
if [ "${first:0:1}" != "${first:1:1}" ]; then
    "$BIN" delphi check-code "$swapped" >/dev/null && fail "a swap was accepted: $swapped"
fi
"$BIN" delphi check-code "$bad" >/dev/null && fail "a wrong symbol was accepted: $bad"
"$BIN" delphi check-code "$(echo "${first//-/}" | tr A-Z a-z)" >/dev/null || fail "lower case without hyphens refused"

pages=$(pdfinfo "$PDF" | awk '/^Pages:/ {print $2}')
[ "$pages" -eq $N ] || fail "letters.pdf has $pages pages for $N codes"
i=0
while read -r code; do
    i=$((i + 1))
    pdftotext -f $i -l $i "$PDF" "$WORK/page.txt"
    grep -qF -- "$code" "$WORK/page.txt" || fail "page $i does not show code $i ($code)"
    for other in $(grep -vxF -- "$code" "$CODES"); do
        grep -qF -- "$other" "$WORK/page.txt" && fail "page $i shows another code ($other)"
    done
    grep -qF "Delphi-Befragung Digitale Kommune – Stufe 1" "$WORK/page.txt" || fail "page $i: no study title"
    tr '\n' ' ' <"$WORK/page.txt" | grep -qF "speichert nicht, wer welchen Code erhalten hat" ||
        fail "page $i: no word on who stores what"
    pdftoppm -r 150 -f $i -l $i -png "$PDF" "$WORK/page"
    qr=$(zbarimg --raw -q "$WORK"/page-*.png 2>/dev/null) || fail "page $i: no QR code found"
    rm -f "$WORK"/page-*.png
    [ "$qr" = "${code//-/}" ] || fail "page $i: QR holds '$qr', expected ${code//-/}"
done <"$CODES"
step "$N codes, $N letters in order, each QR code = its page's code"
pdftoppm -r 60 -f 1 -l 1 -png "$PDF" "$SHOTS/delphi-letter"

# A second run into the same folder is refused and leaves the codes alone.
cp "$CODES" "$WORK/codes.before"
if "$BIN" delphi invite --count 2 --out "$WORK/inv" 2>"$WORK/again.err"; then fail "codes.txt was replaced"; fi
grep -q "exists already" "$WORK/again.err" || fail "no word why: $(cat "$WORK/again.err")"
cmp -s "$CODES" "$WORK/codes.before" || fail "codes.txt changed"

# The team's own words; without --survey the title is the plain one.
printf '# Liebe Expertinnen und Experten,\n\nbitte nehmen Sie an Stufe 1\nunserer Befragung teil.\n' >"$WORK/letter.md"
"$BIN" delphi invite --count 1 --out "$WORK/own" --letter "$WORK/letter.md" 2>/dev/null || fail "invite --letter failed"
pdftotext "$WORK/own/letters.pdf" - | tr '\n' ' ' >"$WORK/own.txt"
grep -qF "Liebe Expertinnen und Experten," "$WORK/own.txt" || fail "own letter text missing"
grep -qF "bitte nehmen Sie an Stufe 1 unserer Befragung teil." "$WORK/own.txt" || fail "own paragraph not joined"
grep -qF "wir laden Sie herzlich ein" "$WORK/own.txt" && fail "the default text is printed beside the own one"
grep -qF "$(cat "$WORK/own/codes.txt")" "$WORK/own.txt" || fail "own letter: no code"
# A survey that is no Delphi round is refused for the title.
if "$BIN" delphi invite --count 1 --out "$WORK/x" --survey "$SRC/surveys/buerger-digital.json" 2>/dev/null; then
    fail "a survey without a delphi block was taken"
fi
[ ! -e "$WORK/x/codes.txt" ] || fail "codes written after a refusal"
step "refusals and own text ok"

#!/usr/bin/env bash
# paper_print_rtl.sh - `teilhabe print` in Arabic and Persian (fixture
# tests/fixtures/rtl/rtl-survey.json): Pango shapes and orders the text, so pdftotext reads
# the question texts back (numbers and Latin words inside them included) and the form's own
# words in the language; the sheet mirrors (the question text ends at the right margin, the QR
# code sits top left and still decodes to the sheet id); page 1 of each is rendered to
# $TK_BUILD_DIR/screenshots/paper_rtl_<lang>.png to be looked at. German is the control: its
# text starts at the left margin.
source "$(dirname "$0")/cli_common.bash"
SHOTS=$TK_BUILD_DIR/screenshots
mkdir -p "$SHOTS"
for tool in pdftotext pdftoppm zbarimg python3; do command -v $tool >/dev/null || fail "needs $tool"; done
SURVEY=$SRC/tests/fixtures/rtl/rtl-survey.json

for lang in ar fa de; do
    step "print $lang"
    "$BIN" print "$SURVEY" --lang "$lang" --out "$WORK/$lang.pdf" >"$WORK/$lang.ids" 2>"$WORK/$lang.err" ||
        { cat "$WORK/$lang.err" >&2; fail "print --lang $lang failed"; }
    id=$(head -n1 "$WORK/$lang.ids")
    pdftotext -bbox "$WORK/$lang.pdf" "$WORK/$lang.html"
    pdftotext "$WORK/$lang.pdf" "$WORK/$lang.txt"
    # Words of the texts, in logical order as a reader (and a screen reader) gets them, and
    # where the words of the first question stand on the page (x in points, A4 is 595 wide).
    python3 - "$WORK/$lang.txt" "$WORK/$lang.html" "$SURVEY" "$lang" <<'PY' || fail "$lang: text or layout wrong"
import json, re, sys
text = re.sub(r"\s+", " ", open(sys.argv[1], encoding="utf-8").read())
html = open(sys.argv[2], encoding="utf-8").read()
survey = json.load(open(sys.argv[3], encoding="utf-8"))
lang = sys.argv[4]
def norm(s):
    # pdftotext gives the letters back (joining forms are a matter of glyphs), but it puts
    # spaces between some glyphs and writes the lam-alef ligature's letters alef first: both
    # sides are compared without spaces and with lam-alef spelled the way pdftotext does.
    import unicodedata
    s = re.sub("[\u200c\u200e\u200f\u202a-\u202e]", "", unicodedata.normalize("NFKC", s))  # and the bidi marks it adds
    return re.sub(r"\s+", "", re.sub("\u0644([\u0622\u0623\u0625\u0627])", "\\1\u0644", s))
text = norm(text)
qs = [q for g in survey["groups"] for q in g["questions"]]
for q in qs:
    if q["type"] == "info":
        continue
    words = [norm(w) for w in q["text"][lang].split(" ") if len(w) > 2][:3]
    for w in words:
        if w not in text:
            sys.exit(f"question {q['code']}: word '{w}' not in the PDF's text")
for o in qs[1]["options"]:
    for w in [norm(x) for x in o["text"][lang].split(" ")]:
        if len(w) > 1 and w not in text:
            sys.exit(f"option {o['code']}: word '{w}' not in the PDF's text")
if "WhatsApp" not in text:
    sys.exit("the Latin word inside the question is missing")
own = {"ar": "الاستمارة", "fa": "برگه", "de": "Bogen-Nr."}[lang]
if norm(own) not in text:
    sys.exit(f"the form's own words are not in {lang}: '{own}' missing")
# Where the letters stand (pdftotext -bbox: x in points, A4 is 595 wide, margins 48): text
# reaches the right margin on a mirrored sheet and starts at the left one in German.
boxes = [(float(a), float(b), w) for a, b, w in
         re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html)]
letters = [(a, b) for a, b, w in boxes if re.search(r"[\u0600-\u06FF]" if lang != "de" else r"[A-Za-z]", w)]
if not letters:
    sys.exit("no letters with boxes in the PDF")
if lang == "de":
    if min(a for a, b in letters) > 48 + 30: sys.exit("German text does not start at the left margin")
elif max(b for a, b in letters) < 595 - 48 - 30:
    sys.exit(f"{lang}: no text reaches the right margin (rightmost letter ends at {max(b for a, b in letters)})")
PY
    # The QR code decodes to the sheet id: top left on a mirrored sheet.
    pdftoppm -png -r 150 -f 1 -l 1 "$WORK/$lang.pdf" "$WORK/$lang-page"
    png=$(ls "$WORK/$lang"-page*.png | head -n1)
    cp "$png" "$SHOTS/paper_rtl_$lang.png"
    zbarimg -q --raw "$png" | grep -qx "$id" || fail "$lang: QR code does not read $id"
    # Which upper quarter of page 1 holds it: the left one on a mirrored sheet.
    convert "$png" -gravity NorthWest -crop 50%x25%+0+0 +repage "$WORK/$lang-tl.png"
    convert "$png" -gravity NorthEast -crop 50%x25%+0+0 +repage "$WORK/$lang-tr.png"
    where=none
    zbarimg -q --raw "$WORK/$lang-tl.png" 2>/dev/null | grep -qx "$id" && where=left
    zbarimg -q --raw "$WORK/$lang-tr.png" 2>/dev/null | grep -qx "$id" && where=right
    case "$lang" in de) [ "$where" = right ] || fail "German QR code not top right" ;;
                    *) [ "$where" = left ] || fail "$lang: QR code not top left (mirrored sheet)" ;; esac
done
step "ok: Arabic and Persian forms shaped, ordered and mirrored; German unchanged"

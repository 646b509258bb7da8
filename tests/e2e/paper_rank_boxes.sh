#!/usr/bin/env bash
# paper_rank_boxes.sh - the printed ranking question of the citizen survey (TOP3): one box a
# sector, each at least 8 mm square so that a handwritten digit fits, and no other box on the
# form that large (tick boxes stay small, so the rank boxes stand apart). Read back from the
# PDF with an independent reader: poppler's pdftocairo turns the page into SVG, whose stroked
# rectangles are measured here; pdftotext finds the page.
source "$(dirname "$0")/cli_common.bash"
for tool in pdftotext pdftocairo pdfinfo python3; do command -v $tool >/dev/null || fail "needs $tool"; done
SURVEY=$SRC/surveys/buerger-digital.json
options=$(python3 -c '
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))
print(next(len(q["options"]) for g in s["groups"] for q in g["questions"] if q["code"] == "TOP3"))' "$SURVEY")

# rank_boxes PDF MIN_MM: prints the page that holds TOP3's heading, the number of squares of at
# least MIN_MM on the form, the smallest of them, and how many of them lie before that page (a
# ranking may go on over a page break; nothing before it may be as large).
rank_boxes() {
    local pdf=$1 min=$2 pages page=""
    pages=$(pdfinfo "$pdf" | sed -n 's/^Pages: *//p')
    for p in $(seq 1 "$pages"); do
        pdftocairo -svg -f "$p" -l "$p" "$pdf" "$WORK/p$p.svg"
        pdftotext -f "$p" -l "$p" -raw "$pdf" - | grep -w TOP3 >/dev/null && page=${page:-$p}
    done
    [ -n "$page" ] || fail "TOP3 is on no page of $pdf"
    python3 - "$WORK" "$pages" "$page" "$min" <<'PY'
import re, sys
work, pages, page, min_mm = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
pt_mm = 25.4 / 72
def squares(p):
    out = []
    svg = open(f"{work}/p{p}.svg", encoding="utf-8").read()
    for m in re.finditer(r'<path style="fill:none;[^"]*" d="([^"]*)"(?: transform="matrix\(([^)]*)\)")?', svg):
        nums = [float(x) for x in re.findall(r"-?[\d.]+", m.group(1))]
        if "Z" not in m.group(1) or len(nums) < 8: continue
        xs, ys = nums[0:8:2], nums[1:8:2]
        scale = float(m.group(2).split(",")[0]) if m.group(2) else 1.0
        w, h = (max(xs) - min(xs)) * scale * pt_mm, (max(ys) - min(ys)) * scale * pt_mm
        if abs(w - h) < 0.2: out.append(w)
    return out
big = [s for p in range(1, pages + 1) for s in squares(p) if s >= min_mm]
before = sum(1 for p in range(1, page) for s in squares(p) if s >= min_mm)
print(page, len(big), f"{min(big):.2f}" if big else "0", before)
PY
}

"$BIN" print "$SURVEY" --lang de --out "$WORK/form.pdf" >/dev/null 2>"$WORK/err" || fail "print: $(cat "$WORK/err")"
read -r page big side elsewhere < <(rank_boxes "$WORK/form.pdf" 8)
[ "$big" = "$options" ] || fail "the form has $big boxes of at least 8 mm, expected one for each of the $options options of TOP3 and no other"
[ "$elsewhere" = 0 ] || fail "$elsewhere boxes of 8 mm or more before the ranking: the rank boxes do not stand apart"
step "standard print: $big rank boxes of $side mm from page $page, none that large elsewhere"

# Large print: still one box an option, larger (at least 10 mm).
"$BIN" print "$SURVEY" --lang de --large --out "$WORK/large.pdf" >/dev/null 2>"$WORK/err" || fail "print --large: $(cat "$WORK/err")"
read -r page big side elsewhere < <(rank_boxes "$WORK/large.pdf" 10)
[ "$big" = "$options" ] || fail "large print: $big boxes of at least 10 mm, expected $options"
[ "$elsewhere" = 0 ] || fail "large print: $elsewhere boxes of 10 mm or more before the ranking"
step "large print: $big rank boxes of $side mm from page $page"
echo "ok: rank boxes fit a handwritten digit and stand apart from the tick boxes"

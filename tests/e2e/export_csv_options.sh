#!/usr/bin/env bash
# export_csv_options.sh - `decrypt` and `export csv` with several inputs and the CSV options,
# read back with Python's csv module (an independent parser): two overlapping USB bundles of
# one kiosk decrypt to every record once; two overlapping responses.jsonl export every record
# once; --excel-de gives ';', a BOM and decimal commas and otherwise the same cells; the paper
# sheet id, interviewer and enterers have columns; -ill- / -mult- fill every column of their
# field and follow --illegible / --multiple; the CSV codebook names the survey's id and hash and
# declares every code; a bad --sep is refused; --help lists every option.
source "$(dirname "$0")/cli_common.bash"
SURVEY="$SRC/tests/e2e/kiosk_types.json"
export TEILHABE_PASSPHRASE=e2e-passphrase

step "keys, a kiosk, six responses in two overlapping bundles"
"$BIN" keygen --out "$WORK/keys" >/dev/null 2>&1 || fail "keygen"
mkdir "$WORK/kiosk" "$WORK/r"
cp "$WORK/keys/research.pub" "$WORK/kiosk/"
for i in $(seq 1 60); do printf '\n'; done | "$BIN" survey walk "$SURVEY" >"$WORK/walk.json" 2>/dev/null || fail "walk"
python3 - "$WORK/walk.json" "$WORK/r" <<'EOF' || fail "generating responses"
import json, sys
walk = json.load(open(sys.argv[1], encoding="utf-8"))
def resp(i, channel, meta, answers):
    return {"format": "teilhabe-response/1", "survey_id": walk["survey_id"], "survey_version": walk["survey_version"],
            "survey_hash": walk["survey_hash"], "language": "de", "channel": channel, "site": "Bibliothek, 1. OG",
            "event": "", "started": "2026-11-0%dT10:00:00Z" % (i + 1), "finished": "2026-11-0%dT10:05:00Z" % (i + 1),
            "complete": True, "answers": answers, "skipped": ["L1"], "not_shown": [], "meta": meta}
rs = [
    resp(0, "kiosk", {}, {"N1": {"value": "2.5"}, "MN": {"cells": {"P1": "1.25", "P2": "3"}}, "T1": {"value": "a;b, 1.5"}}),
    resp(1, "paper", {"sheet": "KT-7K3F-Q9MC", "enterer1": "mk", "enterer2": "jb", "resolver": "lw"},
         {"S1": {"value": "-ill-"}, "M1": {"values": ["-mult-", "1"]}, "K1": {"values": ["-ill-"]},
          "X1": {"cells": {"SQ1": "-mult-", "SQ2": "2"}}, "N1": {"value": "-ill-"}}),
    resp(2, "assisted", {"interviewer": "iv-12"}, {"S1": {"value": "2"}, "M1": {"values": ["3"]}, "R1": {"no_answer": True}}),
    resp(3, "kiosk", {}, {"N1": {"value": "17"}, "X2": {"cells": {"W_1": "12.5"}}}),
    resp(4, "paper", {"sheet": "KT-22QH-M4XT", "enterer1": "mk", "enterer2": "ab"}, {"S1": {"value": "-oth-", "other": "-oth-"}}),
    resp(5, "kiosk", {}, {"T1": {"value": "Zeile 1\nZeile 2"}}),
]
for i, r in enumerate(rs):
    json.dump(r, open("%s/r%d.json" % (sys.argv[2], i), "w", encoding="utf-8"), ensure_ascii=False)
EOF
# The stick was not emptied between the two exports: the second bundle holds all six.
"$BIN" vault add --data "$WORK/kiosk" "$WORK"/r/r0.json "$WORK"/r/r1.json "$WORK"/r/r2.json >/dev/null || fail "vault add 1"
"$BIN" export-bundle --data "$WORK/kiosk" --out "$WORK/a.tkb" >/dev/null || fail "export-bundle a"
"$BIN" vault add --data "$WORK/kiosk" "$WORK"/r/r3.json "$WORK"/r/r4.json "$WORK"/r/r5.json >/dev/null || fail "vault add 2"
"$BIN" export-bundle --data "$WORK/kiosk" --out "$WORK/b.tkb" >/dev/null || fail "export-bundle b"

step "decrypt --bundle A --bundle B: every record once"
K="$WORK/keys/research.key"
"$BIN" decrypt --key "$K" --bundle "$WORK/b.tkb" --bundle "$WORK/a.tkb" --out "$WORK/both.jsonl" >"$WORK/dec.out" 2>"$WORK/dec.err" \
    || fail "decrypt two bundles: $(cat "$WORK/dec.err")"
grep -q "^6 records read, 6 responses written" "$WORK/dec.out" || fail "decrypt said: $(cat "$WORK/dec.out")"
grep -q "^3 records were in more than one input; each was read once" "$WORK/dec.out" || fail "overlap not said: $(cat "$WORK/dec.out")"
[ ! -s "$WORK/dec.err" ] || fail "decrypt warned: $(cat "$WORK/dec.err")"
"$BIN" decrypt --key "$K" --bundle "$WORK/a.tkb" --out "$WORK/a.jsonl" >/dev/null || fail "decrypt a"
"$BIN" decrypt --key "$K" --bundle "$WORK/b.tkb" --out "$WORK/b.jsonl" >/dev/null || fail "decrypt b"
cmp -s "$WORK/both.jsonl" "$WORK/b.jsonl" || fail "two bundles decrypt differently from the complete one"
set +e
"$BIN" decrypt --key "$K" --bundle "$WORK/a.tkb" --bundle "$WORK/nope.tkb" --out "$WORK/x.jsonl" >/dev/null 2>"$WORK/e1"; rc=$?
set -e
[ $rc -eq 2 ] && grep -q "nope.tkb" "$WORK/e1" && [ ! -e "$WORK/x.jsonl" ] || fail "a missing bundle: exit $rc, $(cat "$WORK/e1")"

step "export csv --in A --in B: every record once; default and --excel-de"
"$BIN" export csv --survey "$SURVEY" --in "$WORK/a.jsonl" --in "$WORK/b.jsonl" --out "$WORK/data.csv" \
    --codebook "$WORK/cb.csv" >"$WORK/csv.out" 2>"$WORK/csv.err" || fail "export csv: $(cat "$WORK/csv.err")"
grep -q "^6 responses written" "$WORK/csv.out" || fail "export csv said: $(cat "$WORK/csv.out")"
grep -q "3 records were in the input more than once; each is kept once" "$WORK/csv.err" || fail "duplicates: $(cat "$WORK/csv.err")"
"$BIN" export csv --survey "$SURVEY" --in "$WORK/both.jsonl" --out "$WORK/de.csv" --excel-de --codebook "$WORK/cb-de.csv" \
    >/dev/null 2>&1 || fail "export csv --excel-de"
"$BIN" export csv --survey "$SURVEY" --in "$WORK/both.jsonl" --out "$WORK/tab.csv" --sep tab --illegible -4 --multiple -5 \
    --no-answer -3 >/dev/null 2>&1 || fail "export csv --sep tab"
python3 - "$WORK" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["survey_hash"])' "$WORK/walk.json")" <<'EOF' \
    || fail "the CSV read back differs"
import csv, sys
work, survey_hash = sys.argv[1:]
def table(name, sep, encoding="utf-8"):
    return list(csv.DictReader(open("%s/%s" % (work, name), newline="", encoding=encoding), delimiter=sep))
raw = open(work + "/de.csv", "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "no BOM"
assert not open(work + "/data.csv", "rb").read().startswith(b"\xef\xbb\xbf"), "BOM without --bom"
std, de, tab = table("data.csv", ","), table("de.csv", ";", "utf-8-sig"), table("tab.csv", "\t")
assert len(std) == len(de) == len(tab) == 6, (len(std), len(de), len(tab))
assert list(std[0].keys()) == list(de[0].keys()) == list(tab[0].keys())
bad = []
def want(got, value, what):
    if got != value: bad.append("%s: %r, expected %r" % (what, got, value))
by = {r["channel"] + r["started"][:10]: r for r in std}
k0, p1, a2 = by["kiosk2026-11-01"], by["paper2026-11-02"], by["assisted2026-11-03"]
want(p1["sheet"], "KT-7K3F-Q9MC", "sheet"); want(p1["enterer1"], "mk", "enterer1"); want(p1["enterer2"], "jb", "enterer2")
want(p1["resolver"], "lw", "resolver"); want(p1["interviewer"], "", "paper interviewer")
want(a2["interviewer"], "iv-12", "interviewer"); want(a2["sheet"], "", "assisted sheet")
for c in ("sheet", "interviewer", "enterer1", "enterer2", "resolver"): want(k0[c], "", "kiosk " + c)
want(p1["S1"], "-ill-", "S1"); want(p1["N1"], "-ill-", "N1")
for c in ("M1[1]", "M1[2]", "M1[3]", "M1[4]"): want(p1[c], "-mult-", c)
for c in ("K1[1]", "K1[2]", "K1[3]"): want(p1[c], "-ill-", c)
want(p1["X1[SQ1][1]"], "-mult-", "X1[SQ1][1]"); want(p1["X1[SQ2][1]"], "2", "X1[SQ2][1]"); want(p1["X1[SQ1][2]"], "", "X1[SQ1][2]")
want(k0["T1"], "a;b, 1.5", "T1"); want(by["kiosk2026-11-06"]["T1"], "Zeile 1\nZeile 2", "T1 two lines")
# --excel-de: the same table, numeric answers with a decimal comma.
numeric = [c for c in std[0] if c == "N1" or c.startswith("MN[") or c.startswith("X2[")]
for s, d in zip(std, de):
    for c in s:
        want(d[c], s[c].replace(".", ",") if c in numeric else s[c], "excel-de %s %s" % (s["id"], c))
dk0 = [d for d in de if d["id"] == k0["id"]][0]
want(dk0["N1"], "2,5", "excel-de N1"); want(dk0["MN[P1]"], "1,25", "excel-de MN[P1]"); want(dk0["T1"], "a;b, 1.5", "excel-de T1")
# --sep tab with own codes for the paper cases and "keine Antwort".
tp1 = [t for t in tab if t["id"] == p1["id"]][0]
want(tp1["S1"], "-4", "tab S1"); want(tp1["M1[3]"], "-5", "tab M1[3]"); want(tp1["K1[2]"], "-4", "tab K1[2]")
want([t for t in tab if t["id"] == a2["id"]][0]["R1"], "-3", "tab R1")
# The codebook: survey id and hash, and every code declared with how it is written.
for name, sep, enc in (("cb.csv", ",", "utf-8"), ("cb-de.csv", ";", "utf-8-sig")):
    rows = list(csv.reader(open("%s/%s" % (work, name), newline="", encoding=enc), delimiter=sep))
    want(rows[0], ["column", "question", "text", "type", "values"], name + " heading")
    meta = {r[1]: r for r in rows if r[0] == "#"}
    want(meta.get("survey_id", [""] * 3)[2], "kiosk-alle-typen", name + " survey_id")
    want(meta.get("survey_hash", [""] * 3)[2], survey_hash, name + " survey_hash")
    for code, written in (("-na-", "KA"), ("-oth-", "-oth-"), ("-ill-", "-ill-"), ("-mult-", "-mult-")):
        want(meta.get(code, [""] * 5)[4], written, "%s code %s" % (name, code))
    cols = [r[0] for r in rows if r[0] != "#"][1:]
    want(cols, list(std[0].keys()), name + " columns")
for b in bad: print("export_csv_options:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF

step "a bad separator is refused; --help lists every option"
set +e
"$BIN" export csv --survey "$SURVEY" --in "$WORK/both.jsonl" --out "$WORK/y.csv" --sep x >/dev/null 2>"$WORK/e2"; rc=$?
set -e
[ $rc -eq 2 ] && grep -q "one of , ; tab" "$WORK/e2" && [ ! -e "$WORK/y.csv" ] || fail "--sep x: exit $rc, $(cat "$WORK/e2")"
"$BIN" --help >"$WORK/help" 2>&1 || true
for o in --excel-de --bom --sep --skipped --not-shown --not-reached --no-answer --illegible --multiple "--in more.jsonl"; do
    grep -A3 "export csv" "$WORK/help" | grep -q -- "$o" || fail "--help of export csv lacks $o"
done
grep -A2 "^ *decrypt" "$WORK/help" | grep -q -- "--bundle FILE" || fail "--help of decrypt: $(grep -A2 decrypt "$WORK/help")"
step "ok"

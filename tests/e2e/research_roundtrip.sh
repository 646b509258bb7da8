#!/usr/bin/env bash
# research_roundtrip.sh - the researchers' path with real processes: keygen -> responses
# entered with `teilhabe survey walk` and sealed into a kiosk vault (`vault add`) ->
# export-bundle -> decrypt -> export csv / vv / report. The CSV must hold exactly what was
# entered; a wrong passphrase, a wrong key and a damaged record give clear messages, and one
# damaged record never costs the others.
source "$(dirname "$0")/cli_common.bash"
SURVEY="$SRC/surveys/bedarfe-akteure.json"
export TEILHABE_PASSPHRASE=e2e-passphrase

step "keys and a kiosk directory"
"$BIN" keygen --out "$WORK/keys" >/dev/null 2>&1 || fail "keygen"
mkdir "$WORK/kiosk"
cp "$WORK/keys/research.pub" "$WORK/kiosk/"

step "three responses through survey walk"
# 1: C1 = nein, everything else skipped (assisted, English).
{ printf '\n\n\n4\n'; for i in $(seq 1 40); do printf '\n'; done; } |
    "$BIN" survey walk "$SURVEY" --lang en --channel assisted --site "Stadtbibliothek, Erdgeschoss" \
        >"$WORK/r1.json" 2>/dev/null || fail "walk 1"
# 2: other text with a comma and quotes, a comment, keine Antwort, multiple choice, a ranked
# list, a matrix; ends at G3 (partial).
cat >"$WORK/in2.txt" <<'EOF'
c:Anmerkung, mit "Zitat"
o:Projekt in der Bücherei
Zwei Zeilen; erste Zeile
-
2
Probleme bei der Umstellung
5
1
1 3
1 2

Beratung; Schulung
weil es hilft
1
Digitalstrategie 2030

x

1;2;;3
2
o:Leitung
EOF
"$BIN" survey walk "$SURVEY" --channel paper --site "Stadtteilfest" <"$WORK/in2.txt" >"$WORK/r2.json" 2>/dev/null \
    || fail "walk 2"
# 3: D0 = nein.
{ printf '\n\n\n1\nText zu C2\n\n2\n'; for i in $(seq 1 30); do printf '\n'; done; } |
    "$BIN" survey walk "$SURVEY" --site "Stadtbibliothek, Erdgeschoss" >"$WORK/r3.json" 2>/dev/null || fail "walk 3"

step "sealed into the vault, exported as a bundle"
"$BIN" vault add --data "$WORK/kiosk" "$WORK/r1.json" "$WORK/r2.json" "$WORK/r3.json" >"$WORK/ids" || fail "vault add"
[ "$(wc -l <"$WORK/ids")" -eq 3 ] || fail "vault add printed $(cat "$WORK/ids")"
"$BIN" export-bundle --data "$WORK/kiosk" --out "$WORK/k.tkb" >/dev/null || fail "export-bundle"
if grep -q "Projekt in der" "$WORK/k.tkb" "$WORK/kiosk/vault.sqlite"; then fail "answers readable without the key"; fi

step "decrypt the bundle and the vault"
"$BIN" decrypt --key "$WORK/keys/research.key" --bundle "$WORK/k.tkb" --out "$WORK/resp.jsonl" >"$WORK/dec.out" \
    || fail "decrypt exit $?"
grep -q "3 records read, 3 responses written" "$WORK/dec.out" || fail "decrypt said: $(cat "$WORK/dec.out")"
[ "$(stat -c %a "$WORK/resp.jsonl")" = 600 ] || fail "decrypted file is readable by others"
"$BIN" decrypt --key "$WORK/keys/research.key" --vault "$WORK/kiosk" --out "$WORK/resp-vault.jsonl" >/dev/null \
    || fail "decrypt --vault"
cmp -s "$WORK/resp.jsonl" "$WORK/resp-vault.jsonl" || fail "bundle and vault decrypt differently"
if "$BIN" decrypt --key "$WORK/keys/research.key" --bundle "$WORK/k.tkb" --out "$WORK/resp.jsonl" 2>/dev/null; then
    fail "decrypt replaced an existing output without --force"
fi

step "export csv equals what was entered"
"$BIN" export csv --survey "$SURVEY" --in "$WORK/resp.jsonl" --out "$WORK/data.csv" --codebook "$WORK/cb.md" >/dev/null \
    || fail "export csv"
python3 - "$WORK/data.csv" "$WORK/r1.json" "$WORK/r2.json" "$WORK/r3.json" <<'EOF' || fail "CSV differs from the entered answers"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
entered = [json.load(open(p, encoding="utf-8")) for p in sys.argv[2:]]
assert len(rows) == len(entered), (len(rows), len(entered))
bad = []
def want(row, col, value):
    if row.get(col) != value:
        bad.append("%s %s: CSV %r, entered %r" % (row["id"], col, row.get(col), value))
for row, r in zip(rows, entered):
    for k in ("channel", "site", "language", "started"):
        want(row, k, r[k])
    want(row, "complete", "Y" if r["complete"] else "N")
    for code, a in r["answers"].items():
        if a.get("no_answer"):
            cols = [c for c in row if c == code or c.startswith(code + "[")]
            for c in cols: want(row, c, "KA")
            continue
        if "value" in a: want(row, code, a["value"])
        if "other" in a: want(row, code + "[other]", a["other"])
        if "comment" in a: want(row, code + "[comment]", a["comment"])
        if code in ("D1", "D2", "D3"):
            for c in row:
                if c.startswith(code + "[") and c != code + "[comment]":
                    want(row, c, "Y" if c[len(code) + 1:-1] in a["values"] else "N")
        elif "values" in a:
            for i, v in enumerate(a["values"]): want(row, "%s[%d]" % (code, i + 1), v)
        for cell, v in a.get("cells", {}).items(): want(row, "%s[%s]" % (code, cell), v)
    for code in r["skipped"]:
        for c in row:
            if c == code or c.startswith(code + "["): want(row, c, "")
    for code in r["not_shown"]:
        for c in row:
            if c == code or c.startswith(code + "["): want(row, c, "NA")
for b in bad: print("research_roundtrip:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
grep -q '| `G2\[other\]` | G2 |' "$WORK/cb.md" || fail "codebook lacks G2[other]"
# The same answers straight from the walk files (no sealing at all) give the same table.
cat "$WORK/r1.json" "$WORK/r2.json" "$WORK/r3.json" >"$WORK/walked.jsonl"
"$BIN" export csv --survey "$SURVEY" --in "$WORK/walked.jsonl" --out "$WORK/direct.csv" >/dev/null || fail "export csv direct"
python3 - "$WORK/data.csv" "$WORK/direct.csv" <<'EOF' || fail "sealed and unsealed paths give different CSV"
import csv, sys
a, b = (list(csv.reader(open(p, newline="", encoding="utf-8"))) for p in sys.argv[1:])
assert a[0] == b[0] and len(a) == len(b) == 4
assert [r[1:] for r in a] == [r[1:] for r in b]   # everything but the id
EOF

step "export vv and report"
"$BIN" export vv --survey "$SURVEY" --in "$WORK/resp.jsonl" --out "$WORK/data.vv" >/dev/null || fail "export vv"
sed -n 2p "$WORK/data.vv" | grep -q "^id	submitdate	startlanguage	startdate	datestamp	A1	A1_other	A1_comment" \
    || fail "VV column line: $(sed -n 2p "$WORK/data.vv" | cut -c1-120)"
[ "$(wc -l <"$WORK/data.vv")" -eq 5 ] || fail "VV should have 2 header lines and 3 rows"
"$BIN" report --survey "$SURVEY" --in "$WORK/resp.jsonl" --out "$WORK/report.html" >/dev/null || fail "report"
grep -q '<span class="n" data-b="C1">n = 3</span>' "$WORK/report.html" || fail "report: C1 n"
grep -q 'Projekt in der Bücherei' "$WORK/report.html" || fail "report: other text not listed"
"$BIN" report --survey "$SURVEY" --in "$WORK/resp.jsonl" --out "$WORK/paper.html" --channel paper >/dev/null || fail "report --channel"
grep -q '<span class="n" data-b="C1">n = 1</span>' "$WORK/paper.html" || fail "report --channel paper: C1 n"

step "wrong passphrase, wrong key, damaged record"
set +e
TEILHABE_PASSPHRASE=not-the-one "$BIN" decrypt --key "$WORK/keys/research.key" --bundle "$WORK/k.tkb" --out "$WORK/x.jsonl" \
    2>"$WORK/e1"; rc=$?
[ $rc -eq 2 ] || fail "wrong passphrase: exit $rc"
grep -q "wrong passphrase" "$WORK/e1" || fail "wrong passphrase message: $(cat "$WORK/e1")"
[ ! -e "$WORK/x.jsonl" ] || fail "wrong passphrase wrote output"
TEILHABE_PASSPHRASE=other-passphrase "$BIN" keygen --out "$WORK/keys2" >/dev/null 2>&1
TEILHABE_PASSPHRASE=other-passphrase "$BIN" decrypt --key "$WORK/keys2/research.key" --bundle "$WORK/k.tkb" --out "$WORK/x.jsonl" \
    >/dev/null 2>"$WORK/e2"; rc=$?
[ $rc -eq 1 ] || fail "wrong key: exit $rc"
grep -q "none of the 3 records opens with this key" "$WORK/e2" || fail "wrong key message: $(cat "$WORK/e2")"
# Flip one byte inside the second record's sealed part.
python3 - "$WORK/k.tkb" "$WORK/bad.tkb" <<'EOF'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
pos = 68
if struct.unpack_from("<H", b, 4)[0] >= 2:   # version 2: head statement and damaged list first
    pos += 112
    pos += 4 + 8 * struct.unpack_from("<I", b, pos)[0]
if struct.unpack_from("<H", b, 4)[0] >= 3:   # version 3: the research key's fingerprint
    pos += 2 + struct.unpack_from("<H", b, pos)[0]
if struct.unpack_from("<H", b, 4)[0] >= 4:   # version 4: the device's status
    pos += 2 + struct.unpack_from("<H", b, pos)[0]
n1 = struct.unpack_from("<I", b, pos)[0]
pos += 4 + n1
n2 = struct.unpack_from("<I", b, pos)[0]
b[pos + 4 + n2 - 100] ^= 0x01
open(sys.argv[2], "wb").write(b)
EOF
"$BIN" decrypt --key "$WORK/keys/research.key" --bundle "$WORK/bad.tkb" --out "$WORK/bad.jsonl" >"$WORK/o3" 2>"$WORK/e3"; rc=$?
[ $rc -eq 1 ] || fail "damaged record: exit $rc"
grep -q -- "-000002: signature does not match" "$WORK/e3" || fail "damaged record not named: $(cat "$WORK/e3")"
grep -q "3 records read, 2 responses written" "$WORK/o3" || fail "damaged record: $(cat "$WORK/o3")"
set -e
step "ok"

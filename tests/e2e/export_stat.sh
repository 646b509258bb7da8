#!/usr/bin/env bash
# export_stat.sh - `export sav`, `export dta` and `export ddi` on real decrypted data: PSPP reads
# the .sav and its frequencies of every single-choice question equal the counts of the CSV
# export; the .dta (which PSPP cannot read) is read by a small reader of the dta 118 layout
# below and gives the same counts with Stata's .a-.f; value labels and user-missing values show
# in PSPP's dictionary; the DDI is well-formed and has the DDI-Codebook structure. A survey
# version that does not match, or no response of the survey, is exit 2 with a clear message.
source "$(dirname "$0")/cli_common.bash"
SURVEY="$SRC/surveys/bedarfe-akteure.json"
export TEILHABE_PASSPHRASE=e2e-passphrase
command -v pspp >/dev/null || fail "pspp is not installed (packaging/install-deps.sh)"
command -v xmllint >/dev/null || fail "xmllint is not installed (packaging/install-deps.sh)"

step "keys, 240 generated responses sealed into a vault, decrypted"
"$BIN" keygen --out "$WORK/keys" >/dev/null 2>&1 || fail "keygen"
mkdir "$WORK/kiosk" "$WORK/r"
cp "$WORK/keys/research.pub" "$WORK/kiosk/"
# The survey's hash, as the kiosk writes it: from one walked (empty) response.
for i in $(seq 1 60); do printf '\n'; done | "$BIN" survey walk "$SURVEY" >"$WORK/walk.json" 2>/dev/null || fail "walk"
# Every single-choice question gets every kind of answer: each option, "andere" with a text
# full of XML and CSV specials, "keine Antwort", skipped, not shown, and paper's -ill- / -mult-;
# a partial response has the questions from some point on not reached (the first one: all).
python3 - "$SURVEY" "$WORK/walk.json" "$WORK/r" <<'EOF' || fail "generating responses"
import json, random, sys
survey = json.load(open(sys.argv[1], encoding="utf-8"))
walk = json.load(open(sys.argv[2], encoding="utf-8"))
rng = random.Random(20261201)
singles = [q for g in survey["groups"] for q in g["questions"] if q["type"] == "single"]
for i in range(240):
    r = {"format": "teilhabe-response/1", "survey_id": walk["survey_id"], "survey_version": walk["survey_version"],
         "survey_hash": walk["survey_hash"], "language": "de", "channel": "paper" if i % 3 == 0 else "kiosk",
         "site": "Stadtteilfest", "event": "", "started": "2026-11-%02dT10:%02d:00Z" % (1 + i % 28, i % 60),
         "finished": "2026-11-%02dT11:%02d:00Z" % (1 + i % 28, i % 60), "complete": i % 10 != 9,
         "answers": {}, "skipped": [], "not_shown": [], "meta": {}}
    cut = (i // 10) % len(singles) if i % 10 == 9 else len(singles)
    for j, q in enumerate(singles):
        if j >= cut: continue   # not reached: in none of answers, skipped, not_shown
        kinds = [o["code"] for o in q["options"]] * 3 + ["KA", "SKIP", "NS", "-ill-", "-mult-"] + (["-oth-"] * 2 if q.get("other") else [])
        k = rng.choice(kinds)
        if k == "KA": r["answers"][q["code"]] = {"no_answer": True}
        elif k == "SKIP": r["skipped"].append(q["code"])
        elif k == "NS": r["not_shown"].append(q["code"])
        elif k == "-oth-": r["answers"][q["code"]] = {"value": "-oth-", "other": 'Verein <&> "Kultur", 5 \u20ac'}
        else: r["answers"][q["code"]] = {"value": k}
    if i == 7: r["answers"]["A2"] = {"value": "\u00fc" * 1500}   # 3,000 bytes: beyond SPSS's short strings
    json.dump(r, open("%s/r%03d.json" % (sys.argv[3], i), "w", encoding="utf-8"), ensure_ascii=False)
EOF
"$BIN" vault add --data "$WORK/kiosk" "$WORK"/r/r*.json >/dev/null || fail "vault add"
"$BIN" export-bundle --data "$WORK/kiosk" --out "$WORK/k.tkb" >/dev/null || fail "export-bundle"
"$BIN" decrypt --key "$WORK/keys/research.key" --bundle "$WORK/k.tkb" --out "$WORK/resp.jsonl" >/dev/null || fail "decrypt"

step "export csv, sav, dta, ddi"
"$BIN" export csv --survey "$SURVEY" --in "$WORK/resp.jsonl" --out "$WORK/data.csv" >/dev/null || fail "export csv"
# The same records given twice (e.g. from the store and from a stick) are kept once.
"$BIN" export sav --survey "$SURVEY" --in "$WORK/resp.jsonl" --in "$WORK/resp.jsonl" --out "$WORK/x.sav" \
    --codebook "$WORK/cb.md" >"$WORK/sav.out" 2>"$WORK/sav.err" || fail "export sav: $(cat "$WORK/sav.err")"
grep -q "^240 responses, " "$WORK/sav.out" || fail "export sav said: $(cat "$WORK/sav.out")"
grep -q "240 records were in the input more than once" "$WORK/sav.err" || fail "duplicates not reported: $(cat "$WORK/sav.err")"
[ "$(stat -c %a "$WORK/x.sav")" = 600 ] || fail "the .sav is readable by others"
grep -q '| `A1_other` | `A1\[other\]` |' "$WORK/cb.md" || fail "codebook lacks the name mapping of A1[other]"
"$BIN" export dta --survey "$SURVEY" --in "$WORK/resp.jsonl" --out "$WORK/x.dta" >/dev/null 2>"$WORK/dta.err" || fail "export dta"
# Stata's str holds 2,045 bytes: the 3,000-byte text is cut, and the export says so.
grep -q "warning: A2: 1 texts longer than 2045 bytes were cut" "$WORK/dta.err" || fail "no warning for the cut text: $(cat "$WORK/dta.err")"
if grep -q "texts longer" "$WORK/sav.err"; then fail "the .sav cut a text: $(cat "$WORK/sav.err")"; fi
"$BIN" export ddi --survey "$SURVEY" --in "$WORK/resp.jsonl" --out "$WORK/x.xml" --data-file x.sav >/dev/null || fail "export ddi"
if "$BIN" export sav --survey "$SURVEY" --in "$WORK/resp.jsonl" --out "$WORK/x.sav" 2>/dev/null; then
    fail "export sav replaced an existing file without --force"
fi
for verb in sav dta ddi; do
    "$BIN" export $verb --help >"$WORK/help" || fail "export $verb --help"
    opts="--survey --in --out --allow-other-version --force"
    [ $verb = ddi ] && opts="$opts --names --data-file" || opts="$opts --codebook"
    for o in $opts; do grep -q -- "$o" "$WORK/help" || fail "export $verb --help lacks $o"; done
done

step "PSPP reads the .sav: dictionary and frequencies of every single-choice question"
singles=$(python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print(' '.join(q['code'] for g in s['groups'] for q in g['questions'] if q['type']=='single'))" "$SURVEY")
{
    echo "SET TNUMBERS=VALUES."
    echo "GET FILE='$WORK/x.sav'."
    echo "DISPLAY DICTIONARY."
    for q in $singles; do echo "FREQUENCIES /VARIABLES=$q /STATISTICS=NONE."; done
} >"$WORK/read.sps"
pspp "$WORK/read.sps" -O format=csv -o "$WORK/pspp.csv" >"$WORK/pspp.log" 2>&1 || fail "pspp: $(head -5 "$WORK/pspp.log")"
if grep -qi "error" "$WORK/pspp.log"; then fail "pspp: $(grep -i error "$WORK/pspp.log" | head -3)"; fi
grep -q "keine Antwort" "$WORK/pspp.csv" || fail "value label 'keine Antwort' not in PSPP's dictionary"
grep -q "unleserlich (Papier)" "$WORK/pspp.csv" || fail "value label of -ill- not in PSPP's dictionary"
grep -q "Noch keine abgeschlossenen Digitalisierungsprojekte" "$WORK/pspp.csv" || fail "option text not a value label"
grep -Eq -- "-6(\.00)? THRU -1(\.00)?" "$WORK/pspp.csv" || fail "user-missing range -6 THRU -1 not in PSPP's dictionary"
grep -q "nicht erreicht (abgebrochen)" "$WORK/pspp.csv" || fail "value label of not reached not in PSPP's dictionary"
grep -q "A3000" "$WORK/pspp.csv" || fail "the 3,000-byte text is not a 3,000-byte string in PSPP"

python3 - "$WORK/data.csv" "$WORK/x.xml" "$WORK/pspp.csv" "$WORK/x.dta" $singles <<'EOF' || fail "frequencies differ from the CSV"
import csv, struct, sys, collections
import xml.etree.ElementTree as ET
data_csv, ddi_path, pspp_csv, dta_path, singles = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
rows = list(csv.DictReader(open(data_csv, newline="", encoding="utf-8")))
assert len(rows) == 240, len(rows)
NS = {"d": "ddi:codebook:2_5"}
ddi = ET.parse(ddi_path).getroot()
# CSV cell -> SPSS value / Stata value, from the DDI's categories (code in txt when it differs).
missing_csv = {"": ("-1", ".a"), "NA": ("-2", ".b"), "KA": ("-3", ".c"), "-ill-": ("-4", ".d"), "-mult-": ("-5", ".e"),
               "NR": ("-6", ".f")}
bad = []
def code_map(name):
    var = ddi.find("d:dataDscr/d:var[@name='%s']" % name, NS)
    assert var is not None, name
    m = {}
    for c in var.findall("d:catgry", NS):
        if c.get("missing") == "Y": continue
        val = c.find("d:catValu", NS).text
        txt = c.find("d:txt", NS)
        m[txt.text[5:] if txt is not None else val] = val
    return m
# PSPP's CSV output: one table per FREQUENCIES, "Valid"/"Missing" rows with value and count.
tables, cur = [], None
for line in csv.reader(open(pspp_csv, encoding="utf-8")):
    if line and line[0].startswith("Table: "):
        cur = None if line[0] in ("Table: Statistics", "Table: Variables", "Table: Value Labels") else {}
        if cur is not None: tables.append(cur)
        continue
    if cur is None or len(line) < 3 or line[0] == "Total" or not line[1]: continue
    try: cur["%g" % float(line[1])] = int(line[2])
    except ValueError: pass
tables = tables[-len(singles):]   # the dictionary's tables come first
# The .dta, read by its documented layout (format 118): the map gives each section's offset.
b = open(dta_path, "rb").read()
assert b.startswith(b"<stata_dta><header><release>118</release><byteorder>LSF</byteorder>"), b[:80]
K = struct.unpack_from("<H", b, b.index(b"<K>") + 3)[0]
N = struct.unpack_from("<Q", b, b.index(b"<N>") + 3)[0]
mp = struct.unpack_from("<14Q", b, b.index(b"<map>") + 5)
types = struct.unpack_from("<%dH" % K, b, mp[2] + len(b"<variable_types>"))
names = [b[mp[3] + 10 + 129 * i: mp[3] + 10 + 129 * (i + 1)].split(b"\0")[0].decode() for i in range(K)]
width = lambda t: 8 if t == 65526 else 4 if t in (65527, 65528) else 2 if t == 65529 else 1 if t == 65530 else t
offs, o = [], 0
for t in types: offs.append(o); o += width(t)
def dta_value(row, i):
    at = mp[9] + len(b"<data>") + row * o + offs[i]
    assert types[i] == 65526, (names[i], types[i])
    raw = struct.unpack_from("<Q", b, at)[0]
    if raw >= 0x7fe0000000000000 and raw < 0x7ff0000000000000:   # Stata missing: . .a .b ...
        k = (raw >> 40) & 0xff
        return "." + ("" if k == 0 else chr(ord("a") + k - 1))
    return "%g" % struct.unpack_from("<d", b, at)[0]
assert N == 240, N
for q, table in zip(singles, tables):
    m = code_map(q)
    want_sav, want_dta = collections.Counter(), collections.Counter()
    for r in rows:
        cell = r[q]
        if cell in missing_csv: s, d = missing_csv[cell]
        else: s = d = m[cell]
        want_sav["%g" % float(s)] += 1
        want_dta[d if d.startswith(".") else "%g" % float(d)] += 1
    if dict(want_sav) != table: bad.append("%s: CSV %s, PSPP %s" % (q, dict(want_sav), table))
    col = names.index(q)
    got_dta = collections.Counter(dta_value(k, col) for k in range(N))
    if got_dta != want_dta: bad.append("%s: CSV %s, dta %s" % (q, dict(want_dta), dict(got_dta)))
    # Every option (and "andere") and all six missing cases occur, so each coding is checked.
    if len(want_sav) != len(m) + 6: bad.append("%s: %d distinct values in the test data, want %d" % (q, len(want_sav), len(m) + 6))
for x in bad: print("export_stat:", x, file=sys.stderr)
print("export_stat: %d single-choice questions, %d responses: PSPP and dta counts equal the CSV" % (len(singles), len(rows)))
sys.exit(1 if bad else 0)
EOF

step "DDI: well-formed, with the DDI-Codebook structure"
xmllint --noout "$WORK/x.xml" || fail "DDI is not well-formed"
x() { xmllint --xpath "$1" "$WORK/x.xml" 2>/dev/null; }
ns='*[local-name()="codeBook"]'
[ "$(x "count(/$ns/*[local-name()='stdyDscr']/*[local-name()='citation']/*[local-name()='titlStmt']/*[local-name()='titl'])")" = 1 ] \
    || fail "DDI: no stdyDscr/citation/titlStmt/titl"
x "string(//*[local-name()='IDNo'])" | grep "^bedarfe-akteure/1.0/sha256:" >/dev/null || fail "DDI: IDNo is not id/version/hash"
[ "$(x "string(//*[local-name()='fileDscr']//*[local-name()='caseQnty'])")" = 240 ] || fail "DDI: caseQnty"
vars=$(x "count(/$ns/*[local-name()='dataDscr']/*[local-name()='var'])")
cols=$(head -1 "$WORK/data.csv" | python3 -c "import csv,sys; print(len(next(csv.reader(sys.stdin))))")
[ "$vars" = "$cols" ] || fail "DDI has $vars variables, the CSV $cols columns"
[ "$(x "count(//*[local-name()='var'][@name='A1']/*[local-name()='labl'])")" = 1 ] || fail "DDI: A1 without labl"
[ "$(x "count(//*[local-name()='var'][@name='A1']/*[local-name()='catgry'][not(@missing)])")" = 5 ] || fail "DDI: A1 needs 4 options + andere"
[ "$(x "count(//*[local-name()='var'][@name='A1']/*[local-name()='catgry'][@missing='Y'])")" = 6 ] || fail "DDI: A1 missing categories"
x "string(//*[local-name()='var'][@name='A1']/*[local-name()='catgry'][@missing='Y'][6]/*[local-name()='labl'])" | grep -q "nicht erreicht" \
    || fail "DDI: the sixth missing category is not 'nicht erreicht'"
x "string(//*[local-name()='var'][@name='A1']/*[local-name()='catgry'][@missing='Y'][3]/*[local-name()='labl'])" | grep -q "keine Antwort" \
    || fail "DDI: the third missing category is not 'keine Antwort'"
[ "$(x "count(//*[local-name()='var'][@name='A1_other'])")" = 1 ] || fail "DDI: no A1_other"

step "another survey version, another survey: exit 2 with a clear message"
# Drill responses (fill-demo) carry the hash "sha256:drill", not the one of a survey file.
mkdir "$WORK/drill"
cp "$WORK/keys/research.pub" "$WORK/drill/"
"$BIN" vault fill-demo --data "$WORK/drill" --count 50 --survey drill >/dev/null || fail "fill-demo"
"$BIN" decrypt --key "$WORK/keys/research.key" --vault "$WORK/drill" --out "$WORK/drill.jsonl" >/dev/null || fail "decrypt drill"
cat >"$WORK/drill.json" <<'EOF'
{"format": "teilhabe-survey/1", "id": "drill", "version": "1", "languages": ["de"], "title": {"de": "Drill"},
 "groups": [{"code": "G", "title": {"de": "G"}, "questions": [
  {"code": "Q1", "type": "single", "text": {"de": "Eins bis fünf?"},
   "options": [{"code": "1", "text": {"de": "eins"}}, {"code": "2", "text": {"de": "zwei"}}, {"code": "3", "text": {"de": "drei"}},
               {"code": "4", "text": {"de": "vier"}}, {"code": "5", "text": {"de": "fünf"}}]},
  {"code": "Q2", "type": "multiple", "text": {"de": "Welche?"},
   "options": [{"code": "A0", "text": {"de": "A0"}}, {"code": "A1", "text": {"de": "A1"}}, {"code": "A2", "text": {"de": "A2"}}, {"code": "B", "text": {"de": "B"}}]},
  {"code": "Q3", "type": "text", "text": {"de": "Text?"}}]}]}
EOF
set +e
"$BIN" export sav --survey "$WORK/drill.json" --in "$WORK/drill.jsonl" --out "$WORK/d.sav" 2>"$WORK/e1"; rc=$?
[ $rc -eq 2 ] || fail "other version: exit $rc"
grep -q "another version of 'drill' (hash sha256:drill" "$WORK/e1" || fail "other version message: $(cat "$WORK/e1")"
[ ! -e "$WORK/d.sav" ] || fail "other version wrote a file"
"$BIN" export dta --survey "$SURVEY" --in "$WORK/drill.jsonl" --out "$WORK/d.dta" 2>"$WORK/e2"; rc=$?
[ $rc -eq 2 ] || fail "other survey: exit $rc"
grep -q "none of the 50 responses belongs to survey 'bedarfe-akteure'" "$WORK/e2" || fail "other survey message: $(cat "$WORK/e2")"
"$BIN" export ddi --survey "$WORK/nonexistent.json" --in "$WORK/drill.jsonl" --out "$WORK/d.xml" 2>"$WORK/e3"; rc=$?
[ $rc -eq 2 ] || fail "missing survey file: exit $rc"
"$BIN" export sav --survey "$SURVEY" --in "$WORK/nonexistent.jsonl" --out "$WORK/d.sav" 2>"$WORK/e4"; rc=$?
[ $rc -eq 2 ] || fail "missing input: exit $rc"
set -e
"$BIN" export sav --survey "$WORK/drill.json" --in "$WORK/drill.jsonl" --out "$WORK/d.sav" --allow-other-version \
    >/dev/null 2>&1 || fail "--allow-other-version"
printf "GET FILE='%s'.\nSET TNUMBERS=VALUES.\nFREQUENCIES /VARIABLES=Q1 /STATISTICS=NONE.\n" "$WORK/d.sav" >"$WORK/d.sps"
pspp "$WORK/d.sps" -O format=csv -o "$WORK/d.csv" >/dev/null 2>&1 || fail "pspp drill"
# fill-demo answers Q1 = 1 + i % 5 for i = 1..50: ten of each.
for v in 1 2 3 4 5; do grep -Eq "^(Valid)?,$v(\.00)?,10," "$WORK/d.csv" || fail "drill Q1 = $v: $(cat "$WORK/d.csv")"; done
step "ok"

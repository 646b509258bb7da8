#!/usr/bin/env bash
# delphi_report.sh - `teilhabe delphi report` on two rounds' responses.jsonl (20 experts, 7 come
# back, as in the study) with random answers, each round sealed into a vault, bundled and
# decrypted as in the field: Python's html.parser reads the page back and every figure checked
# is recounted here from the responses as written (round n, per-item n and distribution,
# returners, the updated shares of the repeated items, Wilcoxon's exact p by counting every sign
# assignment, the leavers' means and the rank-sum test's exact p by counting every split); the
# CSV is read with Python's csv module; a title full of HTML stays text; the rounds given the
# wrong way round are exit 2 with a message.
source "$(dirname "$0")/cli_common.bash"
S1="$SRC/surveys/delphi-stufe-1.json"
S2="$SRC/surveys/delphi-stufe-2.json"

step "two rounds of responses"
python3 - "$WORK" <<'EOF' || fail "generating responses"
import json, random, sys
rng = random.Random(1945)
out = sys.argv[1]
def resp(sid, ps, answers, i):
    return {"format": "teilhabe-response/1", "survey_id": sid, "survey_version": "1.0", "survey_hash": "", "language": "de",
            "channel": "kiosk", "site": "", "event": "", "started": "2026-03-15T10:%02d:00Z" % i,
            "finished": "2026-03-15T11:%02d:00Z" % i, "complete": True, "answers": answers, "skipped": [],
            "not_shown": [], "meta": {}, "pseudonym": ps}
r1, r2 = [], []
for i in range(20):
    ps = "%032x" % (0xabc000 + i)
    a = {"F19": {"value": str(rng.randint(1, 5))}, "F18": {"value": str(rng.randint(1, 5))},
         "EE": {"value": str(rng.randint(1, 5))},
         "F11": {"cells": {r: str(rng.randint(1, 7)) for r in ["L1", "L2", "L3", "L4"]}},
         "F51": {"values": sorted(rng.sample(["1", "2", "3", "4", "5", "6", "7"], rng.randint(1, 3)))}}
    if i == 3: a["F19"] = {"no_answer": True}       # "keine Antwort": not in n
    r1.append(resp("delphi-stufe-1", ps, a, i))
    if i < 7:
        b = {"F10": {"cells": {"B": str(rng.randint(1, 5)), "C": str(rng.randint(1, 5))}},
             "F5": {"cells": {r: str(rng.randint(1, 7)) for r in ["L1", "L2", "L3", "L4"]}},
             "F19": {"values": sorted(rng.sample(["1", "2", "3", "4", "5", "6", "7"], rng.randint(1, 3)))}}
        r2.append(resp("delphi-stufe-2", ps, b, i))
import os
for name, rs in (("r1", r1), ("r2", r2)):
    os.mkdir(out + "/" + name)
    with open(out + "/" + name + ".plain.jsonl", "w") as f:
        for i, r in enumerate(rs):
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
            json.dump(r, open("%s/%s/%03d.json" % (out, name, i), "w"), ensure_ascii=False)
EOF

# As in the field: each round sealed on a kiosk, carried as a bundle, decrypted by the research
# team; the pseudonyms reach responses.jsonl only through the seal.
export TEILHABE_PASSPHRASE=e2e-passphrase
"$BIN" keygen --out "$WORK/keys" >/dev/null 2>&1 || fail "keygen"
for r in r1 r2; do
    mkdir "$WORK/kiosk-$r"
    cp "$WORK/keys/research.pub" "$WORK/kiosk-$r/"
    "$BIN" vault add --data "$WORK/kiosk-$r" "$WORK/$r"/*.json >/dev/null || fail "vault add $r"
    "$BIN" export-bundle --data "$WORK/kiosk-$r" --out "$WORK/$r.tkb" >/dev/null || fail "export-bundle $r"
    "$BIN" decrypt --key "$WORK/keys/research.key" --bundle "$WORK/$r.tkb" --out "$WORK/$r.jsonl" >/dev/null \
        || fail "decrypt $r"
    # participant 0's pseudonym: sealed in the bundle, back in plain after decrypt
    ! grep -aqF "00000000000000000000000000abc000" "$WORK/$r.tkb" || fail "a pseudonym in plain in the $r bundle"
    grep -qF '"pseudonym":"00000000000000000000000000abc000"' "$WORK/$r.jsonl" || fail "$r: decrypt lost the pseudonym"
done

step "delphi report"
TITLE='Delphi <script>alert(1)</script> & "Stufe" 1+2'
"$BIN" delphi report --round1 "$WORK/r1.jsonl" --survey1 "$S1" --round2 "$WORK/r2.jsonl" --survey2 "$S2" \
    --out "$WORK/report.html" --csv "$WORK/csv" --title "$TITLE" >"$WORK/out.txt" 2>"$WORK/err.txt" \
    || fail "delphi report: $(cat "$WORK/err.txt")"
grep -q "round 1: n = 20, round 2: n = 7, 7 of 20 came back" "$WORK/out.txt" || fail "summary line: $(cat "$WORK/out.txt")"
[ "$(stat -c %a "$WORK/report.html")" = 600 ] || fail "the page is readable by others"
[ -f "$WORK/csv/delphi-items.csv" ] || fail "no delphi-items.csv"

step "the page read back and recounted"
python3 - "$WORK" "$TITLE" <<'EOF' || fail "page check"
import csv, json, sys
from decimal import Decimal, ROUND_HALF_UP
from html.parser import HTMLParser
work, title = sys.argv[1], sys.argv[2]

class Tables(HTMLParser):
    """Every table as rows of cell texts, each row with its data-item; h1 text; script tags."""
    def __init__(self):
        super().__init__(); self.tables = {}; self.cur = None; self.row = None; self.cell = None
        self.h1 = None; self.in_h1 = False; self.scripts = 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script": self.scripts += 1
        if tag == "h1": self.in_h1 = True; self.h1 = ""
        if tag == "table": self.cur = self.tables.setdefault(a.get("class", "") + "#" + a.get("id", a.get("data-item", "")), [])
        if tag == "tr" and self.cur is not None: self.row = [a.get("data-item")]; self.cur.append(self.row)
        if tag in ("td", "th") and self.row is not None: self.cell = ""
    def handle_endtag(self, tag):
        if tag == "h1": self.in_h1 = False
        if tag in ("td", "th") and self.row is not None and self.cell is not None: self.row.append(self.cell.strip()); self.cell = None
        if tag == "table": self.cur = None; self.row = None
    def handle_data(self, d):
        if self.in_h1: self.h1 += d
        if self.cell is not None: self.cell += d

p = Tables(); p.feed(open(work + "/report.html", encoding="utf-8").read())
assert p.h1 == title, "title not kept as text: %r" % p.h1
assert p.scripts == 0, "a script element on the page"
# The figures are recounted from the responses as written, not from what decrypt gave back.
r1 = [json.loads(l) for l in open(work + "/r1.plain.jsonl")]
r2 = [json.loads(l) for l in open(work + "/r2.plain.jsonl")]
by2 = {r["pseudonym"]: r for r in r2}

def row(table, item):
    rows = [r for r in p.tables[table] if r[0] == item]
    assert len(rows) == 1, "%s: %d rows for %s" % (table, len(rows), item)
    return rows[0][1:]

def de(x, d):  # half up, as the page rounds
    return str(Decimal(repr(x)).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)).replace(".", ",")

# Participation
part = p.tables["participation#"]
assert part[1][1:] == ["1", "delphi-stufe-1 1.0", "20", "20"], part[1]
assert part[2][1:] == ["2", "delphi-stufe-2 1.0", "7", "7"], part[2]

# Round 1, F19: n without "keine Antwort", distribution, median
vals = [int(r["answers"]["F19"]["value"]) for r in r1 if "value" in r["answers"]["F19"]]
cells = row("items#runde1-items", "F19")
assert cells[2] == str(len(vals)) == "19", cells
dist = " ".join("%d:%d" % (k, vals.count(k)) for k in range(1, 6))
assert cells[3] == dist, (cells[3], dist)
s = sorted(vals); h = (len(s) - 1) * 0.5; lo = int(h)
med = s[lo] + (h - lo) * (s[min(lo + 1, len(s) - 1)] - s[lo])
assert cells[4] == de(med, 2), (cells[4], med)

# Round 2, F10[C]: n = 7
assert row("items#runde2-items", "F10[C]")[2] == "7"

# Multiple choice F51: each option's count of participants
ch = p.tables["choice#F51"]
for r in ch[1:]:
    code = r[1]
    assert r[3] == str(sum(code in x["answers"]["F51"]["values"] for x in r1)), r

# Stability of F10[C] (repeats F19): paired, changed, the updated shares, Wilcoxon exact p
st = row("stability#", "F10[C]")
pairs = [(int(x["answers"]["F19"]["value"]), int(by2[x["pseudonym"]]["answers"]["F10"]["cells"]["C"]))
         for x in r1 if x["pseudonym"] in by2 and "value" in x["answers"]["F19"]]
assert st[2] == str(len(pairs)), (st, pairs)
changed = sum(a != b for a, b in pairs)
assert st[3].startswith("%d (" % changed), st[3]
upd = []
for x in r1:
    v = x["answers"]["F19"].get("value")
    if x["pseudonym"] in by2: v = by2[x["pseudonym"]]["answers"]["F10"]["cells"]["C"]
    if v is not None: upd.append(int(v))
def pct(c, n): return str((200 * c + n) // (2 * n))
up1 = sum(v >= 4 for v in vals); upu = sum(v >= 4 for v in upd)
assert st[6] == "%s %% → %s %%" % (pct(up1, len(vals)), pct(upu, len(upd))), (st[6], up1, upu)
d = [b - a for a, b in pairs if a != b]
if d:
    ranks = [sum(abs(y) < abs(x) for y in d) + (sum(abs(y) == abs(x) for y in d) + 1) / 2 for x in d]
    T = sum(ranks); obs = sum(r for r, x in zip(ranks, d) if x > 0)
    hit = 0
    for m in range(1 << len(d)):
        w = sum(r for i, r in enumerate(ranks) if m >> i & 1)
        hit += abs(w - T / 2) >= abs(obs - T / 2) - 1e-9
    pv = hit / (1 << len(d))
    assert ("p = " + de(pv, 3) + " (exakt)") in st[5], (st[5], pv)

# Attrition of F18: leavers' and stayers' mean
at = row("attrition#", "F18")
stay = [int(x["answers"]["F18"]["value"]) for x in r1 if x["pseudonym"] in by2]
left = [int(x["answers"]["F18"]["value"]) for x in r1 if x["pseudonym"] not in by2]
assert at[1] == "7" and at[4] == "13", at
assert at[3] == de(sum(stay) / 7, 2) and at[6] == de(sum(left) / 13, 2), (at, stay, left)
# the rank-sum test's exact p: every way to pick the 13 leavers' ranks among the 20
from itertools import combinations
vals20 = left + stay
rk = [sum(y < x for y in vals20) + (sum(y == x for y in vals20) + 1) / 2 for x in vals20]
wobs = sum(rk[:13]); mean = 13 * 21 / 2; hit = tot = 0
for pick in combinations(range(20), 13):
    w = sum(rk[i] for i in pick); tot += 1
    hit += abs(w - mean) >= abs(wobs - mean) - 1e-9
assert at[8] == "U = %s, p = %s (exakt)" % (de(wobs - 13 * 14 / 2, 1), de(hit / tot, 3)), (at[8], hit / tot)

# Expertise rule of F18 (expertise EE, levels 4 and 5)
ex = row("expertise#", "F18")
e = [int(x["answers"]["F18"]["value"]) for x in r1 if x["answers"]["EE"]["value"] in ("4", "5")]
allm = sum(int(x["answers"]["F18"]["value"]) for x in r1) / 20
assert ex[2] == "20" and ex[4] == str(len(e)), ex
dev = abs(sum(e) / len(e) - allm) / allm * 100
assert ex[6] == de(dev, 1) + " %" and ex[7] == ("ja" if dev > 5 else "nein"), (ex, dev)

# The CSV: one line per item and round, the same figures
rows = list(csv.DictReader(open(work + "/csv/delphi-items.csv", encoding="utf-8", newline="")))
c = [r for r in rows if r["round"] == "2" and r["item"] == "F10[C]"][0]
assert c["repeats"] == "F19" and c["n"] == "7" and c["paired"] == str(len(pairs)) and c["changed"] == str(changed), c
f19 = [r for r in rows if r["round"] == "1" and r["item"] == "F19"][0]
assert f19["distribution"] == dist and f19["n"] == "19", f19
f18 = [r for r in rows if r["round"] == "1" and r["item"] == "F18"][0]
assert f18["stayed_n"] == "7" and f18["left_n"] == "13" and abs(float(f18["rank_sum_p"]) - hit / tot) < 1e-6, f18
print("page and csv agree with the data")
EOF

step "rounds the wrong way round"
set +e
"$BIN" delphi report --round1 "$WORK/r2.jsonl" --survey1 "$S2" --round2 "$WORK/r1.jsonl" --survey2 "$S1" \
    --out "$WORK/x.html" 2>"$WORK/err2.txt"
rc=$?
set -e
[ "$rc" = 2 ] || fail "wrong order gave exit $rc"
grep -q "is not round 1 of a Delphi study" "$WORK/err2.txt" || fail "message: $(cat "$WORK/err2.txt")"
[ ! -e "$WORK/x.html" ] || fail "a page was written for the wrong order"
step "ok"

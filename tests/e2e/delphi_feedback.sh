#!/usr/bin/env bash
# delphi_feedback.sh - `teilhabe delphi feedback` on decrypted stage-1 responses of the shipped
# Delphi study: the pack's statistics are recounted here in Python from the same input lines,
# every participant has one entry and no pseudonym appears in the pack; the pack travels from
# the server's DATA/surveys/ to a kiosk folder through `survey fetch` (the kiosk's own check:
# the research signature, then the pack must read) and an edited pack is refused there; wrong
# calls say what is wrong without writing anything.
source "$(dirname "$0")/sync_common.bash"
SRC="${TK_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
BIN="$T"
S1="$SRC/surveys/delphi-stufe-1.json"
S2="$SRC/surveys/delphi-stufe-2.json"
export TEILHABE_PASSPHRASE=feedback-test
"$BIN" keygen --out "$WORK/keys" >/dev/null 2>&1 || fail "keygen"

# 12 participants with a pseudonym (one of them twice: the later counts), 2 without.
python3 - "$WORK/r1.jsonl" <<'PY'
import json, random, sys
random.seed(3)
out = open(sys.argv[1], "w")
def resp(pseudonym, finished, l1, f18, f51):
    r = {"format": "teilhabe-response/1", "survey_id": "delphi-stufe-1", "survey_version": "1.0",
         "survey_hash": "sha256:" + "0" * 64, "language": "de", "channel": "kiosk", "site": "", "event": "",
         "meta": {}, "started": "2026-11-02T10:00:00Z", "finished": finished, "complete": True,
         "answers": {"F11": {"cells": {"L1": l1, "L2": "3"}}, "F18": {"value": f18}, "F51": {"values": f51}},
         "skipped": [], "not_shown": []}
    if pseudonym: r["pseudonym"] = pseudonym
    out.write(json.dumps(r) + "\n")
for i in range(12):
    resp("%032x" % (i + 1), "2026-11-02T10:%02d:00Z" % i, str(random.randint(1, 5)), "1", ["1"])
resp("%032x" % 1, "2026-11-03T10:00:00Z", "5", "2", ["1", "2"])
resp("", "2026-11-04T10:00:00Z", "2", "1", ["2"])
resp("", "2026-11-04T11:00:00Z", "4", "2", [])
PY

step "a wrong round, a bad name, swapped stages and a wrong passphrase are refused, nothing written"
"$BIN" delphi feedback --round 2 --survey "$S1" --next "$S2" --key "$WORK/keys/research.key" --out "$WORK/p.delphi" \
    "$WORK/r1.jsonl" 2>"$WORK/err" && fail "--round 2 for stage 1 accepted"
grep -q "is round 1 of its study" "$WORK/err" || fail "message for the wrong round: $(cat "$WORK/err")"
"$BIN" delphi feedback --round 1 --survey "$S1" --next "$S2" --key "$WORK/keys/research.key" --out "$WORK/p.json" \
    "$WORK/r1.jsonl" 2>"$WORK/err" && fail "--out without .delphi accepted"
grep -q "must end in .delphi" "$WORK/err" || fail "message for the name: $(cat "$WORK/err")"
"$BIN" delphi feedback --round 2 --survey "$S2" --next "$S1" --key "$WORK/keys/research.key" --out "$WORK/p.delphi" \
    "$WORK/r1.jsonl" 2>"$WORK/err" && fail "stages swapped accepted"
grep -q "not the round after" "$WORK/err" || fail "message for swapped stages: $(cat "$WORK/err")"
TEILHABE_PASSPHRASE=wrong "$BIN" delphi feedback --round 1 --survey "$S1" --next "$S2" --key "$WORK/keys/research.key" \
    --out "$WORK/p.delphi" "$WORK/r1.jsonl" 2>"$WORK/err" && fail "a wrong passphrase accepted"
[ ! -e "$WORK/p.delphi" ] || fail "a pack was written by a refused call"

step "the pack of stage 1 for stage 2"
"$BIN" delphi feedback --round 1 --survey "$S1" --next "$S2" --key "$WORK/keys/research.key" --out "$WORK/p.delphi" \
    "$WORK/r1.jsonl" >"$WORK/out" 2>"$WORK/err" || fail "feedback: $(cat "$WORK/err")"
grep -q "15 responses; 12 participants with a code, 2 responses without one" "$WORK/out" || fail "summary: $(cat "$WORK/out")"
grep -q "left out, as a later response of the same participant counts: 1" "$WORK/out" || fail "summary: $(cat "$WORK/out")"
head -1 "$WORK/p.delphi.sig" | grep -qx "teilhabe-survey-signature/1" || fail "no signature beside the pack"
grep -q "^file: p.delphi$" "$WORK/p.delphi.sig" || fail "the signature names another file"

python3 - "$WORK/r1.jsonl" "$WORK/p.delphi" "$S1" <<'PY' || fail "the pack does not hold what the input says"
import json, sys, collections
lines = [json.loads(l) for l in open(sys.argv[1])]
s1 = json.load(open(sys.argv[3]))
f11 = [q for g in s1["groups"] for q in g["questions"] if q["code"] == "F11"][0]
scale = [o["code"] for o in f11["options"]]
pack_text = open(sys.argv[2]).read()
pack = json.loads(pack_text)
latest = {}
anon = []
for r in lines:
    p = r.get("pseudonym", "")
    if not p: anon.append(r)
    elif p not in latest or r["finished"] > latest[p]["finished"]: latest[p] = r
counted = list(latest.values()) + anon
items = {i["key"]: i for i in pack["items"]}
l1 = collections.Counter(r["answers"]["F11"]["cells"]["L1"] for r in counted)
got = dict(items["F5[L1]"]["distribution"])
assert [c for c, n in items["F5[L1]"]["distribution"]] == scale
assert got == {c: l1.get(c, 0) for c in scale}, (got, l1)
assert items["F5[L1]"]["n"] == len(counted) == 14
vals = sorted(int(r["answers"]["F11"]["cells"]["L1"]) for r in counted)
def q(p):   # type 7, written out again here
    h = (len(vals) - 1) * p; lo = int(h)
    return vals[lo] + (h - lo) * ((vals[lo + 1] if lo + 1 < len(vals) else vals[lo]) - vals[lo])
assert abs(items["F5[L1]"]["median"] - q(0.5)) < 1e-9
assert abs(items["F5[L1]"]["iqr"] - (q(0.75) - q(0.25))) < 1e-9
assert items["F5[L1]"]["consensus"] == (q(0.75) - q(0.25) <= 1)
assert items["F5[L2]"]["consensus"] is True             # everyone said 3
f19 = items["F19"]
assert f19.get("multiple") is True and f19["n"] == 13     # one anonymous ticked nothing
ticked = collections.Counter(c for r in counted for c in r["answers"]["F51"]["values"])
assert dict(f19["distribution"])["1"] == ticked["1"] and dict(f19["distribution"])["2"] == ticked["2"]
assert len(pack["entries"]) == 12
for p in latest: assert p not in pack_text
PY

step "the pack reaches a kiosk folder through the server; an edited copy is refused"
mkdir -p "$WORK/srv/surveys" "$WORK/kiosk" "$WORK/installed"
cp "$WORK/keys/research.pub" "$WORK/kiosk/"
cp "$WORK/p.delphi" "$WORK/p.delphi.sig" "$WORK/srv/surveys/"
cp "$WORK/p.delphi" "$WORK/srv/surveys/edited.delphi"
sed 's/^file: p.delphi$/file: edited.delphi/' "$WORK/p.delphi.sig" >"$WORK/srv/surveys/edited.delphi.sig"
sed -i 's/"from_round": 1/"from_round": 2/' "$WORK/srv/surveys/edited.delphi"
cmp -s "$WORK/srv/surveys/edited.delphi" "$WORK/p.delphi" && fail "the edit did not change the pack"
start_server
"$T" survey fetch --data "$WORK/kiosk" --server "$URL" --out "$WORK/installed" >"$WORK/fetch.out" 2>&1 \
    && fail "fetch with a refused pack exits 0"
grep -q "^installed  p.delphi$" "$WORK/fetch.out" || fail "fetch: $(cat "$WORK/fetch.out")"
grep -q "^REFUSED    edited.delphi: " "$WORK/fetch.out" || fail "fetch: $(cat "$WORK/fetch.out")"
cmp -s "$WORK/installed/p.delphi" "$WORK/p.delphi" || fail "the installed pack differs"
[ ! -e "$WORK/installed/edited.delphi" ] || fail "the edited pack was installed"
step "ok"

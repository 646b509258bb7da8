#!/usr/bin/env bash
# delphi_study.sh - a simulated two-stage Delphi study end to end, as in the report: 20 experts
# invited, 20 answer stage 1 (18 with their code, 2 on paper without one), 7 come back for
# stage 2.
#   invite (codes.txt) -> stage 1 walked with each code, sealed into a kiosk vault -> bundle ->
#   sync -> decrypt -> feedback pack -> personalised PDFs (pdftotext) -> stage 2: 4 walked with
#   their code and the pack, 1 on the real kiosk typing the code (what each is shown is compared
#   with a recount of the stage-1 answers done here in Python), 2 personal forms entered twice ->
#   USB bundle -> server import -> decrypt -> the analysis report.
# Two of the 7 send their personal form back by post; each sheet is entered twice with the code
# printed on it, so their answers are paired like the others'.
# Privacy: the vault, the bundle, the server store and the pack hold no pseudonym, no code and
# no answer text in plain; a code opens its own answers only (the walk with another code shows
# that code's, a code from outside the study none).
# One participant of stage 2 answers on the real kiosk (under Xvfb, kiosk_common.bash), so both
# helper sets are sourced: the kiosk's first (it restarts the script under xvfb-run), then the
# server's; the exit trap stops both and removes both folders.
source "$(dirname "$0")/kiosk_common.bash"
KIOSK_WORK=$WORK
source "$(dirname "$0")/sync_common.bash"
trap 'kiosk_stop; cleanup; rm -rf "$KIOSK_WORK"' EXIT
LAYOUT=$WORK/layout.txt
SRC=$TK_SOURCE_DIR
S1="$SRC/surveys/delphi-stufe-1.json"
S2="$SRC/surveys/delphi-stufe-2.json"
export TEILHABE_PASSPHRASE=delphi-study
"$T" keygen --out "$WORK/keys" >/dev/null 2>&1 || fail "keygen"
mkdir -p "$WORK/srv" "$WORK/data"
cp "$WORK/keys/research.pub" "$WORK/data/"

step "20 invitations"
"$T" delphi invite --count 20 --survey "$S1" --out "$WORK/invite" >"$WORK/invite.out" 2>&1 || fail "invite: $(cat "$WORK/invite.out")"
[ "$(grep -c . "$WORK/invite/codes.txt")" = 20 ] || fail "codes.txt: $(cat "$WORK/invite/codes.txt")"
mapfile -t CODES <"$WORK/invite/codes.txt"

# The answers of both stages, drawn once with a fixed seed; the walks' input lines follow the
# surveys' page order (no conditions in either stage: every page is shown).
python3 - "$WORK" "$S1" "$S2" "${CODES[@]}" <<'PY'
import json, os, random, sys
work, s1p, s2p, codes = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
random.seed(19)
pages = lambda p: [q for g in json.load(open(p))["groups"] for q in g["questions"]]
plan = {"stage1": [], "stage2": []}
for i in range(20):
    a = {"EA": random.randint(1, 5), "F11": [random.randint(1, 7) for _ in range(4)],
         "F18": random.randint(1, 5), "F19": random.randint(1, 5), "F51": sorted(random.sample(range(1, 8), 2)),
         "code": codes[i] if i < 18 else ""}
    plan["stage1"].append(a)
    lines = []
    for q in pages(s1p):
        c = q["code"]
        if c == "EA": lines.append(str(a["EA"]))
        elif c == "F11": lines.append(";".join(map(str, a["F11"])))
        elif c in ("F18", "F19"): lines.append(str(a[c]))
        elif c == "F51": lines.append(" ".join(map(str, a["F51"])))
        else: lines.append("")
    lines.append("")  # the review page: send
    open(os.path.join(work, "s1-%02d.in" % i), "w").write("\n".join(lines) + "\n")
# Stage 2: participants 0, 3, 5, 8, 11, 14, 17 come back (7 of 20, all with their code).
for i in (0, 3, 5, 8, 11, 14, 17):
    old = plan["stage1"][i]
    b = {"who": i, "F5": [min(7, v + (1 if k == 0 else 0)) for k, v in enumerate(old["F11"])],
         "F10": [old["F18"], old["F19"]], "F19": old["F51"], "comment": "Vertraulich-Delphi-%02d" % i,
         "paper": i in (14, 17), "kiosk": i == 11, "code": old["code"]}
    if i == 11:  # on the kiosk: row L1 by number key 3, the other rows left open
        b["F5"] = [3, None, None, None]
    plan["stage2"].append(b)
    lines = []
    for q in pages(s2p):
        c = q["code"]
        if c == "F5": lines += ["c:" + b["comment"], ";".join(map(str, b["F5"]))]
        elif c == "F10": lines.append(";".join(map(str, b["F10"])))
        elif c == "F19": lines.append(" ".join(map(str, b["F19"])))
        else: lines.append("")
    lines.append("")
    open(os.path.join(work, "s2-%02d.in" % i), "w").write("\n".join(lines) + "\n")
json.dump(plan, open(os.path.join(work, "plan.json"), "w"))
PY

step "stage 1: 18 walks with a code, 2 paper sheets without"
for i in $(seq 0 19); do
    n=$(printf %02d "$i")
    if [ "$i" -lt 18 ]; then
        "$T" survey walk "$S1" --channel kiosk --site "Delphi" --code "${CODES[$i]}" <"$WORK/s1-$n.in" \
            >"$WORK/s1-$n.json" 2>"$WORK/s1-$n.err" || fail "stage 1 walk $n: $(tail -3 "$WORK/s1-$n.err")"
    else
        "$T" survey walk "$S1" --channel paper --site "Delphi" <"$WORK/s1-$n.in" >"$WORK/s1-$n.json" 2>"$WORK/s1-$n.err" \
            || fail "stage 1 walk $n"
    fi
done
"$T" survey walk "$S1" --code "not-a-code" </dev/null >/dev/null 2>"$WORK/err" && fail "a bad code was taken"
grep -q "is not a participant code" "$WORK/err" || fail "bad code message: $(cat "$WORK/err")"
# Stage 1 travels by network, stage 2 by USB stick.
start_server
enrol "$WORK/data"
"$T" vault add --data "$WORK/data" "$WORK"/s1-*.json >/dev/null || fail "vault add stage 1"
cp "$WORK/data/vault.sqlite" "$WORK/vault-stage1.sqlite"
"$T" sync --data "$WORK/data" --quiet >/dev/null || fail "sync stage 1"
[ "$(unsynced "$WORK/data")" = 0 ] || fail "stage 1 not all synced"
stop_server
"$T" decrypt --key "$WORK/keys/research.key" --store "$WORK/srv" --out "$WORK/r1.jsonl" >/dev/null 2>"$WORK/err" \
    || fail "decrypt stage 1: $(cat "$WORK/err")"
[ "$(grep -c . "$WORK/r1.jsonl")" = 20 ] || fail "stage 1: $(grep -c . "$WORK/r1.jsonl") responses decrypted"

step "feedback pack for stage 2"
"$T" delphi feedback --round 1 --survey "$S1" --next "$S2" --key "$WORK/keys/research.key" \
    --out "$WORK/delphi-stufe-2.delphi" "$WORK/r1.jsonl" >"$WORK/fb.out" 2>"$WORK/err" || fail "feedback: $(cat "$WORK/err")"
grep -q "20 responses; 18 participants with a code, 2 responses without one" "$WORK/fb.out" || fail "feedback: $(cat "$WORK/fb.out")"

step "personalised paper for stage 2"
"$T" delphi print --survey "$S2" --pack "$WORK/delphi-stufe-2.delphi" --codes "$WORK/invite/codes.txt" --out "$WORK/paper" \
    >"$WORK/print.out" 2>&1 || fail "print: $(cat "$WORK/print.out")"
[ -f "$WORK/paper/ohne-code.pdf" ] || fail "no form without a code: $(ls "$WORK/paper")"
[ "$(ls "$WORK/paper"/*.pdf | wc -l)" = 21 ] || fail "expected 20 personal PDFs and one without a code: $(ls "$WORK/paper")"
pdftotext -layout "$WORK/paper/ohne-code.pdf" "$WORK/ohne.txt"
grep -q "Ihre Antwort" "$WORK/ohne.txt" && fail "the form without a code shows a personal answer"
# Participant 3's form shows their own
# stage-1 answer to F11[L1] in words; code 19 never answered stage 1: no own answer.
python3 - "$WORK" "$S2" "${CODES[3]}" "${CODES[19]}" <<'PY' || fail "a personal form does not show what was answered"
import json, subprocess, sys
work, s2p, c3, c19 = sys.argv[1:5]
plan = json.load(open(work + "/plan.json"))
f5 = [q for g in json.load(open(s2p))["groups"] for q in g["questions"] if q["code"] == "F5"][0]
import glob
pdfs = {f: subprocess.run(["pdftotext", "-raw", f, "-"], capture_output=True, text=True, check=True).stdout.replace("\n", " ")
        for f in glob.glob(work + "/paper/*.pdf")}
def text(c):  # the one form that names this code (two codes may share the file name's four symbols)
    hits = [t for t in pdfs.values() if ("Code " + c) in t]
    assert len(hits) == 1, (c, len(hits))
    return hits[0]
t3 = text(c3)
own = plan["stage1"][3]["F11"][0]
words = [o["text"] for o in f5["options"] if o["code"] == str(own)][0]
assert ("Ihre Antwort in Stufe 1: %d %s" % (own, words)) in t3, t3[:3000]
assert ("Code " + c3) in t3
t19 = text(c19)
assert "Ihre Antwort" not in t19, t19[:2000]
PY

step "stage 2: 7 come back: 4 walk, each shown their own stage-1 answer and the group's result"
for who in 0 3 5 8; do
    n=$(printf %02d "$who")
    "$T" survey walk "$S2" --channel kiosk --site "Delphi" --code "${CODES[$who]}" --pack "$WORK/delphi-stufe-2.delphi" \
        <"$WORK/s2-$n.in" >"$WORK/s2-$n.json" 2>"$WORK/s2-$n.err" || fail "stage 2 walk $n: $(tail -3 "$WORK/s2-$n.err")"
done
# A code from outside the study: the group's result, no own answers.
"$T" survey walk "$S2" --code "$(python3 -c 'print("0" * 21)')" --pack "$WORK/delphi-stufe-2.delphi" \
    <"$WORK/s2-00.in" >/dev/null 2>"$WORK/s2-stranger.err" || fail "walk with a stranger's code"
grep -q "no answers of this code in round 1" "$WORK/s2-stranger.err" || fail "stranger: $(head -5 "$WORK/s2-stranger.err")"
grep -q "Ihre Antwort" "$WORK/s2-stranger.err" && fail "a stranger's code was shown someone's answer"

# What was shown against a recount of the stage-1 plan (not of the pack): every count, the
# median (type 7), each participant's own answer as the option's text.
python3 - "$WORK" "$S1" "$S2" <<'PY' || fail "the feedback shown differs from the stage-1 answers"
import json, re, sys, statistics
work, s1p, s2p = sys.argv[1], sys.argv[2], sys.argv[3]
plan = json.load(open(work + "/plan.json"))
qs = {q["code"]: q for g in json.load(open(s1p))["groups"] for q in g["questions"]}
qs2 = {q["code"]: q for g in json.load(open(s2p))["groups"] for q in g["questions"]}
f11 = [o["code"] for o in qs["F11"]["options"]]
for b in plan["stage2"]:
    if b["paper"] or b["kiosk"]: continue
    err = open("%s/s2-%02d.err" % (work, b["who"])).read()
    me = plan["stage1"][b["who"]]
    for row in range(4):
        key = "F5[L%d]" % (row + 1)
        vals = [p["F11"][row] for p in plan["stage1"]]
        m = re.search(re.escape(key) + r": Ergebnis der Gruppe in Stufe 1 \(n = (\d+)\):([^;\n]*)(?:; Median ([0-9.]+))?", err)
        assert m, (key, err[:2000])
        assert int(m.group(1)) == 20, m.group(0)
        shown = dict(kv.split("=") for kv in m.group(2).split())
        assert shown == {c: str(vals.count(i + 1)) for i, c in enumerate(f11)}, (shown, vals)
        median = statistics.quantiles(vals, n=4, method="inclusive")[1]
        assert abs(float(m.group(3)) - median) < 1e-9, (m.group(3), median)
        own = qs2["F5"]["options"][me["F11"][row] - 1]["text"]  # shown in stage 2's words
        assert (key + ": Ihre Antwort in Stufe 1: " + own) in err, (key, own)
    own19 = ", ".join(qs2["F19"]["options"][k - 1]["text"] for k in me["F51"])
    assert ("F19: Ihre Antwort in Stufe 1: " + own19) in err, own19
PY

step "stage 2: one on the kiosk, typing the code; the page says their stage-1 answer and the group's"
mkdir -p "$WORK/data/surveys"
cp "$WORK/delphi-stufe-2.delphi" "$WORK/delphi-stufe-2.delphi.sig" "$WORK/data/surveys/"
SURVEY=$S2
kiosk_start --idle 600
to_code_page
xdotool type --delay 30 "${CODES[11]}"
xdotool key Return
wait_page Question 10
enter_to F5
xdotool key 3 # row L1: the third option
sleep 0.3
xdotool key KP_Add # "Vorlesen": what the page shows, as text
sleep 1
shot delphi_study_kiosk
python3 - "$WORK" "$WORK/speech.log" "$S2" <<'PY' || fail "the kiosk does not show what stage 1 holds: $(tail -c 1500 "$WORK/speech.log")"
import json, sys
work, said, s2p = sys.argv[1], open(sys.argv[2]).read(), sys.argv[3]
plan = json.load(open(work + "/plan.json"))
f5 = [q for g in json.load(open(s2p))["groups"] for q in g["questions"] if q["code"] == "F5"][0]
vals = [p["F11"][0] for p in plan["stage1"]]
assert "Ihre Antwort in Stufe 1: " + f5["options"][plan["stage1"][11]["F11"][0] - 1]["text"] in said
assert "Ergebnis der Gruppe in Stufe 1 (20 Antworten):" in said
for i, o in enumerate(f5["options"]):
    n = vals.count(i + 1)
    line = "%s: %d (%d %%)" % (o["text"], n, int(100.0 * n / len(vals) + 0.5))
    assert line in said, line
PY
enter_to ""
wait_page Review
xdotool key Return
wait_page ThankYou
kiosk_stop

"$T" vault add --data "$WORK/data" "$WORK"/s2-*.json >/dev/null || fail "vault add stage 2"

step "stage 2: 2 send their personal paper form back; each sheet is entered twice with its code"
python3 - "$WORK" <<'PY' || fail "making the entry files"
import glob, json, re, subprocess, sys
work = sys.argv[1]
plan = json.load(open(work + "/plan.json"))
forms = {}
for f in glob.glob(work + "/paper/*.pdf"):
    t = subprocess.run(["pdftotext", "-raw", f, "-"], capture_output=True, text=True, check=True).stdout
    m = re.search(r"Code ([0-9A-Z-]{26})", t)
    if m: forms[m.group(1)] = re.search(r"Bogen-Nr\. ([0-9A-Z]{2}-[0-9A-Z]{4}-[0-9A-Z]{4})", t).group(1)
for who in ("anna", "ben"):
    out = open("%s/sheets-%s.txt" % (work, who), "w")
    for b in plan["stage2"]:
        if not b["paper"]: continue
        # The code as a clerk might type it from the form: lower case, spaces for hyphens.
        typed = b["code"].lower().replace("-", " ") if who == "ben" else b["code"]
        out.write("sheet %s\nenterer %s\ncode %s\n" % (forms[b["code"]], who, typed))
        for row in range(4): out.write("F5.L%d %d\n" % (row + 1, b["F5"][row]))
        out.write("F5.comment %s\nF10.B %d\nF10.C %d\nF19 %s\n" % (b["comment"], b["F10"][0], b["F10"][1],
                                                                  " ".join(map(str, b["F19"]))))
PY
for who in anna ben; do
    "$T" paper enter --data "$WORK/data" --survey "$S2" --site "Delphi" "$WORK/sheets-$who.txt" >"$WORK/enter-$who.out" 2>&1 \
        || fail "paper enter ($who): $(cat "$WORK/enter-$who.out")"
done
"$T" export-bundle --data "$WORK/data" --out "$WORK/stage2.tkb" >/dev/null || fail "export-bundle 2"
"$S" import --data "$WORK/srv" "$WORK/stage2.tkb" >"$WORK/import.out" 2>"$WORK/err" || fail "server import: $(cat "$WORK/err")"
grep -q "7 records stored" "$WORK/import.out" || fail "import: $(cat "$WORK/import.out")"
"$T" decrypt --key "$WORK/keys/research.key" --store "$WORK/srv" --out "$WORK/all.jsonl" >/dev/null 2>"$WORK/err" \
    || fail "decrypt: $(cat "$WORK/err")"
grep '"survey_id":"delphi-stufe-2"' "$WORK/all.jsonl" >"$WORK/r2.jsonl" || true
[ "$(grep -c . "$WORK/r2.jsonl")" = 7 ] || fail "stage 2: $(grep -c . "$WORK/r2.jsonl") responses"
[ "$(grep -c '"channel":"paper".*"pseudonym":"[0-9a-f]\{32\}"' "$WORK/r2.jsonl")" = 2 ] || fail "the paper forms came back without their pseudonym"

step "privacy: no pseudonym, code or answer text in the vault, the bundles, the store or the pack"
python3 - "$WORK" "${CODES[@]}" <<'PY' || fail "something personal is readable without the key"
import json, sys
work, codes = sys.argv[1], sys.argv[2:]
pseudonyms = {json.loads(l)["response"]["pseudonym"] for l in open(work + "/all.jsonl") if '"pseudonym"' in l}
assert len(pseudonyms) == 18, len(pseudonyms)
secrets = list(pseudonyms) + [c.replace("-", "") for c in codes] + codes + ["Vertraulich-Delphi"]
files = [work + "/data/vault.sqlite", work + "/vault-stage1.sqlite", work + "/stage2.tkb", work + "/srv/server.sqlite",
         work + "/delphi-stufe-2.delphi"]
# The control: every secret is there once the key opened the records (the look-up can find them).
opened = open(work + "/all.jsonl").read()
assert all(p in opened for p in pseudonyms) and "Vertraulich-Delphi" in opened
for f in files:
    data = open(f, "rb").read()
    for s in secrets:
        assert s.encode() not in data, (f, s)
print("checked %d files for %d secrets" % (len(files), len(secrets)))
PY

step "the analysis"
"$T" delphi report --round1 "$WORK/r1.jsonl" --survey1 "$S1" --round2 "$WORK/r2.jsonl" --survey2 "$S2" \
    --out "$WORK/report.html" --csv "$WORK/csv" >"$WORK/report.out" 2>&1 || fail "report: $(cat "$WORK/report.out")"
# Against the plan the answers were drawn from: per repeated row how many of the 7 changed,
# who stayed and who left, and round 1's n with the paper sheets included.
python3 - "$WORK" <<'PY' || fail "the analysis does not agree with the answers given"
import csv, json, sys
work = sys.argv[1]
plan = json.load(open(work + "/plan.json"))
rows = list(csv.DictReader(open(work + "/csv/delphi-items.csv", encoding="utf-8", newline="")))
by = {(r["round"], r["item"]): r for r in rows}
for row in range(4):
    r = by[("2", "F5[L%d]" % (row + 1))]
    answered = [b for b in plan["stage2"] if b["F5"][row] is not None]  # the kiosk's one answered L1 only
    changed = sum(1 for b in answered if b["F5"][row] != plan["stage1"][b["who"]]["F11"][row])
    n = str(len(answered))
    assert r["repeats"] == "F11[L%d]" % (row + 1) and r["n"] == n and r["paired"] == n, (r, n)
    assert r["changed"] == str(changed), (r["changed"], changed)
    r1 = by[("1", "F11[L%d]" % (row + 1))]
    # Leavers are the 11 with a code who did not come back; the 2 without a code cannot be followed.
    assert r1["n"] == "20" and r1["stayed_n"] == "7" and r1["left_n"] == "11", r1
print("analysis agrees with the plan")
PY
step "ok"

#!/bin/bash
# Stage 2 of the shipped Delphi study on the real kiosk, typed by xdotool: a participant code
# (made here in Python from DELPHI.md's rule, so the kiosk's check is tested against an
# independent one) with a slip is refused, the right one taken; the response carries the
# pseudonym inside the seal only (decrypted with the demo key; not in the vault's file in
# plain). From that pseudonym a stage-1 answer set is made, `teilhabe delphi feedback` writes
# the signed pack into the kiosk's surveys folder, and the next session with the same code
# shows the own stage-1 answer and the group's chart (read back from what "Vorlesen" says, and
# photographed); "Antwort beibehalten" takes it in one tap.
source "$(dirname "$0")/kiosk_common.bash"
SURVEY=$TK_SOURCE_DIR/surveys/delphi-stufe-2.json
S1=$TK_SOURCE_DIR/surveys/delphi-stufe-1.json
T=$TK_BUILD_DIR/sync/teilhabe
export TEILHABE_PASSPHRASE=demo

read -r CODE SLIP < <(python3 - <<'PY'
import secrets
A = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
while True:
    body = "".join(secrets.choice(A) for _ in range(20))
    check = int("".join("{:05b}".format(A.index(c)) for c in body), 2) % 37
    if check < 32: break
code = body + A[check]
slip = code[:5] + A[(A.index(code[5]) + 1) % 32] + code[6:]    # one symbol wrong
fmt = lambda c: "-".join(c[i:i + 4] for i in range(0, len(c), 4))
print(fmt(code).lower(), fmt(slip))
PY
)

kiosk_start --idle 600
to_code_page
has "field/~delphi|code" || fail "no code field on the code page"
has "delphi/no_code" || fail "no 'Ich habe keinen Code'"
xdotool type --delay 30 "$SLIP"
xdotool key Return
sleep 1
[ "$(page)" = DelphiCode ] || fail "a code with a wrong symbol was taken"
shot delphi_01_wrong_code
# The field keeps what was typed, to be corrected: emptied here, the right code typed as a
# scanner sends it (keys, then Enter), in lower case.
click "field/~delphi|code"
xdotool key ctrl+a BackSpace
xdotool type --delay 30 "$CODE"
xdotool key Return
wait_page Question 10
enter_to F5
xdotool key 3 # row L1: "eher Gefahr"
sleep 0.3
enter_to ""
wait_page Review
xdotool key Return
wait_page ThankYou
kiosk_stop

"$T" decrypt --key "$WORK/data/demo-research.key" --vault "$WORK/data" --out "$WORK/r2.jsonl" >/dev/null 2>"$WORK/err" \
    || fail "decrypt: $(cat "$WORK/err")"
P=$(python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; assert len(r)==1, len(r); print(r[0]["response"].get("pseudonym",""))' "$WORK/r2.jsonl")
[[ "$P" =~ ^[0-9a-f]{32}$ ]] || fail "the response has no pseudonym: '$P'"
grep -rqi "$P" "$WORK/data" && fail "the pseudonym is in the kiosk's files in plain"
grep -rqi "${CODE//-/}" "$WORK/data" && fail "the code is in the kiosk's files"
[ -f "$WORK/kiosk.log" ] && grep -qi "$P" "$WORK/kiosk.log" && fail "the pseudonym is in the kiosk's log"

# Stage 1 as the research side holds it: this participant said "große Gefahr" (2) to F11 L1;
# six others with pseudonyms of their own.
python3 - "$WORK/r1.jsonl" "$P" <<'PY'
import json, sys
out = open(sys.argv[1], "w")
l1 = ["2", "4", "4", "5", "3", "4", "6"]
for i, v in enumerate(l1):
    r = {"format": "teilhabe-response/1", "survey_id": "delphi-stufe-1", "survey_version": "1.0",
         "survey_hash": "sha256:" + "0" * 64, "language": "de", "channel": "kiosk", "site": "", "event": "",
         "meta": {}, "started": "2026-11-02T10:00:00Z", "finished": "2026-11-02T10:%02d:00Z" % i, "complete": True,
         "answers": {"F11": {"cells": {"L1": v}}}, "skipped": [], "not_shown": [],
         "pseudonym": sys.argv[2] if i == 0 else "%032x" % (i + 100)}
    out.write(json.dumps(r) + "\n")
PY
mkdir -p "$WORK/data/surveys"
"$T" delphi feedback --round 1 --survey "$S1" --next "$SURVEY" --key "$WORK/data/demo-research.key" \
    --out "$WORK/data/surveys/stufe-1-feedback.delphi" "$WORK/r1.jsonl" >/dev/null 2>"$WORK/err" \
    || fail "delphi feedback: $(cat "$WORK/err")"

kiosk_start --idle 600
to_code_page
xdotool type --delay 30 "$CODE"
xdotool key Return
wait_page Question 10
enter_to F5
shot delphi_02_own_answer_and_chart
reveal "delphi_keep/F5[L1]" || fail "no 'Antwort beibehalten' on F5 row L1"
shot delphi_03_chart_and_keep
# What "Vorlesen" says is what the page shows: the own answer and the group's counts, which
# are recounted here from stage 1's lines.
xdotool key KP_Add
sleep 1
python3 - "$WORK/speech.log" <<'PY' || fail "the page does not say what stage 1 holds: $(tail -c 2000 "$WORK/speech.log")"
import sys
said = open(sys.argv[1]).read()
l1 = ["2", "4", "4", "5", "3", "4", "6"]
texts = {"1": "sehr große Gefahr", "2": "große Gefahr", "3": "eher Gefahr", "4": "sowohl Gefahr als auch Chance",
         "5": "eher Chance", "6": "große Chance", "7": "sehr große Chance"}
assert "Ihre Antwort in Stufe 1: große Gefahr" in said
assert "Ergebnis der Gruppe in Stufe 1 (7 Antworten):" in said
for code, text in texts.items():
    n = l1.count(code)
    line = "%s: %d (%d %%)" % (text, n, int(100.0 * n / len(l1) + 0.5))
    assert line in said, line
vals = sorted(int(v) for v in l1)
assert "Median: %d" % vals[3] in said
PY
click "delphi_keep/F5[L1]"
sleep 0.5
shot delphi_04_kept
[ "$(page | cut -d' ' -f1-2)" = "Question F5" ] || fail "one row kept left the matrix page: $(page)"
kiosk_stop
echo "ok: code typed and checked, pseudonym sealed, own answer and the group's chart shown from a signed pack"

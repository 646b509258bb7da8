#!/usr/bin/env bash
# survey_check.sh - `teilhabe survey check`: the shipped surveys pass (exit 0, one "ok" line
# each with id, version, hash, size, languages), a broken copy fails (exit 1) with a
# "file:line: place: problem" message, and a call without files is a usage error (exit 2).
# Unreviewed translations are notes, right-to-left languages are named, a language in a script
# the kiosk cannot draw is an error.
source "$(dirname "$0")/cli_common.bash"

shopt -s nullglob
surveys=("$SRC"/surveys/*.json)
if [ ${#surveys[@]} -gt 0 ]; then
    "$BIN" survey check "${surveys[@]}" >"$WORK/ok.out" 2>"$WORK/ok.err" ||
        { cat "$WORK/ok.out" "$WORK/ok.err" >&2; fail "shipped surveys do not pass"; }
    [ "$(grep -c '^ok  ' "$WORK/ok.out")" -eq ${#surveys[@]} ] || fail "expected one ok line per survey"
    grep -Eq '^ok  .* id=[a-z0-9-]+ version=[^ ]+ hash=sha256:[0-9a-f]{64} questions=[0-9]+ languages=[a-z]' \
        "$WORK/ok.out" || fail "ok line lacks id/version/hash/questions/languages: $(cat "$WORK/ok.out")"
    # The citizen survey's right-to-left languages are named, and its unreviewed translations
    # are notes on stderr that --quiet hides.
    grep -q "^ok  .*buerger-digital.json  .*languages=de,de-x-ls,en,tr,uk,ru,ar,fa rtl=ar,fa$" "$WORK/ok.out" ||
        fail "citizen survey: no rtl=ar,fa: $(cat "$WORK/ok.out")"
    for lang in tr uk ru ar fa; do
        grep -q "^note: .*buerger-digital.json: language \"$lang\" is a translation from \"de\" by .*, not yet reviewed" \
            "$WORK/ok.err" || fail "no note on the unreviewed $lang translation: $(cat "$WORK/ok.err")"
    done
    "$BIN" survey check --quiet "$SRC/surveys/buerger-digital.json" >/dev/null 2>"$WORK/quiet.err"
    [ ! -s "$WORK/quiet.err" ] || fail "--quiet still prints: $(cat "$WORK/quiet.err")"
fi

# A survey with a typo in a type and a condition that looks ahead: both errors, with lines.
cat >"$WORK/bad.json" <<'JSON'
{
  "format": "teilhabe-survey/1",
  "id": "kaputt",
  "version": "1",
  "languages": ["de"],
  "title": "Kaputt",
  "groups": [
    {"code": "A", "title": "A", "questions": [
      {"code": "Q1", "type": "yesno", "text": "Ja?", "condition": "Q2 == 'x'"},
      {"code": "Q2", "type": "txet", "text": "Warum?"}
    ]}
  ]
}
JSON
set +e
"$BIN" survey check "$WORK/bad.json" >"$WORK/bad.out" 2>&1
rc=$?
set -e
[ $rc -eq 1 ] || fail "broken survey: exit $rc, expected 1"
grep -qF "$WORK/bad.json:10: Q2 /groups/0/questions/1/type: unknown type \"txet\" (did you mean \"text\"?)" "$WORK/bad.out" ||
    fail "no unknown-type message: $(cat "$WORK/bad.out")"
grep -qF "$WORK/bad.json:9: Q1 /groups/0/questions/0/condition: condition refers to later question Q2" "$WORK/bad.out" ||
    fail "no later-question message: $(cat "$WORK/bad.out")"
grep -qF "FAIL  $WORK/bad.json  (2 errors)" "$WORK/bad.out" || fail "no FAIL summary: $(cat "$WORK/bad.out")"

# A language in a script the kiosk has no font for is refused, with the place and the reason.
sed 's/"languages": \["de"\]/"languages": ["de", "he"]/; s/"title": "Kaputt"/"title": {"de": "Kaputt", "he": "x"}/' \
    "$WORK/bad.json" >"$WORK/hebrew.json"
set +e
"$BIN" survey check "$WORK/hebrew.json" >"$WORK/hebrew.out" 2>&1
set -e
grep -qF "$WORK/hebrew.json:5: /languages/1: language \"he\" is written in the script Hebr, which the kiosk has no font for" \
    "$WORK/hebrew.out" || fail "no script message: $(cat "$WORK/hebrew.out")"

# Good and bad together: still exit 1; a missing file is reported, not a crash.
set +e
"$BIN" survey check "$WORK/bad.json" "$WORK/missing.json" >"$WORK/mixed.out" 2>&1
rc=$?
"$BIN" survey check >/dev/null 2>&1
rc_usage=$?
set -e
[ $rc -eq 1 ] || fail "mixed: exit $rc, expected 1"
grep -qF "$WORK/missing.json: cannot open file" "$WORK/mixed.out" || fail "missing file not reported"
[ $rc_usage -eq 2 ] || fail "no arguments: exit $rc_usage, expected 2"
"$BIN" --help | grep "survey check" >/dev/null || fail "--help does not list survey check"
echo "survey_check: ok"

#!/usr/bin/env bash
# import_lss.sh - `teilhabe survey import-lss`: every shared LimeSurvey file imports into a
# survey that `teilhabe survey check` accepts; left-out question types are named in the
# warnings; malformed, truncated, unknown-layout and missing inputs exit nonzero with a message
# naming the file, and write nothing.
source "$(dirname "$0")/cli_common.bash"
[ -d "$SHARED/lss" ] || fail "no LimeSurvey files in $SHARED/lss"

n=0
while IFS= read -r -d '' f; do
    out="$WORK/$(basename "$f" .lss).json"
    "$BIN" survey import-lss "$f" --out "$out" >"$WORK/stdout" 2>"$WORK/stderr" ||
        { cat "$WORK/stderr" >&2; fail "import of $f failed"; }
    grep -q "^ok " "$WORK/stdout" || fail "no ok line for $f"
    "$BIN" survey check --quiet "$out" >/dev/null || fail "survey check rejects the import of $f"
    n=$((n + 1))
done < <(find "$SHARED/lss" -name '*.lss' -print0)
[ "$n" -ge 15 ] || fail "only $n .lss files found"

# File upload and language switch are left out, and said so with their codes.
"$BIN" survey import-lss "$SHARED/lss/ls205_EM_question_attributes.lss" --out "$WORK/em.json" 2>"$WORK/warn" >/dev/null
grep -q "qFileUpload: type '|'" "$WORK/warn" || fail "no warning for the file upload question"
grep -q "qLanguage: type 'I'" "$WORK/warn" || fail "no warning for the language switch"

# Bad inputs: exit 1 (cannot be imported) or 2 (cannot be opened), a message, no output file.
expect_fail() { # CODE FILE WORDS
    local code=$1 file=$2 words=$3 rc=0
    rm -f "$WORK/bad.json"
    "$BIN" survey import-lss "$file" --out "$WORK/bad.json" 2>"$WORK/err" >/dev/null || rc=$?
    [ "$rc" -eq "$code" ] || fail "$file: exit $rc, expected $code"
    grep -q "$words" "$WORK/err" || { cat "$WORK/err" >&2; fail "$file: message without '$words'"; }
    [ ! -e "$WORK/bad.json" ] || fail "$file: output written although the import failed"
}
head -c 20000 "$SHARED/lss/ls205_group_relevance.lss" >"$WORK/cut.lss"
expect_fail 1 "$WORK/cut.lss" "truncated"
printf 'PK\003\004 not a survey' >"$WORK/zip.lss"
expect_fail 1 "$WORK/zip.lss" "not XML"
printf '<?xml version="1.0"?><survey/>' >"$WORK/other.lss"
expect_fail 1 "$WORK/other.lss" "unknown layout"
expect_fail 1 "$(find "$SHARED/lss" -name '*.lsr' | head -1)" "Responses"
expect_fail 2 "$WORK/missing.lss" "cannot open"
rc=0; "$BIN" survey import-lss "$WORK/cut.lss" 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "missing --out: exit $rc, expected 2"

echo "import_lss: $n files imported and checked; bad inputs refused"

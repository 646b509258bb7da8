#!/usr/bin/env bash
# vault_cli.sh - `teilhabe keygen`, `vault status` and `vault verify` from the outside:
# key files and their modes, exit codes, and a record byte changed behind the vault's back.
set -euo pipefail
bin="${TK_BUILD_DIR:?TK_BUILD_DIR not set}/sync/teilhabe"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "vault_cli: FAIL: $*" >&2; exit 1; }
# expect CODE CMD... : runs CMD, fails the test unless it exits with CODE
expect() { local want=$1; shift; set +e; "$@" >"$work/out" 2>"$work/err"; local got=$?; set -e
  [ "$got" -eq "$want" ] || { cat "$work/out" "$work/err" >&2; fail "'$*' exited $got, expected $want"; }; }

# --- keygen ---
TEILHABE_PASSPHRASE="e2e passphrase 1234" expect 0 "$bin" keygen --out "$work/keys"
fp=$(awk '/^fingerprint/ {print $2}' "$work/out")
[[ "$fp" =~ ^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$ ]] || fail "fingerprint '$fp'"
grep -q "^fingerprint: $fp\$" "$work/keys/research.pub" || fail "research.pub does not carry the fingerprint"
[ "$(stat -c %a "$work/keys/research.key")" = 600 ] || fail "research.key is not mode 600"
grep -q "e2e passphrase" "$work/keys/research.key" && fail "passphrase in the secret file"
sum=$(sha256sum "$work/keys/research.key")
TEILHABE_PASSPHRASE="another passphrase" expect 2 "$bin" keygen --out "$work/keys"
grep -q "not overwritten" "$work/err" || fail "second keygen: no clear message"
[ "$(sha256sum "$work/keys/research.key")" = "$sum" ] || fail "research.key was overwritten"
TEILHABE_PASSPHRASE="short" expect 2 "$bin" keygen --out "$work/keys2"
grep -q "8 characters" "$work/err" || fail "short passphrase not refused clearly"
expect 2 "$bin" keygen

# --- a kiosk data directory with the research public key ---
mkdir "$work/data"
cp "$work/keys/research.pub" "$work/data/"
expect 0 "$bin" vault fill-demo --data "$work/data" --count 25
[ "$(stat -c %a "$work/data/device.key")" = 600 ] || fail "device.key is not mode 600"
expect 0 "$bin" vault status --data "$work/data"
grep -Eq "^records +25$" "$work/out" || fail "status does not count 25 records"
grep -q "$fp" "$work/out" || fail "status does not show the research key fingerprint"
grep -Eq "^alarms +none" "$work/out" || fail "status shows alarms"
expect 0 "$bin" vault verify --data "$work/data"
grep -q "^ok: 25 records checked" "$work/out" || fail "verify output"

# --- cannot open: exit 2 ---
expect 2 "$bin" vault verify --data "$work/nowhere"
expect 2 "$bin" vault status --data "$work/keys"   # a directory without a vault
expect 2 "$bin" vault verify

# --- one byte of one sealed record changed with sqlite3: exit 1, the record is named ---
sqlite3 "$work/data/vault.sqlite" "UPDATE records SET body = substr(body, 1, 100) ||
  CASE WHEN substr(body, 101, 1) = X'00' THEN X'01' ELSE X'00' END || substr(body, 102) WHERE seq = 10;"
expect 1 "$bin" vault verify --data "$work/data"
grep -q -- "-000010: signature does not match" "$work/out" || { cat "$work/out" >&2; fail "tampered record not named"; }

# --- a record deleted: exit 1 ---
sqlite3 "$work/data/vault.sqlite" "DELETE FROM records WHERE seq = 20;"
expect 1 "$bin" vault verify --data "$work/data"
grep -q "missing from the chain" "$work/out" || fail "deleted record not reported"

# --- one damaged record of 20: quarantined, alarm in status, the 19 others export and decrypt ---
mkdir "$work/dmg"
cp "$work/keys/research.pub" "$work/dmg/"
expect 0 "$bin" vault fill-demo --data "$work/dmg" --count 20
sqlite3 "$work/dmg/vault.sqlite" "UPDATE records SET body = substr(body, 1, 100) ||
  CASE WHEN substr(body, 101, 1) = X'00' THEN X'01' ELSE X'00' END || substr(body, 102) WHERE seq = 7;"
expect 0 "$bin" vault status --data "$work/dmg"
grep -Eq "^alarms +none" "$work/out" && { cat "$work/out" >&2; fail "damaged record: status says alarms none"; }
grep -q -- "-000007.*Quarantäne" "$work/out" || { cat "$work/out" >&2; fail "damaged record not named in the alarm"; }
grep -Eq "^unsynced +19$" "$work/out" || { cat "$work/out" >&2; fail "damaged record: not 19 unsynced"; }
expect 0 "$bin" export-bundle --data "$work/dmg" --out "$work/dmg.tkb"
grep -q "19 unsynced records" "$work/out" || { cat "$work/out" >&2; fail "export-bundle did not write the 19 intact records"; }
TEILHABE_PASSPHRASE="e2e passphrase 1234" expect 1 "$bin" decrypt --key "$work/keys/research.key" --vault "$work/dmg" --out "$work/dmg.jsonl"
grep -q "20 records read, 19 responses written" "$work/out" || { cat "$work/out" "$work/err" >&2; fail "decrypt --vault did not open the 19 intact records"; }
grep -q -- "-000007: damaged on the device" "$work/err" || { cat "$work/err" >&2; fail "decrypt does not name the damaged record"; }
[ "$(wc -l < "$work/dmg.jsonl")" -eq 19 ] || fail "responses.jsonl does not hold 19 lines"

# --- the newest 5 rows deleted and the stored head rewritten (no secret needed): verify fails ---
mkdir "$work/trunc"
cp "$work/keys/research.pub" "$work/trunc/"
expect 0 "$bin" vault fill-demo --data "$work/trunc" --count 15
head15=$(sqlite3 "$work/trunc/vault.sqlite" "SELECT value FROM meta WHERE key = 'head_hash'")
expect 0 "$bin" vault fill-demo --data "$work/trunc" --count 5
expect 0 "$bin" vault verify --data "$work/trunc"
grep -q "^ok: 20 records checked" "$work/out" || fail "verify before truncation"
sqlite3 "$work/trunc/vault.sqlite" "DELETE FROM records WHERE seq > 15;
  UPDATE meta SET value = '15' WHERE key = 'head_seq'; UPDATE meta SET value = '$head15' WHERE key = 'head_hash';"
expect 1 "$bin" vault verify --data "$work/trunc"
grep -q "not what the device signed" "$work/out" || { cat "$work/out" >&2; fail "truncated chain with a rewritten head not found"; }

# --- garbage instead of a database: exit 2, file untouched ---
mkdir "$work/bad"
head -c 10000 /dev/urandom > "$work/bad/vault.sqlite"
sum=$(sha256sum "$work/bad/vault.sqlite")
expect 2 "$bin" vault verify --data "$work/bad"
grep -q "untouched" "$work/err" || fail "damaged database: no clear message"
[ "$(sha256sum "$work/bad/vault.sqlite")" = "$sum" ] || fail "damaged database was modified"
echo "vault_cli: ok"

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

# --- garbage instead of a database: exit 2, file untouched ---
mkdir "$work/bad"
head -c 10000 /dev/urandom > "$work/bad/vault.sqlite"
sum=$(sha256sum "$work/bad/vault.sqlite")
expect 2 "$bin" vault verify --data "$work/bad"
grep -q "untouched" "$work/err" || fail "damaged database: no clear message"
[ "$(sha256sum "$work/bad/vault.sqlite")" = "$sum" ] || fail "damaged database was modified"
echo "vault_cli: ok"

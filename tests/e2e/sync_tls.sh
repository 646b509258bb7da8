#!/usr/bin/env bash
# sync_tls.sh - TLS and the plain-HTTP rule: the server refuses plain HTTP on a non-loopback
# address unless --allow-plain-http; with --cert/--key it speaks HTTPS, a kiosk trusting that
# certificate (--ca) enrols and syncs, and one that trusts another certificate is refused and
# keeps its records unsynced. Signed survey updates arrive over the same channel.
source "$(dirname "$0")/sync_common.bash"
command -v openssl >/dev/null || fail "openssl (command line) is needed to make a test certificate"

"$S" --data "$WORK/srv" --listen 0.0.0.0:0 >/dev/null 2>"$WORK/err" && fail "plain HTTP on 0.0.0.0 accepted"
grep -q "plain HTTP only on loopback" "$WORK/err" || fail "message: $(cat "$WORK/err")"
"$S" --data "$WORK/srv" --listen 127.0.0.1:0 --cert "$WORK/none.pem" >/dev/null 2>&1 && fail "--cert without --key accepted"

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 2 \
    -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" >/dev/null 2>&1 || fail "openssl req"
make_kiosk "$WORK/kiosk" 300
start_server --cert "$WORK/cert.pem" --key "$WORK/key.pem"
grep -q "https://" "$WORK/server.out" || fail "server does not say https"
URL="https://127.0.0.1:$PORT"
code=$("$S" enrol --data "$WORK/srv" 2>/dev/null)
"$T" enrol --data "$WORK/kiosk" --server "$URL" --code "$code" >/dev/null 2>"$WORK/err" && fail "enrolled without trusting the certificate"
"$T" enrol --data "$WORK/kiosk" --server "$URL" --code "$code" --ca "$WORK/cert.pem" >/dev/null || fail "enrol over TLS"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/other.key" -out "$WORK/other.pem" -days 2 \
    -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" >/dev/null 2>&1 || fail "openssl req (other)"
"$T" sync --data "$WORK/kiosk" --server "$URL" --ca "$WORK/other.pem" --quiet >/dev/null 2>&1 && fail "synced trusting another certificate"
[ "$(unsynced "$WORK/kiosk")" = 300 ] || fail "records marked synced over an untrusted connection"
"$T" sync --data "$WORK/kiosk" --server "$URL" --ca "$WORK/cert.pem" --quiet >/dev/null || fail "sync over TLS"
check_store 300
[ "$(unsynced "$WORK/kiosk")" = 0 ] || fail "unsynced after TLS sync"
step "TLS enrol and sync ok"

# Survey updates: one signed with the research key, one altered after signing.
mkdir -p "$WORK/srv/surveys" "$WORK/installed"
SRC="${TK_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
cp "$SRC/surveys/buerger-digital.json" "$WORK/srv/surveys/"
cp "$SRC/surveys/buerger-digital.json" "$WORK/srv/surveys/altered.json"
TEILHABE_PASSPHRASE=e2e-passphrase "$T" survey sign --key "$WORK/keys/research.key" "$WORK/srv/surveys/buerger-digital.json" >/dev/null \
    || fail "survey sign"
TEILHABE_PASSPHRASE=e2e-passphrase "$T" survey sign --key "$WORK/keys/research.key" "$WORK/srv/surveys/altered.json" >/dev/null
echo " " >>"$WORK/srv/surveys/altered.json"
TEILHABE_PASSPHRASE=wrong-passphrase "$T" survey sign --key "$WORK/keys/research.key" "$WORK/srv/surveys/altered.json" \
    >/dev/null 2>&1 && fail "signed with a wrong passphrase"
"$T" survey fetch --data "$WORK/kiosk" --server "$URL" --ca "$WORK/cert.pem" --out "$WORK/installed" >"$WORK/fetch.out" \
    && fail "fetch with a refused file exits 0"
grep -q "^installed  buerger-digital.json" "$WORK/fetch.out" || fail "fetch: $(cat "$WORK/fetch.out")"
grep -q "^REFUSED    altered.json: file content differs" "$WORK/fetch.out" || fail "fetch: $(cat "$WORK/fetch.out")"
[ -f "$WORK/installed/altered.json" ] && fail "altered survey installed"
cmp -s "$WORK/installed/buerger-digital.json" "$SRC/surveys/buerger-digital.json" || fail "installed survey differs"
step "ok"

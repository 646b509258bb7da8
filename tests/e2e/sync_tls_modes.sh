#!/usr/bin/env bash
# sync_tls_modes.sh - the two TLS set-ups of packaging/DEPLOY.md with the real programs:
# (a) a certificate issued by the municipality's own CA (made here with the openssl command):
#     `teilhabe enrol --ca CA.pem` enrols, saves the CA, and a later sync needs no option;
# (b) `teilhabe-server serve --tls-self-signed` makes its own certificate at first start and
#     keeps it; `teilhabe-server pin` prints the pin, which equals what the openssl command
#     computes; a wrong pin is refused (the pairing code is not spent), the right one enrols
#     and syncs. Every network verb lists --ca and --pin in its --help.
source "$(dirname "$0")/sync_common.bash"
command -v openssl >/dev/null || fail "openssl (command line) is needed to make test certificates"

for verb in enrol provision sync "survey fetch"; do
    # shellcheck disable=SC2086
    "$T" $verb --help >"$WORK/help" 2>&1 || true
    grep -q -- "--ca CERT.pem" "$WORK/help" && grep -q -- "--pin" "$WORK/help" || fail "$verb --help: $(cat "$WORK/help")"
done
"$S" pin --help 2>&1 | grep -- "--cert" >/dev/null || fail "teilhabe-server pin --help"
"$S" serve --help 2>&1 | grep -- "--tls-self-signed" >/dev/null || fail "teilhabe-server serve --help"

# --- (a) the municipality's CA ---
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/ca.key" -out "$WORK/ca.pem" -days 2 -subj "/CN=Stadt Test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" >/dev/null 2>&1 || fail "openssl CA"
openssl req -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/srv.csr" -subj "/CN=127.0.0.1" >/dev/null 2>&1 \
    || fail "openssl csr"
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$WORK/ext.cnf"
openssl x509 -req -in "$WORK/srv.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial -days 2 \
    -extfile "$WORK/ext.cnf" -out "$WORK/cert.pem" >/dev/null 2>&1 || fail "openssl sign"
make_kiosk "$WORK/kiosk" 40
start_server --cert "$WORK/cert.pem" --key "$WORK/key.pem"
URL="https://127.0.0.1:$PORT"
code=$("$S" enrol --data "$WORK/srv" 2>/dev/null)
"$T" enrol --data "$WORK/kiosk" --server "$URL" --code "$code" >/dev/null 2>"$WORK/err" && fail "enrolled without the CA"
grep -q "certificate is unknown" "$WORK/err" || fail "message without the CA: $(cat "$WORK/err")"
grep -q "will not help" "$WORK/err" || fail "message says to retry: $(cat "$WORK/err")"
grep -q "SSLServerVerification\|run sync again" "$WORK/err" && fail "message with an internal name: $(cat "$WORK/err")"
"$T" enrol --data "$WORK/kiosk" --server "$URL" --code "$code" --ca "$WORK/ca.pem" --pin "sha256/x" >/dev/null 2>"$WORK/err" \
    && fail "--ca and --pin together accepted"
grep -q "exclude each other" "$WORK/err" || fail "message for --ca with --pin: $(cat "$WORK/err")"
"$T" enrol --data "$WORK/kiosk" --server "$URL" --code "$code" --ca "$WORK/ca.pem" >/dev/null || fail "enrol with the CA"
cmp -s "$WORK/kiosk/server-ca.pem" "$WORK/ca.pem" || fail "the CA was not saved at enrolment"
"$T" sync --data "$WORK/kiosk" --quiet >/dev/null || fail "sync with the saved CA"
[ "$(unsynced "$WORK/kiosk")" = 0 ] || fail "unsynced after the CA sync"
check_store 40
stop_server
step "CA mode: enrol refused without the CA, enrol with --ca, sync with the saved CA"

# --- (b) the server's own certificate, pinned ---
rm -rf "$WORK/srv"
make_kiosk "$WORK/kiosk2" 30
start_server --tls-self-signed
[ "$(stat -c %a "$WORK/srv/tls/server.key")" = 600 ] || fail "the self-made key is not 0600"
pin=$("$S" pin --data "$WORK/srv" 2>/dev/null) || fail "teilhabe-server pin"
grep -q "TLS certificate pin (teilhabe enrol --pin): $pin" "$WORK/server.out" || fail "server does not print its pin: $(cat "$WORK/server.out")"
by_openssl="sha256/$(openssl x509 -in "$WORK/srv/tls/server.crt" -pubkey -noout | openssl pkey -pubin -outform der \
    | openssl dgst -sha256 -binary | base64)"
[ "$pin" = "$by_openssl" ] || fail "pin $pin differs from openssl's $by_openssl"
URL="https://127.0.0.1:$PORT"
code=$("$S" enrol --data "$WORK/srv" 2>/dev/null)
# A wrong pin as a real one looks: the pin of another key (random bytes could start with "/",
# which the client rightly calls malformed, and the test would fail by chance).
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/other.key" 2>/dev/null
wrong="sha256/$(openssl pkey -in "$WORK/other.key" -pubout -outform der | openssl dgst -sha256 -binary | base64)"
[ "$wrong" != "$pin" ] || fail "the other key has the server's pin"
"$T" enrol --data "$WORK/kiosk2" --server "$URL" --code "$code" --pin "$wrong" >/dev/null 2>"$WORK/err" && fail "wrong pin accepted"
grep -q "shows the key $pin, but this device trusts only $wrong" "$WORK/err" || fail "wrong pin message: $(cat "$WORK/err")"
[ -f "$WORK/kiosk2/server.pub" ] && fail "enrolled although the pin was wrong"
"$T" enrol --data "$WORK/kiosk2" --server "$URL" --code "$code" --pin "$pin" >/dev/null || fail "enrol with the right pin"
[ "$(cat "$WORK/kiosk2/server-pin")" = "$pin" ] || fail "the pin was not saved at enrolment"
"$T" sync --data "$WORK/kiosk2" --pin "$wrong" --quiet >/dev/null 2>"$WORK/err" && fail "sync with a wrong pin accepted"
[ "$(unsynced "$WORK/kiosk2")" = 30 ] || fail "records marked synced over a wrong pin"
"$T" sync --data "$WORK/kiosk2" --quiet >/dev/null || fail "sync with the saved pin"
[ "$(unsynced "$WORK/kiosk2")" = 0 ] || fail "unsynced after the pinned sync"
# A restart keeps the certificate: the saved pin still holds.
stop_server
start_server --tls-self-signed
[ "$("$S" pin --data "$WORK/srv" 2>/dev/null)" = "$pin" ] || fail "the certificate changed on restart"
"$T" vault fill-demo --data "$WORK/kiosk2" --count 5 >/dev/null || fail "fill-demo"
"$T" sync --data "$WORK/kiosk2" --server "https://127.0.0.1:$PORT" --quiet >/dev/null || fail "sync after the restart"
check_store 35
step "pin mode: self-made certificate kept, wrong pin refused, right pin enrols and syncs"

#!/usr/bin/env bash
# server_cli.sh - teilhabe-server's verbs come from the same registry as teilhabe's: --help lists
# every verb with its options, --version answers, VERB --help shows one verb, serving is the
# default verb (teilhabe-server --data DIR --listen ...), unknown verbs are refused.
source "$(dirname "$0")/sync_common.bash"

"$S" --version | grep -q '^teilhabe-server [0-9][0-9.]*$' || fail "--version"
"$T" --version | grep -q '^teilhabe [0-9][0-9.]*$' || fail "teilhabe --version"
help=$("$S" --help) || fail "--help exit code"
for verb in "serve [--config FILE] --data DIR [--store URL] --listen HOST:PORT" "enrol --data DIR [--store URL] [--site NAME] [--valid-hours H]" \
            "import --data DIR [--store URL] [--receipt OUT] [--research-pub FILE]... FILE_OR_FOLDER..." "export-surveys --data DIR --out STICK" \
            "status --data DIR" "backup --data DIR --out FILE" "restore --data DIR FILE" \
            "migrate --from sqlite:DIR --to postgresql://USER@HOST:PORT/DATABASE"; do
    grep -qF -- "  $verb" <<<"$help" || fail "--help does not list '$verb'"
done
for opt in --cert --key --allow-plain-http --max-body --rate --threads --per-address --research-pub; do
    grep -qF -- "$opt" <<<"$help" || fail "--help does not list the serve option $opt"
done
"$S" import --help | grep -F "Usage: teilhabe-server import --data DIR [--store URL] [--receipt OUT] [--research-pub FILE]... FILE" >/dev/null || fail "import --help"
"$S" frobnicate >/dev/null 2>"$WORK/err" && fail "an unknown verb was accepted"
grep -q "unknown verb 'frobnicate'" "$WORK/err" || fail "no message for the unknown verb"
"$S" >/dev/null 2>&1 && fail "no arguments must be a usage error"
"$S" serve --data "$WORK/srv" >/dev/null 2>"$WORK/err" && fail "serve without --listen accepted"
grep -q "^teilhabe-server serve: " "$WORK/err" || fail "serve's usage error does not name the verb"

# Both spellings serve; enrol and status work on the same data.
start_server
[ "$(http_post /v1/enrol /dev/null application/json | cut -d' ' -f1)" = 400 ] || fail "default verb does not serve"
stop_server
: >"$WORK/server.out"
"$S" serve --data "$WORK/srv" --listen 127.0.0.1:0 >"$WORK/server.out" 2>>"$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 100); do grep -q listening "$WORK/server.out" && break; sleep 0.1; done
grep -q "listening on http://127.0.0.1:" "$WORK/server.out" || fail "serve verb does not serve"
"$S" enrol --data "$WORK/srv" 2>/dev/null | grep -qE '^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$' || fail "enrol prints no code"
"$S" status --data "$WORK/srv" | grep -q "^server fingerprint" || fail "status"
step "ok"

#!/usr/bin/env bash
# dashboard_browser.sh - the coordinator's dashboard in a real browser (headless Chromium over
# the DevTools pipe, dashboard_browser.py), served by teilhabe-server over TLS.
# Three kiosks sync (one of them then unseen for ten days), two accounts are made with
# `user add`; in the browser: wrong passwords lock an account out, the other logs in, the
# device list shows the stale kiosk and a site name with markup as text, counts per site, a
# target set through its form, a form without its CSRF token refused, a kiosk revoked through
# its form (whose next sync is then refused), a pairing code, events, the audit log, English,
# visible focus, logout. Screenshots at 100 % and 200 % (DASHBOARD_BROWSER_SHOTS=DIR keeps them;
# at 200 % no page may be wider than the window).
source "$(dirname "$0")/sync_common.bash"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || fail "no chromium (packaging/install-deps.sh installs it)"
SHOTS="${DASHBOARD_BROWSER_SHOTS:-$WORK/shots}"
mkdir -p "$SHOTS"

step "three kiosks enrolled over TLS and synced; two accounts"
for k in k1:5 k2:3 k3:2; do make_kiosk "$WORK/${k%%:*}" "${k##*:}"; done
start_server --tls-self-signed
URL="https://127.0.0.1:$PORT"
pin=$("$S" pin --data "$WORK/srv" 2>/dev/null) || fail "pin"
for k in "k1:Stadtbibliothek" "k2:Seniorentreff <b>" "k3:Rathaus"; do
    code=$("$S" enrol --data "$WORK/srv" --site "${k#*:}" 2>/dev/null) || fail "server enrol"
    "$T" enrol --data "$WORK/${k%%:*}" --server "$URL" --code "$code" --pin "$pin" >/dev/null || fail "kiosk enrol ${k%%:*}"
    "$T" sync --data "$WORK/${k%%:*}" --quiet >/dev/null || fail "sync ${k%%:*}"
done
check_store 10
# Rathaus's kiosk was last heard of ten days ago.
sql "UPDATE devices SET last_seen = CAST(strftime('%s','now') AS INTEGER) - 10*86400 WHERE site = 'Rathaus'"
printf 'anna-passwort-richtig\nanna-passwort-richtig\n' | "$S" user add --data "$WORK/srv" anna >/dev/null 2>&1 || fail "user add anna"
printf 'bert-passwort-richtig\nbert-passwort-richtig\n' | "$S" user add --data "$WORK/srv" bert >/dev/null 2>&1 || fail "user add bert"
printf 'eins-zwei-drei\neins-zwei-vier\n' | "$S" user add --data "$WORK/srv" carl >/dev/null 2>"$WORK/err" && fail "differing passwords taken"
grep -q "differ" "$WORK/err" || fail "user add with differing passwords said: $(cat "$WORK/err")"
"$S" user list --data "$WORK/srv" >"$WORK/users" || fail "user list"
grep -q "^anna  made .* last login never$" "$WORK/users" && grep -q "^bert " "$WORK/users" || fail "user list: $(cat "$WORK/users")"
grep -q "carl" "$WORK/users" && fail "carl was added"
k1=$("$S" status --data "$WORK/srv" --json | python3 -c 'import json,sys; print([d["id"] for d in json.load(sys.stdin)["devices"] if d["site"]=="Stadtbibliothek"][0])')

step "in the browser: lock-out, login, devices, counts, target, CSRF, revoke, codes, events, audit, English"
timeout 120 python3 "$(dirname "$0")/dashboard_browser.py" "$CHROMIUM" "$URL" "$SHOTS" Rathaus "$k1" \
    || fail "the browser run failed (chromium log: $(tail -3 "$SHOTS/chromium.log" 2>/dev/null))"
for s in login devices-100 devices-200 counts-100 counts-200 audit-100 devices-en-100; do
    [ -s "$SHOTS/$s.png" ] || fail "no screenshot $s"
done

step "the kiosk revoked in the browser is refused at its next sync; the lock-out is listed"
"$T" vault fill-demo --data "$WORK/k1" --count 1 >/dev/null || fail "fill-demo"
"$T" sync --data "$WORK/k1" >"$WORK/out" 2>&1 && fail "a revoked kiosk synced"
grep -q "gestohlen im Lesesaal" "$WORK/out" || fail "the revoked kiosk was not told why: $(cat "$WORK/out")"
check_store 10
"$S" user list --data "$WORK/srv" | grep -q "^bert .*LOCKED until" || fail "bert is not listed as locked: $("$S" user list --data "$WORK/srv")"
[ "$(sql "SELECT count(*) FROM audit WHERE action = 'revoke' AND account = 'anna' AND address = '127.0.0.1'")" = 1 ] \
    || fail "the revocation is not in the audit log with who and where"
"$S" user remove --data "$WORK/srv" bert >/dev/null || fail "user remove"
[ "$(sql "SELECT count(*) FROM accounts")" = 1 ] || fail "bert still there"
step "ok"

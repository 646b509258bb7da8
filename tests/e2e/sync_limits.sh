#!/usr/bin/env bash
# sync_limits.sh - the real teilhabe-server under body bombs and forged log lines:
#   - on every POST endpoint a 300 MiB chunked body, a gzip body that inflates to 512 MiB and a
#     Content-Length of a terabyte are refused with 413 while they arrive, and the server's peak
#     resident memory (VmHWM) stays within 64 MiB of what it was idle;
#   - a %0a and an ESC in the URL do not forge a log line or reach the terminal.
source "$(dirname "$0")/sync_common.bash"


start_server
step "server on $URL (pid $SERVER_PID)"
hwm() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$SERVER_PID/status"; }

# POST PATH with HEADERS (CRLF-terminated lines), the body from BODY_COMMAND; prints the status
# of the first answer. The body is written in the background, so the answer is read while it
# is still being sent, as the server refuses it.
bomb() { # PATH HEADERS BODY_COMMAND
    exec 3<>"/dev/tcp/127.0.0.1/$PORT"
    ( { printf 'POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n' "$1" "$2"; eval "$3"; } >&3 2>/dev/null ) &
    local writer=$! line
    line=$(timeout 60 head -n1 <&3 | tr -d '\r') || true
    kill "$writer" 2>/dev/null || true
    wait "$writer" 2>/dev/null || true
    exec 3<&- 3>&-
    echo "${line#HTTP/1.1 }" | cut -d' ' -f1
}

[ "$(http_post /v1/enrol /dev/null application/json | cut -d' ' -f1)" = 400 ] || fail "an empty enrolment is not a 400"
idle=$(hwm)
step "idle peak memory $((idle / 1024)) MiB"

head -c $((512 << 20)) /dev/zero | gzip -6 >"$WORK/bomb.gz"
head -c $((3 << 20)) /dev/zero | gzip -9 >"$WORK/small-bomb.gz" # under the enrolment limit as sent
CRLF=$'\r\n'
for path in /v1/enrol /v1/bundles; do
    gz="$WORK/bomb.gz"
    [ "$path" = /v1/enrol ] && gz="$WORK/small-bomb.gz"
    s=$(bomb "$path" "Transfer-Encoding: chunked$CRLF" "printf '12C00000\r\n'; head -c $((300 << 20)) /dev/zero")
    [ "$s" = 413 ] || fail "$path: 300 MiB chunked body answered '$s', not 413"
    s=$(bomb "$path" "Content-Length: 1000000000000$CRLF" "head -c $((300 << 20)) /dev/zero")
    [ "$s" = 413 ] || fail "$path: a Content-Length of a terabyte answered '$s', not 413"
    s=$(bomb "$path" "Content-Encoding: gzip${CRLF}Content-Length: $(stat -c %s "$gz")$CRLF" "cat '$gz'")
    [ "$s" = 413 ] || fail "$path: gzip bomb answered '$s', not 413"
    step "$path: chunked, Content-Length and gzip bombs refused with 413"
done
peak=$(hwm)
step "peak memory after the bombs $((peak / 1024)) MiB (idle $((idle / 1024)) MiB)"
[ "$peak" -le $((idle + 64 * 1024)) ] || fail "peak memory grew by $(((peak - idle) / 1024)) MiB under the bombs (limit 64)"
grep -q "413 body over 4096 bytes" "$WORK/server.err" || fail "no log line for the refused enrolment body"

# A forged log line: the request's path holds a newline, a fake time stamp and a colour escape.
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GET /v1/x%%0a2026-01-01T00:00:00Z%%20upload%%20FORGED%%1b[31m HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
timeout 10 cat <&3 >/dev/null || true
exec 3<&- 3>&-
sleep 0.2
[ "$(grep -c FORGED "$WORK/server.err")" = 1 ] || fail "the forged path is not on exactly one log line"
grep -F 'FORGED\x1b[31m' "$WORK/server.err" | grep -qF '/v1/x\x0a2026-01-01T00:00:00Z upload' || fail "the log line does not show the escaped text"
if grep -q $'\x1b' "$WORK/server.err"; then fail "an escape character reached the log"; fi
"$S" status --data "$WORK/srv" | grep -q $'\x1b' && fail "an escape character reached the status output"

# The server still serves.
[ "$(http_post /v1/enrol /dev/null application/json | cut -d' ' -f1)" = 400 ] || fail "not serving after the bombs"
step "ok"

# sync_common.bash - shared helpers for the sync end-to-end tests (sourced, not run).
# Real `teilhabe` and `teilhabe-server` processes over loopback only; every wait is bounded.
set -euo pipefail

BUILD="${TK_BUILD_DIR:?TK_BUILD_DIR must name the build directory}"
T="$BUILD/sync/teilhabe"
S="$BUILD/sync/teilhabe-server"
WORK=$(mktemp -d)
SERVER_PID=""
NAME=$(basename "$0" .sh)

cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
    echo "$NAME: FAIL: $*" >&2
    [ -f "$WORK/server.err" ] && { echo "--- server log (tail)" >&2; tail -n 20 "$WORK/server.err" >&2; }
    exit 1
}
step() { echo "$NAME: $*"; }
[ -x "$T" ] && [ -x "$S" ] || fail "binaries missing in $BUILD/sync"

# A research key pair and a kiosk vault with N drill responses, sealed to that key.
make_kiosk() { # DIR N
    [ -f "$WORK/keys/research.pub" ] || TEILHABE_PASSPHRASE=e2e-passphrase "$T" keygen --out "$WORK/keys" >/dev/null 2>&1 \
        || fail "keygen failed"
    mkdir -p "$1"
    cp "$WORK/keys/research.pub" "$1/"
    "$T" vault fill-demo --data "$1" --count "$2" >/dev/null || fail "fill-demo $1"
}

# Starts the server on an ephemeral loopback port; sets PORT and URL. Extra args pass through.
start_server() {
    start_server_with --data "$WORK/srv" --listen 127.0.0.1:0 "$@"
}

# The same with exactly these arguments (say where it listens: 127.0.0.1:0).
start_server_with() {
    : >"$WORK/server.out"
    "$S" "$@" >"$WORK/server.out" 2>>"$WORK/server.err" &
    SERVER_PID=$!
    for _ in $(seq 100); do
        PORT=$(sed -n 's/.*127\.0\.0\.1:\([0-9][0-9]*\),.*/\1/p' "$WORK/server.out")
        [ -n "$PORT" ] && break
        sleep 0.1
    done
    [ -n "$PORT" ] || fail "server did not start"
    URL="http://127.0.0.1:$PORT"
}

stop_server() { # [signal]
    kill "-${1:-TERM}" "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

enrol() { # KIOSK_DIR [SITE]
    local code
    code=$("$S" enrol --data "$WORK/srv" ${2:+--site "$2"} 2>/dev/null) || fail "server enrol"
    "$T" enrol --data "$1" --server "$URL" --code "$code" >/dev/null || fail "kiosk enrol $1"
}

unsynced() { "$T" vault status --data "$1" | sed -n 's/^unsynced *\([0-9]*\)$/\1/p'; }
sql() { sqlite3 -batch -noheader "$WORK/srv/server.sqlite" "$1"; }
server_count() { sql "SELECT count(*) FROM records"; }

# The store holds exactly records 1..N of every device, each once, all distinct.
check_store() { # N_TOTAL
    local n dup holes
    n=$(server_count)
    [ "$n" = "$1" ] || fail "server holds $n records, expected $1"
    dup=$(sql "SELECT count(*) - count(DISTINCT hash) FROM records")
    [ "$dup" = 0 ] || fail "$dup duplicate records in the store"
    holes=$(sql "SELECT count(*) FROM devices d WHERE d.last_seq != (SELECT count(*) FROM records r WHERE r.device = d.pk)")
    [ "$holes" = 0 ] || fail "a device's chain head does not match its record count"
}

# HTTP over bash's /dev/tcp (no extra tools): POST PATH FILE TYPE -> "STATUS BODY" on stdout.
http_post() {
    local path=$1 file=$2 type=$3 len
    len=$(stat -c %s "$file")
    exec 3<>"/dev/tcp/127.0.0.1/$PORT"
    { printf 'POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: %s\r\nContent-Length: %s\r\nConnection: close\r\n\r\n' \
        "$path" "$type" "$len"; cat "$file"; } >&3 2>/dev/null || true
    local reply
    reply=$(timeout 20 cat <&3 | tr -d '\r') || true
    exec 3<&- 3>&-
    local status body
    status=$(printf '%s\n' "$reply" | head -n1 | cut -d' ' -f2)
    body=$(printf '%s\n' "$reply" | sed -n '/^$/,$p' | tail -n +2)
    echo "$status $body"
}

flip_byte() { # FILE OFFSET
    local b
    b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "$(printf '\\%03o' $(( b ^ 1 )))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

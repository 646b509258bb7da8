# cli_common.bash - the preamble of the `teilhabe` end-to-end tests (sourced, not run):
#   NAME    the script's name, for messages     SRC     the repository
#   SHARED  the shared study folder             BIN     the teilhabe binary
#   WORK    a temporary folder, removed at exit
#   fail MESSAGE (exit 1), step MESSAGE (progress on stdout)
set -euo pipefail

NAME=$(basename "$0" .sh)
SRC="${TK_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
SHARED="${TK_SHARED_DIR:-$SRC/../shared}"
BIN="${TK_BUILD_DIR:?TK_BUILD_DIR must name the build directory}/sync/teilhabe"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fail() { echo "$NAME: FAIL: $*" >&2; exit 1; }
step() { echo "$NAME: $*"; }
[ -x "$BIN" ] || fail "no binary at $BIN"

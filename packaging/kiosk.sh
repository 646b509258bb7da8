#!/usr/bin/env bash
# Sets everything up, builds and starts the kiosk on the shipped citizen survey with
# embedded defaults: an SQLite vault under $TK_DATA (default ~/.local/share/teilhabe-kiosk)
# and, where no research key is configured, a local demo key (staff screens say DEMO).
# Extra arguments go to teilhabe-kiosk, e.g. `--windowed`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DTK_WERROR=OFF >/dev/null
cmake --build build/release -j "$(nproc)" --target teilhabe-kiosk teilhabe
data=${TK_DATA:-${XDG_DATA_HOME:-$HOME/.local/share}/teilhabe-kiosk}
mkdir -p "$data"
exec build/release/kiosk/teilhabe-kiosk --data "$data" --survey surveys/buerger-digital.json "$@"

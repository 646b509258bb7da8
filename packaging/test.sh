#!/usr/bin/env bash
# Sets everything up and runs every test:
#   1. installs the Debian packages (packaging/install-deps.sh),
#   2. builds the libFuzzer targets with clang and runs each briefly on its seed corpus,
#   3. builds everything with -Wall -Wextra -Werror under ASan+UBSan and runs the whole
#      suite with ctest (unit, headless UI, end-to-end under xvfb-run),
#   4. builds the Debian packages (lintian-clean) and installs them into a fresh Debian 12
#      root, where the installed programs are checked (packaging/test-install.sh).
# Environment: TK_FUZZ_SECONDS (default 15 per target), TK_JOBS (default: all cores).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=${TK_JOBS:-$(nproc)}

bash packaging/install-deps.sh

echo "== fuzz targets (clang, libFuzzer) =="
cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DTK_FUZZ=ON >/dev/null
# Only the fuzz targets: the programs and tests are built (and run) in the ASan build below.
fuzz_targets=$(cd tests/fuzz && ls fuzz_*.cpp | sed 's/\.cpp$//')
cmake --build build/fuzz -j "$jobs" --target $fuzz_targets
bash tests/fuzz/run.sh build/fuzz "${TK_FUZZ_SECONDS:-15}" "$jobs"

echo "== test suite (gcc, ASan+UBSan, -Werror) =="
cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTK_SANITIZE=ON >/dev/null
cmake --build build/asan -j "$jobs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/lsan.supp:print_suppressions=0}
(cd build/asan && ctest --output-on-failure -j "$jobs" --timeout 900)

echo "== Debian packages and their installation =="
TK_JOBS=$jobs bash packaging/debs.sh
bash packaging/test-install.sh

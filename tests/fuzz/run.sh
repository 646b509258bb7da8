#!/usr/bin/env bash
# Runs every built fuzz target for a few seconds on its seed corpus.
#   run.sh BUILD_DIR SECONDS
# Seeds: tests/fuzz/corpus/<target>/ (committed) plus, for survey parsers, surveys/*.json.
# A crash leaves the reproducer in build dir and fails the run.
set -euo pipefail
build=$1; secs=$2
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
fail=0; n=0
for bin in "$build"/tests/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  work=$(mktemp -d)
  seeds=()
  [ -d "$here/corpus/$name" ] && seeds+=("$here/corpus/$name")
  case "$name" in fuzz_survey*) seeds+=("$root/surveys") ;; esac
  dict=()
  [ -f "$here/$name.dict" ] && dict=(-dict="$here/$name.dict")
  echo "fuzz: $name for ${secs}s"
  if ! "$bin" "$work" "${seeds[@]}" "${dict[@]}" -max_total_time="$secs" -max_len=65536 \
        -artifact_prefix="$build/" -print_final_stats=0 >"$build/$name.log" 2>&1; then
    echo "fuzz: $name FAILED, see $build/$name.log"; tail -40 "$build/$name.log"; fail=1
  fi
  rm -rf "$work"; n=$((n+1))
done
echo "fuzz: $n targets run"
exit $fail

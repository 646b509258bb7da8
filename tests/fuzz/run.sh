#!/usr/bin/env bash
# Runs every built fuzz target for a few seconds on its seed corpus.
#   run.sh BUILD_DIR SECONDS [JOBS]
# Seeds: tests/fuzz/corpus/<target>/ (committed) plus, for survey parsers, surveys/*.json.
# JOBS targets run at once (default: the number of cores), each on one core.
# A crash leaves the reproducer in the build dir and fails the run.
# -timeout=60: one input that runs longer than a minute (a hang) fails the run at once instead
# of after libFuzzer's default twenty minutes. -max_len=131072: the shipped surveys are seeds,
# and the citizen survey in eight languages is near 80 KB; a shorter limit would cut it.
set -euo pipefail
build=$1; secs=$2; jobs=${3:-$(nproc)}
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)

# One target; its output goes to BUILD_DIR/<target>.log, its verdict to <target>.status.
fuzz_one() {
  local bin=$1 name work seeds dict
  name=$(basename "$bin")
  work=$(mktemp -d)
  seeds=()
  [ -d "$here/corpus/$name" ] && seeds+=("$here/corpus/$name")
  case "$name" in fuzz_survey*) seeds+=("$root/surveys") ;; esac
  dict=()
  [ -f "$here/$name.dict" ] && dict=(-dict="$here/$name.dict")
  if "$bin" "$work" "${seeds[@]}" "${dict[@]}" -max_total_time="$secs" -timeout=60 -max_len=131072 \
        -artifact_prefix="$build/" -print_final_stats=0 >"$build/$name.log" 2>&1; then
    echo ok >"$build/$name.status"
  else
    echo failed >"$build/$name.status"
  fi
  rm -rf "$work"
}

targets=()
for bin in "$build"/tests/fuzz_*; do
  [ -x "$bin" ] && targets+=("$bin")
done
running=0
for bin in "${targets[@]}"; do
  echo "fuzz: $(basename "$bin") for ${secs}s"
  rm -f "$build/$(basename "$bin").status"
  fuzz_one "$bin" &
  running=$((running+1))
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running-1)); fi
done
wait

fail=0
for bin in "${targets[@]}"; do
  name=$(basename "$bin")
  if [ "$(cat "$build/$name.status" 2>/dev/null)" != ok ]; then
    echo "fuzz: $name FAILED, see $build/$name.log"; tail -40 "$build/$name.log"; fail=1
  fi
done
echo "fuzz: ${#targets[@]} targets run, $jobs at a time"
exit $fail

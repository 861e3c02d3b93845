#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run the fuzz targets built by fuzz/build.sh, two at a time (a 2-core
# machine), each for FUZZ_SECONDS (default 600).  Per target:
#   $BUILD_DIR/fuzz-work/<target>/corpus      the growing corpus (seeded from
#                                             $BUILD_DIR/corpus/<kind>)
#   $BUILD_DIR/fuzz-work/<target>/artifacts/  crash-*, timeout-*, oom-* inputs
#   $BUILD_DIR/fuzz-work/<target>.log         libFuzzer's log, final stats at the end
# usage: fuzz/run.sh [TARGET...]    (default: reader records options)
# FUZZ_FLAGS adds libFuzzer options (for example -max_len=2048).
set -uo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-600}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(reader records options)
work=$build/fuzz-work
mkdir -p "$work"

run_one() {
    local t=$1 dir=$work/$1
    mkdir -p "$dir/corpus" "$dir/artifacts"
    "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$dir/artifacts/" ${FUZZ_FLAGS:-} \
        "$dir/corpus" "$build/corpus/$t" >"$work/$t.log" 2>&1
    echo "fuzz_$t: exit $? after $(grep -c . "$work/$t.log") log lines"
}

running=0
for t in "${targets[@]}"; do
    [ -x "$build/fuzz/fuzz_$t" ] || { echo "no $build/fuzz/fuzz_$t: run fuzz/build.sh"; exit 2; }
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge 2 ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

for t in "${targets[@]}"; do
    log=$work/$t.log
    echo "== fuzz_$t"
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log"
    grep -E '^#[0-9]+.*(cov|DONE)' "$log" | tail -1
    echo "corpus: $(ls "$work/$t/corpus" | wc -l) inputs; findings: $(ls "$work/$t/artifacts" | wc -l)"
    grep -E 'SUMMARY|ERROR: libFuzzer' "$log" | head -3
done

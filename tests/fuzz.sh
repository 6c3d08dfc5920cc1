#!/usr/bin/env bash
# Builds the fuzz targets in fuzz/ with libFuzzer's coverage instrumentation on the stable
# toolchain (the flags cargo-fuzz passes, minus the nightly-only sanitizer), then runs each for
# FUZZ_SECONDS (default 600), two at a time, and prints executions and crashes per target.
# Corpora persist in fuzz/corpus/<target>; crashes land in fuzz/artifacts/<target>.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${FUZZ_SECONDS:-600}"
TARGETS=(responses error_body)
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
# An explicit --target keeps the flags off build scripts and proc macros (as cargo-fuzz does).
HOST=$(rustc -vV | sed -n 's/^host: //p')
cargo build --release --manifest-path fuzz/Cargo.toml --bins --target "$HOST"
mkdir -p fuzz/logs
for t in "${TARGETS[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  "fuzz/target/$HOST/release/$t" "fuzz/corpus/$t" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -max_len=4096 \
    -artifact_prefix="fuzz/artifacts/$t/" -print_final_stats=1 > "fuzz/logs/$t.log" 2>&1 &
done
status=0
wait || status=$?
printf '\n%-12s %14s %10s %8s\n' target executions exec/s crashes
for t in "${TARGETS[@]}"; do
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "fuzz/logs/$t.log" | grep -o '[0-9]*$' || echo "?")
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "fuzz/logs/$t.log" | grep -o '[0-9]*$' || echo "?")
  crashes=$(find "fuzz/artifacts/$t" -type f | wc -l)
  printf '%-12s %14s %10s %8s\n' "$t" "$runs" "$speed" "$crashes"
done
exit $status

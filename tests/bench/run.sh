#!/usr/bin/env bash
# make bench: every figure of issues 6 and 16 as a ratio taken in one run on this machine, printed
# as a table and written to tests/bench/results.md. BENCH_RUNS sets the launches per app (default
# 10).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${BENCH_RUNS:-10}"
work=$(mktemp -d "${TMPDIR:-/tmp}/keyward-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
figures="$work/figures.tsv"

(cd ui && npm run build >/dev/null)
python3 tests/bench/sizes.py bundle ui/dist/assets >>"$figures"
cargo build --release -p keyward-app -p keyward-cli -p bench-hello -p keyward-bench --features keyward-app/custom-protocol
app=target/release/keyward-app hello=target/release/bench-hello bench=target/release/keyward-bench

# The release profile keeps the symbol table (strip = "debuginfo") so that the biggest crates can
# be read from the very binary measured; the sizes compared are of copies stripped as a package's are.
strip --strip-all -o "$work/keyward-app" "$app" && strip --strip-all -o "$work/hello" "$hello"
printf 'binary keyward\t%s\tbytes\nbinary hello\t%s\tbytes\n' "$(stat -c %s "$work/keyward-app")" "$(stat -c %s "$work/hello")" >>"$figures"
python3 tests/bench/sizes.py crates "$app" "$hello" >>"$figures"
"$bench" seed "$work/data" 10000
tests/with-keychain.sh xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  python3 tests/bench/start.py "$PWD/$app" "$PWD/$hello" "$work/data" "$RUNS" >>"$figures"
"$bench" search 1000000 >>"$figures"
"$bench" sync >>"$figures"
"$bench" sync-scale >>"$figures"
"$bench" concurrent >>"$figures"
"$bench" list "$PWD/target/release/keyward" >>"$figures"
"$bench" dbsize >>"$figures"
tests/with-keychain.sh "$bench" run "$PWD/target/release/keyward" >>"$figures"
(cd ui && KEYWARD_BENCH=1 npx vitest run 2>/dev/null | grep -P '^\S.*\t[0-9.]+\t' | sed 's/^\x1b\[[0-9;]*m//g') >>"$figures"

python3 tests/bench/report.py "$figures" "$(git rev-parse --short HEAD)" tests/bench/results.md

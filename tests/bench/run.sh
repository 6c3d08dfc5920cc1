#!/usr/bin/env bash
# make bench: every figure of issues 6 and 16 as a ratio taken in one run on this machine, printed
# as a table and written to tests/bench/results.md. BENCH_RUNS sets the launches per app (default
# 10); BENCH_BLOAT=0 skips the biggest-crates table (a second release build, see below).
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

printf 'binary keyward\t%s\tbytes\nbinary hello\t%s\tbytes\n' "$(stat -c %s $app)" "$(stat -c %s $hello)" >>"$figures"
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

# The biggest crates in keyward-app. cargo-bloat reads the symbols that `strip = true` removes, so
# it builds the app again with strip forced off (0.12.1 sets CARGO_PROFILE_RELEASE_STRIP=false
# itself; set here too for an older one on the PATH) into its own target dir: the stripped binary
# measured above is neither overwritten nor made stale. That build is a second LTO build of the app.
# A failure (offline, no cargo-bloat) leaves its table empty rather than losing the run's others.
biggest_crates() {
  local tools="$PWD/target/tools"
  PATH="$tools/bin:$PATH"
  command -v cargo-bloat >/dev/null || cargo install --locked --version 0.12.1 --root "$tools" cargo-bloat
  CARGO_PROFILE_RELEASE_STRIP=false cargo bloat --release -p keyward-app --bin keyward-app --features keyward-app/custom-protocol \
    --target-dir target/bloat --crates -n 15 --message-format json | python3 tests/bench/sizes.py bloat
}
if [ "${BENCH_BLOAT:-1}" != 0 ]; then
  biggest_crates >>"$figures" || echo "make bench: no biggest-crates table (cargo bloat failed)" >&2
fi

python3 tests/bench/report.py "$figures" "$(git rev-parse --short HEAD)" tests/bench/results.md

#!/usr/bin/env bash
# What the package holds besides the two binaries, made from the CLI just built (Tauri's
# beforeBundleCommand): completions for bash, zsh and fish, and the manual pages, gzipped.
set -euo pipefail
out=${1:?usage: extras.sh TARGET_PROFILE_DIR (e.g. target/deb)}
cli="$out/keyward"
rm -rf "$out/extras" && mkdir -p "$out/extras/man1"
"$cli" completions bash >"$out/extras/keyward.bash"
"$cli" completions zsh >"$out/extras/_keyward"
"$cli" completions fish >"$out/extras/keyward.fish"
"$cli" man "$out/extras/man1"
gzip -9n "$out"/extras/man1/*.1

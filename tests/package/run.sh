#!/usr/bin/env bash
# The .deb as a person gets it: installed with apt-get (so its declared dependencies resolve),
# its files checked, its CLI and manual run from where it put them, the installed app driven
# through one journey, then removed, leaving nothing of it but the person's data.
set -euo pipefail
cd "$(dirname "$0")/../.."
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
deb=$(ls -t target/deb/bundle/deb/*.deb | head -n 1)
fail() { echo "package: $*" >&2; exit 1; }
echo "package: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB"

if dpkg -s keyward >/dev/null 2>&1; then $SUDO apt-get remove --purge -y -qq keyward >/dev/null; fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "./$deb" >/dev/null
listed=$(mktemp); trap 'rm -f "$listed"' EXIT
dpkg -L keyward >"$listed"

for f in /usr/bin/keyward-app /usr/bin/keyward /usr/share/applications/Keyward.desktop \
  /usr/share/icons/hicolor/32x32/apps/keyward-app.png /usr/share/icons/hicolor/128x128/apps/keyward-app.png \
  /usr/share/bash-completion/completions/keyward /usr/share/zsh/vendor-completions/_keyward \
  /usr/share/fish/vendor_completions.d/keyward.fish /usr/share/man/man1/keyward.1.gz /usr/share/man/man1/keyward-run.1.gz \
  /usr/lib/systemd/user/keyward-notices.service /usr/lib/systemd/user/keyward-notices.timer; do
  grep -qx "$f" "$listed" || fail "the package does not hold $f"
  [ -f "$f" ] || fail "$f is listed but not installed"
done
depends=$(dpkg-query -W -f='${Depends}' keyward)
for d in libwebkit2gtk-4.1-0 libgtk-3-0 libsqlite3-0; do [[ "$depends" == *"$d"* ]] || fail "Depends lacks $d: $depends"; done
[[ "$(dpkg-query -W -f='${Recommends}' keyward)" == *gnome-keyring* ]] || fail "no Secret Service provider is recommended"
desktop-file-validate /usr/share/applications/Keyward.desktop
grep -qx 'Exec=keyward-app' /usr/share/applications/Keyward.desktop || fail "the desktop entry does not start keyward-app"
systemd-analyze verify --user /usr/lib/systemd/user/keyward-notices.service /usr/lib/systemd/user/keyward-notices.timer

version=$(/usr/bin/keyward --version)
[[ "$version" == "keyward $(grep -m1 '^version' Cargo.toml | cut -d'"' -f2)" ]] || fail "keyward --version said: $version"
[ "$(man -w keyward)" = /usr/share/man/man1/keyward.1.gz ] || fail "man -w keyward: $(man -w keyward 2>&1)"
man -P cat keyward-run 2>/dev/null | grep -q 'keyward-run' || fail "man keyward-run shows nothing"
bash -c 'source /usr/share/bash-completion/completions/keyward && complete -p keyward' >/dev/null || fail "the bash completion does not load"
echo "package: installed, $(wc -l <"$listed") paths; binaries, desktop entry, icons, completions, man pages and units in place"

# The installed app, through the real window, the keychain and the sandbox.
KEYWARD_APP=/usr/bin/keyward-app KEYWARD_CLI=/usr/bin/keyward tests/e2e/run.sh -m installed

# A person's data: the store the installed CLI made.
person=$(mktemp -d); KEYWARD_DATA_DIR="$person/data" /usr/bin/keyward accounts list >/dev/null
$SUDO apt-get remove --purge -y -qq keyward >/dev/null
dpkg -s keyward >/dev/null 2>&1 && fail "keyward is still installed after its removal"
while read -r path; do
  [ -f "$path" ] && fail "$path is left after the package was removed"
done <"$listed"
[ -f "$person/data/keyward.db" ] || fail "removing the package took the person's data"
rm -rf "$person"
echo "package: removed; none of its files left, the person's data kept"

#!/usr/bin/env bash
# Builds the Debian packages from the working tree into build/debs/:
#   teilhabe-tools, teilhabe-server, teilhabe-kiosk (arch) and teilhabe-appliance (all),
# then checks them with lintian (--fail-on error,warning). Needs the build dependencies of
# packaging/debian/control (packaging/install-deps.sh installs them).
# Environment: TK_JOBS (default: all cores).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=${TK_JOBS:-$(nproc)}
out=$root/build/debs
version=$(dpkg-parsechangelog -l packaging/debian/changelog -S Version)
src=$out/src/teilhabe-$version

echo "== Debian packages $version =="
rm -rf "$out"
mkdir -p "$src"
# The working tree as git sees it (tracked and new files, nothing ignored such as build/).
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
    [ -e "$f" ] && printf '%s\0' "$f"
done | tar --null -T - -cf - | tar -xf - -C "$src"
cp -r packaging/debian "$src/debian"

(cd "$src" && DEB_BUILD_OPTIONS="parallel=$jobs nocheck noddebs" dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1) || {
    tail -40 "$out/build.log" >&2
    echo "debs: dpkg-buildpackage failed (whole log: $out/build.log)" >&2
    exit 1
}
mv "$out"/src/*.deb "$out"/src/*.changes "$out"/src/*.buildinfo "$out"/
rm -rf "$out/src"
ls -1 "$out"/*.deb
changes=$(ls "$out"/*.changes)
lintian --fail-on error,warning --no-tag-display-limit "$changes" | tee "$out/lintian.txt"
echo "debs: ok (lintian: $(grep -c . "$out/lintian.txt" || true) remarks below warning)"

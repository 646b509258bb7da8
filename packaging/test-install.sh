#!/usr/bin/env bash
# test-install.sh - the built packages (build/debs, from packaging/debs.sh) installed the way
# municipal IT installs them: into a fresh Debian 12 root made with mmdebstrap, then checked
# inside it by packaging/install-checks.sh (files, user, units, systemd-analyze verify and
# security, the server and the CLI over TLS, the kiosk's first frame under Xvfb and under
# cage with the headless wlroots backend, purge).
# Needs root (mmdebstrap's root mode), network to the Debian mirror, and build/debs.
# The root lives in a temporary folder that is removed again, also when a check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
debs=$root/build/debs
ls "$debs"/*.deb >/dev/null 2>&1 || { echo "test-install: no packages in $debs (run packaging/debs.sh)" >&2; exit 2; }
command -v mmdebstrap >/dev/null || { echo "test-install: mmdebstrap is needed (packaging/install-deps.sh)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/var/tmp}/tk-install.XXXXXX")
cleanup() {
    # mmdebstrap unmounts what it mounted; a killed run may leave mounts behind.
    for m in $(awk -v w="$work" 'index($2, w) == 1 {print $2}' /proc/mounts | sort -r); do umount -l "$m" || true; done
    rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/debs"
cp "$debs"/*.deb "$work/debs/"
# What the checks need besides the packages themselves (certificates, a display, nm).
extra=systemd,systemd-sysv,openssl,ca-certificates,xvfb,xauth,procps
echo "== install test: mmdebstrap bookworm + $(ls "$work/debs" | tr '\n' ' ')"
start=$(date +%s)
mmdebstrap --variant=apt --include="$extra" --skip=cleanup/reproducible \
    --customize-hook="copy-in $work/debs /tmp" \
    --customize-hook="copy-in $root/packaging/install-checks.sh /tmp" \
    --customize-hook="copy-in $root/surveys/buerger-digital.json /tmp" \
    --customize-hook='chroot "$1" bash /tmp/install-checks.sh' \
    bookworm "$work/root" >"$work/mmdebstrap.log" 2>&1 || {
    tail -60 "$work/mmdebstrap.log" >&2
    echo "test-install: FAIL (see the lines above)" >&2
    exit 1
}
grep -E '^install-checks: ' "$work/mmdebstrap.log"
echo "test-install: ok in $(( $(date +%s) - start )) s"

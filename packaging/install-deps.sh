#!/usr/bin/env bash
# Installs every build, run and test dependency from Debian 12 packages.
# Idempotent: when everything is present it checks with dpkg and prints nothing.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config ninja-build
  clang libclang-rt-14-dev               # libFuzzer targets
  libimgui-dev libglfw3-dev libgl-dev    # kiosk UI (Dear ImGui 1.86 with GLFW/OpenGL3 backends)
  libfribidi-dev libharfbuzz-dev         # kiosk: Arabic/Persian bidi and joining; the test's shaper
  libsqlite3-dev sqlite3 libsodium-dev   # vault
  nlohmann-json3-dev libpugixml-dev      # survey files, LimeSurvey import
  libcpp-httplib-dev libssl-dev openssl  # sync transport (openssl: test certificates)
  doctest-dev                            # tests
  espeak-ng libespeak-ng-dev             # speech output
  fonts-noto-core fonts-sil-andika       # fonts (Noto Sans, Andika)
  libcairo2-dev libpango1.0-dev libqrencode-dev  # paper forms (Pango: text in every script)
  xvfb xauth xdotool imagemagick         # black-box UI tests and screenshots
  libx11-dev                             # tests' send-close-request (a window manager's close)
  poppler-utils zbar-tools               # PDF and QR checks in tests
  debhelper dpkg-dev lintian             # Debian packages (packaging/debs.sh)
  mmdebstrap systemd                     # their install test in a fresh root (packaging/test-install.sh)
  chromium                               # the report's in-page script, run headless in tests
  libreadstat-dev                        # SPSS / Stata export
  pspp libxml2-utils                     # reading the .sav and checking the DDI XML in tests
  postgresql libpq-dev                   # the server store on PostgreSQL; its tests' throwaway cluster
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

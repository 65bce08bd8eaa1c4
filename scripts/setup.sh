#!/usr/bin/env bash
# Installs the Debian packages Lfr needs at run and test time, only those missing.
# libgtk-3-0: OpenCvSharp's bundled native library links against it and will not load without it.
set -euo pipefail
packages=(libgtk-3-0)
# --tests: also what the test suite needs. chromium and chromium-driver: the browser specs drive the web pages in
# headless Chromium (Selenium); lfr itself never needs a browser.
[ "${1:-}" = "--tests" ] && packages+=(chromium chromium-driver)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "lfr: installing ${missing[*]} ..." >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

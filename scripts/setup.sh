#!/usr/bin/env bash
# Installs the Debian packages Lfr needs at run and test time, only those missing.
# libgtk-3-0: OpenCvSharp's bundled native library links against it and will not load without it.
# ffmpeg: network cameras (RTSP, HTTP MJPEG) are decoded by an ffmpeg child process per camera (the FFmpeg inside
# OpenCvSharp's runtime has no network protocols); util-linux's setpriv binds each to the van's life.
set -euo pipefail
packages=(libgtk-3-0 ffmpeg util-linux)
# --tests: also what the test suite needs. chromium and chromium-driver: the browser specs drive the web pages in
# headless Chromium (Selenium); lfr itself never needs a browser. The camera specs serve real clips from GStreamer's
# RTSP server (a short script run by Debian's python3 with its GObject bindings).
[ "${1:-}" = "--tests" ] && packages+=(chromium chromium-driver python3 python3-gi gir1.2-gst-rtsp-server-1.0
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad)
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

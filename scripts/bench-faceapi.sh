#!/usr/bin/env bash
# lfr identify beside face-api.js (@vladmandic/face-api 1.7.15 on tfjs-wasm, one thread: SSD detector, 68 landmarks,
# descriptor and a nearest-neighbour search) on the same LFW photos, in one run; figures in docs/benchmarks.md.
#
#   scripts/bench-faceapi.sh [PHOTOS] [GALLERY]      (defaults 60 probe photos, a gallery of 60; ../shared/data/lfw-dev)
#
# face-api's npm packages are installed at the first run into a cache folder outside the repository
# (LFR_FACEAPI_CACHE, default ~/.cache/lfr-faceapi); its model weights ship inside its package. lfr runs as
# `lfr identify` does, and once more pinned to one core (taskset), against face-api pinned to another.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
photos=${1:-60}
gallery=${2:-60}
data=${LFR_DATA:-$root/../shared/data/lfw-dev}
cache=${LFR_FACEAPI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lfr-faceapi}
[[ -f $data/probes.csv && -f $data/gallery.csv ]] || { echo "bench-faceapi: no lfw-dev in $data (set LFR_DATA)" >&2; exit 2; }

if [[ ! -d $cache/node_modules/@vladmandic/face-api ]]; then
  echo "bench-faceapi: installing face-api.js into $cache ..." >&2
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-audit --no-fund --no-save \
    @vladmandic/face-api@1.7.15 @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0 jpeg-js@0.4.4 >&2
fi

dotnet build "$root/Lfr.Host/Lfr.Host.csproj" -c Release --nologo -v quiet >&2
lfr="$root/Lfr.Host/bin/Release/net10.0/lfr"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export MALLOC_ARENA_MAX=2
LFR_WATCHLIST_KEY=$(head -c 32 /dev/urandom | base64)
export LFR_WATCHLIST_KEY

# the same photos for both: the gallery (one photo per person, file name = entry) and the probes
mkdir "$work/gallery"
sed -n "2,$((gallery + 1))p" "$data/gallery.csv" | cut -d, -f1 | while read -r p; do ln -s "$data/$p" "$work/gallery/"; done
ls "$work"/gallery/* >"$work/gallery.txt"
sed -n "2,$((photos + 1))p" "$data/probes.csv" | cut -d, -f1 | sed "s#^#$data/#" >"$work/probes.txt"
"$lfr" watchlist build --from "$work/gallery" --out "$work/gallery.watchlist" >/dev/null 2>&1 || true
[[ -f $work/gallery.watchlist ]] || { echo "bench-faceapi: could not build the gallery watchlist" >&2; exit 1; }

now() { date +%s.%N; }
# per photo: (the photos 5 times over - 1 photo) / (5 N - 1), so that starting the process and loading the models do not count
for _ in 1 2 3 4 5; do cat "$work/probes.txt"; done >"$work/probes5.txt"
lfr_ms() {
  local pin=("$@") t0 t1 t2
  t0=$(now); "${pin[@]}" "$lfr" identify --watchlist "$work/gallery.watchlist" --json "$(sed -n 1p "$work/probes.txt")" >/dev/null
  t1=$(now); "${pin[@]}" "$lfr" identify --watchlist "$work/gallery.watchlist" --json $(cat "$work/probes5.txt") >/dev/null
  t2=$(now)
  awk -v a="$t0" -v b="$t1" -v c="$t2" -v n="$((5 * photos))" 'BEGIN { print ((c - b) - (b - a)) * 1000 / (n - 1) }'
}

echo "bench-faceapi: lfr identify ..." >&2
lfr1=$(lfr_ms)
lfrPinned1=$(lfr_ms taskset -c 0)
echo "bench-faceapi: face-api.js ..." >&2
faceapi=$(NODE_PATH="$cache/node_modules" taskset -c 1 node "$root/scripts/faceapi/bench.js" "$work/gallery.txt" "$work/probes.txt")
echo "bench-faceapi: lfr identify again ..." >&2
lfr2=$(lfr_ms)
lfrPinned2=$(lfr_ms taskset -c 0)

faceapiMs=$(echo "$faceapi" | sed -E 's/.*"msPerPhoto":([0-9.]+).*/\1/')
awk -v l1="$lfr1" -v l2="$lfr2" -v p1="$lfrPinned1" -v p2="$lfrPinned2" -v f="$faceapiMs" -v n="$photos" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" -v fa="$faceapi" \
  'BEGIN { l = (l1 + l2) / 2; p = (p1 + p2) / 2;
    printf "{\"photos\":%d,\"load\":\"%s\",\"lfrIdentifyMsPerPhoto\":%.1f,\"lfrOneCoreMsPerPhoto\":%.1f,\"faceApi\":%s,\"ratio\":%.1f,\"ratioOneCore\":%.1f}\n", n, load, l, p, fa, f / l, f / p }'

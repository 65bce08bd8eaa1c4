#!/usr/bin/env bash
# Fetches files from an npm registry package at build time and verifies them.
#   fetch-npm-assets.sh NAME@VERSION SUMS_FILE DEST_DIR
# SUMS_FILE lists "sha256  path/inside/package" lines; each file lands in DEST_DIR under its base name.
# If DEST_DIR already holds every file with the right sum, nothing is fetched (offline builds work).
set -euo pipefail
spec=$1 sums=$2 dest=$3

fail() { echo "lfr: $*" >&2; exit 1; }

verify_dest() {
  while read -r sum path; do
    [ -z "$sum" ] && continue
    f="$dest/$(basename "$path")"
    [ -f "$f" ] || return 1
    [ "$(sha256sum "$f" | cut -d' ' -f1)" = "$sum" ] || return 1
  done < "$sums"
}

if verify_dest 2>/dev/null; then exit 0; fi

command -v npm >/dev/null 2>&1 || fail "npm is not installed, so $spec cannot be fetched. Install Node.js/npm, or set LFR_MODELS to a folder that already holds the files listed in $sums."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent "$spec" >pack.log 2>&1 ) || fail "npm pack $spec failed (no network or no registry?): $(tail -n 3 "$tmp/pack.log"). Retry with network access, or set LFR_MODELS to a folder with the files listed in $sums."
tar -xzf "$tmp"/*.tgz -C "$tmp"
mkdir -p "$dest"
while read -r sum path; do
  [ -z "$sum" ] && continue
  src="$tmp/package/$path"
  [ -f "$src" ] || fail "$spec has no $path; the package changed. Check $sums."
  got=$(sha256sum "$src" | cut -d' ' -f1)
  [ "$got" = "$sum" ] || fail "checksum mismatch for $path in $spec: expected $sum, got $got. The file was not installed; do not use it. Check the package source, or set LFR_MODELS to a verified copy."
  cp "$src" "$dest/$(basename "$path").part" && mv "$dest/$(basename "$path").part" "$dest/$(basename "$path")"
done < "$sums"

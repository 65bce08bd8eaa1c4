#!/usr/bin/env bash
# Runs the whole test suite from this checkout: installs what is missing, builds, tests.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$root/scripts/setup.sh"
cd "$root"
dotnet test Lfr.sln -c Release --nologo "$@"

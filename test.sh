#!/usr/bin/env bash
# Runs the whole test suite from this checkout: installs what is missing, starts a throw-away PostgreSQL
# server on 127.0.0.1 for the persistence specs, builds, tests.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$root/scripts/setup.sh" --tests
eval "$(bash "$root/scripts/test-postgres.sh")"
trap 'bash "$root/scripts/test-postgres.sh" --stop' EXIT
cd "$root"
dotnet test Lfr.sln -c Release --nologo "$@"

#!/usr/bin/env bash
# Adds every new public symbol of the packable projects to its PublicAPI.Unshipped.txt (and drops removed
# ones), using the PublicApiAnalyzers code fix. Review the diff: it is the public-surface change.
set -euo pipefail
cd "$(dirname "$0")/.."
for proj in src/*/*.csproj; do
  dotnet format analyzers "$proj" --diagnostics RS0016 RS0017 --severity info --no-restore 2>/dev/null || \
  dotnet format analyzers "$proj" --diagnostics RS0016 RS0017 --severity info
done

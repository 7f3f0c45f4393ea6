#!/usr/bin/env bash
# Brings src/*/PublicAPI.Unshipped.txt in line with the code: builds each packable project, adds the symbols
# PublicApiAnalyzers reports as undeclared (RS0016) and drops those it reports as gone (RS0017).
# Review the diff afterwards: it is the change to the public surface.
set -euo pipefail
cd "$(dirname "$0")/.."
artifacts="${TMPDIR:-/tmp}/richscoring-public-api-$$"
trap 'rm -rf "$artifacts"' EXIT
for proj in src/*/*.csproj; do
  dir=$(dirname "$proj")
  file="$dir/PublicAPI.Unshipped.txt"
  [ -f "$file" ] || continue
  log=$(dotnet build "$proj" -c Release --no-incremental --artifacts-path "$artifacts" -p:TreatWarningsAsErrors=false 2>&1 || true)
  added=$(printf '%s\n' "$log" | grep -E "warning RS0016|error RS0016" | grep -F "$dir/" \
          | sed -E "s/.*RS0016: Symbol '(.*)' is not part of the declared public API.*/\1/" | sort -u || true)
  removed=$(printf '%s\n' "$log" | grep -E "RS0017" | grep -F "$dir/" \
          | sed -E "s/.*RS0017: Symbol '(.*)' is part of the declared API.*/\1/" | sort -u || true)
  python3 - "$file" "$added" "$removed" <<'PY'
import sys
path, added, removed = sys.argv[1], sys.argv[2], sys.argv[3]
lines = [l for l in open(path).read().splitlines() if l and l != "#nullable enable"]
drop = set(x for x in removed.splitlines() if x)
keep = set(l for l in lines if l not in drop) | set(x for x in added.splitlines() if x)
open(path, "w").write("#nullable enable\n" + "".join(l + "\n" for l in sorted(keep, key=lambda s: s.lstrip("~").lower())))
PY
  echo "$file: +$(printf '%s' "$added" | grep -c . || true) -$(printf '%s' "$removed" | grep -c . || true)"
done

#!/usr/bin/env bash
# Records every new public symbol of a project in its PublicAPI.Unshipped.txt (the analyzer's RS0016 list).
# Run it only after deciding that the API change is deliberate: the diff of that file is the review.
set -euo pipefail
project=${1:-sdk/Medley.Sdk/Medley.Sdk.csproj}
dir=$(dirname "$project")
unshipped="$dir/PublicAPI.Unshipped.txt"
grep -q '^#nullable enable' "$unshipped" 2>/dev/null || { { echo '#nullable enable'; cat "$unshipped" 2>/dev/null || true; } > "$unshipped.tmp" && mv "$unshipped.tmp" "$unshipped"; }
grep -q '^#nullable enable' "$dir/PublicAPI.Shipped.txt" 2>/dev/null || { { echo '#nullable enable'; cat "$dir/PublicAPI.Shipped.txt" 2>/dev/null || true; } > "$dir/PublicAPI.Shipped.tmp" && mv "$dir/PublicAPI.Shipped.tmp" "$dir/PublicAPI.Shipped.txt"; }
dotnet build "$project" --no-incremental 2>&1 \
  | sed -n -E "s/.*error RS0016: Symbol '(.*)' is not part of the declared public API.*/\1/p" \
  | sort -u >> "$unshipped"
# Removed symbols (RS0017) are dropped from the unshipped list.
dotnet build "$project" --no-incremental 2>&1 \
  | sed -n -E "s/.*error RS0017: Symbol '(.*)' is part of the declared API, but is either not public or could not be found.*/\1/p" \
  | sort -u > /tmp/removed-api.txt || true
if [[ -s /tmp/removed-api.txt ]]; then
  grep -vxF -f /tmp/removed-api.txt "$unshipped" > "$unshipped.tmp" || true
  mv "$unshipped.tmp" "$unshipped"
fi
{ head -n1 "$unshipped"; tail -n +2 "$unshipped" | sort -u; } > "$unshipped.tmp" && mv "$unshipped.tmp" "$unshipped"
dotnet build "$project" 2>&1 | tail -n 3

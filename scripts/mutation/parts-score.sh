#!/usr/bin/env bash
# The mutation score of a project measured in parts (scripts/mutation.sh --project NAME --files GLOB): every part kept
# in .mutation/NAME/parts/ that was measured at the current commit counts, each file once. Prints the score (per cent,
# two decimals) on stdout and, on stderr, the mutants by status, the parts left out and the project's files no part
# measured. Exit codes: 0 every file measured; 3 some file not yet (the score is over the rest); 1 no part to count.
set -uo pipefail
cd "$(dirname "$0")/../.."
project="${1:?usage: parts-score.sh NAME}"
head=$(git rev-parse HEAD)
parts=()
for part in .mutation/"$project"/parts/*/; do
  report="$part/reports/mutation-report.json"
  [ -f "$report" ] || continue
  if [ "$(cat "$part/commit" 2>/dev/null)" != "$head" ]; then
    echo "left out (measured at another commit): $part" >&2
    continue
  fi
  parts+=("$part")
done
if [ ${#parts[@]} -eq 0 ]; then
  echo "no part of $project measured at $head in .mutation/$project/parts/" >&2
  exit 1
fi

reports=()
for part in "${parts[@]}"; do reports+=("$part/reports/mutation-report.json"); done
# Each file once (the last part that measured it), then its mutants by status.
counts=$(jq -s -r '
  [ .[] | .files | to_entries[] ] | map({ key: (.key | sub("^.*/src/[^/]+/"; "")), value: .value }) | from_entries
  | [ .[] | .mutants[] | .status ] | group_by(.) | map("\(.[0]) \(length)") | .[]' "${reports[@]}")
echo "$counts" | sed 's/^/  /' >&2
score=$(echo "$counts" | awk '
  $1 == "Killed" || $1 == "Timeout" { detected += $2 }
  $1 == "Killed" || $1 == "Timeout" || $1 == "Survived" || $1 == "NoCoverage" { valid += $2 }
  END { if (valid == 0) print "NaN"; else printf "%.2f\n", 100 * detected / valid }')
echo "$score"

measured=$(cat "${parts[@]/%//files}" | sort -u)
missing=$(cd "src/$project" && find . -name '*.cs' -not -path './bin/*' -not -path './obj/*' | sed 's|^\./||' | sort | comm -23 - <(echo "$measured"))
if [ -n "$missing" ]; then
  echo "not measured by any part yet ($(echo "$missing" | wc -l) files):" >&2
  echo "$missing" | sed 's/^/  /' >&2
  exit 3
fi
exit 0

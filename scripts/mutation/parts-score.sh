#!/usr/bin/env bash
# The mutation score of a project measured in parts (scripts/mutation.sh --project NAME --files GLOB): every part kept
# in .mutation/NAME/parts/ counts, each file once, while none of the files it measured has changed since the commit it
# was measured at (its mutants are then the same; the tests may have grown since, so the score is a lower bound).
# Prints the score (per cent, two decimals) on stdout and, on stderr, the mutants by status, the parts left out and the
# project's files no part measured. Exit codes: 0 every file measured; 3 some file not yet (the score is over the rest); 1 no part to count.
set -uo pipefail
cd "$(dirname "$0")/../.."
project="${1:?usage: parts-score.sh NAME}"
parts=()
for part in .mutation/"$project"/parts/*/; do
  report="$part/reports/mutation-report.json"
  [ -f "$report" ] || continue
  commit=$(cat "$part/commit" 2>/dev/null)
  mapfile -t measured < <(sed "s|^|src/$project/|" "$part/files" 2>/dev/null)
  if [ -z "$commit" ] || ! git cat-file -e "$commit^{commit}" 2>/dev/null || ! git diff --quiet "$commit" -- "${measured[@]}"; then
    echo "left out (its files changed since it was measured, at ${commit:0:7}): $part" >&2
    continue
  fi
  parts+=("$part")
done
if [ ${#parts[@]} -eq 0 ]; then
  echo "no part of $project in .mutation/$project/parts/ whose files are unchanged since" >&2
  exit 1
fi

# Each file once, from the last part that measured it: a part's report lists every file of the project, those it did
# not mutate with no mutant, so only the files in the part's own list are taken from it. Then the mutants by status.
counts=$(for part in "${parts[@]}"; do
  jq -c --rawfile measured "$part/files" '
    ($measured | split("\n") | map(select(. != "")) | map({ key: ., value: true }) | from_entries) as $mine
    | .files | to_entries[] | { key: (.key | sub("^.*/src/[^/]+/"; "")), value: .value }
    | select($mine[.key])' "$part/reports/mutation-report.json"
done | jq -s -r 'from_entries | [ .[] | .mutants[] | .status ] | group_by(.) | map("\(.[0]) \(length)") | .[]')
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

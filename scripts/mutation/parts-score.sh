#!/usr/bin/env bash
# The mutation score of a project measured in parts (scripts/mutation.sh --project NAME --files GLOB): each file of the
# project counts once, from the newest part that measured it at a commit since which the file has not changed (its
# mutants are then the same; the tests may have grown since, so the score is a lower bound). A file changed since every
# part that measured it is measured again by a part of its own (--files FILE), not by re-running its whole folder.
# Prints the score (per cent, two decimals) on stdout and, on stderr, the mutants by status, the files whose parts are
# out of date and the project's files no part measured. Exit codes: 0 every file measured; 3 some file not yet (the
# score is over the rest); 1 no part to count.
set -uo pipefail
cd "$(dirname "$0")/../.."
project="${1:?usage: parts-score.sh NAME}"

# file<TAB>part, for the newest part (by its commit's time) in which the file is unchanged since.
declare -A from=() when=()
stale=()
for part in .mutation/"$project"/parts/*/; do
  report="$part/reports/mutation-report.json"
  commit=$(cat "$part/commit" 2>/dev/null)
  [ -f "$report" ] && [ -n "$commit" ] && git cat-file -e "$commit^{commit}" 2>/dev/null || continue
  at=$(git show -s --format=%ct "$commit")
  while IFS= read -r file; do
    [ -n "$file" ] || continue
    if ! git diff --quiet "$commit" -- "src/$project/$file"; then
      stale+=("$file (at ${commit:0:7})")
      continue
    fi
    if [ -z "${when[$file]:-}" ] || [ "$at" -gt "${when[$file]}" ]; then
      from[$file]=$part
      when[$file]=$at
    fi
  done < "$part/files"
done
if [ ${#from[@]} -eq 0 ]; then
  echo "no part of $project in .mutation/$project/parts/ measured a file that is unchanged since" >&2
  exit 1
fi

# Each file's mutants from its part's report (a report lists every file of the project, those the part did not mutate
# with no mutant), then the mutants by status.
counts=$(for file in "${!from[@]}"; do
  jq -c --arg file "$file" '.files | to_entries[] | select((.key | sub("^.*/src/[^/]+/"; "")) == $file) | .value' \
    "${from[$file]}/reports/mutation-report.json"
done | jq -s -r '[ .[] | .mutants[] | .status ] | group_by(.) | map("\(.[0]) \(length)") | .[]')
echo "$counts" | sed 's/^/  /' >&2
score=$(echo "$counts" | awk '
  $1 == "Killed" || $1 == "Timeout" { detected += $2 }
  $1 == "Killed" || $1 == "Timeout" || $1 == "Survived" || $1 == "NoCoverage" { valid += $2 }
  END { if (valid == 0) print "NaN"; else printf "%.2f\n", 100 * detected / valid }')
echo "$score"

for entry in "${stale[@]}"; do
  file=${entry% (at *}
  [ -n "${from[$file]:-}" ] || echo "changed since its part measured it: $entry" >&2
done
missing=$(cd "src/$project" && find . -name '*.cs' -not -path './bin/*' -not -path './obj/*' | sed 's|^\./||' | sort \
  | comm -23 - <(printf '%s\n' "${!from[@]}" | sort))
if [ -n "$missing" ]; then
  echo "not measured by any part at its current text ($(echo "$missing" | wc -l) files):" >&2
  echo "$missing" | sed 's/^/  /' >&2
  exit 3
fi
exit 0

#!/usr/bin/env bash
# The mutants a run left alive, one per line: file:line:column, status (Survived or NoCoverage), the mutator and the
# code it put in. Reads .mutation/NAME/reports/mutation-report.json and every part's report (scripts/mutation.sh).
# usage: scripts/mutation/survivors.sh NAME [STATUS]   (STATUS: Survived or NoCoverage; default both)
set -uo pipefail
cd "$(dirname "$0")/../.."
project="${1:?usage: survivors.sh NAME [Survived|NoCoverage]}"
status="${2:-}"
reports=()
while IFS= read -r report; do reports+=("$report"); done < <(find ".mutation/$project" -name mutation-report.json 2>/dev/null | sort)
if [ ${#reports[@]} -eq 0 ]; then
  echo "no report of $project in .mutation/$project/" >&2
  exit 1
fi
jq -r --arg status "$status" '
  .files | to_entries[] | (.key | sub("^.*/src/[^/]+/"; "")) as $file | .value.mutants[]
  | select(.status == "Survived" or .status == "NoCoverage") | select($status == "" or .status == $status)
  | "\($file):\(.location.start.line):\(.location.start.column)\t\(.status)\t\(.mutatorName)\t\(.replacement | gsub("\\s+"; " ") | .[0:100])"' \
  "${reports[@]}" | sort -t: -k1,1 -k2,2n

#!/usr/bin/env bash
# Puts one mutation into the code by hand, runs the tests that should catch it, and restores the file whatever happens.
#
#   scripts/mutation/by-hand.sh FILE LINE OLD NEW TEST_PROJECT [TEST_ARGS...]
#
# Replaces the first OLD on line LINE of FILE (a path from the repository's root) by NEW, builds
# test/TEST_PROJECT in Release, runs its xunit.v3 executable with TEST_ARGS (e.g. -class '*WatchTests*'), restores
# FILE and rebuilds. The run is bounded (MUTATION_TIMEOUT seconds, 600 by default): a mutant that makes a test
# hang counts as caught, as Stryker's timeouts do. Prints the mutated line, the run's summary and its first
# failures, and ends with "caught" (a test failed, or the run timed out), "not caught" or "did not build".
# A mutant must build as Stryker's do (warnings are errors): remove a statement as a discard of what it used.
set -euo pipefail
cd "$(dirname "$0")/../.."
[[ $# -ge 5 ]] || { sed -n '2,12p' "$0"; exit 2; }
file=$1 line=$2 old=$3 new=$4 project=$5
shift 5
backup=$(mktemp)
cp "$file" "$backup"
restore() { cp "$backup" "$file"; rm -f "$backup"; dotnet build "test/$project" -c Release >/dev/null 2>&1 || true; }
trap restore EXIT
python3 - "$file" "$line" "$old" "$new" <<'PY'
import sys
path, number, old, new = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
lines = open(path).read().split('\n')
if old not in lines[number - 1]:
    sys.exit(f"'{old}' is not on line {number} of {path}: {lines[number - 1].strip()}")
lines[number - 1] = lines[number - 1].replace(old, new, 1)
print(f"{path}:{number}: {lines[number - 1].strip()}")
open(path, 'w').write('\n'.join(lines))
PY
if ! built=$(dotnet build "test/$project" -c Release 2>&1); then
    grep -E " error " <<<"$built" | sort -u | head -3 || true
    echo "did not build"
    exit 1
fi
set +e
timeout "${MUTATION_TIMEOUT:-600}" "test/$project/bin/Release/net10.0/$project" "$@" > /tmp/by-hand.$$.log 2>&1
status=$?
set -e
grep -E "Total:|failed:|^\s+(Assert|Expected|Actual)" /tmp/by-hand.$$.log | head -12 || true
rm -f /tmp/by-hand.$$.log
case $status in
    0) echo "not caught" ;;
    124) echo "caught (the run timed out)" ;;
    *) echo "caught" ;;
esac

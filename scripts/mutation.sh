#!/usr/bin/env bash
# Mutation testing: runs Stryker.NET (a local dotnet tool, pinned in .config/dotnet-tools.json) on each source
# project against the test projects that exercise it, one project after the other, and prints each score
# beside its target. Too slow for every run of the tests; see docs/testing.md, "Mutation testing".
set -uo pipefail

usage() {
  cat <<'EOF'
usage: scripts/mutation.sh [--project NAME] [--since REF | --files GLOB...] [--also-test TESTS...] [--tests FILTER] [--concurrency N] [-h | --help]

Mutates each source project in turn and runs the test projects that exercise it against every
mutant (Stryker.NET 5.1.0, restored with `dotnet tool restore`; test runner: Microsoft.Testing.Platform).
Which test projects, the coverage analysis and the rules left out are in scripts/mutation/NAME.json.

  --project NAME     only this project: MetaService.Core, MetaService.Sqlite, MetaService.Etcd or
                     MetaService.Server (default: all four, in that order)
  --since REF        only the files changed since the git ref REF (a branch, tag or commit), e.g.
                     --since main before a merge; a project with no source file changed since REF is
                     skipped
  --files GLOB       only the project's files matching GLOB (relative to src/NAME, e.g. 'Functions/**/*.cs'
                     or '*.cs' for the files at its root): one part of a project too large to mutate in
                     one sitting. Each part is kept in .mutation/NAME/parts/; the score printed is over
                     every part whose files are unchanged since it was measured, with the project's
                     files no part has measured yet named (needs --project). Given more than once,
                     one part of every file matching any of the globs (one coverage capture for all)
  --also-test TESTS  run the test project test/TESTS as well as those of scripts/mutation/NAME.json, e.g.
                     MetaService.Console.Tests (the browser tests) for the server's Ui/ part; may be given
                     more than once (needs --project)
  --tests FILTER     run only the tests matching FILTER (the `dotnet test --filter` syntax, e.g.
                     'FullyQualifiedName~.Startup.'), besides the exclusions of scripts/mutation/NAME.json:
                     for a part of the code every server start runs, which every test covers, so that each
                     of its mutants would run the whole suite. The score is then a lower bound: a mutant
                     that only the other tests kill counts as survived (needs --project)
  --concurrency N    test processes run at once (default 2)

Reports (HTML and JSON) go to .mutation/NAME/reports/ at the repository root (git ignores .mutation/);
the run's log is .mutation/NAME/run.log (a part's: .mutation/NAME/parts/PART/). The last lines printed are
one per project:
  NAME: score S % (target T %)
A full run takes hours on 2 cores; --since or --project makes it shorter. Nothing else may build the
repository while it runs: Stryker builds the test projects and swaps the mutated assembly into their
output folders.

Exit codes: 0 every project run reached its target; 1 a score below its target, a run that failed, or
a project measured only in part so far; 2 a wrong command line.
EOF
}

all=(MetaService.Core MetaService.Sqlite MetaService.Etcd MetaService.Server)
declare -A target=([MetaService.Core]=80 [MetaService.Sqlite]=80 [MetaService.Etcd]=70 [MetaService.Server]=70)

projects=("${all[@]}")
since=""
files=()
also_test=()
tests_filter=""
concurrency=2
while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --project)
      [ $# -ge 2 ] && [ -n "${target[${2}]:-}" ] || { usage >&2; echo "--project wants one of: ${all[*]}" >&2; exit 2; }
      projects=("$2"); shift 2 ;;
    --since)
      [ $# -ge 2 ] || { usage >&2; echo "--since wants a git ref" >&2; exit 2; }
      since="$2"; shift 2 ;;
    --files)
      [ $# -ge 2 ] && [ -n "$2" ] || { usage >&2; echo "--files wants a glob" >&2; exit 2; }
      files+=("$2"); shift 2 ;;
    --also-test)
      [ $# -ge 2 ] && [ -f "$(dirname "$0")/../test/${2:-}/${2:-}.csproj" ] || { usage >&2; echo "--also-test wants a test project under test/, e.g. MetaService.Console.Tests" >&2; exit 2; }
      also_test+=("$2"); shift 2 ;;
    --tests)
      [ $# -ge 2 ] && [ -n "$2" ] || { usage >&2; echo "--tests wants a test filter, e.g. 'FullyQualifiedName~.Startup.'" >&2; exit 2; }
      tests_filter="$2"; shift 2 ;;
    --concurrency)
      [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { usage >&2; echo "--concurrency wants a positive number" >&2; exit 2; }
      concurrency="$2"; shift 2 ;;
    *) usage >&2; echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

if { [ ${#also_test[@]} -gt 0 ] || [ -n "$tests_filter" ]; } && [ ${#projects[@]} -ne 1 ]; then
  usage >&2
  echo "--also-test and --tests want one --project" >&2
  exit 2
fi

if [ ${#files[@]} -gt 0 ] && { [ ${#projects[@]} -ne 1 ] || [ -n "$since" ]; }; then
  usage >&2
  echo "--files wants one --project, and no --since" >&2
  exit 2
fi

cd "$(dirname "$0")/.."

# The browser tests run axe-core from .tools/axe/ (installed by ./scripts/test.sh); without it Stryker's first test run
# fails after minutes of building, so say so now.
for name in "${also_test[@]}"; do
  if [ "$name" = MetaService.Console.Tests ] && [ ! -f .tools/axe/node_modules/axe-core/axe.min.js ]; then
    echo "--also-test MetaService.Console.Tests needs axe-core in .tools/axe/ and chromium: run ./scripts/test.sh once in this checkout (it installs both)" >&2
    exit 2
  fi
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 TESTINGPLATFORM_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [ -n "$since" ] && ! git rev-parse --verify --quiet "$since^{commit}" >/dev/null; then
  echo "--since: '$since' is not a git ref of this repository" >&2
  exit 2
fi
# Stryker finds a commit only by its whole id (40 hex digits), and a branch or tag by any name containing the one
# given ("main" would match "not-main" too): it is given the commit's whole id.
since_commit=""
if [ -n "$since" ]; then
  since_commit="$(git rev-parse --verify "$since^{commit}")"
fi

if ! dotnet tool restore >/dev/null; then
  echo "could not restore dotnet-stryker (dotnet tool restore)"
  exit 1
fi

# The run's leftovers in /tmp: a test process killed at a mutant's timeout leaves its temporary directories (stores,
# etcd members' data: tens of GB over a few runs), and every .NET process its diagnostic pipes. Cleared after each
# project's run: the directories made since it started that no live process still has open, and the pipes of
# processes gone.
clear_leftovers() {
  local stamp="$1" dir pipe pid
  local open
  open=$( (for p in /proc/[0-9]*; do readlink "$p/cwd" "$p"/fd/* 2>/dev/null; done) | grep '^/tmp/metaservice-' | sort -u)
  while IFS= read -r dir; do
    [ -n "$dir" ] || continue
    if ! grep -qF -- "$dir" <<<"$open"; then
      rm -rf -- "$dir"
    fi
  done < <(find /tmp -maxdepth 1 -name 'metaservice-*' -newer "$stamp" 2>/dev/null)
  for pipe in /tmp/clr-debug-pipe-* /tmp/dotnet-diagnostic-*; do
    [ -e "$pipe" ] || continue
    pid=$(basename "$pipe" | sed -E 's/^(clr-debug-pipe|dotnet-diagnostic)-([0-9]+)-.*/\2/')
    [[ "$pid" =~ ^[0-9]+$ ]] && [ ! -d "/proc/$pid" ] && rm -f -- "$pipe"
  done
}

summary=()
status=0
for project in "${projects[@]}"; do
  if [ -n "$since" ] && git diff --quiet "$since" -- "src/$project"; then
    summary+=("$project: no source file changed since $since, skipped")
    continue
  fi

  whole=yes
  out="$PWD/.mutation/$project"
  if [ ${#files[@]} -gt 0 ]; then
    # A part: its own folder, named after the globs (joined by '+'); the other parts stay.
    name=$(IFS=+ && printf '%s' "${files[*]}" | tr -c 'A-Za-z0-9._+-' '_')
    # A file name has at most 255 bytes: a long list keeps its start and a hash of the whole.
    if [ ${#name} -gt 200 ]; then
      name="${name:0:160}+$(printf '%s' "$name" | sha256sum | cut -c1-16)"
    fi
    out="$out/parts/$name"
  fi
  rm -rf "$out"
  mkdir -p "$out"
  git rev-parse HEAD >"$out/commit"
  # Run from the project's folder: from the root Stryker sees the solution and refuses a list of test projects.
  # The paths in scripts/mutation/NAME.json are therefore relative to src/NAME.
  args=(--config-file "../../scripts/mutation/$project.json" --output "$out" --concurrency "$concurrency" --skip-version-check)
  if [ -n "$since" ]; then
    args+=("--since:$since_commit")
  fi
  for glob in "${files[@]}"; do
    args+=(--mutate "$glob")
  done
  # On the command line, the test projects replace the file's list: the file's, then the others asked for.
  if [ ${#also_test[@]} -gt 0 ]; then
    mapfile -t tests < <(jq -r '."stryker-config"."test-projects"[]' "scripts/mutation/$project.json")
    for name in "${also_test[@]}"; do
      tests+=("../../test/$name/$name.csproj")
    done
    for test in "${tests[@]}"; do
      args+=(--test-project "$test")
    done
    printf '%s\n' "${tests[@]}" >"$out/tests"
  fi
  if [ -n "$tests_filter" ]; then
    # On the command line, the filter replaces the file's: both, then.
    excluded=$(jq -r '."stryker-config"."test-case-filter" // ""' "scripts/mutation/$project.json")
    filter="($tests_filter)"
    [ -z "$excluded" ] || filter="($excluded)&$filter"
    args+=(--test-case-filter "$filter")
    printf '%s\n' "$filter" >"$out/tests-filter"
  fi
  if [ ${#files[@]} -gt 0 ]; then
    # The project's files this part measures, as the shell matches the globs (for the files no part has measured).
    (cd "src/$project" && shopt -s globstar nullglob && for glob in "${files[@]}"; do
      for f in $glob; do printf '%s\n' "$f"; done
    done | sort -u) >"$out/files"
  fi

  echo "== $project (log: ${out#"$PWD/"}/run.log)"
  touch "$out/started"
  start=$(date +%s)
  (cd "src/$project" && dotnet stryker "${args[@]}") >"$out/run.log" 2>&1
  rc=$?
  minutes=$((($(date +%s) - start + 59) / 60))
  # A test process Stryker killed (a mutant's timeout) leaves the etcd members its harness started; they are orphans
  # (their parent gone) with a data directory of the harness.
  for pid in $(pgrep -x etcd); do
    if [ "$(ps -o ppid= -p "$pid" | tr -d ' ')" = 1 ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'metaservice-etcd-'; then
      kill "$pid" 2>/dev/null
    fi
  done
  clear_leftovers "$out/started"

  score=$(grep -oE 'The final mutation score is ([0-9.]+|NaN)' "$out/run.log" | tail -1 | awk '{ print $NF }')
  if [ ${#files[@]} -gt 0 ] && [ "$rc" -eq 0 ] && [ -n "$score" ]; then
    echo "$project, part '${files[*]}': score $score %"
    score=$(scripts/mutation/parts-score.sh "$project")
    case $? in
      0) ;;
      3) whole="no" ;;
      *) rc=1; score="" ;;
    esac
  fi
  if [ "$rc" -ne 0 ] || [ -z "$score" ]; then
    tail -30 "$out/run.log"
    summary+=("$project: the run failed (exit code $rc, $minutes min); see ${out#"$PWD/"}/run.log")
    status=1
  elif [ "$whole" = "no" ]; then
    summary+=("$project: score $score % over the parts measured so far, NOT the whole project (target ${target[$project]} %; this part $minutes min)")
    status=1
  elif [ "$score" = "NaN" ]; then
    summary+=("$project: no mutant to test ($minutes min)")
  elif awk -v s="$score" -v t="${target[$project]}" 'BEGIN { exit !(s < t) }'; then
    summary+=("$project: score $score % (target ${target[$project]} %, NOT reached; $minutes min)")
    status=1
  else
    summary+=("$project: score $score % (target ${target[$project]} %; $minutes min)")
  fi
done

printf '%s\n' "${summary[@]}"
exit "$status"

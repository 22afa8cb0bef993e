#!/usr/bin/env bash
# Runs every test of the repository on a fresh machine: installs what the tests need, builds, runs
# all test projects, and ends with the line "N passed, N failed".
set -uo pipefail

usage() {
  cat <<'EOF'
usage: scripts/test.sh [-h | --help]

Runs every test of MetaService on this machine, from any folder:
  1. installs what the tests need when it is missing:
     - etcd-server and etcd-client (Debian packages; the etcd tests start their own members)
     - jq (Debian package; the test of README's "Try it" block runs it)
     - strace and procps (Debian packages; the durability test traces the server's syncs)
     - chromium (Debian package; the web console's browser tests drive it with Playwright, which downloads no browser)
     - httpyac 6.16.7 (npm, into .tools/ in the repository, which git ignores; the test of MetaService.http)
     - @redocly/cli 2.77.0 (npm, into .tools/redocly/; the lint of the served OpenAPI document)
     - axe-core 4.14.1 (npm, into .tools/axe/; the console's accessibility tests)
     - the local dotnet tools of .config/dotnet-tools.json (Kiota 1.38.0: the generated-client test)
     apt-get runs as root, or through sudo otherwise;
  2. builds MetaService.slnx (Release, warnings as errors);
  3. runs the micro-benchmarks once each as a dry run (not measured);
  4. runs every test project (dotnet test --solution MetaService.slnx) and prints the lines
     "N skipped" and "N passed, N failed".

A tool that cannot be installed is reported; the tests that need it then fail, naming it.
One test project alone: dotnet test --project test/MetaService.Cli.Tests -c Release

Exit codes: 0 every test passed; 1 the build, the benchmark dry run or a test failed;
2 a wrong command line.
EOF
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "") ;;
  *) usage >&2; echo "unknown argument: $1" >&2; exit 2 ;;
esac

cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 TESTINGPLATFORM_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Debian packages the tests run, by the command each provides: etcd and etcdctl (the etcd tests start their own
# members on free loopback ports), jq (README's "Try it" block), strace (the durability test counts the store's
# syncs), pkill (it stops the traced server) and chromium (test/MetaService.Console.Tests drives it through Playwright).
missing=()
for pair in etcd:etcd-server etcdctl:etcd-client jq:jq strace:strace pkill:procps chromium:chromium; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}"; } >"$out/apt.log" 2>&1; then
    tail -20 "$out/apt.log"
    echo "could not install ${missing[*]} (the tests that need them will fail, naming them)"
  fi
fi

# MetaService.http is run by httpyac, pinned, in a folder of the repository that git ignores.
httpyac_version=6.16.7
if [ "$(.tools/node_modules/.bin/httpyac --version 2>/dev/null)" != "$httpyac_version" ]; then
  if ! npm install --prefix .tools --no-audit --no-fund --no-save "httpyac@$httpyac_version" >"$out/npm.log" 2>&1; then
    tail -20 "$out/npm.log"
    echo "could not install httpyac $httpyac_version with npm (needed by the test of MetaService.http)"
  fi
fi

# The served OpenAPI document is linted by redocly, pinned, beside httpyac (its own prefix: one npm install does not
# prune the other's packages).
redocly_version=2.77.0
if [ "$(.tools/redocly/node_modules/.bin/redocly --version 2>/dev/null)" != "$redocly_version" ]; then
  if ! npm install --prefix .tools/redocly --no-audit --no-fund --no-save "@redocly/cli@$redocly_version" >"$out/npm-redocly.log" 2>&1; then
    tail -20 "$out/npm-redocly.log"
    echo "could not install @redocly/cli $redocly_version with npm (needed by the lint of the OpenAPI document)"
  fi
fi

# The console's accessibility tests run axe-core (pinned) in the browser, from its own prefix.
axe_version=4.14.1
if [ "$(node -p "require('./.tools/axe/node_modules/axe-core/package.json').version" 2>/dev/null)" != "$axe_version" ]; then
  if ! npm install --prefix .tools/axe --no-audit --no-fund --no-save "axe-core@$axe_version" >"$out/npm-axe.log" 2>&1; then
    tail -20 "$out/npm-axe.log"
    echo "could not install axe-core $axe_version with npm (needed by the console's accessibility tests)"
  fi
fi

# Kiota (a local dotnet tool) generates the C# client the client test compares with the checked-in one.
if ! dotnet tool restore >"$out/tools.log" 2>&1; then
  tail -20 "$out/tools.log"
  echo "could not restore the local dotnet tools (Kiota is needed by the generated-client test)"
fi

if ! dotnet build MetaService.slnx -c Release -warnaserror >"$out/build.log" 2>&1; then
  grep -E 'error|Error' "$out/build.log" | sort -u | head -40
  echo "the build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# The micro-benchmarks as a dry job (one iteration each, ~5 s): they still run, they are not measured.
if ! dotnet bench/MetaService.Bench/bin/Release/net10.0/MetaService.Bench.dll --filter '*' --job dry --inProcess --artifacts "$out/bdn" >"$out/bench.log" 2>&1; then
  tail -40 "$out/bench.log"
  echo "the benchmark dry run failed"
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test --solution MetaService.slnx -c Release --no-build --timeout 15m 2>&1 | tee "$out/test.log"
rc=${PIPESTATUS[0]}

total=$(grep -E '^\s*total: [0-9]+' "$out/test.log" | tail -1 | grep -oE '[0-9]+')
failed=$(grep -E '^\s*failed: [0-9]+' "$out/test.log" | tail -1 | grep -oE '[0-9]+')
skipped=$(grep -E '^\s*skipped: [0-9]+' "$out/test.log" | tail -1 | grep -oE '[0-9]+')
total=${total:-0}
failed=${failed:-0}
skipped=${skipped:-0}
passed=$((total - failed - skipped))
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
echo "$skipped skipped"
echo "$passed passed, $failed failed"
exit "$rc"

#!/usr/bin/env bash
# Server CPU per GET, A/B: bench/get-cpu.sh [--seed DIR] [--rounds N] NAME=BUILD_DIR ...
# For each round and each build (a folder holding MetaService.Server.dll, e.g. a copy of
# src/MetaService.Server/bin/Release/net10.0), starts that server on a fresh copy of the seed, warms it with
# wrk for 6 s, then runs `wrk -t2 -c64 -d8s` three times on one function's GET and prints, per run, requests/s
# and the server's CPU (user + system, from /proc/PID/stat) per request. 127.0.0.1 only; needs wrk and curl.
set -euo pipefail

seed=/tmp/metaservice-bench/seed-1000
rounds=2
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) seed=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    -h | --help) sed -n '2,6p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: bench/get-cpu.sh [--seed DIR] [--rounds N] NAME=BUILD_DIR ..." >&2; exit 2; }
for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y $tool" >&2; exit 2; }
done
[ -f "$seed/seeded" ] || { echo "no seed at $seed: dotnet MetaService.Load.dll seed --sizes 1000 first" >&2; exit 2; }

port=18090
path=/serverless/v1/functions/0-bench-fn000000
url=http://127.0.0.1:$port$path
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
tick=$(getconf CLK_TCK)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

for round in $(seq "$rounds"); do
  for spec in "$@"; do
    name=${spec%%=*}
    build=${spec#*=}
    rm -rf "$data/store"
    cp -r "$seed" "$data/store"
    dotnet "$build/MetaService.Server.dll" --data-dir "$data/store" --Logging:LogLevel:Default Warning \
      --Limits:RequestsPerSecond 0 --Meta:FunctionMax 0 --urls "http://127.0.0.1:$port" >"$data/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do
      curl -sf "$url" >/dev/null && break
      sleep 0.2
    done
    wrk -t2 -c64 -d6s "$url" >/dev/null
    for _ in 1 2 3; do
      before=$(cpu_ticks "$pid")
      out=$(wrk -t2 -c64 -d8s "$url")
      after=$(cpu_ticks "$pid")
      requests=$(awk '/requests in/ {print $1}' <<<"$out")
      rate=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
      echo "round $round $name: $rate requests/s, $(awk -v t=$((after - before)) -v k="$tick" -v r="$requests" 'BEGIN {printf "%.2f", t * 1e6 / k / r}') µs server CPU per request"
    done
    kill "$pid"
    wait "$pid" 2>/dev/null || true
  done
done

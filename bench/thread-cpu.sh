#!/usr/bin/env bash
# Server CPU per update, and its store writer thread's, A/B: bench/thread-cpu.sh [--rounds N] [--warmup S] [--seconds S]
#   NAME=BUILD_DIR[:ARGS] ...
# For each round and each build (a folder holding MetaService.Server.dll, e.g. a copy of
# src/MetaService.Server/bin/Release/net10.0; ARGS: server settings, commas for spaces, e.g. --History:Enabled,false),
# starts that server on a fresh embedded store, drives it with `MetaService.Load drive` (32 clients, --warmup s, then
# --seconds s measured), and reads every thread's CPU (user + system, /proc/PID/task/TID/stat) over the measured part
# but its first and last second. Prints, per run: updates/s, the server's CPU per update (the drive's figure) and the
# writer's (the thread named ".NET Long Running Task": the store's one writer is the server's only long-running task).
# 127.0.0.1 only; needs curl and a Release build of bench/MetaService.Load.
set -euo pipefail
export LC_ALL=C

rounds=3
warmup=15
seconds=5
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    -h | --help) sed -n '2,9p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: bench/thread-cpu.sh [--rounds N] [--warmup S] [--seconds S] NAME=BUILD_DIR[:ARGS] ..." >&2; exit 2; }
[ "$seconds" -ge 3 ] || { echo "--seconds must be 3 or more" >&2; exit 2; }
load=$(cd "$(dirname "$0")" && pwd)/MetaService.Load/bin/Release/net10.0/MetaService.Load.dll
[ -f "$load" ] || { echo "build it first: dotnet build -c Release bench/MetaService.Load" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# tid, CPU ticks and name of every thread of $1.
threads() {
  for task in /proc/"$1"/task/*; do
    printf '%s %s %s\n' "${task##*/}" "$(sed 's/.*) //' "$task/stat" 2>/dev/null | awk '{print $12 + $13}')" "$(tr ' ' _ < "$task/comm" 2>/dev/null)"
  done | sort
}

for round in $(seq "$rounds"); do
  for build in "$@"; do
    name=${build%%=*}
    spec=${build#*=}
    dir=${spec%%:*}
    args=()
    [ "$spec" != "$dir" ] && IFS=, read -r -a args <<< "${spec#*:}"
    rm -rf "$work/data"
    port=$((20000 + RANDOM % 10000))
    dotnet "$dir/MetaService.Server.dll" --urls "http://127.0.0.1:$port" --data-dir "$work/data" --Logging:LogLevel:Default Warning \
      --Limits:RequestsPerSecond 0 --Meta:FunctionMax 0 "${args[@]}" > "$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.2; done
    dotnet "$load" drive --url "http://127.0.0.1:$port" --pids "$server" --clients 32 --warmup "$warmup" --seconds "$seconds" > "$work/drive.log" 2>&1 &
    drive=$!
    sleep $((warmup + 1))
    threads "$server" > "$work/t0"
    sleep $((seconds - 2))
    threads "$server" > "$work/t1"
    wait "$drive"
    kill "$server"; wait "$server" 2>/dev/null || true
    rate=$(grep -oE '[0-9]+ updates/s' "$work/drive.log" | grep -oE '^[0-9]+')
    cpu=$(grep -oE '[0-9]+ µs CPU' "$work/drive.log" | grep -oE '^[0-9]+')
    writer=$(join "$work/t0" "$work/t1" | awk -v r="$rate" -v s=$((seconds - 2)) -v hz="$(getconf CLK_TCK)" \
      '$3 == ".NET_Long_Runni" { printf "%.1f", ($4 - $2) * 1e6 / hz / (s * r) }')
    echo "round $round $name: $rate updates/s, server $cpu µs CPU per update, writer thread $writer µs"
  done
done
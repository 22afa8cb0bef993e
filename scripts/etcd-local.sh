#!/usr/bin/env bash
# Starts a local single-member etcd on http://127.0.0.1:2379 for MetaService (--store etcd), installing
# Debian's etcd-server and etcd-client first when they are missing. History is compacted automatically
# (keeps the last 10000 revisions); see docs/etcd.md. Data and log in ./etcd-data (override: METASERVICE_ETCD_DIR).
# Stop it with: kill "$(cat ./etcd-data/etcd.pid)"
set -euo pipefail

usage() {
  cat <<'EOF'
usage: scripts/etcd-local.sh [-h | --help]

Starts one local etcd member for MetaService's etcd store (--store etcd --etcd-endpoints
http://127.0.0.1:2379), in the background:
  - installs Debian's etcd-server and etcd-client first when etcd is missing (apt-get, as root or
    through sudo);
  - listens on http://127.0.0.1:2379 (clients) and 2380 (peers), and compacts its history
    automatically, keeping the last 10000 revisions;
  - keeps its data, log (etcd.log) and pid (etcd.pid) in ./etcd-data at the repository root, or in
    METASERVICE_ETCD_DIR when set.
Does nothing when an etcd already answers on http://127.0.0.1:2379.
Stop it with: kill "$(cat ./etcd-data/etcd.pid)"

Exit codes: 0 etcd answers (started, or already running); 1 it could not be installed or did not
become healthy within 10 s (the end of its log is printed); 2 a wrong command line.
EOF
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "") ;;
  *) usage >&2; echo "unknown argument: $1" >&2; exit 2 ;;
esac

cd "$(dirname "$0")/.."

if ! command -v etcd >/dev/null 2>&1; then
  echo "installing etcd-server and etcd-client (Debian packages)"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq etcd-server etcd-client >/dev/null
fi

data=${METASERVICE_ETCD_DIR:-./etcd-data}
mkdir -p "$data"
if etcdctl --endpoints=http://127.0.0.1:2379 --command-timeout=1s endpoint health >/dev/null 2>&1; then
  echo "an etcd already answers on http://127.0.0.1:2379"
  exit 0
fi

nohup etcd --name local --data-dir "$data/member" \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster local=http://127.0.0.1:2380 --initial-cluster-state new \
  --auto-compaction-mode=revision --auto-compaction-retention=10000 \
  --logger=zap --log-level=warn >"$data/etcd.log" 2>&1 &
echo $! >"$data/etcd.pid"

for _ in $(seq 1 100); do
  if etcdctl --endpoints=http://127.0.0.1:2379 --command-timeout=1s endpoint health >/dev/null 2>&1; then
    echo "etcd runs on http://127.0.0.1:2379 (pid $(cat "$data/etcd.pid"), data in $data, log in $data/etcd.log)"
    exit 0
  fi
  sleep 0.1
done
echo "etcd did not become healthy within 10 s; its log:" >&2
tail -20 "$data/etcd.log" >&2
exit 1

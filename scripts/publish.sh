#!/usr/bin/env bash
# Publishes MetaService so that openYuanrong's deployments can start it in place of their meta_service binary:
#   OUT/meta_service          the launcher, started exactly as the original (same flags, e.g.
#                             meta_service --config_path=FILE --log_config_path=FILE); it execs the server, so its
#                             process id is the server's and SIGTERM drains it
#   OUT/metaservice/          the published server (framework-dependent: needs the .NET 10 ASP.NET Core runtime;
#                             --self-contained bundles the runtime, downloading it from NuGet the first time)
# Usage: scripts/publish.sh [--out DIR] [--self-contained]      (default DIR: ./publish)
set -euo pipefail
cd "$(dirname "$0")/.."

out=./publish
mode=(--no-self-contained)
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --self-contained) mode=(--self-contained -r linux-x64); shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

rm -rf "$out/metaservice"
dotnet publish src/MetaService.Server -c Release "${mode[@]}" -o "$out/metaservice" --nologo -v quiet
cat > "$out/meta_service" <<'LAUNCHER'
#!/bin/sh
# MetaService in place of openYuanrong's meta_service: the same flags (-config_path, -log_config_path).
# The content root is the published folder, so its appsettings.json applies whatever the working directory.
here=$(dirname "$(readlink -f "$0")")
exec "$here/metaservice/MetaService.Server" --contentRoot "$here/metaservice" "$@"
LAUNCHER
chmod +x "$out/meta_service"
echo "published: $out/meta_service (launcher), $out/metaservice/ (server)"

#!/usr/bin/env bash
# The national-scale benchmark of issue 9, in one command (see deploy/bench/README.md):
#   deploy/bench/scale.sh [--sizes 10000,100000,1000000] [--duration 10] [--seed 1] [--out DIR] [--keep-db DIR]
#   deploy/bench/scale.sh --smoke            # CI: 2,000 reports (SCALE_SMOKE_REPORTS), 2 s loops and a 30 s soak, figures printed
#   deploy/bench/scale.sh --sizes 100000 --soak 10 [--window 60] [--clients 8]   # the soak (deploy/bench/soak.sh)
#   deploy/bench/scale.sh --sizes 10000 --dashboard   # the dashboard's region view first render in chromium instead of the measures
# Builds Release, starts its own PostgreSQL 15 (durable: fsync and synchronous_commit on) and the API on free loopback
# ports, then for each size loads the data set up to it and measures; prints each run's table, the combined table and
# the chart's path. Everything it starts is stopped on exit. Exit 0 unless a step broke.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
sizes=10000,100000,1000000
duration=10
seed=1
out=""
smoke=0
dashboard=0
soak=""
window=60
clients=8
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --smoke) smoke=1; shift ;;
    --dashboard) dashboard=1; shift ;;
    --soak) soak=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "scale.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ "$smoke" -eq 1 ]; then
  sizes=${SCALE_SMOKE_REPORTS:-2000}
  duration=2
fi
started=$(date +%s)
say() { echo "[scale $(( $(date +%s) - started ))s] $*"; }

work=$(mktemp -d /tmp/aggregator-scale.XXXXXX)
chmod 755 "$work"
if [ -z "$out" ]; then
  if [ "$smoke" -eq 1 ]; then out="$work/results"; elif [ -n "$soak" ]; then out="$root/deploy/bench/results/soak"; else out="$root/deploy/bench/results"; fi
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)

. "$root/deploy/bench/lib.sh"
pg_server_binaries scale.sh

api_pid=""
pg_data="$work/pg"
cleanup() {
  local status=$?
  stop_api_and_postgres "$api_pid" "$pg_data"
  if [ "$status" -ne 0 ]; then
    echo "scale.sh: failed (exit $status); last lines of the API and PostgreSQL logs:" >&2
    tail -n 30 "$work/api.log" 2>/dev/null >&2 || true
    tail -n 10 "$work/postgres.log" 2>/dev/null >&2 || true
  fi
  if [ "$smoke" -eq 1 ] || [ "$status" -eq 0 ]; then rm -rf "$work"; else echo "scale.sh: logs kept in $work" >&2; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "building Release (API and benchmark)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
timeout 900 dotnet publish "$root/src/Aggregator.Api" -c Release -o "$work/api" -v quiet -nologo >"$work/build.log" 2>&1 \
  || { tail -n 30 "$work/build.log" >&2; exit 1; }
timeout 900 dotnet publish "$root/tests/Aggregator.Scale" -c Release -o "$work/scale" -v quiet -nologo >>"$work/build.log" 2>&1 \
  || { tail -n 30 "$work/build.log" >&2; exit 1; }
scale() { dotnet "$work/scale/Aggregator.Scale.dll" "$@"; }

say "starting PostgreSQL ($pg_bin): fsync on, synchronous_commit on, shared_buffers 2GB"
mkdir -p "$pg_data"
[ "$(id -u)" -eq 0 ] && chown postgres "$pg_data"
timeout 120 "${as_postgres[@]}" "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1
[ "$(id -u)" -eq 0 ] && { touch "$work/postgres.log"; chown postgres "$work/postgres.log"; }
pg_port=$(free_port)
timeout 120 "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -l "$work/postgres.log" -w -t 60 -o \
  "-c port=$pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pg_data -c fsync=on -c synchronous_commit=on \
   -c shared_buffers=2GB -c effective_cache_size=8GB -c max_connections=300 -c max_wal_size=8GB -c checkpoint_timeout=15min" \
  start >/dev/null
timeout 60 "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qAt -c "CREATE DATABASE aggregator" >/dev/null
connection="Host=127.0.0.1;Port=$pg_port;Database=aggregator;Username=postgres;Maximum Pool Size=100"

key="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
api_port=$(free_port)
api="http://127.0.0.1:$api_port"
say "starting the API (Release, Production) on $api"
ASPNETCORE_ENVIRONMENT=Production \
ConnectionStrings__Aggregator="$connection" \
Aggregator__AdminApiKey="$key" \
Aggregator__RateLimits__PerKeyPerMinute=100000000 \
Aggregator__RateLimits__AnonymousPerMinute=100000000 \
  dotnet "$work/api/Aggregator.Api.dll" --urls "$api" >"$work/api.log" 2>&1 &
api_pid=$!
for _ in $(seq 1 180); do
  curl -sf -m 2 "$api/health/ready" >/dev/null 2>&1 && break
  kill -0 "$api_pid" 2>/dev/null || { echo "scale.sh: the API exited during start-up" >&2; exit 1; }
  sleep 1
done
curl -sf -m 2 "$api/health/ready" >/dev/null || { echo "scale.sh: the API did not become ready in 180 s" >&2; exit 1; }

for reports in ${sizes//,/ }; do
  say "loading up to $reports reports"
  # Bounded: generous for the PUT fallback (~100 reports/s), far beyond what the bulk path needs.
  timeout $((900 + reports / 20)) dotnet "$work/scale/Aggregator.Scale.dll" load --api "$api" --key "$key" --reports "$reports" --seed "$seed" --out "$out"
  if [ -n "$soak" ]; then
    say "soak at $reports reports: $soak min, $clients clients, windows of $window s"
    timeout $(( ${soak%.*} * 60 + 600 )) dotnet "$work/scale/Aggregator.Scale.dll" soak --api "$api" --key "$key" --api-pid "$api_pid" \
      --minutes "$soak" --window "$window" --clients "$clients" --seed "$seed" --out "$out"
    continue
  fi
  if [ "$dashboard" -eq 1 ]; then
    say "dashboard at $reports reports: region view first render in headless chromium"
    timeout 900 dotnet "$work/scale/Aggregator.Scale.dll" dashboard --api "$api" --out "$out"
    continue
  fi
  say "measuring at $reports reports"
  timeout 3600 dotnet "$work/scale/Aggregator.Scale.dll" measure --api "$api" --db "$connection" --key "$key" --out "$out" \
    --api-pid "$api_pid" --duration "$duration" --seed "$seed"
done
if [ -n "$soak" ]; then
  say "done: the soak's table in $out/soak.md"
  exit 0
fi
if [ "$dashboard" -eq 1 ]; then
  say "done: the dashboard's table in $out/dashboard-<reports>.md"
  exit 0
fi
if [ "$smoke" -eq 1 ]; then
  say "soak smoke: 30 s, windows of 10 s"
  timeout 300 dotnet "$work/scale/Aggregator.Scale.dll" soak --api "$api" --key "$key" --api-pid "$api_pid" \
    --minutes 0.5 --window 10 --clients 4 --seed "$seed"
fi

if [ "$smoke" -eq 0 ] && ! command -v gnuplot >/dev/null 2>&1; then
  say "installing gnuplot-nox for the chart"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnuplot-nox; } >/dev/null 2>&1 \
    || echo "scale.sh: could not install gnuplot-nox; the chart's script and data are still written" >&2
fi
say "combined table"
timeout 120 dotnet "$work/scale/Aggregator.Scale.dll" report --out "$out"
say "done: results in $out (run-<reports>.md, figures.csv, load.csv, summary.md, latency.png)"

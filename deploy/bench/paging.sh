#!/usr/bin/env bash
# What a page of GET /api/v1/cells costs by cursor and by number, at the start of the list and deep in it (issue 10:
# "GET /cells?page=2101 costs over a second"):
#   deploy/bench/paging.sh [--agencies 5000] [--repeat 7]
# Builds Release, starts its own PostgreSQL 15 and the API on free loopback ports, submits one real report (the 2021
# example) through the API and copies its cells in SQL to --agencies agencies × 2 years (5,000: 10,000 reports, ~2.07M
# cells; codes in an order unrelated to ids), then times each request with curl (median of --repeat after one warm-up,
# the whole answer of 100 cells). Prints a table; everything it starts is stopped on exit.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
agencies=5000
repeat=7
while [ $# -gt 0 ]; do
  case "$1" in
    --agencies) agencies=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "paging.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
for tool in curl jq; do command -v $tool >/dev/null || { echo "paging.sh needs $tool" >&2; exit 1; }; done

work=$(mktemp -d /tmp/aggregator-paging.XXXXXX)
chmod 755 "$work"
. "$root/deploy/bench/lib.sh"
pg_server_binaries paging.sh
api_pid=""
pg_data="$work/pg"
cleanup() {
  local status=$?
  stop_api_and_postgres "$api_pid" "$pg_data"
  [ "$status" -ne 0 ] && { tail -n 20 "$work/api.log" "$pg_data/server.log" 2>/dev/null >&2 || true; }
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building Release"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet publish "$root/src/Aggregator.Api" -c Release -o "$work/api" -v quiet -nologo >"$work/build.log" 2>&1

pg_port=$(free_port)
mkdir -p "$pg_data"
if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_data"; fi
"${as_postgres[@]}" "$pg_bin/initdb" -D "$pg_data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -w \
  -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pg_data -c shared_buffers=256MB" start >/dev/null
psql() { "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
psql -c "CREATE DATABASE aggregator" postgres

api_port=$(free_port)
API=http://127.0.0.1:$api_port
(cd "$work/api" && exec env ConnectionStrings__Aggregator="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=aggregator" \
  ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$API" Aggregator__AdminApiKey=bench Aggregator__LoadSampleData=false \
  Aggregator__RateLimits__AnonymousPerMinute=100000000 dotnet Aggregator.Api.dll >"$work/api.log" 2>&1) &
api_pid=$!
for _ in $(seq 1 120); do curl -sf "$API/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "$API/health/ready" >/dev/null

echo "loading $agencies agencies × 2 years"
curl -sf -X POST "$API/api/v1/agencies" -H "X-Api-Key: bench" -H 'Content-Type: application/json' \
  -d '{"code":"seed","name":"种子","divisionCode":"654201","sector":"transport"}' >/dev/null
curl -sf -X PUT "$API/api/v1/agencies/seed/reports/2021" -H "X-Api-Key: bench" -H 'Content-Type: application/json' \
  --data-binary @"$root/openapi/examples/report-edition-2021.json" >/dev/null
psql aggregator <<SQL
BEGIN;
INSERT INTO agencies (code, name, division_code, sector, registered_at)
SELECT 'ag-' || md5(i::text), '机关' || i, d.code, 'transport', now()
FROM generate_series(1, $agencies) i
JOIN LATERAL (SELECT code FROM divisions WHERE level = 'county' ORDER BY md5(code || i) LIMIT 1) d ON true;
INSERT INTO reports (agency_id, year, current_revision, first_submitted_at)
SELECT a.id, y, NULL, now() FROM agencies a CROSS JOIN (VALUES (2021), (2022)) v(y) WHERE a.code LIKE 'ag-%';
INSERT INTO revisions (agency_id, year, number, edition, submitted_at, content_hash, document, findings, finding_count)
SELECT r.agency_id, r.year, 1, s.edition, now(), s.content_hash, s.document, s.findings, s.finding_count
FROM reports r, (SELECT * FROM revisions WHERE agency_id = (SELECT id FROM agencies WHERE code = 'seed')) s
WHERE r.current_revision IS NULL;
UPDATE reports SET current_revision = 1 WHERE current_revision IS NULL;
INSERT INTO report_cells (agency_id, year, metric_id, applicant, value)
SELECT r.agency_id, r.year, c.metric_id, c.applicant, c.value
FROM reports r JOIN agencies a ON a.id = r.agency_id AND a.code LIKE 'ag-%',
     (SELECT * FROM report_cells WHERE agency_id = (SELECT id FROM agencies WHERE code = 'seed')) c;
COMMIT;
VACUUM ANALYZE;
SQL
cells=$(psql -c "SELECT count(*) FROM report_cells" aggregator)
last=$(( (cells + 99) / 100 ))

median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) * 1000 }'; }
measure() { # label, path: one warm-up, then the median of --repeat, in ms
  curl -sf -o /dev/null "$API$2"
  local ms
  ms=$(for _ in $(seq 1 "$repeat"); do curl -sf -o /dev/null -w '%{time_total}\n' "$API$2"; done | median)
  printf '| %s | %s |\n' "$1" "$ms"
}
cursor_to() { curl -sf "$API/api/v1/cells?page=$(($1 - 1))" | jq -r .next; }

echo
echo "GET /api/v1/cells, 100 cells a page, $cells cells ($last pages); median of $repeat, ms"
echo
echo "| request | ms |"
echo "|---|---:|"
measure "page 1 by cursor (no page parameter)" "/api/v1/cells"
for page in 2101 $((last / 2)) $((last - 1)); do
  [ "$page" -gt 1 ] && [ "$page" -lt "$last" ] || continue # a small --agencies has fewer pages
  measure "page $page by cursor" "/api/v1/cells?cursor=$(cursor_to "$page")"
done
for page in 1 2101 $((last / 2)) $((last - 1)); do
  [ "$page" -lt "$last" ] || continue
  measure "page $page by number (page=$page)" "/api/v1/cells?page=$page"
done

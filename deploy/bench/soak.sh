#!/usr/bin/env bash
# The soak of issue 10 (see deploy/bench/README.md): the API and its own PostgreSQL, the national data set loaded to
# SOAK_REPORTS (default 100,000) reports through the bulk path, then MINUTES (default 10) of 8 clients sending 80%
# rollups and 20% corrections; each minute prints requests, p50/p99, errors and the API's RSS, the end the RSS trend.
#   deploy/bench/soak.sh [MINUTES]      → deploy/bench/results/soak/soak.md; exit 1 on any error
set -euo pipefail
exec "$(dirname "$0")/scale.sh" --sizes "${SOAK_REPORTS:-100000}" --soak "${1:-10}" --window "${SOAK_WINDOW:-60}" --clients "${SOAK_CLIENTS:-8}"

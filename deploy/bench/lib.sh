# Shared by the benchmark scripts (scale.sh, paging.sh): the machine's PostgreSQL server binaries, free loopback
# ports, and stopping what a script started. Sourced, not run.

# pg_bin: the newest /usr/lib/postgresql/<version>/bin (15 preferred); as_postgres: how to run initdb and postgres,
# which refuse to run as root (as root: as the postgres OS user).
pg_server_binaries() {
  local script=$1
  pg_bin=/usr/lib/postgresql/15/bin
  [ -x "$pg_bin/initdb" ] || pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -x "$pg_bin/initdb" ] || { echo "$script: no PostgreSQL server binaries (Debian package postgresql)" >&2; exit 1; }
  as_postgres=()
  if [ "$(id -u)" -eq 0 ]; then as_postgres=(runuser -u postgres --); fi
}

free_port() {
  local port=$((20000 + RANDOM % 20000))
  while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

# Stops the API (pid $1, if any; killed after 10 s) and the PostgreSQL whose data folder is $2 (if running).
stop_api_and_postgres() {
  local pid=$1 data=$2
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  if [ -f "$data/postmaster.pid" ]; then
    timeout 90 "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$data" -m fast -t 60 stop >/dev/null 2>&1 || true
  fi
}

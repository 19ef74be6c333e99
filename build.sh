#!/usr/bin/env bash
# PaperFeed's one entry point for developers and CI.
#   ./build.sh test   install what is missing, start a throwaway PostgreSQL, run every test, print the totals
#   ./build.sh run    run the site on the embedded SQLite catalog
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

free_port() {
  local port
  for port in $(seq 55432 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port between 55432 and 55532" >&2; return 1
}

start_postgres() {
  bin=$(pg_bin)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "==> installing PostgreSQL (Debian package)"
    apt_install postgresql
    bin=$(pg_bin)
  fi
  pg_dir=$(mktemp -d /tmp/paperfeed-pg.XXXXXX)
  pg_port=$(free_port)
  # The server refuses to run as root: as root, run it as the postgres system user.
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$pg_dir" postgres
    chown postgres "$pg_dir"; chmod 700 "$pg_dir"
    pg_run() { runuser -u postgres -- "$@"; }
  else
    pg_run() { "$@"; }
  fi
  echo "==> starting a throwaway PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"
  pg_run "$bin/initdb" -D "$pg_dir/data" -A trust -U postgres >"$pg_dir/initdb.log" 2>&1 || { cat "$pg_dir/initdb.log"; exit 1; }
  pg_run "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
  stop_postgres() {
    pg_run "$bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  }
  export PAPERFEED_TEST_PG="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres;Include Error Detail=true"
}

# Sums the TRX files of every test project into one line: "N passed, N failed, N skipped".
print_totals() {
  local passed=0 failed=0 skipped=0 f counters
  for f in "$1"/*.trx; do
    [ -e "$f" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$f" | head -n 1)
    passed=$((passed + $(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")))
    failed=$((failed + $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")))
    skipped=$((skipped + $(sed -E 's/.* notExecuted="([0-9]+)".*/\1/' <<<"$counters")))
  done
  echo "$passed passed, $failed failed, $skipped skipped"
}

run_tests() {
  command -v dotnet >/dev/null || { echo "the .NET 10 SDK is needed: https://dot.net" >&2; exit 1; }
  # The browser tests drive Debian's Chromium through Playwright; no browser is downloaded.
  if [ ! -x /usr/bin/chromium ]; then
    echo "==> installing Chromium (Debian package)"
    apt_install chromium
  fi
  start_postgres
  results=$(mktemp -d /tmp/paperfeed-results.XXXXXX)
  # KEEP_RESULTS=dir keeps the TRX files (per-test durations) after the run.
  trap '[ -n "${KEEP_RESULTS:-}" ] && cp "$results"/*.trx "$KEEP_RESULTS"/ 2>/dev/null; stop_postgres; rm -rf "$results"' EXIT

  echo "==> building"
  dotnet build PaperFeed.sln -c Release -nologo -v quiet -clp:ErrorsOnly
  status=0
  # Test processes (and the app processes they start) live seconds to minutes: dynamic PGO's instrumented JIT tier
  # costs them more than it returns. Off, an app started and asked for two pages costs ~35 % less CPU (0.9 → 0.6 s).
  export DOTNET_TieredPGO=0
  # Tests that mostly wait on schedules (Category=Waiting: two site processes and their 15-second Hangfire jobs) and the
  # multi-process, kill, restart and load tests (Category=Reliability, docs/reliability.md: one at a time, with their
  # own time budget) run beside the unit and integration steps, each in a test process of its own: they wait on
  # schedules, timeouts, restarts and a fixed-length load phase far more than they compute, so running them after
  # the other steps added ~5 minutes of mostly idle wall time.
  echo "==> waiting and reliability tests, in the background (tests/PaperFeed.IntegrationTests; at ${SECONDS} s)"
  dotnet test tests/PaperFeed.IntegrationTests -c Release --no-build -nologo --filter "Category=Waiting" \
    --logger "trx;LogFileName=waiting.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" >"$results/waiting.log" 2>&1 &
  waiting=$!
  timeout --kill-after=30 "${RELIABILITY_BUDGET:-720}" dotnet test tests/PaperFeed.IntegrationTests -c Release --no-build -nologo \
    --filter "Category=Reliability" \
    --logger "trx;LogFileName=reliability.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" >"$results/reliability.log" 2>&1 &
  reliability=$!
  # The unit tests too, beside the integration tests, which leave a core idle while their tests wait on processes,
  # sockets and the database.
  echo "==> unit tests, in the background (tests/PaperFeed.Tests; at ${SECONDS} s)"
  dotnet test tests/PaperFeed.Tests -c Release --no-build -nologo \
    --logger "trx;LogFileName=PaperFeed.Tests.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" >"$results/unit.log" 2>&1 &
  unit=$!
  echo "==> testing tests/PaperFeed.IntegrationTests (at ${SECONDS} s)"
  dotnet test tests/PaperFeed.IntegrationTests -c Release --no-build -nologo --filter "Category!=Reliability&Category!=Waiting" \
    --logger "trx;LogFileName=PaperFeed.IntegrationTests.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" || status=1
  echo "==> waiting for the background tests (at ${SECONDS} s)"
  wait "$unit" || { echo "unit tests failed:" >&2; status=1; }
  cat "$results/unit.log"
  wait "$waiting" || { echo "waiting tests failed:" >&2; status=1; }
  cat "$results/waiting.log"
  wait "$reliability" || { echo "reliability step failed or ran over its budget of ${RELIABILITY_BUDGET:-720} s:" >&2; status=1; }
  cat "$results/reliability.log"
  echo "==> done at ${SECONDS} s"
  print_totals "$results"
  return $status
}

case "${1:-}" in
  test) run_tests ;;
  run) exec dotnet run --project src/PaperFeed ;;
  *) echo "usage: ./build.sh test | run" >&2; exit 2 ;;
esac

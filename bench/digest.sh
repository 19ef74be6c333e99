#!/usr/bin/env bash
# The digest benchmark on SQLite and, when PAPERFEED_TEST_PG names a PostgreSQL server, on PostgreSQL too.
# Usage: bench/digest.sh [subscribers=10000] [ranked] (ranked: every subscriber an account with upvotes, digests ranked for them). Figures: docs/performance.md, "Digests".
# Environment: DIGEST_BENCH_WARMUP=N (a first, unmeasured job over N other subscribers: the measured one runs on JIT-compiled code), DIGEST_BENCH_PHASES=1 (phase boundaries on the monotonic clock, for perf).
set -euo pipefail
cd "$(dirname "$0")/PaperFeed.Bench"
dotnet build -c Release -nologo -v quiet -clp:ErrorsOnly
count="${1:-10000}"
mode="${2:-plain}"
# Peak resident set of the whole bench process (job + sink), when GNU time is there.
timed=(); [[ -x /usr/bin/time ]] && timed=(/usr/bin/time -f "peak RSS %M KB, %e s wall, %P CPU")
echo "load: $(uptime)"
"${timed[@]}" dotnet bin/Release/net10.0/PaperFeed.Bench.dll "$count" sqlite "$mode" 2>&1 | grep -v -e '^warn:' -e 'No XML encryptor'
if [[ -n "${PAPERFEED_TEST_PG:-}" ]]; then
  echo "load: $(uptime)"
  "${timed[@]}" dotnet bin/Release/net10.0/PaperFeed.Bench.dll "$count" postgres "$mode" 2>&1 | grep -v -e '^warn:' -e 'No XML encryptor' -e '^fail:' -e '^      '
else
  echo "PostgreSQL skipped: set PAPERFEED_TEST_PG (e.g. Host=127.0.0.1;Port=55999;Username=postgres;Database=postgres)"
fi

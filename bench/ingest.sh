#!/usr/bin/env bash
# Ingest at scale, on PostgreSQL (issue #7): N synthetic papers as arXiv Atom files go
#   1. through the normal ingest path (PaperIngestor, as `import` drives it) into a fresh catalog,
#   2. as the very same rows, by Npgsql binary COPY, into another fresh catalog (same schema, same indexes),
#   3. through ingest again, unchanged; the rows PostgreSQL wrote are read from pg_stat_user_tables.
# Prints a Markdown table (papers/s, ratio to COPY, rows written). Exit code 1 when the unchanged re-ingest wrote rows
# or the ingested catalog holds other row counts than the copied one.
#
#   bench/ingest.sh [papers]          default 100000
#   PAPERFEED_BENCH_PG   server to create the throwaway databases on (default: the dev cluster on 127.0.0.1:55999)
#   PAPERFEED_BENCH_ATOM folder of Atom files to reuse (default: written once to $TMPDIR/paperfeed-ingest-bench-N)
#
# Importing from files end to end (what an operator runs), e.g. 1,000,000 papers:
#   dotnet run -c Release --project src/PaperFeed -- seed-synthetic --papers 1000000 --days 1500 --atom-out /tmp/atom-1m
#   time dotnet run -c Release --project src/PaperFeed -- import /tmp/atom-1m/*.xml
set -euo pipefail
cd "$(dirname "$0")/.."
papers="${1:-100000}"
dotnet build bench/PaperFeed.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly
export Serilog__MinimumLevel__Default=Warning Logging__LogLevel__Default=Warning
exec dotnet bench/PaperFeed.Benchmarks/bin/Release/net10.0/PaperFeed.Benchmarks.dll ingest "$papers"

#!/usr/bin/env bash
# Search speed on a real catalog: a fixed list of queries (common and rare words, 2-3 words, phrases, stemmed forms,
# authors) through the search page's own code path, N runs each, p50/p95/max per query and per class.
#   bench/search.sh "Host=127.0.0.1;Port=55999;Username=postgres;Database=search_1m" [--runs 20] [--candidates 500]
#   bench/search.sh --sqlite data/paperfeed.db
# Read-only: it never writes to the catalog.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -lt 1 ]]; then
  echo "usage: bench/search.sh CONNECTION-STRING [--runs N] [--candidates N] [--queries FILE]  |  bench/search.sh --sqlite FILE [...]" >&2
  exit 2
fi
dotnet build bench/PaperFeed.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >&2
if [[ "$1" == --sqlite ]]; then
  exec dotnet bench/PaperFeed.Benchmarks/bin/Release/net10.0/PaperFeed.Benchmarks.dll search "$@"
fi
connection="$1"; shift
exec dotnet bench/PaperFeed.Benchmarks/bin/Release/net10.0/PaperFeed.Benchmarks.dll search --connection "$connection" "$@"

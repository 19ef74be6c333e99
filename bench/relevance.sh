#!/usr/bin/env bash
# Search relevance on the real corpus: known-item queries (75 papers described in other words, bench/relevance/described.tsv,
# and each target's exact title, three rarest title words, title with a typo, a sentence of its abstract) answered by
# today's search, lexical only, semantic only and hybrid, side by side: recall@10, MRR@10, "no results", p50/p95 ms.
#   bench/relevance.sh [--distractors N] [--db FILE]
# Builds (once) a SQLite catalog of the targets plus N distractors spread evenly over the corpus (default 5000; the
# whole corpus is 74,728 papers: embedding it takes hours on 2 cores), imports it with `import` and embeds it with
# `embed-papers` (resumable: run again after a kill), then runs the queries. Nothing but loopback is used.
set -euo pipefail
cd "$(dirname "$0")/.."
distractors=5000
db=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --distractors) distractors="$2"; shift 2 ;;
    --db) db="$2"; shift 2 ;;
    *) echo "usage: bench/relevance.sh [--distractors N] [--db FILE]" >&2; exit 2 ;;
  esac
done
db="${db:-bench/relevance/catalog-$distractors.db}"
db="$(realpath -m "$db")"
dotnet build bench/PaperFeed.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >&2
bench=bench/PaperFeed.Benchmarks/bin/Release/net10.0
app() {
  Database__Provider=Sqlite ConnectionStrings__Catalog="Data Source=$db" Database__MigrateOnStartup=true \
    Serilog__MinimumLevel__Default=Warning dotnet "$bench/PaperFeed.dll" "$@"
}
if [[ ! -f "$db" ]]; then
  subset="${db%.db}.jsonl"
  dotnet "$bench/PaperFeed.Benchmarks.dll" relevance subset --out "$subset" --distractors "$distractors"
  app import "$subset"
fi
app embed-papers
exec dotnet "$bench/PaperFeed.Benchmarks.dll" relevance --sqlite "$db"

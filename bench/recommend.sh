#!/usr/bin/env bash
# Offline quality of the "for you" ranking (issue 14) on the real corpus, side by side with baselines, in one run:
# (a) author continuation (300 authors with >= 6 papers over >= 60 days; profile = their first 3 papers, author names
# removed from all text; each later day holding one of their papers is ranked) and (b) niche (the first 5 papers of
# each category on 40-400 papers; its later papers are the targets). recall@20 and AUC, bootstrap 95 % CIs over units;
# then the cost of one sort=foryou ranking in memory. Figures: docs/performance.md, "Recommendation".
#   bench/recommend.sh [--authors N] [--corpus FILE]     (default corpus: ../shared/corpus/arxiv-cs-daily-…jsonl.gz)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/PaperFeed.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly
exec dotnet bench/PaperFeed.Benchmarks/bin/Release/net10.0/PaperFeed.Benchmarks.dll recommend "$@"

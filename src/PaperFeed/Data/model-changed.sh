#!/usr/bin/env bash
# After a change to the catalog model (CatalogDbContext or an entity):
#   src/PaperFeed/Data/model-changed.sh AddSomething   adds the migration to both sets, then regenerates both compiled models
#   src/PaperFeed/Data/model-changed.sh                only regenerates the compiled models
# The compiled models (Data/CompiledModels) save ~1 s of model building at every start of the site and of each command;
# tests/PaperFeed.Tests/Data/CompiledModelTests fails while they differ from the code.
set -euo pipefail
cd "$(dirname "$0")/../../.."
dotnet tool restore >/dev/null
project=src/PaperFeed
dotnet build "$project" -c Release -nologo -v quiet -clp:ErrorsOnly
for provider in Sqlite Postgres; do
  if [ -n "${1:-}" ]; then
    dotnet ef migrations add "$1" -p "$project" -c "${provider}CatalogDbContext" -o "Data/Migrations/$provider" \
      --namespace "PaperFeed.Data.Migrations.$provider" --configuration Release --no-build
  fi
done
[ -z "${1:-}" ] || dotnet build "$project" -c Release -nologo -v quiet -clp:ErrorsOnly
for provider in Sqlite Postgres; do
  rm -rf "$project/Data/CompiledModels/$provider"
  dotnet ef dbcontext optimize -p "$project" -c "${provider}CatalogDbContext" -o "Data/CompiledModels/$provider" \
    -n "PaperFeed.Data.CompiledModels.$provider" --configuration Release --no-build
done

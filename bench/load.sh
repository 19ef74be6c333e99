#!/usr/bin/env bash
# Pages under load: the published app (Release, Production) on PostgreSQL, measured with wrk on loopback only.
#   bench/load.sh [connection-string]
# The catalog comes from the argument, else PAPERFEED_LOAD_PG, else the 1M catalog of the dev cluster. Its schema is
# brought up to date first (the app's `migrate` command), so point it at a copy you may migrate.
# For each URL: a warm-up, then a bounded run at 64 connections; then a static file of the same size as the day page,
# served by the same app's UseStaticFiles in the same run: the ceiling a page can approach. Prints requests/s,
# p50/p99 latency, the ratio to that ceiling and the app's peak working set; stops the app at the end.
# Settings (environment): DURATION (10s), WARMUP (3s), CONNECTIONS (64), THREADS (2), ROUNDS (3), PORT (a free one),
# ACCEPT_ENCODING (unset: no compression asked, like wrk by default; e.g. "gzip, br" to measure compressed answers),
# DAY_URL, WEEK_URL, TOPIC_URL, SEARCH_URL, PAPER_URL, FEED_URL, API_URL to override the URLs found on the site.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

connection=${1:-${PAPERFEED_LOAD_PG:-"Host=127.0.0.1;Port=55999;Username=postgres;Database=paperfeed_1m"}}
duration=${DURATION:-10s}
warmup=${WARMUP:-3s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
rounds=${ROUNDS:-3}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v wrk >/dev/null; then
  echo "==> installing wrk (Debian package)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi

free_port() {
  local port
  for port in $(seq 58080 58180); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port between 58080 and 58180" >&2; return 1
}
port=${PORT:-$(free_port)}
base="http://127.0.0.1:$port"

work=$(mktemp -d /tmp/paperfeed-load.XXXXXX)
app_pid=
cleanup() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "==> publishing the app (Release) to $work/app"
dotnet publish src/PaperFeed/PaperFeed.csproj -c Release -o "$work/app" -nologo -v quiet -clp:ErrorsOnly >/dev/null

# Production, PostgreSQL; the job server is off so no scheduled job writes to the catalog while pages are measured.
export ASPNETCORE_ENVIRONMENT=Production
export ASPNETCORE_URLS="$base"
export Database__Provider=Postgres
export ConnectionStrings__Catalog="$connection"
export Jobs__RunServer=false

echo "==> migrating the catalog ($(sed -E 's/Password=[^;]*/Password=…/' <<<"$connection"))"
(cd "$work/app" && dotnet PaperFeed.dll migrate) >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log"; exit 1; }

echo "==> starting the app on $base"
(cd "$work/app" && exec dotnet PaperFeed.dll) >"$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 120); do
  curl -fs -o /dev/null "$base/about/ranking" && break
  kill -0 "$app_pid" 2>/dev/null || { cat "$work/app.log"; exit 1; }
  sleep 0.5
done
curl -fs -o /dev/null "$base/about/ranking" || { echo "the app did not answer in 60 s"; tail -n 50 "$work/app.log"; exit 1; }

# The URLs: found on the site itself unless given.
home=$(curl -fs "$base/")
day=$(grep -oE '/papers/date/[0-9]{4}-[0-9]{2}-[0-9]{2}\?format=atom' <<<"$home" | head -n 1 | sed 's/?format=atom//' || true)
[ -n "$day" ] || { echo "the home page shows no day: is the catalog empty?"; exit 1; }
day_date=${day##*/}
paper=$(grep -oE 'href="/papers/[0-9]{4}\.[0-9]{4,5}"' <<<"$home" | head -n 1 | sed -E 's/href="|"//g' || true)
# The topic: the first one of that paper, so the topic page has papers.
topic=$(curl -fs "$base$paper" | grep -oE 'href="/topics/[a-z0-9.-]+"' | grep -v '/topics/edit' | head -n 1 | sed -E 's/href="|"//g' || true)

names=(day week topic paper feed api search)
declare -A url=(
  [day]=${DAY_URL:-$day}
  [week]=${WEEK_URL:-/papers/week/$(date -d "$day_date" +%G-W%V)}
  [topic]=${TOPIC_URL:-$topic}
  [search]=${SEARCH_URL:-/search?q=diffusion+models}
  [paper]=${PAPER_URL:-$paper}
  [feed]=${FEED_URL:-$day?format=atom}
  [api]=${API_URL:-/api/daily_papers}
)

headers=()
[ -z "${ACCEPT_ENCODING:-}" ] || headers=(-H "Accept-Encoding: $ACCEPT_ENCODING")
curl_headers=()
[ -z "${ACCEPT_ENCODING:-}" ] || curl_headers=(-H "Accept-Encoding: $ACCEPT_ENCODING")

for name in "${names[@]}"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "${curl_headers[@]}" "$base${url[$name]}")
  [ "$code" = 200 ] || { echo "$name ${url[$name]} answered $code"; exit 1; }
done

# The ceiling: a static file of exactly the day page's size, written into the published wwwroot now (never committed).
day_bytes=$(curl -fs "${curl_headers[@]}" "$base${url[day]}" | wc -c)
# (through a file: head closing a pipe early would kill base64, and pipefail the script)
head -c "$day_bytes" /dev/urandom | base64 -w 100 >"$work/random.txt"
head -c "$day_bytes" "$work/random.txt" >"$work/app/wwwroot/load-static.html"
# Search once, after every round: a slow search keeps the database busy for a while after its run ends.
rounds_of=(day week topic paper feed api static)
names=("${rounds_of[@]}" search)
url[static]=/load-static.html

cat >"$work/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %d %.3f %.2f %.2f %d %d %d\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status, errors, summary.bytes))
end
LUA

bench() { wrk -t"$threads" -c"$connections" -d"$1" --latency "${headers[@]}" -s "$work/report.lua" "$base$2"; }

# ROUNDS passes over every URL, the static file among them, so a burst of other work on the machine hits a URL in one
# round only; the table shows each URL's median round (by requests/s).
declare -A runs size bad
measure() {
  local name=$1
  bench "$warmup" "${url[$name]}" >/dev/null
  line=$(bench "$duration" "${url[$name]}" | grep '^RESULT')
  read -r _ requests seconds l50 l99 status errors bytes <<<"$line"
  runs[$name]+="$(awk -v r="$requests" -v s="$seconds" 'BEGIN { printf "%.0f", r / s }') $l50 $l99"$'\n'
  size[$name]=$(( requests > 0 ? bytes / requests : 0 ))
  bad[$name]=$(( ${bad[$name]:-0} + status + errors ))
}
for round in $(seq 1 "$rounds"); do
  for name in "${rounds_of[@]}"; do
    echo "==> round $round/$rounds: $name ${url[$name]}: ${warmup} warm-up, then $duration at $connections connections"
    measure "$name"
  done
done
echo "==> search ${url[search]}: ${warmup} warm-up, then $duration at $connections connections"
measure search
declare -A rps p50 p99
for name in "${names[@]}"; do
  read -r rps[$name] p50[$name] p99[$name] <<<"$(sort -n <<<"${runs[$name]%$'\n'}" | awk '{ row[NR] = $0 } END { print row[int((NR + 1) / 2)] }')"
done

peak_kb=$(awk '/^VmHWM/ { print $2 }' "/proc/$app_pid/status")
now_kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$app_pid/status")

echo
echo "Pages under load: $(nproc) cores, $connections connections, $threads wrk threads, median of $rounds rounds of $duration per URL (each after $warmup warm-up)${ACCEPT_ENCODING:+, Accept-Encoding: $ACCEPT_ENCODING}"
printf '%-7s %-48s %9s %9s %9s %9s %8s %7s\n' what url "req/s" "p50 ms" "p99 ms" "bytes" "ceiling" "errors"
for name in "${names[@]}"; do
  ratio=$(awk -v a="${rps[$name]}" -v b="${rps[static]}" 'BEGIN { printf "%.0f%%", (b > 0 ? 100 * a / b : 0) }')
  printf '%-7s %-48s %9s %9s %9s %9s %8s %7s\n' "$name" "${url[$name]:0:48}" "${rps[$name]}" "${p50[$name]}" "${p99[$name]}" "${size[$name]}" "$ratio" "${bad[$name]}"
done
echo "app working set: peak $((peak_kb / 1024)) MB, at the end $((now_kb / 1024)) MB (VmHWM / VmRSS of pid $app_pid)"

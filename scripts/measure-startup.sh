#!/usr/bin/env bash
# Start-up benchmark: starts the packaged bridge (file intake, file outbox; nothing else configured) N times, with
# and without the AppCDS archive the build writes beside it, and prints the median of Quarkus' "started in" and the
# RSS once started, for each, with the ratio against the plain start measured in the same run.
#
#   ./mvnw package -DskipTests && scripts/measure-startup.sh [starts]
set -euo pipefail
cd "$(dirname "$0")/../target/quarkus-app" 2>/dev/null || { echo "build first: ./mvnw package -DskipTests" >&2; exit 1; }
STARTS=${1:-7}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export NCP_API_URL=http://127.0.0.1:9/server/v2 NCP_ACCESS_KEY=startup-access NCP_SECRET_KEY=startup-only-not-a-secret
export BRIDGE_INBOX_DIR="$WORK/inbox" BRIDGE_OUTBOX_DIR="$WORK/outbox" BRIDGE_IDEMPOTENCY_DIR="$WORK/idempotency"
export QUARKUS_HTTP_PORT=0 QUARKUS_HTTP_HOST=127.0.0.1

# one start: prints "<seconds> <rss kB>"
start_once() {
  local log="$WORK/app.log"
  java "$@" -jar quarkus-run.jar > "$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 300); do grep -q 'on JVM' "$log" && break; sleep 0.05; done
  local secs rss
  secs=$(grep -o 'on JVM[^"]*started in [0-9.]*s' "$log" | grep -o '[0-9.]*s$' | tr -d s)
  rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  kill $pid; wait $pid 2>/dev/null || true
  echo "$secs $rss"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

measure() {
  local label=$1; shift
  local results=()
  start_once "$@" > /dev/null   # warm the page cache
  for _ in $(seq 1 "$STARTS"); do results+=("$(start_once "$@")"); done
  local t r
  t=$(printf '%s\n' "${results[@]}" | awk '{print $1}' | median)
  r=$(printf '%s\n' "${results[@]}" | awk '{print $2}' | median)
  echo "$label $t $r"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
PLAIN=$(measure plain)
echo "$PLAIN" | awk '{printf "plain start:        started in %.3f s (median of '"$STARTS"'), RSS %d MiB\n", $2, $3/1024}'
if [ -f app-cds.jsa ]; then
  CDS=$(measure appcds -XX:SharedArchiveFile=app-cds.jsa)
  echo "$CDS" | awk '{printf "with AppCDS archive: started in %.3f s (median of '"$STARTS"'), RSS %d MiB\n", $2, $3/1024}'
  echo "$PLAIN $CDS" | awk '{printf "ratio AppCDS / plain: time %.2f, RSS %.2f\n", $5/$2, $6/$3}'
fi

#!/usr/bin/env bash
# Start-up benchmark: starts the packaged bridge (file intake, file outbox; nothing else configured) N times each way
# and prints the median of Quarkus' "started in" and the RSS once started (and its anonymous part: the AOT cache is a
# mapped file, so its pages count in RSS but are shared and can be dropped), with the ratio against a plain
# `java -jar` measured in the same run, on the same JVM:
#   plain          java -jar, no options
#   image options  the -XX: options the container image sets (JAVA_OPTS_APPEND in src/main/docker/Dockerfile.jvm)
#   + AOT cache    the same with the JDK's ahead-of-time cache, made by the image's training run (JDK 25 or later)
#
#   ./mvnw package -DskipTests
#   JAVA_HOME=<a JDK 25> scripts/measure-startup.sh [starts]      # the JDK the container image runs
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT/target" 2>/dev/null && [ -f ncp-snapshot-bridge-runner.jar ] || { echo "build first: ./mvnw package -DskipTests" >&2; exit 1; }
STARTS=${1:-7}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export NCP_API_URL=http://127.0.0.1:9/server/v2 NCP_ACCESS_KEY=startup-access NCP_SECRET_KEY=startup-only-not-a-secret
export BRIDGE_INBOX_DIR="$WORK/inbox" BRIDGE_OUTBOX_DIR="$WORK/outbox" BRIDGE_IDEMPOTENCY_DIR="$WORK/idempotency"
export QUARKUS_HTTP_PORT=0 QUARKUS_HTTP_HOST=127.0.0.1

# one start: prints "<seconds> <rss kB> <anonymous rss kB>"
start_once() {
  local log="$WORK/app.log"
  "$JAVA" "$@" -jar ncp-snapshot-bridge-runner.jar > "$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 300); do grep -q 'on JVM' "$log" && break; sleep 0.05; done
  local secs rss anon
  secs=$(grep -o 'on JVM[^"]*started in [0-9.]*s' "$log" | grep -o '[0-9.]*s$' | tr -d s)
  rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  anon=$(awk '/RssAnon/ {print $2}' /proc/$pid/status)
  kill $pid; wait $pid 2>/dev/null || true
  echo "$secs $rss $anon"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

measure() {
  local label=$1; shift
  local results=()
  start_once "$@" > /dev/null   # warm the page cache
  for _ in $(seq 1 "$STARTS"); do results+=("$(start_once "$@")"); done
  local t r a
  t=$(printf '%s\n' "${results[@]}" | awk '{print $1}' | median)
  r=$(printf '%s\n' "${results[@]}" | awk '{print $2}' | median)
  a=$(printf '%s\n' "${results[@]}" | awk '{print $3}' | median)
  echo "$label $t $r $a"
}

# the options of the image's first JAVA_OPTS_APPEND (the later ones add the AOT cache, measured on their own below)
IMAGE_OPTS=$(grep -m1 -o 'JAVA_OPTS_APPEND="[^"]*"' "$ROOT/src/main/docker/Dockerfile.jvm" | tr -d '"' | tr ' ' '\n' \
  | grep '^-XX:' | tr '\n' ' ')
FEATURE=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $("$JAVA" -version 2>&1 | head -1)"
PLAIN=$(measure plain)
report() { echo "$PLAIN $2" | awk -v label="$1" '{printf "%-28s started in %.3f s (median of '"$STARTS"'), RSS %d MiB (anonymous %d MiB); ratio to plain: time %.2f, RSS %.2f, anonymous %.2f\n", label, $6, $7/1024, $8/1024, $6/$2, $7/$3, $8/$4}'; }
report "plain java -jar:" "$PLAIN"
# shellcheck disable=SC2086
report "image options ($IMAGE_OPTS):" "$(measure image $IMAGE_OPTS)"
if [ "${FEATURE%%.*}" -ge 25 ]; then
  # shellcheck disable=SC2086
  "$ROOT/src/main/docker/aot-training.sh" "$JAVA" $IMAGE_OPTS -XX:AOTCacheOutput="$WORK/app.aot" -jar ncp-snapshot-bridge-runner.jar \
    > /dev/null
  # shellcheck disable=SC2086
  report "image options + AOT cache:" "$(measure aot $IMAGE_OPTS -XX:AOTMode=on -XX:AOTCache="$WORK/app.aot")"
else
  echo "(Java $FEATURE: the AOT cache needs JDK 25 or later, the release the container image runs)"
fi

#!/usr/bin/env bash
# Load script: runs the packaged bridge (JVM) against its own built-in NCP simulator on loopback, pushes N requests
# through the drop folder, and reports resident memory (idle and peak) and throughput. Figures are printed as ratios
# against the idle baseline measured in the same run.
#
#   ./mvnw package -DskipTests && scripts/measure-rss.sh [requests] [files]
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${1:-2000}
FILES=${2:-20}
JAR=target/ncp-snapshot-bridge-runner.jar
[ -f "$JAR" ] || { echo "build first: ./mvnw package -DskipTests" >&2; exit 1; }

WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export NCP_ACCESS_KEY=bench-access NCP_SECRET_KEY=bench-only-not-a-secret
# the simulator is a development tool: the prod profile refuses it, so this script runs the jar in the dev profile
export QUARKUS_PROFILE=dev BRIDGE_NCP_SIMULATOR_ENABLED=true NCP_API_URL="http://127.0.0.1:${PORT}/ncp-simulator/server/v2"
export QUARKUS_HTTP_PORT=$PORT QUARKUS_HTTP_HOST=127.0.0.1
export BRIDGE_INBOX_DIR="$WORK/inbox" BRIDGE_OUTBOX_DIR="$WORK/outbox" BRIDGE_IDEMPOTENCY_DIR="$WORK/idempotency"
export BRIDGE_NCP_MAX_CALLS_PER_SECOND=${BRIDGE_NCP_MAX_CALLS_PER_SECOND:-500} BRIDGE_NCP_MAX_CONCURRENT_CALLS=8 BRIDGE_WORKERS=8
export BRIDGE_INBOX_STABLE_FOR=200ms QUARKUS_LOG_CATEGORY__IO_GITHUB_NCPSNAPSHOTBRIDGE_OUTCOME__LEVEL=WARN

java ${JAVA_OPTS:-} -jar "$JAR" > "$WORK/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null; rm -rf "$WORK"' EXIT
rss() { awk '/VmRSS/ {print $2}' /proc/$APP/status; }

for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:${PORT}/q/health/ready" >/dev/null && break
  sleep 0.5
done
sleep 5
IDLE=$(rss)

mkdir -p "$BRIDGE_INBOX_DIR"
per=$((REQUESTS / FILES))
for f in $(seq 1 "$FILES"); do
  python3 - "$BRIDGE_INBOX_DIR/.b$f.tmp" "$f" "$per" <<'PY'
import sys
path, f, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "w") as out:
    for i in range(per):
        out.write('{"requestId":"bench-%d-%d","blockStorageInstanceNo":"%d","blockStorageSnapshotDescription":"load test request"}\n' % (f, i, 1000000 + f * per + i))
PY
  mv "$BRIDGE_INBOX_DIR/.b$f.tmp" "$BRIDGE_INBOX_DIR/b$f.jsonl"
done
START=$(date +%s.%N)
PEAK=$IDLE
while :; do
  now=$(rss); [ "$now" -gt "$PEAK" ] && PEAK=$now
  done_count=$(find "$BRIDGE_OUTBOX_DIR" -maxdepth 1 -name '*.json' ! -name '.*' 2>/dev/null | wc -l)
  [ "$done_count" -ge "$REQUESTS" ] && break
  sleep 0.5
done
END=$(date +%s.%N)
AFTER=$(rss)
python3 - "$IDLE" "$PEAK" "$AFTER" "$START" "$END" "$REQUESTS" <<'PY'
import sys
idle, peak, after = (int(x) for x in sys.argv[1:4])
start, end, n = float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
secs = end - start
print(f"requests            {n}")
print(f"idle RSS            {idle/1024:.0f} MiB (baseline 1.00)")
print(f"peak RSS under load {peak/1024:.0f} MiB ({peak/idle:.2f} x idle)")
print(f"RSS after the load  {after/1024:.0f} MiB ({after/idle:.2f} x idle)")
print(f"wall time           {secs:.1f} s, {n/secs:.0f} requests/s (NCP simulated in-process)")
PY

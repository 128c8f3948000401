#!/usr/bin/env bash
# Training run for the JDK's ahead-of-time cache (JDK 25 or later): starts the bridge once with the command given,
# which must carry -XX:AOTCacheOutput=<file>, waits until it has started and settled, and stops it with SIGTERM; the
# JVM writes the cache as it exits. The bridge runs with a throw-away configuration (drop folder and outbox in a
# temporary folder, an NCP address on loopback that nothing answers), so no request is taken and nothing is called.
#
#   src/main/docker/aot-training.sh java -XX:+ExitOnOutOfMemoryError -XX:AOTCacheOutput=app.aot \
#     -jar target/ncp-snapshot-bridge-runner.jar
#
# The container image runs it at build time through run-java.sh (see Dockerfile.jvm); scripts/measure-startup.sh and
# AotCacheIT run it on the packaged jar.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 <command that starts the bridge with -XX:AOTCacheOutput=...>" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export NCP_API_URL=http://127.0.0.1:9/server/v2 NCP_VPC_API_URL=http://127.0.0.1:9/vserver/v2
export NCP_ACCESS_KEY=aot-training NCP_SECRET_KEY=aot-training-only-not-a-secret
export BRIDGE_INBOX_DIR="$WORK/inbox" BRIDGE_OUTBOX_DIR="$WORK/outbox" BRIDGE_IDEMPOTENCY_DIR="$WORK/idempotency"
export QUARKUS_HTTP_PORT=0 QUARKUS_HTTP_HOST=127.0.0.1
# channels the environment may name are not trained against: the cache only records classes
unset KAFKA_BOOTSTRAP_SERVERS AMQP_URL

"$@" > "$WORK/training.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  grep -q 'started in' "$WORK/training.log" && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if ! grep -q 'started in' "$WORK/training.log"; then
  echo "the bridge did not start for the training run:" >&2
  tail -5 "$WORK/training.log" >&2
  kill "$pid" 2>/dev/null || true
  exit 1
fi
# let the first timer rounds (drop-folder scan, completion poll, health) run, so that their classes are recorded too
sleep "${AOT_TRAINING_SETTLE:-3}"
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
# 143: ended by the SIGTERM it was sent; the JVM writes the cache on the way out
if [ "$status" -ne 0 ] && [ "$status" -ne 143 ]; then
  echo "the training run ended with status $status:" >&2
  tail -5 "$WORK/training.log" >&2
  exit 1
fi
grep -i 'AOTCache creation is complete' "$WORK/training.log" || {
  echo "the JVM wrote no AOT cache (is it JDK 25 or later, and was -XX:AOTCacheOutput given?):" >&2
  tail -5 "$WORK/training.log" >&2
  exit 1
}

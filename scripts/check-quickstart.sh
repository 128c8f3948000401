#!/usr/bin/env bash
# The README's quick start, step by step, on a fresh clone of a commit (default: HEAD of this repository), or with
# --here in this checkout as it is (for example after ./mvnw verify, with its target/ in place):
#   1. ./mvnw quarkus:dev with nothing configured (no NCP_*, BRIDGE_*, KAFKA_* or AMQP_* variable);
#   2. the README's request dropped into data/inbox, as the README writes it;
#   3. a `created` event, then a `completed` one, in data/outbox, shown one per line in time order by the README's command;
#   4. dev mode stopped cleanly (SIGINT, as Ctrl+C does).
# A failing step is named, with the end of dev mode's log, and the script exits non-zero. CI runs it after the tests.
#
#   scripts/check-quickstart.sh [commit | --here]        QUICKSTART_TIMEOUT=600 (seconds for dev mode to start)
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
commit=${1:-HEAD}
start_timeout=${QUICKSTART_TIMEOUT:-600}
work=$(mktemp -d "${TMPDIR:-/tmp}/quickstart.XXXXXX")
log="$work/dev.log"
dev_pid=

step() { echo "quick start: $*"; }

fail() {
  echo "quick start FAILED at step: $*" >&2
  if [ -f "$log" ]; then
    echo "---- last 80 lines of ./mvnw quarkus:dev ----" >&2
    tail -n 80 "$log" >&2
    echo "---- end ----" >&2
  fi
  stop_dev
  exit 1
}

# Stops dev mode as a user's Ctrl+C would, then waits for it; anything left is ended, and that is a failure.
stop_dev() {
  [ -n "$dev_pid" ] || return 0
  kill -INT -- "-$dev_pid" 2>/dev/null
  for _ in $(seq 1 60); do
    kill -0 -- "-$dev_pid" 2>/dev/null || { dev_pid=; return 0; }
    sleep 1
  done
  kill -KILL -- "-$dev_pid" 2>/dev/null
  dev_pid=
  return 1
}
trap 'stop_dev; rm -rf "$work"' EXIT

if [ "$commit" = --here ]; then
  step "this checkout, $repo"
  cd "$repo" || fail "cd $repo"
  # events already there would pass for this run's
  [ -e data ] && fail "data/ exists in this checkout; move it away first"
  trap 'stop_dev; rm -rf "$work" "$repo/data"' EXIT
else
  step "fresh clone of $commit"
  git clone -q "$repo" "$work/clone" && git -C "$work/clone" checkout -q "$commit" || fail "git clone $commit"
  cd "$work/clone" || fail "cd into the clone"
fi

# Dev mode listens on 8080, as the README's simulator URL assumes.
if (exec 3<>/dev/tcp/127.0.0.1/8080) 2>/dev/null; then
  fail "port 8080 is taken by another process; dev mode needs it"
fi

step "./mvnw quarkus:dev (nothing configured)"
# set -m: dev mode gets a process group of its own, so that it can be stopped with everything it forked
set -m
env $(env | grep -oE '^(NCP|BRIDGE|KAFKA|AMQP)_[A-Za-z0-9_]*' | sed 's/^/-u /') \
  ./mvnw -B -ntp quarkus:dev -Dquarkus.console.enabled=false > "$log" 2>&1 < /dev/null &
dev_pid=$!
set +m
for i in $(seq 1 "$start_timeout"); do
  grep -qs "Listening on: http" "$log" && break
  kill -0 "$dev_pid" 2>/dev/null || fail "./mvnw quarkus:dev exited before it started"
  [ "$i" = "$start_timeout" ] && fail "./mvnw quarkus:dev did not start within ${start_timeout}s"
  sleep 1
done
grep -q "Installed features" "$log" || fail "dev mode did not report its features"

step "the README's request into data/inbox"
mkdir -p data/inbox
echo '{"requestId":"db01-nightly-2026-11-27","blockStorageInstanceNo":"937508","blockStorageSnapshotName":"db01-nightly"}' \
  > data/inbox/.db01.tmp && mv data/inbox/.db01.tmp data/inbox/db01.json || fail "dropping the request"

step "a created event, then a completed event, in data/outbox"
for i in $(seq 1 60); do
  [ "$(ls data/outbox/*.json 2>/dev/null | wc -l)" -ge 2 ] && break
  [ "$i" = 60 ] && fail "two events in data/outbox within 60 s (found: $(ls data/outbox 2>/dev/null | tr '\n' ' '))"
  sleep 1
done
# the README's command, verbatim
shown=$(ls -tr data/outbox/*.json | xargs cat) || fail "the README's outbox command"
echo "$shown"
[ "$(printf '%s\n' "$shown" | wc -l)" = 2 ] || fail "the outbox command shows one event per line (got: $shown)"
first=$(printf '%s\n' "$shown" | sed -n 1p)
second=$(printf '%s\n' "$shown" | sed -n 2p)
case "$first" in *'"type":"ncp.blockstorage.snapshot.created"'*) ;; *) fail "the first event is 'created' (got: $first)";; esac
case "$second" in *'"type":"ncp.blockstorage.snapshot.completed"'*) ;; *) fail "the second event is 'completed' (got: $second)";; esac
[ -f data/inbox/.done/db01.json ] || fail "the request file ends in data/inbox/.done/"

step "dev mode stopped with Ctrl+C"
stop_dev || fail "dev mode did not stop within 60 s of Ctrl+C"
grep -qE "ERROR|Exception" "$log" && fail "dev mode logged an error"
step "passed"

#!/usr/bin/env bash
# End-to-end benchmark of `fjord all` on this machine: builds (unless SKIP_BUILD=1), starts Fjord on
# a fresh data dir on 127.0.0.1:$PORT, runs the Suite (ingest runs, visibility, queries, RSS, disk),
# then kill -9s the server, restarts it on the same data dir and times recovery, and stops it.
# Everything is bounded: each step runs under `timeout`, the server is always stopped on exit.
#
#   bench/run-e2e.sh                      # 1M lines, clients 1,2, JSON and protobuf, batch 1000, 4 streams
#   LINES=200000 CLIENTS=2 FORMATS=json SKIP_BUILD=1 PROFILE=1 bench/run-e2e.sh
#   QUERY_RUNS=0 RECOVERY=0 bench/run-e2e.sh   # ingest and visibility only (for ingest work)
#   WARMUP_LINES=2000000 bench/run-e2e.sh      # push 2M lines per format unmeasured first (JIT warm-up)
#   SERVER_OPTS="-Xlog:gc" bench/run-e2e.sh        # extra JVM options for the server
#   JAR=/tmp/fjord-before.jar bench/run-e2e.sh      # another build than launcher/target/fjord.jar
#   FJORD_FLAGS=-distributor.kafka_compression=none bench/run-e2e.sh   # extra flags for fjord all
#   ASYNC_PROFILER=/path/linux-x64/libasyncProfiler.so bench/run-e2e.sh   # CPU profile of the ingest phase,
#       native and kernel frames included ($RUN/ingest.collapsed; async-profiler 3.0 is on Maven Central as
#       tools.profiler:async-profiler: unzip its linux-x64/libasyncProfiler.so)
#
# PROFILE=1 records a JFR profile of the server for the first PROFILE_SECONDS (40) of the suite, which
# is the ingest phase at 1M lines ($RUN/suite.jfr), and prints its top frames (bench/jfr-top.sh). Output: $RUN/suite.txt, $RUN/recovery.txt, $RUN/server*.log.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-3170}
RUN=${RUN:-/tmp/bench-run}
LINES=${LINES:-1000000}
CLIENTS=${CLIENTS:-1,2}
FORMATS=${FORMATS:-json,protobuf}
BATCH=${BATCH:-1000}
STREAMS=${STREAMS:-4}
SERVER_HEAP=${SERVER_HEAP:-1g}
QUERY_RUNS=${QUERY_RUNS:-3}
WARMUP_LINES=${WARMUP_LINES:-0}
TARGET=http://127.0.0.1:$PORT

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -q -B -o -DskipTests package
  mvn -q -B -o -Pbench -pl bench package -DskipTests
fi
mkdir -p "$RUN"
rm -rf "$RUN/data"
# run a copy: a rebuild of launcher/target/fjord.jar under a running server breaks its class loading
cp "${JAR:-launcher/target/fjord.jar}" "$RUN/fjord.jar"
SERVER_PID=
stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
}
trap stop_server EXIT

start_server() { # $1: log file
  # shellcheck disable=SC2086 # SERVER_OPTS is a list of JVM options (e.g. an async-profiler -agentpath)
  java -Xmx"$SERVER_HEAP" -XX:+FlightRecorder ${SERVER_OPTS:-} -jar "$RUN/fjord.jar" all -common.path_prefix="$RUN/data" \
    -server.http_listen_port="$PORT" -kafka.embedded_broker_port=0 -kafka.embedded_controller_port=0 \
    -limits_config.ingestion_rate_mb=10000 -limits_config.ingestion_burst_size_mb=10000 ${FJORD_FLAGS:-} >"$1" 2>&1 &
  SERVER_PID=$!
}

wait_ready() {
  for _ in $(seq 1 600); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$TARGET/ready" || true)" == 200 ]] && return 0
    sleep 0.1
  done
  echo "server not ready after 60 s" >&2
  return 1
}

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/{print $2}') GiB;" \
  "$(java -version 2>&1 | head -1); load before: $(uptime | sed 's/.*load/load/')" | tee "$RUN/machine.txt"
start_server "$RUN/server.log"
wait_ready
if [[ "${PROFILE:-0}" == 1 ]]; then
  jcmd "$SERVER_PID" JFR.start name=bench settings=profile duration="${PROFILE_SECONDS:-40}s" \
    filename="$RUN/suite.jfr" >/dev/null
fi
if [[ -n "${ASYNC_PROFILER:-}" ]]; then
  jcmd "$SERVER_PID" JVMTI.agent_load "$ASYNC_PROFILER" "\"start,event=cpu,interval=1ms\"" >/dev/null
fi
timeout 1200 java -Xmx3g -cp bench/target/benchmarks.jar io.fjord.bench.e2e.Suite --target "$TARGET" \
  --lines "$LINES" --clients "$CLIENTS" --formats "$FORMATS" --batch "$BATCH" --streams "$STREAMS" \
  --query-runs "$QUERY_RUNS" --warmup-lines "$WARMUP_LINES" --server-pid "$SERVER_PID" --data-dir "$RUN/data" | tee "$RUN/suite.txt"
if [[ -n "${ASYNC_PROFILER:-}" ]]; then
  jcmd "$SERVER_PID" JVMTI.agent_load "$ASYNC_PROFILER" "\"stop,file=$RUN/ingest.collapsed\"" >/dev/null
fi
echo "load after suite: $(uptime | sed 's/.*load/load/')" | tee -a "$RUN/machine.txt"
if [[ "${PROFILE:-0}" == 1 ]]; then
  jcmd "$SERVER_PID" JFR.stop name=bench >/dev/null 2>&1 || true # ends by itself after PROFILE_SECONDS
  for _ in $(seq 1 100); do [[ -s "$RUN/suite.jfr" ]] && break; sleep 0.1; done
  bench/jfr-top.sh "$RUN/suite.jfr" 25 > "$RUN/top-frames.txt" || echo "jfr-top.sh failed" >&2
  cat "$RUN/top-frames.txt"
fi

if [[ "${RECOVERY:-1}" == 0 ]]; then
  exit 0
fi
# recovery: everything is unflushed (no object-storage flush yet), so all of it must come back
NEEDLES=$(sed -n 's/^| needles ingested.*| \([0-9]*\) |$/\1/p' "$RUN/suite.txt")
WINDOW=$(sed -n 's/^| window start ns | \([0-9]*\) |$/\1/p' "$RUN/suite.txt")
UNFLUSHED=$(du -sm "$RUN/data" | cut -f1)
kill -9 "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
RESTART_MS=$(date +%s%3N)
start_server "$RUN/server-restart.log"
echo "| recovery after kill -9 with $UNFLUSHED MB data dir (all unflushed) | |" | tee "$RUN/recovery.txt"
timeout 300 java -cp bench/target/benchmarks.jar io.fjord.bench.e2e.Suite --target "$TARGET" \
  --recover-since-ms "$RESTART_MS" --expect-needles "$NEEDLES" --window-start-ns "$WINDOW" --timeout-s 240 \
  | tee -a "$RUN/recovery.txt"
echo "| server RSS after recovery | $(( $(awk '/^VmRSS:/{print $2}' /proc/$SERVER_PID/status) / 1024 )) MB |" \
  | tee -a "$RUN/recovery.txt"

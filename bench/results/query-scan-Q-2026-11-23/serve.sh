#!/usr/bin/env bash
# start fjord all on $PORT with data in $RUN/data, ingest $LINES via Suite (no queries), leave running; prints pid
set -euo pipefail
cd /work/main
PORT=${PORT:-3171}; RUN=${RUN:-/tmp/Q/run}; LINES=${LINES:-4000000}
mkdir -p "$RUN"; rm -rf "$RUN/data"; cp "${JAR:-launcher/target/fjord.jar}" "$RUN/fjord.jar"
java -Xmx1g -XX:+FlightRecorder -jar "$RUN/fjord.jar" all -common.path_prefix="$RUN/data" \
    -server.http_listen_port="$PORT" -kafka.embedded_broker_port=0 -kafka.embedded_controller_port=0 \
    -limits_config.ingestion_rate_mb=10000 -limits_config.ingestion_burst_size_mb=10000 ${FJORD_FLAGS:-} >"$RUN/server.log" 2>&1 &
echo $! > "$RUN/server.pid"
for _ in $(seq 1 600); do [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/ready" || true)" == 200 ]] && break; sleep 0.1; done
timeout 600 java -Xmx3g -cp bench/target/benchmarks.jar io.fjord.bench.e2e.Suite --target "http://127.0.0.1:$PORT" \
  --lines "$LINES" --clients 2 --formats protobuf --batch 1000 --streams 4 --query-runs 0 --warmup-lines 0 \
  --server-pid "$(cat $RUN/server.pid)" --data-dir "$RUN/data" > "$RUN/suite.txt"
cat "$RUN/suite.txt"

#!/usr/bin/env bash
# restart.sh RUN JAR PORT: stop the server of RUN (its pid file), start JAR on the same data dir, wait until the needle query sees 400 lines
RUN=$1; JAR=$2; PORT=$3
PID=$(cat $RUN/server.pid)
if kill -0 $PID 2>/dev/null; then kill -9 $PID; sleep 1; fi
cp $JAR $RUN/fjord.jar
cd /work/main
java -Xmx1g -jar "$RUN/fjord.jar" all -common.path_prefix="$RUN/data" \
    -server.http_listen_port="$PORT" -kafka.embedded_broker_port=0 -kafka.embedded_controller_port=0 \
    -limits_config.ingestion_rate_mb=10000 -limits_config.ingestion_burst_size_mb=10000 ${FJORD_FLAGS:-} >"$RUN/server-$(basename $JAR).log" 2>&1 &
echo $! > $RUN/server.pid
START=$(sed -n 's/^| window start ns | \([0-9]*\) |$/\1/p' $RUN/suite.txt); END=$(( $(date +%s%N) + 60000000000 ))
for i in $(seq 1 300); do
  n=$(curl -s -G "http://127.0.0.1:$PORT/loki/api/v1/query_range" --data-urlencode 'query={app="bench"} |= "needle"' --data-urlencode "start=$START" --data-urlencode "end=$END" --data-urlencode limit=5000 2>/dev/null | python3 -c 'import json,sys
try:
  d=json.load(sys.stdin)["data"]; print(sum(len(r["values"]) for r in d["result"]))
except Exception: print(0)')
  [[ "$n" == 400 ]] && { echo "ready after ~$i polls"; exit 0; }
  sleep 1
done
echo "not ready"; exit 1

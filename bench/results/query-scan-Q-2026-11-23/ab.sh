#!/usr/bin/env bash
# ab.sh RUN PORT OUT jar1 jar2 ...: for each jar in turn: restart on RUN's data (kill -9 + replay), 5 warm-up queries, 10 timed; medians to OUT
RUN=$1; PORT=$2; OUT=$3; shift 3
QUERY=${Q:-'{app="bench"} |= "needle"'}
for JAR in "$@"; do
  /tmp/Q/restart.sh $RUN $JAR $PORT >/dev/null || { echo "restart failed $JAR" | tee -a $OUT; continue; }
  PORT=$PORT /tmp/Q/q.sh $RUN 5 > /dev/null
  L0=$(cut -d' ' -f1-3 /proc/loadavg)
  PORT=$PORT /tmp/Q/q.sh $RUN 10 "$QUERY" > /tmp/Q/ab-last.txt
  L1=$(cut -d' ' -f1-3 /proc/loadavg)
  { echo "# $JAR raw:"; cat /tmp/Q/ab-last.txt; } >> $OUT.raw
  python3 - "$JAR" "$L0" "$L1" >> $OUT <<'PY'
import sys,statistics,re
rows=[l.split() for l in open('/tmp/Q/ab-last.txt')]
wall=[int(r[1]) for r in rows]; cpu=[int(r[4]) for r in rows]; ex=[int(r[12]) for r in rows]
print(f"{sys.argv[1].split('/')[-1]:10s} wall median {statistics.median(wall):.0f} ms (min {min(wall)}), exec median {statistics.median(ex):.0f} ms = {531.7/statistics.median(ex)*1000:.0f} MB/s (best {531.7/min(ex)*1000:.0f}), server CPU/query median {statistics.median(cpu):.0f} ms; load {sys.argv[2]} -> {sys.argv[3]}")
PY
  tail -1 $OUT
done

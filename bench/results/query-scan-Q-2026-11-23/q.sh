#!/usr/bin/env bash
# q.sh RUN N [query]: times N query_range calls against the running server; prints wall ms, server cpu ms, stats
RUN=$1; N=${2:-5}; Q=${3:-'{app="bench"} |= "needle"'}; PORT=${PORT:-3171}
PID=$(cat $RUN/server.pid); TCK=$(getconf CLK_TCK)
START=$(sed -n 's/^| window start ns | \([0-9]*\) |$/\1/p' $RUN/suite.txt); END=$(( $(date +%s%N) + 60000000000 ))
cpu() { awk -v t=$TCK '{print ($14+$15)*1000/t}' /proc/$PID/stat; }
for i in $(seq 1 $N); do
  c0=$(cpu); t0=$(date +%s%N)
  curl -s -G "http://127.0.0.1:$PORT/loki/api/v1/query_range" --data-urlencode "query=$Q" --data-urlencode "start=$START" \
    --data-urlencode "end=$END" --data-urlencode limit=5000 -o /tmp/Q/last.json
  t1=$(date +%s%N); c1=$(cpu)
  python3 - "$(( (t1-t0)/1000000 ))" "$(echo "$c1 - $c0" | bc)" <<'PY'
import json,sys
d=json.load(open('/tmp/Q/last.json'))['data']; s=d['stats']['summary']
n=sum(len(r['values']) for r in d['result'])
print(f"wall {sys.argv[1]} ms  cpu {float(sys.argv[2]):.0f} ms  lines {n}  bytes {s['totalBytesProcessed']/1e6:.1f} MB  exec {s['execTime']*1000:.0f} ms  {s['bytesProcessedPerSecond']/1e6:.0f} MB/s")
PY
done

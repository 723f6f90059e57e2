#!/usr/bin/env bash
# tlrun.sh RUN PORT JAR NAME QUERY: restart with JAR, 3 warm-ups, wall-clock profile of 3 queries, parallel fraction
RUN=$1; PORT=$2; JAR=$3; NAME=$4; QUERY=$5
/tmp/Q/restart.sh $RUN $JAR $PORT > /dev/null
PORT=$PORT /tmp/Q/q.sh $RUN 3 "$QUERY" > /dev/null
PID=$(cat $RUN/server.pid)
jcmd $PID JVMTI.agent_load /tmp/ap/linux-x64/libasyncProfiler.so "\"start,event=wall,interval=5ms,threads,file=/tmp/Q/$NAME.jfr\"" >/dev/null
PORT=$PORT /tmp/Q/q.sh $RUN 3 "$QUERY" | tee /tmp/Q/$NAME.q.txt
jcmd $PID JVMTI.agent_load /tmp/ap/linux-x64/libasyncProfiler.so "\"stop,file=/tmp/Q/$NAME.jfr\"" >/dev/null
jfr print --events jdk.ExecutionSample --stack-depth 64 /tmp/Q/$NAME.jfr > /tmp/Q/$NAME.txt
python3 /tmp/Q/par.py /tmp/Q/$NAME.txt

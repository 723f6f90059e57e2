#!/usr/bin/env bash
# Summarises the CPU samples of a JFR recording: top frames, the first Fjord frame under each sample
# (which module spends the CPU), and samples per thread group (thread name without its number).
#   bench/jfr-top.sh recording.jfr [N]
set -eu # no pipefail: `head` closing the pipe early is not an error here
JFR_FILE=$1
N=${2:-25}
jfr print --stack-depth 64 --events jdk.ExecutionSample "$JFR_FILE" | awk '
  /sampledThread = /{t=$0; sub(/.*sampledThread = "/, "", t); sub(/".*/, "", t); gsub(/[0-9]+/, "#", t)}
  /stackTrace = \[/{inst=1; top=""; fj=""; next}
  inst && /^[ \t]*\]/{print "TOP\t" top; print "FJORD\t" (fj == "" ? "(no io.fjord frame)" : fj);
                      print "THREAD\t" t; inst=0; next}
  inst {f=$0; sub(/^[ \t]+/, "", f); sub(/[ \t]+line:.*/, "", f);
        if (top == "") top=f; if (fj == "" && f ~ /^io\.fjord\./) fj=f}' > "$JFR_FILE.frames"
total=$(grep -c '^TOP' "$JFR_FILE.frames")
for kind in THREAD TOP FJORD; do
  echo "## $kind (of $total samples)"
  grep "^$kind" "$JFR_FILE.frames" | cut -f2 | sort | uniq -c | sort -rn | head -"$N"
done

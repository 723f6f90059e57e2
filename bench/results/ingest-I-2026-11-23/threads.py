#!/usr/bin/env python3
"""snapshot per-thread CPU ticks of a pid: threads.py PID OUT.json; diff: threads.py --diff A.json B.json LINES"""
import json, os, re, sys
from collections import defaultdict
def snap(pid):
    out = {}
    for t in os.listdir(f"/proc/{pid}/task"):
        try:
            s = open(f"/proc/{pid}/task/{t}/stat").read()
        except OSError:
            continue
        name = s[s.index('(') + 1:s.rindex(')')]
        f = s[s.rindex(')') + 2:].split()
        out[t] = (name, int(f[11]) + int(f[12]))
    return out
def group(name):
    n = name
    for pat, g in [(r'StreamThread|StreamTh', 'streams'), (r'flush', 'flusher'), (r'producer-network|kafka-producer', 'producer sender'),
                   (r'request-handler|data-plane-kafka-re', 'broker io'), (r'network-thread|data-plane-kafka-ne|kafka-network', 'broker network'),
                   (r'qtp|JettyServerThreadPool|Jetty', 'jetty'), (r'C2 Compiler|C1 Compiler', 'jit'), (r'GC |G1 |VM Thread|ParGC', 'gc/vm')]:
        if re.search(pat, n):
            return g
    return 'other:' + re.sub(r'[-_ ]?\d+$', '', n)
if sys.argv[1] == '--diff':
    a = json.load(open(sys.argv[2])); b = json.load(open(sys.argv[3])); lines = float(sys.argv[4])
    g = defaultdict(int)
    for t, (name, ticks) in b.items():
        g[group(name)] += ticks - (a.get(t, [name, 0])[1] if a.get(t, [None])[0] == name else 0)
    hz = os.sysconf('SC_CLK_TCK')
    tot = sum(g.values())
    for k, v in sorted(g.items(), key=lambda kv: -kv[1]):
        if v > 0:
            print(f"{k:28s} {v / hz:7.2f} s  {v / hz * 1e6 / lines:6.3f} us/line  {100 * v / tot:5.1f}%")
    print(f"{'total':28s} {tot / hz:7.2f} s  {tot / hz * 1e6 / lines:6.3f} us/line")
else:
    json.dump(snap(int(sys.argv[1])), open(sys.argv[2], 'w'))

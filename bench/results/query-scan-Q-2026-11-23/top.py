import sys, collections, re
f = sys.argv[1]; pats = sys.argv[2:]
self_ = collections.Counter(); incl = collections.Counter(); total = 0; thr = collections.Counter()
for line in open(f):
    stack, n = line.rsplit(' ', 1); n = int(n); total += n
    frames = stack.split(';')
    self_[frames[-1]] += n
    seen = set()
    for fr in frames:
        m = re.sub(r'_\[[a-z0-9]\]$', '', fr)
        if m not in seen:
            seen.add(m); incl[m] += n
    thr[frames[0][:60]] += n
print("total", total)
print("-- threads/roots"); [print(f"{v*100/total:5.1f}% {k}") for k, v in thr.most_common(12)]
print("-- self"); [print(f"{v*100/total:5.1f}% {k}") for k, v in self_.most_common(30)]
print("-- inclusive (io/fjord + patterns)")
for k, v in incl.most_common(400):
    if 'fjord' in k or any(p in k for p in pats):
        if v*100/total >= 0.5: print(f"{v*100/total:5.1f}% {k}")

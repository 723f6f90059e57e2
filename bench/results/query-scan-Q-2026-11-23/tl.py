import re,sys,collections
ev=[];cur=None
for line in open(sys.argv[1]):
    line=line.rstrip()
    if line.startswith('jdk.ExecutionSample'): cur={'st':[]}
    elif line.startswith('  startTime'): cur['t']=line.split('= ')[1]
    elif line.startswith('  sampledThread'): cur['th']=line.split('"')[1]
    elif line.startswith('  state'): cur['s']=line.split('"')[1]
    elif line.startswith('    ') and cur is not None: cur['st'].append(line.strip())
    elif line=='}' and cur: ev.append(cur); cur=None
def ms(t):
    h,m,s=t.split(':'); return (int(h)*3600+int(m)*60+float(s))*1000
W=int(sys.argv[2]) if len(sys.argv)>2 else 50
b=collections.defaultdict(lambda: collections.Counter())
for e in ev:
    if e.get('s')!='STATE_RUNNABLE': continue
    st=' '.join(e['st'])
    if 'io.fjord' not in st: continue
    cat='decode' if ('BlockDecoder' in st or 'Compression' in st or 'readBlock' in st) else ('mem' if 'EntryCursor' in st or 'IngesterQueries' in st else 'other-fjord')
    b[int(ms(e['t'])//W)][(e['th'][:22],cat)]+=1
t0=min(b)
for k in sorted(b):
    print(f"{(k-t0)*W:6d} ", '  '.join(f"{th}/{c}:{n}" for (th,c),n in sorted(b[k].items())))

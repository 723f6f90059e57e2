import sys,collections
exec(open('/tmp/Q/tl.py').read().split("def ms")[0].replace("sys.argv[1]","'%s'"%sys.argv[1]))
def ms(t):
    h,m,s=t.split(':'); return (int(h)*3600+int(m)*60+float(s))*1000
W=50
b=collections.defaultdict(set)
for e in ev:
    if e.get('s')!='STATE_RUNNABLE': continue
    st=' '.join(e['st'])
    if 'io.fjord' not in st: continue
    if not any(k in st for k in ('EntryCursor','BlockDecoder','Compression','ChunkReader')): continue
    b[int(ms(e['t'])//W)].add(e['th'])
one=sum(1 for k in b if len(b[k])==1); two=sum(1 for k in b if len(b[k])>=2)
print(f"{sys.argv[1]}: 50-ms windows with scan work: {len(b)}; on one thread only: {one} ({one*100/len(b):.0f}%), on two or more: {two}")

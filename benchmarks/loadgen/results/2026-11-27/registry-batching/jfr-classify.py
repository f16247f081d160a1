# Classifies JFR CPU samples: jfr print --json --stack-depth 200 --events jdk.ExecutionSample rec.jfr > s.json
# then python3 jfr-classify.py s.json. Registry = any H2 or JdbcServerStore frame, split by the outermost store method.
import json, sys, re, collections
d = json.load(open(sys.argv[1]))
events = d['recording']['events']
tot = 0
cat = collections.Counter(); sub = collections.Counter()
for e in events:
    frames = e['values']['stackTrace']['frames']  # top first
    names = [f['method']['type']['name'].replace('/', '.') + '.' + f['method']['name'] for f in frames]
    tot += 1
    reg = [n for n in names if 'JdbcServerStore' in n]
    h2 = any(n.startswith('org.h2.') for n in names)
    if reg or h2:
        cat['registry (H2 + JdbcServerStore)'] += 1
        m = None
        for n in reversed(names):  # outermost first
            if 'JdbcServerStore' in n:
                m = n.split('.')[-1]
                break
        if m:
            mm = re.sub(r'^lambda\$(\w+)\$\d+$', r'\1', m)
            sub[mm] += 1
        else:
            sub['(h2 without store frame)'] += 1
        continue
    c = 'other'
    if any(n.startswith('org.cardinaldm.benchmarks.loadgen.SimDevice') or n.startswith('org.cardinaldm.benchmarks.loadgen.LoadGenerator') for n in names) and not any(n.startswith('org.eclipse.jetty') for n in names):
        cat['simulated devices / loadgen (not Jetty threads)'] += 1
        continue
    for n in names:
        if n.startswith('org.cardinaldm.benchmarks.loadgen'): c='simulated devices / loadgen'; break
        if n.startswith('org.eclipse.jetty'): c='jetty'; break
        if n.startswith('org.cardinaldm.syncml'): c='syncml codec'; break
        if n.startswith('org.cardinaldm.server'): c='session engine'; break
        if n.startswith('jdk.internal.net.http') or n.startswith('java.net.http'): c='jdk http client'; break
    cat[c] += 1
print(sys.argv[1], 'samples', tot)
for k, v in cat.most_common(): print(f'  {100*v/tot:5.1f} %  {k}')
print('  registry by outermost JdbcServerStore method:')
for k, v in sub.most_common(12): print(f'    {100*v/tot:5.1f} %  {k}')

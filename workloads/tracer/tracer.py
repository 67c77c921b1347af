#!/usr/bin/env python3
"""Captures DSA workload traces from autoregressive decoding of a transformer.

For every decode step and every layer it logs the top-k cached tokens chosen by two selectors:

* oracle: the tokens with the largest attention probability summed over all heads - what a DSA
  indexer is trained to imitate;
* indexer: a DeepSeek-V3.2-style lightweight indexer per layer (a few heads of small dimension,
  ReLU of query-key products weighted per head), distilled briefly by KL divergence against the
  oracle's head-summed attention distribution.

The model decodes densely: the indexer's choices are logged, not enforced. Each selector's trace
is written as an .npz in the layout dsasim reads (docs/trace-format.md): `indices` int32
[steps, layers, seqs, k] in rank order with -1 padding, `context_len` int32 [steps, seqs], and
scalar metadata. Convert with `dsasim trace convert PREFIX.indexer.npz OUT.dsat`.

Step t feeds the token at position prompt_len - 1 + t (step 0 feeds the last prompt token), so
its query sees the prompt_len + t cached tokens 0 .. prompt_len + t - 1, itself included:
context_len = prompt_len + t, as dsasim's inference rule for npz traces assumes.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# ----------------------------------------------------------------------------- model


def tiny_llama(layers: int, hidden: int, heads: int, kv_heads: int, vocab: int,
               max_positions: int, seed: int):
    """A randomly initialised Llama-architecture model built from a config: no download."""
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(
        vocab_size=vocab,
        hidden_size=hidden,
        intermediate_size=2 * hidden,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        num_key_value_heads=kv_heads,
        max_position_embeddings=max_positions,
        tie_word_embeddings=False,
    )
    torch.manual_seed(seed)
    return use_eager_attention(LlamaForCausalLM(config))


def pretrained(name: str):
    from transformers import AutoModelForCausalLM

    return use_eager_attention(AutoModelForCausalLM.from_pretrained(name, attn_implementation="eager"))


def use_eager_attention(model):
    """The selectors need attention probabilities, which only the eager implementation returns."""
    if hasattr(model, "set_attn_implementation"):
        model.set_attn_implementation("eager")
    else:
        model.config._attn_implementation = "eager"
    return model


def model_dims(model) -> tuple[int, int, int, int]:
    """(layers, hidden size, KV heads, head dim) from a Hugging Face config."""
    c = model.config
    heads = c.num_attention_heads
    kv_heads = getattr(c, "num_key_value_heads", None) or heads
    head_dim = getattr(c, "head_dim", None) or c.hidden_size // heads
    return c.num_hidden_layers, c.hidden_size, kv_heads, head_dim


# ----------------------------------------------------------------------------- indexer


def rms_normalise(x: torch.Tensor) -> torch.Tensor:
    x = x.float()
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6)


def rotate(x: torch.Tensor, positions: torch.Tensor, base: float = 10000.0) -> torch.Tensor:
    """Rotary position embedding of x [B, T, D] or [B, T, H, D] (D even) at positions [T]."""
    d = x.shape[-1]
    inv = 1.0 / (base ** (torch.arange(0, d, 2, device=x.device, dtype=torch.float32) / d))
    angles = positions.float()[:, None] * inv[None, :]  # [T, D/2]
    angles = angles.view([1, angles.shape[0]] + [1] * (x.dim() - 3) + [d // 2])
    cos, sin = angles.cos(), angles.sin()
    x1, x2 = x[..., 0::2], x[..., 1::2]
    return torch.stack((x1 * cos - x2 * sin, x1 * sin + x2 * cos), dim=-1).flatten(-2)


class LightningIndexer(nn.Module):
    """DeepSeek-V3.2-style indexer of one layer.

    score(t, s) = sum_h w_h(t) * relu(q_h(t) . k(s)) / sqrt(dim): `heads` query heads of size
    `dim`, one key per token shared by the heads, per-head weights computed from the query
    token, rotary positions on queries and keys. Inputs are the layer's input hidden states.
    """

    def __init__(self, hidden: int, heads: int, dim: int):
        super().__init__()
        self.heads, self.dim = heads, dim
        self.wq = nn.Linear(hidden, heads * dim, bias=False)
        self.wk = nn.Linear(hidden, dim, bias=False)
        self.k_norm = nn.LayerNorm(dim)
        self.weights = nn.Linear(hidden, heads, bias=False)

    def keys(self, x: torch.Tensor, positions: torch.Tensor) -> torch.Tensor:
        """[B, T, hidden] -> [B, T, dim]."""
        return rotate(self.k_norm(self.wk(rms_normalise(x))), positions)

    def queries(self, x: torch.Tensor, positions: torch.Tensor):
        """[B, T, hidden] -> queries [B, T, heads, dim] and head weights [B, T, heads]."""
        h = rms_normalise(x)
        q = self.wq(h).view(*x.shape[:2], self.heads, self.dim)
        return rotate(q, positions), self.weights(h) / math.sqrt(self.heads)

    def scores(self, q: torch.Tensor, w: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
        """Queries [B, Tq, H, D], weights [B, Tq, H], keys [B, Tk, D] -> [B, Tq, Tk]."""
        dots = torch.einsum("bqhd,bkd->bqhk", q, k) / math.sqrt(self.dim)
        return torch.einsum("bqhk,bqh->bqk", F.relu(dots), w)


def head_summed(attention: torch.Tensor) -> torch.Tensor:
    """Attention probabilities [B, H, Tq, Tk] -> distribution over keys [B, Tq, Tk] (mean over heads)."""
    return attention.float().mean(dim=1)


def distillation_kl(indexer: LightningIndexer, hidden: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean over queries of KL(target || softmax(indexer scores)) under a causal mask."""
    t = hidden.shape[1]
    positions = torch.arange(t, device=hidden.device)
    q, w = indexer.queries(hidden, positions)
    s = indexer.scores(q, w, indexer.keys(hidden, positions))
    causal = torch.ones(t, t, dtype=torch.bool, device=hidden.device).tril()
    log_q = F.log_softmax(s.masked_fill(~causal, -1e9), dim=-1)
    kl = F.kl_div(log_q, target, reduction="none").sum(-1)  # 0 * log 0 = 0 for masked keys
    return kl.mean()


@torch.no_grad()
def teacher_targets(model, tokens: torch.Tensor):
    """Per layer: the layer's input hidden states and the head-summed attention distribution."""
    out = model(input_ids=tokens, output_attentions=True, output_hidden_states=True, use_cache=False)
    layers = len(out.attentions)
    return [(out.hidden_states[l].float(), head_summed(out.attentions[l])) for l in range(layers)]


def distill(model, indexers: nn.ModuleList, batches: list[torch.Tensor], steps: int, lr: float):
    """Trains the indexers against the model's attention; returns (KL before, KL after)."""
    data = [teacher_targets(model, b) for b in batches]

    def mean_kl():
        with torch.no_grad():
            return float(np.mean([distillation_kl(ix, h, p).item()
                                  for d in data for ix, (h, p) in zip(indexers, d)]))

    before = mean_kl()
    opt = torch.optim.Adam(indexers.parameters(), lr=lr)
    for step in range(steps):
        d = data[step % len(data)]
        loss = sum(distillation_kl(ix, h, p) for ix, (h, p) in zip(indexers, d)) / len(indexers)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return before, mean_kl()


# ----------------------------------------------------------------------------- tracing


@dataclasses.dataclass
class Trace:
    oracle: np.ndarray  # int32 [steps, layers, seqs, k], rank order, -1 padding
    indexer: np.ndarray  # int32 [steps, layers, seqs, k]
    context_len: np.ndarray  # int32 [steps, seqs]
    tokens: torch.Tensor  # [seqs, prompt_len + steps - 1]: every token fed, prompt first


def rank_top(scores: torch.Tensor, k: int) -> np.ndarray:
    """Top-k positions of each row of [B, C] in decreasing score, -1 padded to k."""
    kk = min(k, scores.shape[-1])
    top = scores.topk(kk, dim=-1, sorted=True).indices.cpu().numpy().astype(np.int32)
    return np.pad(top, ((0, 0), (0, k - kk)), constant_values=-1)


@torch.no_grad()
def trace(model, indexers: nn.ModuleList, prompts: torch.Tensor, steps: int, topk: int,
          decode: str, generator: torch.Generator, continuation: torch.Tensor | None = None) -> Trace:
    """Decodes `steps` tokens after `prompts` [B, P], logging both selectors at every step."""
    seqs, prompt_len = prompts.shape
    layers = len(indexers)
    device = prompts.device
    oracle = np.full((steps, layers, seqs, topk), -1, dtype=np.int32)
    chosen = np.full((steps, layers, seqs, topk), -1, dtype=np.int32)
    context = np.zeros((steps, seqs), dtype=np.int32)

    fed = [prompts]
    cache = None
    index_keys = [torch.zeros(seqs, 0, ix.dim, device=device) for ix in indexers]
    if prompt_len > 1:
        out = model(input_ids=prompts[:, :-1], use_cache=True, output_hidden_states=True)
        cache = out.past_key_values
        positions = torch.arange(prompt_len - 1, device=device)
        index_keys = [ix.keys(out.hidden_states[l].float(), positions)
                      for l, ix in enumerate(indexers)]
    token = prompts[:, -1]
    for t in range(steps):
        position = prompt_len - 1 + t
        out = model(input_ids=token[:, None], past_key_values=cache, use_cache=True,
                    output_attentions=True, output_hidden_states=True)
        cache = out.past_key_values
        ctx = position + 1
        pos = torch.tensor([position], device=device)
        for l, ix in enumerate(indexers):
            attention = out.attentions[l]
            assert attention.shape[-1] == ctx, (attention.shape, ctx)
            oracle[t, l] = rank_top(head_summed(attention)[:, 0], topk)
            x = out.hidden_states[l].float()
            index_keys[l] = torch.cat([index_keys[l], ix.keys(x, pos)], dim=1)
            q, w = ix.queries(x, pos)
            chosen[t, l] = rank_top(ix.scores(q, w, index_keys[l])[:, 0], topk)
        context[t] = ctx
        if t + 1 < steps:
            logits = out.logits[:, -1].float()
            if decode == "teacher":
                token = continuation[:, t]
            elif decode == "greedy":
                token = logits.argmax(-1)
            else:
                # Sampled on the CPU, where the seeded generator lives: reproducible on any device.
                token = torch.multinomial(logits.softmax(-1).cpu(), 1, generator=generator)[:, 0]
                token = token.to(device)
            fed.append(token[:, None])
    return Trace(oracle, chosen, context, torch.cat(fed, dim=1))


# ----------------------------------------------------------------------------- output


def write_npz(path: str, indices: np.ndarray, context_len: np.ndarray, metadata: dict) -> None:
    """Writes the dsasim npz layout atomically (temporary file, then rename)."""
    arrays = {"indices": indices.astype(np.int32), "context_len": context_len.astype(np.int32)}
    for key, value in metadata.items():
        if isinstance(value, str):
            arrays[key] = np.str_(value)
        elif isinstance(value, float):
            arrays[key] = np.float64(value)
        else:
            arrays[key] = np.int64(value)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, "." + os.path.basename(path) + ".tmp.npz")
    try:
        np.savez(tmp, **arrays)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


# ----------------------------------------------------------------------------- command line


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--out", required=True,
                   help="output prefix: writes PREFIX.oracle.npz and PREFIX.indexer.npz")
    p.add_argument("--model", help="Hugging Face model name or path (default: a tiny random Llama)")
    p.add_argument("--tiny-layers", type=int, default=4)
    p.add_argument("--tiny-hidden", type=int, default=128)
    p.add_argument("--tiny-heads", type=int, default=4)
    p.add_argument("--tiny-kv-heads", type=int, default=2)
    p.add_argument("--tiny-vocab", type=int, default=512)
    p.add_argument("--prompt-file", help="text file; prompts are consecutive windows of its tokens"
                   " (default: random tokens)")
    p.add_argument("--seqs", type=int, default=2, help="sequences decoded together")
    p.add_argument("--prompt-len", type=int, default=256)
    p.add_argument("--steps", type=int, default=64, help="decode steps")
    p.add_argument("--topk", type=int, default=32, help="k: tokens logged per step, layer, sequence")
    p.add_argument("--decode", choices=["sample", "greedy", "teacher"], default="sample",
                   help="next token: sampled, argmax, or the prompt file's true continuation")
    p.add_argument("--indexer-heads", type=int, default=4)
    p.add_argument("--indexer-dim", type=int, default=32)
    p.add_argument("--distill-steps", type=int, default=200)
    p.add_argument("--distill-len", type=int, default=256, help="tokens per distillation sequence")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--page-size", type=int, default=64, help="KV page size recorded in the trace")
    p.add_argument("--kv-element-bytes", type=int, default=2,
                   help="bytes per K/V element when served (2 = bf16) for entry_bytes")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--dtype", choices=["float32", "bfloat16"], default="float32")
    return p.parse_args(argv)


def token_source(args, vocab: int, tokenizer, count: int, length: int, generator) -> torch.Tensor:
    """`count` sequences of `length` tokens: windows of the prompt file, or random tokens."""
    if args.prompt_file is None:
        return torch.randint(0, vocab, (count, length), generator=generator)
    with open(args.prompt_file, encoding="utf-8") as f:
        ids = tokenizer(f.read(), return_tensors="pt").input_ids[0]
    if len(ids) < count * length:
        sys.exit(f"{args.prompt_file}: {len(ids)} tokens, need {count} x {length}")
    return ids[: count * length].view(count, length)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.decode == "teacher" and args.prompt_file is None:
        sys.exit("--decode teacher needs --prompt-file")
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    if args.model:
        from transformers import AutoTokenizer

        model = pretrained(args.model)
        tokenizer = AutoTokenizer.from_pretrained(args.model) if args.prompt_file else None
        name = args.model
    else:
        max_positions = max(args.prompt_len + args.steps, args.distill_len) + 1
        model = tiny_llama(args.tiny_layers, args.tiny_hidden, args.tiny_heads,
                           args.tiny_kv_heads, args.tiny_vocab, max_positions, args.seed)
        tokenizer = None
        name = (f"tiny-random-llama-L{args.tiny_layers}-d{args.tiny_hidden}"
                f"-h{args.tiny_heads}-kv{args.tiny_kv_heads}")
    dtype = getattr(torch, args.dtype)
    model = model.to(device=args.device, dtype=dtype).eval()
    layers, hidden, kv_heads, head_dim = model_dims(model)
    vocab = model.config.vocab_size

    indexers = nn.ModuleList(LightningIndexer(hidden, args.indexer_heads, args.indexer_dim)
                             for _ in range(layers)).to(args.device)
    need = args.prompt_len + (args.steps if args.decode == "teacher" else 0)
    tokens = token_source(args, vocab, tokenizer, args.seqs, need, generator).to(args.device)
    prompts, continuation = tokens[:, : args.prompt_len], tokens[:, args.prompt_len:]
    distill_data = token_source(args, vocab, tokenizer, 1, args.distill_len, generator)
    kl_before, kl_after = distill(model, indexers, [distill_data.to(args.device)],
                                  args.distill_steps, args.lr)
    indexers.eval()
    result = trace(model, indexers, prompts, args.steps, args.topk, args.decode, generator,
                   continuation if args.decode == "teacher" else None)

    common = {
        "model": name,
        "entry_bytes": 2 * kv_heads * head_dim * args.kv_element_bytes,
        "index_key_bytes": args.indexer_dim + 4,  # FP8 key + a 4-byte scale, as DeepSeek-V3.2
        "page_size": args.page_size,
        "prompt_len": args.prompt_len,
        "seed": args.seed,
        "decode": args.decode,
    }
    write_npz(args.out + ".oracle.npz", result.oracle, result.context_len,
              {**common, "selector": "oracle (top-k of head-summed attention)"})
    write_npz(args.out + ".indexer.npz", result.indexer, result.context_len,
              {**common, "selector": "lightning indexer", "indexer_heads": args.indexer_heads,
               "indexer_dim": args.indexer_dim, "distill_steps": args.distill_steps,
               "distill_kl_before": kl_before, "distill_kl_after": kl_after})
    print(f"{name}: {args.steps} steps x {layers} layers x {args.seqs} sequences, top-{args.topk};"
          f" indexer KL {kl_before:.4g} -> {kl_after:.4g}; wrote {args.out}.oracle.npz and"
          f" {args.out}.indexer.npz")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The Bench target's PyTorch side: the same hot paths as `classifsae bench`, written the way the original
Python code (transformers' GPT-NeoX, a SAELens-style TopK SAE, torch.optim) runs them, at the same shapes.

Run one case per process so the C# harness can interleave it with its own measurement of that case:

    python3 build/tools/bench_torch.py --case sae_step_d512 --threads 2 --warmup 3 --repetitions 15

prints one JSON object: median/min seconds of the case, the fp32 matmul ceiling measured in this process, and the
torch version and thread settings. `--list` prints the case names. Needs only torch (Debian: python3-torch).
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

PYTHIA = {
    "pythia-70m": dict(vocab=50304, d=512, layers=6, heads=8, ffn=2048),
    "pythia-160m": dict(vocab=50304, d=768, layers=12, heads=12, ffn=3072),
    "tiny": dict(vocab=512, d=64, layers=2, heads=4, ffn=256),
}
PROMPTS = {"ag_news": (40, 80), "imdb": (150, 450), "short": (8, 16)}


# ---------------------------------------------------------------------------------------------------------------
# GPT-NeoX as transformers writes it (parallel residual, partial rotary, fused QKV with per-head interleaving).
class NeoXLayer(torch.nn.Module):
    def __init__(self, d, heads, ffn):
        super().__init__()
        self.heads, self.hd = heads, d // heads
        self.rot = int(self.hd * 0.25)
        self.input_layernorm = torch.nn.LayerNorm(d, eps=1e-5)
        self.post_attention_layernorm = torch.nn.LayerNorm(d, eps=1e-5)
        self.query_key_value = torch.nn.Linear(d, 3 * d)
        self.dense = torch.nn.Linear(d, d)
        self.dense_h_to_4h = torch.nn.Linear(d, ffn)
        self.dense_4h_to_h = torch.nn.Linear(ffn, d)

    def rotate(self, x, cos, sin):
        r = x[..., : self.rot]
        half = self.rot // 2
        rotated = torch.cat((-r[..., half:], r[..., :half]), dim=-1)
        return torch.cat((r * cos + rotated * sin, x[..., self.rot:]), dim=-1)

    def attention(self, x, cos, sin, mask):
        b, t, d = x.shape
        qkv = self.query_key_value(x).view(b, t, self.heads, 3 * self.hd).permute(0, 2, 1, 3)
        q, k, v = qkv.split(self.hd, dim=-1)
        q, k = self.rotate(q, cos, sin), self.rotate(k, cos, sin)
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.hd)
        if mask is not None:
            scores = scores.masked_fill(~mask, torch.finfo(scores.dtype).min)
        out = torch.matmul(scores.softmax(-1), v).permute(0, 2, 1, 3).reshape(b, t, d)
        return self.dense(out)

    def forward(self, x, cos, sin, mask):
        attn = self.attention(self.input_layernorm(x), cos, sin, mask)
        mlp = self.dense_4h_to_h(F.gelu(self.dense_h_to_4h(self.post_attention_layernorm(x))))
        return x + attn + mlp


class NeoX(torch.nn.Module):
    def __init__(self, vocab, d, layers, heads, ffn):
        super().__init__()
        self.embed_in = torch.nn.Embedding(vocab, d)
        self.layers = torch.nn.ModuleList(NeoXLayer(d, heads, ffn) for _ in range(layers))
        self.final_layer_norm = torch.nn.LayerNorm(d, eps=1e-5)
        self.embed_out = torch.nn.Linear(d, vocab, bias=False)
        rot = self.layers[0].rot
        self.inv_freq = 1.0 / (10000 ** (torch.arange(0, rot, 2).float() / rot))
        for name, p in self.named_parameters():
            if name.endswith("bias"):
                torch.nn.init.zeros_(p)
            elif "norm" in name:
                torch.nn.init.ones_(p)
            else:
                torch.nn.init.normal_(p, 0, 0.02)

    def angles(self, positions):
        freqs = positions.float().unsqueeze(-1) * self.inv_freq
        emb = torch.cat((freqs, freqs), dim=-1).unsqueeze(1)  # [B,1,T,rot]
        return emb.cos(), emb.sin()

    def decision(self, ids, attention_mask, hook_layer, position=-2):
        """Residual entering `hook_layer` and the vocabulary logits, both at column `position` (the caching pass)."""
        positions = (attention_mask.cumsum(-1) - 1).clamp(min=0)
        cos, sin = self.angles(positions)
        t = ids.shape[1]
        causal = torch.ones(t, t, dtype=torch.bool).tril()
        mask = (causal & attention_mask.bool()[:, None, None, :]) | torch.eye(t, dtype=torch.bool)
        h = self.embed_in(ids)
        hidden = None
        for i, layer in enumerate(self.layers):
            if i == hook_layer:
                hidden = h[:, position].clone()
            h = layer(h, cos, sin, mask)
        return hidden, self.embed_out(self.final_layer_norm(h[:, position]))

    def tail(self, hidden, from_layer, token_ids):
        h = hidden.unsqueeze(1)
        cos, sin = self.angles(torch.zeros(hidden.shape[0], 1, dtype=torch.long))
        for layer in self.layers[from_layer:]:
            h = layer(h, cos, sin, None)
        normed = self.final_layer_norm(h.squeeze(1))
        return self.embed_out(normed) if token_ids is None else F.linear(normed, self.embed_out.weight[token_ids])


def left_padded(lengths, vocab, seed):
    g = torch.Generator().manual_seed(seed)
    t = max(lengths)
    ids = torch.zeros(len(lengths), t, dtype=torch.long)
    mask = torch.zeros(len(lengths), t, dtype=torch.long)
    for i, n in enumerate(lengths):
        ids[i, t - n:] = torch.randint(1, vocab, (n,), generator=g)
        mask[i, t - n:] = 1
    return ids, mask


class DotNetRandom:
    """System.Random(seed) of .NET (its seeded, Knuth-subtractive generator), so the prompt lengths drawn here are the
    very lengths the C# cases draw: same tokens, same FLOPs."""
    MBIG, MSEED = 2147483647, 161803398

    def __init__(self, seed):
        a = [0] * 56
        mj = self.MSEED - (2147483647 if seed == -2147483648 else abs(seed))
        a[55] = mj
        mk, ii = 1, 0
        for i in range(1, 55):
            ii += 21
            if ii >= 55:
                ii -= 55
            a[ii] = mk
            mk = mj - mk
            if mk < 0:
                mk += self.MBIG
            mj = a[ii]
        for _ in range(1, 5):
            for i in range(1, 56):
                n = i + 30
                if n >= 55:
                    n -= 55
                a[i] -= a[1 + n]
                if a[i] < -2147483648:  # Int32 wrap-around, as in C#
                    a[i] += 2 ** 32
                if a[i] < 0:
                    a[i] += self.MBIG
        self.a, self.inext, self.inextp = a, 0, 21

    def _sample(self):
        self.inext = 1 if self.inext + 1 >= 56 else self.inext + 1
        self.inextp = 1 if self.inextp + 1 >= 56 else self.inextp + 1
        r = self.a[self.inext] - self.a[self.inextp]
        if r == self.MBIG:
            r -= 1
        if r < 0:
            r += self.MBIG
        self.a[self.inext] = r
        return r * (1.0 / self.MBIG)

    def next(self, lo, hi):
        """Random.Next(lo, hi): an int in [lo, hi)."""
        return int(self._sample() * (hi - lo)) + lo


def lengths_by_length(dataset, count, batch, seed):
    """PromptLengths.BatchesByLength: draw, sort, cut; the median batch, as CachingForwardCase takes it."""
    lo, hi = PROMPTS[dataset]
    r = DotNetRandom(seed)
    lengths = sorted(r.next(lo, hi + 1) for _ in range(count))
    batches = [lengths[i:i + batch] for i in range(0, len(lengths), batch)]
    return batches[len(batches) // 2]


# ---------------------------------------------------------------------------------------------------------------
# ClassifSAE's training step as the original runs it (SAELens TopK training step + classifier head + AR term).
class TopKSae(torch.nn.Module):
    def __init__(self, d, d_sae, k, n_concepts, classes):
        super().__init__()
        w_dec = torch.empty(d_sae, d).uniform_(-math.sqrt(6 / d), math.sqrt(6 / d))
        self.W_enc = torch.nn.Parameter(w_dec.t().clone())
        self.W_dec = torch.nn.Parameter(w_dec / w_dec.norm(dim=-1, keepdim=True))
        self.b_enc = torch.nn.Parameter(torch.zeros(d_sae))
        self.b_dec = torch.nn.Parameter(torch.zeros(d))
        self.cls_w = torch.nn.Parameter(torch.empty(classes, n_concepts).uniform_(-0.1, 0.1))
        self.cls_b = torch.nn.Parameter(torch.zeros(classes))
        self.k, self.n_concepts, self.d = k, n_concepts, d


def sae_step(sae, opt, x, y, dead_window_hits, tau=0.1, lambda_mse=0.1, lambda_ar=0.1, lambda_cls=1.0):
    """Spec 01 §3.3-3.5 as the original writes it: column-std input noise, constant-norm rescale, TopK, DENSE decode,
    dense-batch MSE, activation-rate term by a top-m over every column, classifier CE, ghost grads on dead features,
    clipping, Adam."""
    with torch.no_grad():
        sae.W_dec.data /= sae.W_dec.data.norm(dim=-1, keepdim=True)
    noised = x + 0.2 * x.std(0, unbiased=False) * torch.randn_like(x)
    scale = math.sqrt(sae.d) / noised.norm(dim=-1, keepdim=True)
    pre = (noised * scale) @ sae.W_enc + sae.b_enc
    vals, idx = pre.topk(sae.k, dim=-1)
    z = torch.zeros_like(pre).scatter(-1, idx, F.relu(vals))
    x_hat = (z @ sae.W_dec + sae.b_dec) / scale
    norm = (x - x.mean(0, keepdim=True)).norm(dim=-1, keepdim=True) + 1e-6
    mse_el = lambda_mse * (x_hat - x).pow(2) / norm
    mse = mse_el.sum(-1).mean()
    m = int(x.shape[0] * tau)
    outside = torch.ones_like(z).scatter(0, z.detach().topk(m, dim=0).indices, 0.0)
    ar = (z * outside).sum() / x.shape[0] * lambda_ar
    cls = lambda_cls * F.cross_entropy(z[:, : sae.n_concepts] @ sae.cls_w.t() + sae.cls_b, y)
    dead = dead_window_hits == 0
    ghost = torch.zeros(())
    if dead.any():
        residual = x - x_hat
        clean_scale = math.sqrt(sae.d) / x.norm(dim=-1, keepdim=True)
        hidden_dead = (x * clean_scale) @ sae.W_enc[:, dead] + sae.b_enc[dead]
        ghost_raw = hidden_dead.clamp(max=88).exp() @ sae.W_dec[dead]
        with torch.no_grad():
            s = residual.norm(dim=-1, keepdim=True) / (2 * ghost_raw.norm(dim=-1, keepdim=True) + 1e-6)
        target = residual.detach()
        ghost_mse = (ghost_raw * s - target).pow(2) / ((target - target.mean(0, keepdim=True)).norm(dim=-1, keepdim=True) + 1e-6)
        ghost = ((mse_el.detach() / (ghost_mse.detach() + 1e-6)) * ghost_mse).mean()
    loss = (ar + mse + ghost) + cls   # the linear decay weight is 1 during the timed steps
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(sae.parameters(), 1.0)
    opt.step()
    with torch.no_grad():
        dead_window_hits += (z > 0).sum(0)


# ---------------------------------------------------------------------------------------------------------------
def timed(fn, warmup, repetitions):
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repetitions):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def matmul_ceiling(n=2048):
    a, b = torch.randn(n, n), torch.randn(n, n)
    s = timed(lambda: a @ b, 2, 7)
    return 2 * n ** 3 / statistics.median(s) / 1e9


def case(name):
    """(description, flops per iteration, work, setup -> iteration function) for a case name of BenchSuite."""
    torch.manual_seed(0)
    if name.startswith("sae_step_d"):
        d = int(name[len("sae_step_d"):])
        b, d_sae = (50 if d == 64 else 500), 2 * d
        rows = 200 if d == 64 else 4000
        sae = TopKSae(d, d_sae, 10, 20, 4)
        opt = torch.optim.Adam(sae.parameters(), lr=5e-5)
        x_all, y_all = torch.randn(rows, d), torch.randint(0, 4, (rows,))
        hits = torch.zeros(d_sae, dtype=torch.long)
        state = {"i": 0}

        def step():
            i = state["i"] % (rows // b)
            state["i"] += 1
            sae_step(sae, opt, x_all[i * b:(i + 1) * b], y_all[i * b:(i + 1) * b], hits)
            if state["i"] % 2 == 0:  # the C# case's dead window of 2 steps
                hits.zero_()
        return 12.0 * b * d * d_sae, step
    parts = name.split("_")
    if name.startswith("cache_forward_") or name.startswith("finetune_step_"):
        model_name = parts[2]
        dataset = "_".join(parts[3:]).replace("_without_optimizer", "") if model_name != "tiny" else "short"
        cfg = PYTHIA[model_name]
        model = NeoX(**cfg)
        if name.startswith("cache_forward_"):
            count, batch = {"ag_news": (7600, 32), "imdb": (25000, 8), "short": (64, 8)}[dataset]
            lengths = lengths_by_length(dataset, count, batch, 0)
            ids, mask = left_padded(lengths, cfg["vocab"], 0)
            model.eval()

            def forward():
                with torch.no_grad():
                    model.decision(ids, mask, cfg["layers"] - 1)
            return 2.0 * block_params(cfg) * sum(lengths) + 2.0 * cfg["d"] * cfg["vocab"] * len(lengths), forward
        r = DotNetRandom(0)
        lo, hi = PROMPTS[dataset]
        lengths = [r.next(lo, hi + 1) for _ in range(8 if model_name != "tiny" else 4)]
        ids, mask = left_padded(lengths, cfg["vocab"], 0)
        model.train()
        decay = [p for n, p in model.named_parameters() if not (n.endswith("bias") or "norm" in n)]
        no_decay = [p for n, p in model.named_parameters() if n.endswith("bias") or "norm" in n]
        opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=2e-6)
        with_optimizer = not name.endswith("_without_optimizer")

        def step():
            _, logits = model.decision(ids, mask, cfg["layers"], position=-2)
            loss = F.cross_entropy(logits, ids[:, -1])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            if with_optimizer:
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
        return 6.0 * block_params(cfg) * sum(lengths) + 6.0 * cfg["d"] * cfg["vocab"] * len(lengths), step
    if name.startswith("adamw_step_"):
        # The optimizer alone, as the original's Trainer runs it: clip_grad_norm_ then torch.optim.AdamW with HF's groups.
        cfg = PYTHIA[parts[2]]
        model = NeoX(**cfg)
        params = list(model.named_parameters())
        for _, p in params:
            p.grad = torch.randn_like(p) * 1e-3
        decay = [p for n, p in params if not (n.endswith("bias") or "norm" in n)]
        no_decay = [p for n, p in params if n.endswith("bias") or "norm" in n]
        opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=2e-6)

        def step():
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
        return 32.0 * sum(p.numel() for _, p in params), step
    if name.startswith("tail_forward_"):
        cfg = PYTHIA[parts[2]]
        model = NeoX(**cfg).eval()
        rows = 32 if parts[2] == "tiny" else 1000
        hidden = torch.randn(rows, cfg["d"])

        def tail():
            with torch.no_grad():
                model.tail(hidden, cfg["layers"] - 1, None)
        return (2.0 * block_params(cfg) / cfg["layers"] + 2.0 * cfg["d"] * cfg["vocab"]) * rows, tail
    if name.startswith("ablation_conditional_"):
        cfg = PYTHIA[parts[2]]
        model = NeoX(**cfg).eval()
        rows, batch = (512, 64) if parts[2] == "tiny" else (7600, 256)
        d, d_sae, k, n_concepts, tau = cfg["d"], 2 * cfg["d"], 10, 20, 0.1
        hidden = torch.randn(rows, d)
        sae = TopKSae(d, d_sae, k, n_concepts, 4)
        labels = torch.arange(4) + cfg["vocab"] // 2
        with torch.no_grad():
            scale = math.sqrt(d) / hidden.norm(dim=-1, keepdim=True)
            pre = (hidden * scale) @ sae.W_enc + sae.b_enc
            # concept j fires on a share tau of the states, as RandomConceptSae arranges
            thresholds = pre[:, :n_concepts].quantile(1 - tau, dim=0)
            active = pre[:, :n_concepts] > thresholds

        def ablate():
            # The original: for each concept, on the states where it is active, zero it, decode, tail, label logits.
            with torch.no_grad():
                for j in range(n_concepts):
                    states = hidden[active[:, j]]
                    for s in range(0, states.shape[0], batch):
                        x = states[s:s + batch]
                        sc = math.sqrt(d) / x.norm(dim=-1, keepdim=True)
                        p = (x * sc) @ sae.W_enc + sae.b_enc
                        vals, idx = p.topk(k, dim=-1)
                        z = torch.zeros_like(p).scatter(-1, idx, F.relu(vals))
                        z[:, j] = 0
                        model.tail((z @ sae.W_dec + sae.b_dec) / sc, cfg["layers"] - 1, labels)
        active_rows = float(active.sum())
        row_flops = 2.0 * block_params(cfg) / cfg["layers"] + 2.0 * d * 4 + 4.0 * d * d_sae
        return active_rows * row_flops, ablate
    raise SystemExit(f"bench_torch.py: unknown case '{name}' (see --list)")


def blas():
    """Which BLAS torch's matmuls run on (Debian's torch links the system libblas.so.3: reference BLAS unless OpenBLAS is
    installed)."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and ".so" in line}
        return ", ".join(sorted(os.path.basename(os.path.dirname(p)) + "/" + os.path.basename(p) for p in libs)) or "unknown"
    except OSError:
        return "unknown"


def block_params(cfg):
    d, f = cfg["d"], cfg["ffn"]
    return cfg["layers"] * (d * 3 * d + 3 * d + d * d + d + d * f + f + f * d + d + 4 * d)


CASES = ["sae_step_d64", "sae_step_d512", "sae_step_d2048", "cache_forward_tiny", "cache_forward_pythia-70m_ag_news",
         "cache_forward_pythia-70m_imdb", "cache_forward_pythia-160m_ag_news", "cache_forward_pythia-160m_imdb",
         "finetune_step_tiny", "finetune_step_pythia-70m_ag_news", "finetune_step_pythia-70m_ag_news_without_optimizer",
         "tail_forward_tiny", "tail_forward_pythia-70m", "tail_forward_pythia-160m", "ablation_conditional_tiny",
         "ablation_conditional_pythia-70m", "ablation_conditional_pythia-160m"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--case")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--repetitions", type=int, default=3)
    ap.add_argument("--ceiling-size", type=int, default=2048, help="n of the n³ fp32 matmul ceiling (the C# quick suite uses 256)")
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.list:
        print("\n".join(CASES))
        return
    if not a.case:
        ap.error("--case is required")
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    ceiling = matmul_ceiling(a.ceiling_size)
    flops, fn = case(a.case)
    seconds = timed(fn, a.warmup, a.repetitions)
    median = statistics.median(seconds)
    json.dump({
        "case": a.case, "median_seconds": median, "min_seconds": min(seconds), "repetitions": a.repetitions,
        "flops_per_iteration": flops, "gflops": flops / median / 1e9, "ceiling_gflops": ceiling,
        "torch": torch.__version__, "blas": blas(), "threads": torch.get_num_threads(), "interop_threads": torch.get_num_interop_threads(),
    }, sys.stdout)
    print()


if __name__ == "__main__":
    main()

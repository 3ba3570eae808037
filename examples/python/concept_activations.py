#!/usr/bin/env python3
"""Load a trained ClassifSAE / plain-SAE folder and the cached test activations of a run with NumPy alone, encode them
as the SAE does (constant-norm rescale, W_enc + b_enc, TopK, ReLU) and print each selected concept's activation rate.

    python3 examples/python/concept_activations.py runs/smoke/tiny-neox/planted/seed42 --method classifsae

The averages printed are the `avg_activation_rate_pct` / `max_activation_rate_pct` metrics the Evaluate stage stored
(the test of this example checks that they agree).
"""
import argparse
import glob
import json
import os

import numpy as np

from safetensors_np import load_file


def encode(x, w):
    """z = ReLU(TopK_k((√d/‖x‖)·x·W_enc + b_enc)), the SAE's codes [N, d_sae]."""
    d = x.shape[1]
    scale = np.sqrt(d) / np.linalg.norm(x, axis=1, keepdims=True)
    pre = (x * scale) @ w["W_enc"] + w["b_enc"]
    k = w["k"]
    top = np.argpartition(-pre, k - 1, axis=1)[:, :k]
    z = np.zeros_like(pre)
    rows = np.arange(pre.shape[0])[:, None]
    z[rows, top] = np.maximum(pre[rows, top], 0)
    return z


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("run_dir", help="a run folder: runs/<profile>/<model>/<dataset>/seed<N>")
    ap.add_argument("--method", default="classifsae", choices=["classifsae", "sae"])
    a = ap.parse_args()

    sae_dir = os.path.join(a.run_dir, "train", a.method)
    cfg = json.load(open(os.path.join(sae_dir, "cfg.json")))
    weights = load_file(os.path.join(sae_dir, "sae_weights.safetensors"))
    weights["k"] = int(cfg["k"])

    shards = sorted(glob.glob(os.path.join(a.run_dir, "cache", "test", "activations", "*.safetensors")),
                    key=lambda p: int(os.path.basename(p).split(".")[0]))
    if not shards:
        raise SystemExit(f"{a.run_dir}: no cached test activations (cache/test/activations/*.safetensors)")
    # The original layout: [R, 1, d+1], the LLM's predicted label in the last column.
    cached = np.concatenate([load_file(p)["activations"][:, 0, :] for p in shards])
    x = cached[:, :-1].astype(np.float32)

    selected_files = glob.glob(os.path.join(a.run_dir, "evaluate", a.method, "*", "selected_features.json"))
    if len(selected_files) != 1:
        raise SystemExit(f"{a.run_dir}: expected one evaluate/{a.method}/<n>/selected_features.json, found {len(selected_files)}")
    selected = json.load(open(selected_files[0]))

    z = encode(x, weights)
    rates = {int(j): 100.0 * float(np.mean(np.abs(z[:, j]) > 1e-8)) for j in selected}
    print(json.dumps({
        "method": a.method, "sentences": int(x.shape[0]), "d_in": int(x.shape[1]), "d_sae": int(cfg["d_sae"]),
        "selected": selected, "activation_rate_pct": rates,
        "avg_activation_rate_pct": float(np.mean(list(rates.values()))) if rates else 0.0,
        "max_activation_rate_pct": max(rates.values()) if rates else 0.0,
    }, indent=1))


if __name__ == "__main__":
    main()

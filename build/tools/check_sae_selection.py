#!/usr/bin/env python3
"""The plain SAE's z_class as the original selects it, computed by scikit-learn from a finished run's own files.

    /usr/bin/python3 build/tools/check_sae_selection.py runs/smoke/tiny-neox/planted/seed42

Encodes the cached test states with the trained SAE (train/sae: constant-norm rescale, W_enc + b_enc, TopK, ReLU), fits
Pipeline(StandardScaler(), LogisticRegressionCV(saga, l1, multinomial, Cs, folds, tol, max_iter, random_state=0)) on
them with the true labels (the original's selection on the evaluated split), ranks features by the L2 norm of their
coefficients and prints the top n_concepts with the features the Evaluate stage selected (evaluate/sae/<n>/
selected_features.json, after its dead-feature filter), as JSON. Needs numpy and scikit-learn (Debian: python3-sklearn).
"""
import glob
import json
import os
import sys

import numpy as np
from sklearn.linear_model import LogisticRegressionCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "python"))
from safetensors_np import load_file  # noqa: E402


def shards(folder):
    return sorted(glob.glob(os.path.join(folder, "*.safetensors")), key=lambda p: int(os.path.basename(p).split(".")[0]))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.split("\n\n")[1])
    run = sys.argv[1]
    sae_dir = os.path.join(run, "train", "sae")
    settings = json.load(open(os.path.join(sae_dir, "method.json")))["settings"]
    settings = settings.get("selection", settings)   # format 2: {"sae": SAE settings, "selection": the sae section}
    if settings.get("selection_split", "test") != "test":
        sys.exit(f"{sae_dir}: selection_split is {settings['selection_split']}; this check covers the original's 'test' selection")
    cfg = json.load(open(os.path.join(sae_dir, "cfg.json")))
    w = load_file(os.path.join(sae_dir, "sae_weights.safetensors"))
    x = np.concatenate([load_file(p)["activations"][:, 0, :-1] for p in shards(os.path.join(run, "cache", "test", "activations"))])
    y = np.concatenate([load_file(p)["true_label"] for p in shards(os.path.join(run, "cache", "test", "rows"))]).astype(np.int64)

    scale = np.sqrt(x.shape[1]) / np.linalg.norm(x, axis=1, keepdims=True)
    pre = (x * scale).astype(np.float32) @ w["W_enc"] + w["b_enc"]
    k = int(cfg["k"])
    top = np.argpartition(-pre, k - 1, axis=1)[:, :k]
    z = np.zeros_like(pre)
    rows = np.arange(pre.shape[0])[:, None]
    z[rows, top] = np.maximum(pre[rows, top], 0)

    pipe = Pipeline([("scaler", StandardScaler()),
                     ("lr", LogisticRegressionCV(Cs=settings["logistic_cs"], cv=settings["logistic_folds"], penalty="l1",
                                                 solver="saga", scoring="accuracy", max_iter=settings["logistic_max_iterations"],
                                                 tol=settings["logistic_tolerance"], random_state=0))]).fit(z, y)
    lr = pipe.named_steps["lr"]
    score = np.linalg.norm(lr.coef_.T, axis=1)
    n = int(settings["n_concepts"])
    ranked = [int(j) for j in np.lexsort((-np.arange(len(score)), -score))[:n]]   # descending norm, higher index first on ties
    alive = [j for j in ranked if np.abs(z[:, j]).mean() > 1e-5]   # the Evaluate stage's dead-feature filter
    selected_files = glob.glob(os.path.join(run, "evaluate", "sae", "*", "selected_features.json"))
    print(json.dumps({"sklearn": __import__("sklearn").__version__, "C_": float(lr.C_[0]), "nonzero": int((score > 0).sum()),
                      "sklearn_top": ranked, "sklearn_selected": alive, "evaluate_selected": json.load(open(selected_files[0])) if selected_files else None}))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Golden fixtures from NumPy / scikit-learn for the C# ports (issue 13).

Run with the system python that has scikit-learn 1.2 (Debian: python3-sklearn):
    /usr/bin/python3 build/tools/make_sklearn_fixtures.py tests/ClassifSae.Tests/Fixtures/sklearn
Every fixture holds its inputs (generated here by a fixed formula or a seeded RandomState and written out in
full), the reference outputs and the library versions that made them.
"""
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.decomposition import FastICA
from sklearn.model_selection import StratifiedKFold

VERSIONS = {"numpy": np.__version__, "scikit-learn": sklearn.__version__}


def write(folder, name, payload):
    payload = {"made_by": "build/tools/make_sklearn_fixtures.py", "versions": VERSIONS, **payload}
    path = os.path.join(folder, name)
    with open(path + ".tmp", "w") as f:
        json.dump(payload, f, indent=None, separators=(",", ":"))
    os.replace(path + ".tmp", path)
    print(f"{path}: {os.path.getsize(path)} bytes")


def numpy_random_state(folder):
    cases = []
    for seed in (0, 42, 12345):
        rs = np.random.RandomState(seed)
        normal = rs.normal(size=1000)
        rs = np.random.RandomState(seed)
        uint32 = [int(v) for v in rs.randint(0, 2**32, size=8, dtype=np.uint64)]
        rs = np.random.RandomState(seed)
        uniform = rs.random_sample(8)
        rs = np.random.RandomState(seed)
        randint_saga = [int(rs.randint(1, np.iinfo(np.int32).max)) for _ in range(4)]
        rs = np.random.RandomState(seed)
        randint_small = [int(rs.randint(800)) for _ in range(8)]
        # An odd count of normals, then uniforms: the cached second Gaussian must not consume words.
        rs = np.random.RandomState(seed)
        mixed = list(rs.normal(size=3)) + list(rs.random_sample(2)) + list(rs.normal(size=2))
        cases.append({"seed": seed, "normal": list(normal), "uint32": uint32, "random_sample": list(uniform),
                      "randint_1_int32max": randint_saga, "randint_800": randint_small, "normal3_sample2_normal2": mixed})
    write(folder, "numpy_random_state.json", {"cases": cases})


def stratified_folds(folder):
    rs = np.random.RandomState(7)
    labels = [
        [0] * 4 + [1] * 6,
        [1, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0],
        [3, 1, 3, 0, 2, 2, 1, 0, 3, 3, 1, 2, 0, 1],
        list(rs.randint(0, 4, size=103)),
        list(rs.randint(0, 2, size=50)),
        [2, 2, 0, 2, 0, 0, 2, 0, 2, 0, 2, 2],
    ]
    cases = []
    for y in labels:
        y = np.asarray(y, dtype=np.int64)
        for k in (2, 3, 5):
            if np.bincount(y)[np.bincount(y) > 0].min() < k:
                continue
            fold = np.full(len(y), -1)
            for f, (_, test) in enumerate(StratifiedKFold(n_splits=k).split(np.zeros(len(y)), y)):
                fold[test] = f
            cases.append({"labels": [int(v) for v in y], "folds": k, "fold_of_sample": [int(v) for v in fold]})
    write(folder, "stratified_folds.json", {"cases": cases})


def fastica_data(n=400):
    t = np.arange(n, dtype=np.float64)
    sources = np.stack([np.sin(0.07 * t), np.sign(np.sin(0.031 * t + 0.5)), ((0.0173 * t) % 1.0) - 0.5,
                        np.cos(0.011 * t) ** 3], axis=1)
    mixing = np.array([[1.0, 0.5, -0.3, 0.2, 0.7, -1.1],
                       [0.4, -1.2, 0.8, 0.1, 0.3, 0.5],
                       [-0.6, 0.2, 1.5, -0.9, 0.4, 0.1],
                       [0.3, 0.9, -0.2, 1.3, -0.5, 0.8]])
    x = sources @ mixing + 0.01 * np.sin(1.3 * t)[:, None] * np.arange(1, 7)[None, :]
    return x.astype(np.float32).astype(np.float64)   # values exactly representable in fp32, as the C# side reads them


def fastica(folder):
    x = fastica_data()
    cases = []
    for seed, m in ((42, 4), (0, 3), (7, 4)):
        ica = FastICA(n_components=m, whiten="unit-variance", algorithm="parallel", fun="logcosh", max_iter=1000,
                      tol=1e-4, whiten_solver="svd", random_state=seed).fit(x)
        w_init = np.random.RandomState(seed).normal(size=(m, m))
        cases.append({"seed": seed, "components": m, "w_init": w_init.tolist(), "n_iter": int(ica.n_iter_),
                      "components_": ica.components_.tolist(), "mixing_": ica.mixing_.tolist(), "mean_": ica.mean_.tolist()})
    write(folder, "fastica.json", {
        "settings": "FastICA(whiten='unit-variance', algorithm='parallel', fun='logcosh', max_iter=1000, tol=1e-4, whiten_solver='svd') on float64 X",
        "x": x.tolist(), "cases": cases})


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/ClassifSae.Tests/Fixtures/sklearn"
    os.makedirs(out, exist_ok=True)
    numpy_random_state(out)
    stratified_folds(out)
    fastica(out)

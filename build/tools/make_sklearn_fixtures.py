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
        "x": [[float(v) for v in row] for row in x], "cases": cases})


def probe_data(seed, n, features, classes):
    """Non-negative sparse "SAE codes": a few features lean towards one class, the rest fire at random."""
    rs = np.random.RandomState(seed)
    y = rs.randint(0, classes, size=n)
    active = rs.random_sample((n, features)) < 0.25
    x = np.where(active, rs.exponential(1.0, size=(n, features)), 0.0)
    for j in range(2 * classes):
        x[:, j] += np.where((y == j % classes) & (rs.random_sample(n) < 0.5), 1.0 + rs.random_sample(n), 0.0)
    x[:, features - 1] = 0.0                                      # a dead feature: scale 1
    x = np.round(x * 64) / 64                                     # multiples of 1/64: exact in fp32, short in JSON
    return x.astype(np.float32), y.astype(np.int64)


def logistic_selection(folder):
    from sklearn.linear_model import LogisticRegressionCV, LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    cases = []
    # Seeds where saga's early stop (tol 1e-3) selects other features than the optimum does (found by a search).
    for seed, n, features, classes in ((15, 150, 50, 4), (31, 120, 40, 2), (7, 120, 40, 2)):
        x, y = probe_data(seed, n, features, classes)
        pipe = Pipeline([("scaler", StandardScaler()),
                         ("lr", LogisticRegressionCV(Cs=(0.01, 0.1, 1), cv=3, penalty="l1", solver="saga", scoring="accuracy",
                                                     max_iter=1000, tol=1e-3, random_state=0))]).fit(x, y)
        lr = pipe.named_steps["lr"]
        coef = lr.coef_.T                                         # [F, K']
        score = np.linalg.norm(coef, axis=1)
        top = [int(j) for j in np.lexsort((-np.arange(features), -score))[:20]]   # descending score, higher index first on ties
        # The same C solved to (near) the optimum, for comparison: what a solver that ignores saga's early stop selects.
        xs = pipe.named_steps["scaler"].transform(x).astype(np.float64)
        exact = LogisticRegression(C=lr.C_[0], penalty="l1", solver="saga", tol=1e-10, max_iter=200000, random_state=0).fit(xs, y)
        exact_score = np.linalg.norm(exact.coef_.T, axis=1)
        exact_top = [int(j) for j in np.lexsort((-np.arange(features), -exact_score))[:20]]
        scores = lr.scores_[lr.classes_[-1]] if classes == 2 else lr.scores_[0]
        cases.append({"seed": seed, "classes": classes, "x": [[float(v) for v in row] for row in x], "y": [int(v) for v in y],
                      "C_": float(lr.C_[0]), "fold_scores": np.asarray(scores).tolist(), "n_iter_": np.asarray(lr.n_iter_).tolist(),
                      "coef": coef.tolist(), "intercept": lr.intercept_.tolist(), "top20": top,
                      "nonzero": int((score > 0).sum()), "exact_nonzero": int((exact_score > 0).sum()), "exact_top20": exact_top})
    write(folder, "logistic_selection.json", {
        "settings": "Pipeline(StandardScaler(), LogisticRegressionCV(Cs=(0.01, 0.1, 1), cv=3, penalty='l1', solver='saga', "
                    "scoring='accuracy', max_iter=1000, tol=1e-3, random_state=0)) on float32 x; exact_* = "
                    "LogisticRegression(C=C_, saga, tol=1e-10) on the scaled x",
        "cases": cases})


def gmm_column(seed, kind, n=300):
    rs = np.random.RandomState(seed)
    if kind == "sparse":
        x = np.where(rs.random_sample(n) < 0.2, rs.exponential(2.0, n), 0.0)
    elif kind == "overlap":
        x = np.concatenate([rs.normal(0, 1, n - n // 3), rs.normal(1.5, 0.7, n // 3)])
    elif kind == "laplace":
        x = rs.laplace(0, 1, n)
    else:
        x = rs.standard_t(3, n)
    return np.round(x * 256) / 256                               # exact in fp32 and short in JSON


def gmm_activating_sets(folder):
    import types
    from sklearn import cluster
    from sklearn.mixture import GaussianMixture
    import sklearn.mixture._base as mixture_base

    class ExactKMeans(cluster.KMeans):                           # 2-means run to exact convergence (the old port)
        def __init__(self, n_clusters=8, n_init=1, random_state=None):
            super().__init__(n_clusters=n_clusters, n_init=n_init, random_state=random_state, tol=0.0)

    def fit(x, exact=False):
        mixture_base.cluster = types.SimpleNamespace(KMeans=ExactKMeans) if exact else cluster
        try:
            g = GaussianMixture(n_components=2, n_init=10, random_state=0).fit(x[:, None])
        finally:
            mixture_base.cluster = cluster
        low = int(np.argmin(g.means_[:, 0]))
        active = np.where(1 - g.predict_proba(x[:, None])[:, low] >= 0.5)[0]
        return g, [int(i) for i in active]

    cases = []
    # Columns where KMeans' tolerance stop and exact 2-means convergence lead to different activating sets.
    for seed, kind in ((0, "laplace"), (1, "overlap"), (3, "laplace"), (4, "overlap"), (8, "t3"), (0, "sparse")):
        x = gmm_column(seed, kind)
        g, active = fit(x)
        _, exact_active = fit(x, exact=True)
        first_labels = cluster.KMeans(n_clusters=2, n_init=1, random_state=np.random.RandomState(0)).fit(x[:, None]).labels_
        cases.append({"seed": seed, "kind": kind, "x": [float(v) for v in x], "weights": g.weights_.tolist(),
                      "means": g.means_[:, 0].tolist(), "variances": g.covariances_[:, 0, 0].tolist(),
                      "lower_bound": float(g.lower_bound_), "active": active, "exact_kmeans_active": exact_active,
                      "first_kmeans_labels": [int(v) for v in first_labels]})
    write(folder, "gmm_activating_sets.json", {
        "settings": "GaussianMixture(n_components=2, n_init=10, random_state=0) on float64 x[:, None]; active = 1 - P(lower-mean) >= 0.5; "
                    "first_kmeans_labels = KMeans(2, n_init=1, random_state=RandomState(0)).fit(x).labels_; exact_kmeans_active "
                    "= the same mixture initialised by KMeans(tol=0)",
        "cases": cases})


def grid_search_selection(folder):
    """Upstream's (bc50f40) plain-SAE selection, spec 04 §5.4, on float32 codes (as upstream's activations are) and on
    the same values as float64 (sklearn then runs sag64 instead of sag32)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    def run(x, y):
        pipe = Pipeline([("scaler", StandardScaler()),
                         ("lr", LogisticRegression(penalty="l1", solver="saga", multi_class="multinomial", max_iter=1000,
                                                   tol=1e-3, random_state=42, class_weight="balanced"))])
        cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=42)
        search = GridSearchCV(pipe, {"lr__C": [0.01, 0.1, 1.0]}, scoring="accuracy", cv=cv, n_jobs=1, refit=True).fit(x, y)
        lr = search.best_estimator_.named_steps["lr"]
        score = np.linalg.norm(lr.coef_, axis=0)
        order = np.argsort(score, kind="stable")[::-1]
        return {"best_C": float(search.best_params_["lr__C"]), "mean_test_score": search.cv_results_["mean_test_score"].tolist(),
                "split_scores": [search.cv_results_[f"split{i}_test_score"].tolist() for i in range(3)],
                "coef": lr.coef_.tolist(), "intercept": lr.intercept_.tolist(), "n_iter": [int(v) for v in lr.n_iter_],
                "top20": [int(j) for j in order[:20]]}

    cases = []
    for seed, n, features, classes, keep in ((15, 150, 50, 4, None), (31, 120, 40, 2, None), (5, 240, 40, 3, (1.0, 0.5, 0.2))):
        x, y = probe_data(seed, n, features, classes)
        if keep is not None:                                      # imbalanced classes: class_weight="balanced" matters
            rows = np.random.RandomState(seed + 1).random_sample(n) < np.asarray(keep)[y]
            x, y = x[rows], y[rows]
        fold = np.full(len(y), -1)
        for f, (_, test) in enumerate(StratifiedKFold(n_splits=3, shuffle=True, random_state=42).split(x, y)):
            fold[test] = f
        cases.append({"seed": seed, "classes": classes, "x": [[float(v) for v in row] for row in x], "y": [int(v) for v in y],
                      "fold_of_sample": [int(v) for v in fold], "float32": run(x, y), "float64": run(x.astype(np.float64), y)})
    write(folder, "grid_search_selection.json", {
        "settings": "GridSearchCV(Pipeline(StandardScaler(), LogisticRegression(penalty='l1', solver='saga', multi_class='multinomial', "
                    "max_iter=1000, tol=1e-3, random_state=42, class_weight='balanced')), {'C': [0.01, 0.1, 1.0]}, scoring='accuracy', "
                    "cv=StratifiedKFold(3, shuffle=True, random_state=42), refit=True); top20 = argsort(‖coef[:, j]‖, stable) reversed",
        "cases": cases})


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/ClassifSae.Tests/Fixtures/sklearn"
    only = set(sys.argv[2:])                                      # optional: the fixtures to (re)make, by function name
    os.makedirs(out, exist_ok=True)
    for make in (numpy_random_state, stratified_folds, fastica, logistic_selection, gmm_activating_sets, grid_search_selection):
        if not only or make.__name__ in only:
            make(out)

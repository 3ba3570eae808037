#!/usr/bin/env python3
"""Compare concept methods across seeds with pandas, from the results store.

    classifsae query "SELECT * FROM latest_metrics" --format csv > metrics.csv
    python3 examples/python/compare_methods.py metrics.csv [--profile smoke] [--metrics recovery_accuracy,cond_label_flip_rate]

or, where the `duckdb` Python package is installed, straight from the store, opened read-only for as long as it takes to
read the table (a running stage waits for that moment): `python3 examples/python/compare_methods.py results-db/results.duckdb`.
Prints, per method and metric, the mean, standard deviation and number of seeds, as a Markdown table. A per-class,
per-ablated-share or per-k metric (columns `class`, `ablation_pct`, `k`, e.g. `--metrics category_label_flip`) gets one
row per value of those columns, named like `category_label_flip[class=2,ablation_pct=75]`.
"""
import argparse
import sys

import pandas as pd

DEFAULT_METRICS = ["recovery_accuracy", "avg_activation_rate_pct", "cond_label_flip_rate", "cond_tvd", "conceptsim_weighted"]


def load(source):
    if source.endswith(".duckdb"):
        try:
            import duckdb
        except ImportError:
            sys.exit("compare_methods.py: reading a .duckdb file needs the duckdb package; export a CSV with "
                     "`classifsae query \"SELECT * FROM latest_metrics\" --format csv > metrics.csv` instead")
        with duckdb.connect(source, read_only=True) as con:
            return con.execute("SELECT * FROM latest_metrics").df()
    return pd.read_csv(source)


def label(row):
    """The metric's name plus what it is measured for (schema 6 columns class, ablation_pct, k), where set."""
    parts = [f"{c}={int(row[c])}" for c in ("class", "ablation_pct", "k") if c in row.index and not pd.isna(row[c])]
    return f"{row['metric']}[{','.join(parts)}]" if parts else row["metric"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", help="CSV exported by `classifsae query ... --format csv`, or a .duckdb store")
    ap.add_argument("--profile")
    ap.add_argument("--split", default="test")
    ap.add_argument("--metrics", default=",".join(DEFAULT_METRICS))
    a = ap.parse_args()

    df = load(a.source)
    missing = {"method", "metric", "value", "seed"} - set(df.columns)
    if missing:
        sys.exit(f"compare_methods.py: {a.source} lacks the columns {sorted(missing)} (export latest_metrics)")
    if a.profile and "profile" in df.columns:
        df = df[df["profile"] == a.profile]
    if "split" in df.columns:
        df = df[df["split"] == a.split]
    wanted = a.metrics.split(",")
    df = df[df["metric"].isin(wanted)].copy()
    if not df.empty:
        df["metric"] = df.apply(label, axis=1)
    table = (df.groupby(["method", "metric"])["value"].agg(["mean", "std", "count"])
               .rename(columns={"count": "seeds"}).reset_index())
    print("| method | metric | mean | std | seeds |")
    print("|---|---|---:|---:|---:|")
    for r in table.itertuples():
        std = "" if pd.isna(r.std) else f"{r.std:.4f}"
        print(f"| {r.method} | {r.metric} | {r.mean:.4f} | {std} | {r.seeds} |")


if __name__ == "__main__":
    main()

"""Two regression models compared on the same rows, with what SciPy 1.10 (Debian's python3-scipy)
gives: tests/fixtures/inputs/regression_ab.csv is diabetes.csv with a second model's prediction,
`pred_b` (ordinary least squares on bmi, bp and s5 alone, fitted with NumPy on all the rows), and
tests/fixtures/expected/regression_compare.json holds, for B against A (`pred`):
- the rows where B's absolute error is smaller, larger and the same as A's;
- the paired t-test of B's absolute errors against A's, scipy.stats.ttest_rel(|e_B|, |e_A|);
- per value of `sex`: rows, A's and B's mean absolute error, the same test within the group, and
  the Benjamini-Hochberg adjusted p-values over the groups (p_i * m / rank, made monotone from the
  largest, at most 1);
- the regressions: rows where B's absolute error is larger, by how much it grew, most first (ties in
  row order);
- fairness by `sex` of model A, as fairlearn's MetricFrame gives it (pandas groupby here): per group
  the rows, mean absolute error, root mean squared error, mean prediction and mean label, and between
  groups the largest minus the smallest and the smallest over the largest MAE and mean prediction;
- two-sided p-values of Student's t, 2 * scipy.stats.t.sf(|t|, df), over a grid of t and df (1 to 3M);
- paired t-tests of seeded random differences, of sizes 2, 3, 10 and 442.
Run: /usr/bin/python3 scripts/make_regression_compare_goldens.py
"""
import json
import os
import numpy as np
import pandas as pd
from scipy import stats

HERE = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures")
df = pd.read_csv(os.path.join(HERE, "diabetes.csv"))
X = np.column_stack([np.ones(len(df)), df["bmi"], df["bp"], df["s5"]])
coef, *_ = np.linalg.lstsq(X, df["label"].to_numpy(float), rcond=None)
df["pred_b"] = np.round(X @ coef, 6)
df.to_csv(os.path.join(HERE, "inputs", "regression_ab.csv"), index=False, float_format="%.17g")
df = pd.read_csv(os.path.join(HERE, "inputs", "regression_ab.csv"))

y = df["label"].to_numpy(float)
ea = np.abs(y - df["pred"].to_numpy(float))
eb = np.abs(y - df["pred_b"].to_numpy(float))
d = eb - ea


def ttest(b, a):
    r = stats.ttest_rel(b, a)
    return {"statistic": float(r.statistic), "p_value": float(r.pvalue), "df": int(len(a) - 1), "mean_difference": float(np.mean(b - a))}


groups = []
for g in sorted(df["sex"].unique()):
    m = (df["sex"] == g).to_numpy()
    groups.append({"group": g, "rows": int(m.sum()), "a": float(ea[m].mean()), "b": float(eb[m].mean()), **ttest(eb[m], ea[m])})
p = np.array([g["p_value"] for g in groups])
order = np.argsort(p)
adj = np.empty_like(p)
running = 1.0
for rank in range(len(p), 0, -1):
    i = order[rank - 1]
    running = min(running, p[i] * len(p) / rank)
    adj[i] = running
for g, a in zip(groups, adj):
    g["adjusted_p"] = float(a)

worse = sorted(np.flatnonzero(d > 0), key=lambda i: (-d[i], i))
out = {
    "rows": int(len(df)),
    "b_closer": int((d < 0).sum()),
    "a_closer": int((d > 0).sum()),
    "equal": int((d == 0).sum()),
    "ttest": ttest(eb, ea),
    "groups": groups,
    "regressions": [int(i) for i in worse],
    "increase": [float(d[i]) for i in worse[:20]],
}
fa = df.assign(e=df["label"] - df["pred"]).groupby("sex")
per = {
    g: {
        "rows": int(len(x)),
        "mae": float(x["e"].abs().mean()),
        "rmse": float(np.sqrt((x["e"] ** 2).mean())),
        "mean_prediction": float(x["pred"].mean()),
        "mean_label": float(x["label"].mean()),
    }
    for g, x in fa
}
maes = [v["mae"] for v in per.values()]
means = [v["mean_prediction"] for v in per.values()]
out["fairness"] = {
    "by_group": per,
    "mae_difference": max(maes) - min(maes),
    "mae_ratio": min(maes) / max(maes),
    "mean_prediction_difference": max(means) - min(means),
    "mean_prediction_ratio": min(means) / max(means),
}
out["t_two_sided"] = [
    {"t": t, "df": df_, "p": float(2 * stats.t.sf(abs(t), df_))}
    for df_ in [1, 2, 3, 5, 10, 29, 100, 441, 1000, 100000, 3000000]
    for t in [0.0, 0.01, 0.5, 1.0, 1.96, 2.3, 3.5, 6.0, 12.0, -2.3]
]
rng = np.random.default_rng(11)
out["paired"] = []
for n in [2, 3, 10, 442]:
    a = rng.normal(10, 3, n)
    b = a + rng.normal(0.05, 1, n)
    out["paired"].append({"seed_n": n, "a": a.tolist(), "b": b.tolist(), **ttest(b, a)})
with open(os.path.join(HERE, "expected", "regression_compare.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(out["b_closer"], out["a_closer"], out["ttest"], [(g["group"], g["p_value"], g["adjusted_p"]) for g in groups])

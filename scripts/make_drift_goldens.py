"""Drift golden: cancer.csv's first 300 rows (reference) against the rest (current), per column,
with SciPy 1.10 (ks_2samp, wasserstein_distance, chi2_contingency, jensenshannon) and NumPy (PSI
over the reference's deciles, bins edge[k-1] < x <= edge[k], shares floored at 1e-4).

Run: /usr/bin/python3 scripts/make_drift_goldens.py > tests/fixtures/expected/cancer_drift.json
"""
import json
import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial.distance import jensenshannon

df = pd.read_csv("tests/fixtures/cancer.csv")
ref, cur = df.iloc[:300], df.iloc[300:]
out = {}
for col in ["mean_radius", "mean_texture", "mean_smoothness", "prob_malignant"]:
    a, b = np.sort(ref[col].to_numpy(float)), np.sort(cur[col].to_numpy(float))
    ks = stats.ks_2samp(a, b)
    edges = np.quantile(a, np.arange(1, 10) / 10)
    pa = np.maximum(np.bincount(np.searchsorted(edges, a, side="left"), minlength=10) / len(a), 1e-4)
    pb = np.maximum(np.bincount(np.searchsorted(edges, b, side="left"), minlength=10) / len(b), 1e-4)
    out[col] = {"ks_statistic": float(ks.statistic), "p_value": float(ks.pvalue), "wasserstein": float(stats.wasserstein_distance(a, b)), "psi": float(np.sum((pb - pa) * np.log(pb / pa)))}
for col in ["size_group", "texture_group", "label"]:
    cats = sorted(set(df[col].astype(str)))
    ca = np.array([(ref[col].astype(str) == c).sum() for c in cats], float)
    cb = np.array([(cur[col].astype(str) == c).sum() for c in cats], float)
    s, p, dof, _ = stats.chi2_contingency(np.array([ca, cb]))
    pa, pb = np.maximum(ca / ca.sum(), 1e-4), np.maximum(cb / cb.sum(), 1e-4)
    out[col] = {"chi2": float(s), "df": int(dof), "p_value": float(p), "jensen_shannon": float(jensenshannon(ca, cb)), "psi": float(np.sum((pb - pa) * np.log(pb / pa)))}
print(json.dumps(out, indent=1))

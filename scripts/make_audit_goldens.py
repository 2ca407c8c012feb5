"""Golden values for the compare and drift statistics, from SciPy 1.10 and statsmodels (Debian's
python3-scipy, python3-statsmodels).

Run: /usr/bin/python3 scripts/make_audit_goldens.py > tests/fixtures/expected/audit_stats.json
"""
import json
import numpy as np
from scipy import stats
from scipy.spatial.distance import jensenshannon
from statsmodels.stats.contingency_tables import mcnemar

rng = np.random.default_rng(7)

chi2_sf = [{"x": x, "df": df, "p": float(stats.chi2.sf(x, df))} for x, df in [(0.5, 1), (3.84, 1), (12.0, 1), (2.0, 2), (7.5, 4), (30.0, 9), (0.1, 20), (150.0, 40)]]

mc = []
for b, c in [(3, 9), (0, 5), (10, 12), (24, 0), (30, 45), (200, 160), (7, 7)]:
    exact = b + c < 25
    r = mcnemar([[0, b], [c, 0]], exact=exact, correction=True)
    mc.append({"a_only": b, "b_only": c, "exact": exact, "p": float(r.pvalue)})

tables = [[[20, 15], [30, 5]], [[120, 80, 40, 10, 3], [100, 90, 60, 20, 0]], [[5, 0, 7], [3, 4, 0]], [[1000, 2000], [1100, 1900]]]
contingency = []
for t in tables:
    s, p, df, _ = stats.chi2_contingency(np.array(t))
    contingency.append({"table": t, "statistic": float(s), "df": int(df), "p": float(p)})

samples = []
for m, n, shift in [(200, 300, 0.0), (500, 400, 0.3), (50, 80, 1.0), (1000, 1000, 0.05)]:
    a = np.round(rng.normal(0, 1, m), 2)
    b = np.round(rng.normal(shift, 1.2, n), 2)
    ks = stats.ks_2samp(a, b)
    en = m * n / (m + n)
    edges = np.quantile(a, np.arange(1, 10) / 10)
    ca = np.bincount(np.searchsorted(edges, a, side="left"), minlength=10) / m
    cb = np.bincount(np.searchsorted(edges, b, side="left"), minlength=10) / n
    pa, pb = np.maximum(ca, 1e-4), np.maximum(cb, 1e-4)
    samples.append({
        "a": a.tolist(), "b": b.tolist(),
        "ks_statistic": float(ks.statistic),
        "ks_p_asymptotic": float(stats.kstwobign.sf(np.sqrt(en) * ks.statistic)),
        "ks_p_scipy_default": float(ks.pvalue),
        "wasserstein": float(stats.wasserstein_distance(a, b)),
        "psi_edges": edges.tolist(),
        "psi": float(np.sum((pb - pa) * np.log(pb / pa))),
    })

counts = [([10, 20, 30, 0], [15, 15, 20, 5]), ([100, 1, 1], [1, 1, 100]), ([3, 3], [3, 3])]
js = [{"p": p, "q": q, "distance": float(jensenshannon(np.array(p, float), np.array(q, float)))} for p, q in counts]

print(json.dumps({"chi2_sf": chi2_sf, "mcnemar": mc, "chi2_contingency": contingency, "samples": samples, "jensenshannon": js}))

"""The regression review queue's goldens: on each regression fixture, the rows whose absolute error
|label - prediction| lies beyond the upper Tukey fence of all the rows' absolute errors
(Q3 + 1.5 * IQR, quartiles by NumPy's default linear interpolation), largest first, ties in row
order; rows with a missing label or prediction are left out, as Loupe scores them. Written to
tests/fixtures/expected/regression_review.json as 0-based row numbers of the file, with the fence
and each row's absolute error; the tests never run Python.

Run: /usr/bin/python3 scripts/make_regression_review_goldens.py
"""
import json
import os
import numpy as np
import pandas as pd

HERE = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures")
CASES = {
    "diabetes": ("diabetes.csv", "label", "pred"),
    "na_regression": (os.path.join("inputs", "na_regression.csv"), "target", "prediction"),
}

out = {}
for name, (path, label, pred) in CASES.items():
    df = pd.read_csv(os.path.join(HERE, path))
    y = pd.to_numeric(df[label], errors="coerce").to_numpy(float)
    p = pd.to_numeric(df[pred], errors="coerce").to_numpy(float)
    scored = np.flatnonzero(~np.isnan(y) & ~np.isnan(p))
    err = np.abs(y[scored] - p[scored])
    q1, q3 = np.percentile(err, [25, 75])
    fence = q3 + 1.5 * (q3 - q1)
    flagged = sorted(np.flatnonzero(err > fence), key=lambda j: (-err[j], j))
    out[name] = {
        "file": path,
        "scored": int(len(scored)),
        "fence": float(fence),
        "rows": [int(scored[j]) for j in flagged],
        "errors": [float(err[j]) for j in flagged],
    }
with open(os.path.join(HERE, "expected", "regression_review.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print({k: len(v["rows"]) for k, v in out.items()})

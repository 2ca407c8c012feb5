"""Agreement and merge of numeric labels (a regression's) by three reviewers: Krippendorff's alpha
with the interval metric, computed from the coincidence matrix as Krippendorff (2011) defines it
(an implementation independent of Loupe's, which sums squared deviations per unit), checked here
on that paper's own example (interval alpha 0.849, nominal 0.743); each pair's share of equal
values and mean absolute difference; and each id's median, as NumPy gives it.

Writes tests/fixtures/inputs/numeric_review_{a,b,c}.csv (seeded: diabetes ids, labels with noise,
some ids left out, one reviewer writing 52.0 for 52) and prints the goldens.
Run: /usr/bin/python3 scripts/make_numeric_agreement_goldens.py > tests/fixtures/expected/numeric_agreement.json
"""
import itertools
import json
import numpy as np
import pandas as pd


def alpha(units, delta):
    """units: lists of the values given to each unit."""
    vals = sorted({v for u in units for v in u})
    at = {v: i for i, v in enumerate(vals)}
    o = np.zeros((len(vals), len(vals)))
    for u in units:
        m = len(u)
        if m < 2:
            continue
        for i, j in itertools.permutations(range(m), 2):
            o[at[u[i]], at[u[j]]] += 1 / (m - 1)
    nc = o.sum(1)
    n = nc.sum()
    d = np.array([[delta(a, b) for b in vals] for a in vals])
    return 1 - (o * d).sum() / ((np.outer(nc, nc) * d).sum() / (n - 1))


interval = lambda a, b: (a - b) ** 2
paper = [[1, 1, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4], [4, 4, 4, 4],
         [1, 1, 2, 1], [2, 2, 2, 2], [5, 5, 5], [1, 1], [3]]
assert round(alpha(paper, interval), 3) == 0.849
assert round(alpha(paper, lambda a, b: float(a != b)), 3) == 0.743

rng = np.random.default_rng(7)
d = pd.read_csv("tests/fixtures/diabetes.csv")
ids = [str(i) for i in range(len(d))][:120]
truth = d["label"].to_numpy()[:120]
files = {}
for r, (noise, drop) in zip("abc", [(0, 0.1), (4, 0.2), (10, 0.15)]):
    keep = rng.random(len(ids)) >= drop
    vals = truth + np.round(rng.normal(0, noise, len(ids))) if noise else truth.astype(float)
    # Half of the ids a reviewer keeps get the given label exactly (they agree with it).
    same = rng.random(len(ids)) < 0.5
    vals = np.where(same, truth, vals)
    rows = [(i, v) for i, v, k in zip(ids, vals, keep) if k]
    path = f"tests/fixtures/inputs/numeric_review_{r}.csv"
    with open(path, "w") as f:
        f.write("id,label\n")
        for i, v in rows:
            # Reviewer b writes every value with a decimal point (52.0), as a float column prints.
            f.write(f"{i},{float(v) if r == 'b' else int(v)}\n")
    files[r] = {i: float(v) for i, v in rows}

names = list(files)
all_ids = list(dict.fromkeys(i for r in names for i in files[r]))
units = [[files[r][i] for r in names if i in files[r]] for i in all_ids]
pairs = {}
for a, b in itertools.combinations(names, 2):
    both = [i for i in all_ids if i in files[a] and i in files[b]]
    x = np.array([files[a][i] for i in both])
    y = np.array([files[b][i] for i in both])
    pairs[f"{a}|{b}"] = {"percent_agreement": float(np.mean(x == y)), "mean_abs_difference": float(np.mean(np.abs(x - y)))}
print(json.dumps({
    "paper_example": {"interval": alpha(paper, interval), "units": paper},
    "files": [f"numeric_review_{r}.csv" for r in names],
    "krippendorff_alpha": alpha(units, interval),
    "items": sum(all(i in files[r] for r in names) for i in all_ids),
    "pairs": pairs,
    "median": {i: float(np.median(u)) for i, u in zip(all_ids, units)},
    "spread": {i: float(max(u) - min(u)) for i, u in zip(all_ids, units)},
}, indent=1))

"""p-values from statsmodels (Debian's python3-statsmodels) for the slice statistics tests.

Run: /usr/bin/python3 scripts/make_slice_stats_goldens.py > tests/fixtures/expected/slice_stats.json
"""
import json
from statsmodels.stats.proportion import proportions_ztest
from statsmodels.stats.multitest import multipletests

cases = [(15, 81, 23, 488), (21, 188, 17, 381), (185, 493, 597, 2507), (3, 40, 30, 400), (50, 100, 50, 100), (1, 1000, 300, 1000)]
tests = [{"k1": a, "n1": b, "k2": c, "n2": d, "p": float(proportions_ztest([a, c], [b, d])[1])} for a, b, c, d in cases]
ps = [0.01, 0.04, 0.03, 0.2, 0.001, 0.5, 0.04]
print(json.dumps({"ztest": tests, "bh": {"p": ps, "adjusted": [float(x) for x in multipletests(ps, method="fdr_bh")[1]]}}, indent=1))

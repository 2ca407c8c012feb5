"""Wilson intervals from statsmodels (Debian's python3-statsmodels) for the unit tests.

Run: /usr/bin/python3 scripts/make_interval_goldens.py > tests/fixtures/expected/wilson.json
"""
import json
from statsmodels.stats.proportion import proportion_confint

cases = [(138, 150), (0, 10), (10, 10), (531, 569), (1, 3), (2218, 3000), (7, 1000000)]
print(json.dumps([{"k": k, "n": n, "interval": list(proportion_confint(k, n, alpha=0.05, method="wilson"))} for k, n in cases], indent=1))

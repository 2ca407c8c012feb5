"""The same small table written by pandas' DataFrame.to_json in each of its orients (Debian's
python3-pandas): tests/fixtures/inputs/orient_<orient>.json. Loupe must read every orient that
names its columns as the same rows (tests/integration/inputs.test.ts); "values" names none.

Run: /usr/bin/python3 scripts/make_json_orients.py
"""
import os
import pandas as pd

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "inputs")
df = pd.DataFrame(
    {
        "label": ["cat", "dog", "dog", "bird", "cat"],
        "pred": ["cat", "dog", "cat", "bird", "dog"],
        "prob_bird": [0.1, 0.2, 0.1, 0.7, 0.05],
        "prob_cat": [0.8, 0.1, 0.6, 0.2, 0.35],
        "prob_dog": [0.1, 0.7, 0.3, 0.1, 0.6],
        "weight": [1.5, None, 3.0, 4.25, 2.0],
    }
)
for orient in ["records", "columns", "index", "split", "table", "values"]:
    df.to_json(os.path.join(OUT, f"orient_{orient}.json"), orient=orient)
df.to_json(os.path.join(OUT, "orient_lines.jsonl"), orient="records", lines=True)
print(pd.__version__)

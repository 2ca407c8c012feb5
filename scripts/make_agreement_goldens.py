"""Per-class (specific) agreement and majority votes of the three reviewer fixtures, computed
pair by pair with pandas (an implementation independent of Loupe's formula).

Run: /usr/bin/python3 scripts/make_agreement_goldens.py > tests/fixtures/expected/agreement_per_class.json
"""
import itertools
import json
from collections import Counter
import pandas as pd

files = ["synth_review_a.csv", "synth_review_b.csv", "synth_review_c.csv"]
tables = [pd.read_csv(f"tests/fixtures/{f}", dtype=str).drop_duplicates("id").set_index("id")["label"] for f in files]
shared = [i for i in tables[0].index if all(i in t.index for t in tables)]
labels = [[t[i] for t in tables] for i in shared]

# Specific agreement of class c: over every ordered pair of different reviewers on an item where
# the first chose c, the share where the second chose c too.
chose, both = Counter(), Counter()
for item in labels:
    for a, b in itertools.permutations(range(len(item)), 2):
        chose[item[a]] += 1
        both[item[a]] += item[a] == item[b]
per_class = {c: both[c] / chose[c] for c in sorted(chose)}

# Majority vote over every id any reviewer labelled.
ids = list(dict.fromkeys(i for t in tables for i in t.index))
votes = {}
for i in ids:
    tally = Counter(t[i] for t in tables if i in t.index).most_common()
    votes[i] = None if len(tally) > 1 and tally[0][1] == tally[1][1] else tally[0][0]
print(json.dumps({"files": files, "per_class": per_class, "merged": votes, "ties": sum(v is None for v in votes.values())}, indent=1))

"""Inputs as people write them: files written by pandas (and by hand) in the spellings Loupe must
read, with what scikit-learn 1.2.1 (Debian's python3-sklearn) computes on them.

Each case is a file in tests/fixtures/inputs/ and an entry of tests/fixtures/expected/inputs.json:
the `loupe eval` arguments, the task, the classes (as `str(model.classes_[i])` writes them), the
rows evaluated, the rows skipped for a missing label, the metrics (None where scikit-learn
raises), and the warning loupe must give, if any. Deterministic (NumPy seed 7); the tests never run Python.

Run: /usr/bin/python3 scripts/make_input_goldens.py
"""
import json
import os
import numpy as np
import pandas as pd
from sklearn import metrics as M

rng = np.random.default_rng(7)
HERE = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures")
OUT = os.path.join(HERE, "inputs")
os.makedirs(OUT, exist_ok=True)
EPS = np.finfo(float).eps


def safe(f):
    try:
        v = float(f())
        return None if np.isnan(v) else v
    except ValueError:
        return None


def classification(y, pred, P, classes, positive=None):
    """The metrics of the fixtures' README on rows y / pred / P (columns in `classes` order)."""
    y, pred = np.asarray(y), np.asarray(pred)
    out = {
        "accuracy": M.accuracy_score(y, pred),
        "balanced_accuracy": M.balanced_accuracy_score(y, pred),
        "macro_f1": M.f1_score(y, pred, average="macro", labels=sorted(set(y) | set(pred), key=classes.index)),
    }
    if P is None:
        return out
    Pc = np.clip(P, EPS, 1 - EPS)
    Pc = Pc / Pc.sum(axis=1, keepdims=True)
    Y = np.array([[1.0 if t == c else 0.0 for c in classes] for t in y])
    out["log_loss"] = float(-np.mean(np.log((Pc * Y).sum(axis=1))))
    if positive is not None:
        k = classes.index(positive)
        yb = (y == positive).astype(int)
        out["roc_auc"] = safe(lambda: M.roc_auc_score(yb, P[:, k]))
        out["average_precision"] = safe(lambda: M.average_precision_score(yb, P[:, k]))
        out["brier"] = float(np.mean((P[:, k] - yb) ** 2))
    else:
        out["roc_auc"] = safe(lambda: np.mean([M.roc_auc_score(Y[:, k], P[:, k]) for k in range(len(classes))]))
        out["average_precision"] = safe(lambda: np.mean([M.average_precision_score(Y[:, k], P[:, k]) for k in range(len(classes))]))
        out["brier"] = float(np.mean(((P - Y) ** 2).sum(axis=1)))
    return out


def regression(y, pred):
    return {
        "mae": M.mean_absolute_error(y, pred),
        "rmse": float(np.sqrt(M.mean_squared_error(y, pred))),
        "r2": M.r2_score(y, pred),
        "max_error": M.max_error(y, pred),
    }


def probs(n, k, sharp=2.0):
    z = rng.normal(size=(n, k)) * sharp
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def draw(P):
    """True labels drawn from P mixed with noise, so the model is good but not perfect."""
    n, k = P.shape
    mix = 0.7 * P + 0.3 / k
    return np.array([rng.choice(k, p=row / row.sum()) for row in mix])


cases = {}

# 1. Boolean labels: pandas writes True/False, and the probability columns prob_False / prob_True.
n = 300
P = probs(n, 2)
y = draw(P).astype(bool)
classes_ = np.array([False, True])
df = pd.DataFrame({"id": range(n), "x": rng.normal(size=n).round(3), "label": y, "pred": classes_[P.argmax(1)]})
for i, c in enumerate(classes_):
    df[f"prob_{c}"] = P[:, i].round(6)
df.to_csv(os.path.join(OUT, "bool_labels.csv"), index=False)
Pr = df[["prob_False", "prob_True"]].to_numpy()
cases["bool_labels"] = {
    "file": "bool_labels.csv", "args": [], "task": "classification", "classes": ["False", "True"], "positive": "True",
    "rows": n, "skipped": 0,
    "overall": classification(df.label.astype(str), df.pred.astype(str), Pr, ["False", "True"], "True"),
}

# 2. Float labels 0.0 / 1.0 with prob_0.0 / prob_1.0 (a float column's str()).
P = probs(n, 2)
y = draw(P).astype(float)
classes_ = np.array([0.0, 1.0])
df = pd.DataFrame({"label": y, "pred": classes_[P.argmax(1)], "group": rng.choice(["a", "b"], size=n)})
for i, c in enumerate(classes_):
    df[f"prob_{c}"] = P[:, i].round(6)
df.to_csv(os.path.join(OUT, "float_labels.csv"), index=False)
Pr = df[["prob_0.0", "prob_1.0"]].to_numpy()
cases["float_labels"] = {
    "file": "float_labels.csv", "args": [], "task": "classification", "classes": ["0.0", "1.0"], "positive": "1.0",
    "rows": n, "skipped": 0,
    "overall": classification(df.label.astype(str), df.pred.astype(str), Pr, ["0.0", "1.0"], "1.0"),
}

# 3. Integer labels 0…11 with prob_0 … prob_11: sorted by value (prob_10 after prob_9), as scikit-learn.
n = 900
P = probs(n, 12)
y = draw(P)
df = pd.DataFrame({"label": y, "pred": P.argmax(1)})
for c in range(12):
    df[f"prob_{c}"] = P[:, c].round(6)
df = df[["label", "pred"] + [f"prob_{c}" for c in [0, 1, 10, 11, 2, 3, 4, 5, 6, 7, 8, 9]]]  # columns not in class order
df.to_csv(os.path.join(OUT, "int_labels.csv"), index=False)
names = [str(c) for c in range(12)]
Pr = df[[f"prob_{c}" for c in names]].to_numpy()
cases["int_labels"] = {
    "file": "int_labels.csv", "args": [], "task": "classification", "classes": names,
    "rows": n, "skipped": 0,
    "overall": classification(df.label.astype(str), df.pred.astype(str), Pr, names),
}

# 4. Text labels with pandas' missing tokens: those rows are skipped and counted, never classes.
n = 400
P = probs(n, 3)
animals = np.array(["bird", "cat", "dog"])
y = animals[draw(P)].astype(object)
tokens = ["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "?", "n/a", "<NA>"]
miss = rng.choice(n, size=len(tokens) * 3, replace=False)
for j, i in enumerate(miss):
    y[i] = tokens[j % len(tokens)]
df = pd.DataFrame({"label": y, "pred": animals[P.argmax(1)]})
for i, c in enumerate(animals):
    df[f"prob_{c}"] = P[:, i].round(6)
with open(os.path.join(OUT, "missing_tokens.csv"), "w") as f:
    df.to_csv(f, index=False, na_rep="")
keep = np.ones(n, bool)
keep[miss] = False
cases["missing_tokens"] = {
    "file": "missing_tokens.csv", "args": [], "task": "classification", "classes": list(animals),
    "rows": int(keep.sum()), "skipped": int(n - keep.sum()),
    "overall": classification(df.label[keep].astype(str), df.pred[keep].astype(str), df[[f"prob_{c}" for c in animals]].to_numpy()[keep], list(animals)),
}

# 5. A numeric label with NA: still numeric, still regression; the NA rows skipped.
n = 653
x = rng.normal(size=n)
y = (50 + 10 * x + rng.normal(size=n) * 3).round(2)
pred = (50 + 9 * x).round(2)
ys = y.astype(object)
na = rng.choice(n, size=7, replace=False)
ys[na] = "NA"
pd.DataFrame({"target": ys, "prediction": pred, "x": x.round(4)}).to_csv(os.path.join(OUT, "na_regression.csv"), index=False)
keep = np.ones(n, bool)
keep[na] = False
cases["na_regression"] = {
    "file": "na_regression.csv", "args": ["--label", "target", "--pred", "prediction"], "task": "regression",
    "rows": int(keep.sum()), "skipped": 7, "overall": regression(y[keep], pred[keep]),
}

# 6. Few distinct non-integer values (15 grades like 0.2, 1.3): regression, not 15 classes.
n = 500
levels = np.round(np.linspace(0.2, 4.4, 15), 1)
y = rng.choice(levels, size=n)
pred = (y + rng.normal(size=n) * 0.4).round(3)
pd.DataFrame({"label": y, "pred": pred}).to_csv(os.path.join(OUT, "fractional.csv"), index=False)
cases["fractional"] = {
    "file": "fractional.csv", "args": [], "task": "regression", "rows": n, "skipped": 0, "overall": regression(y, pred),
}

# 7. European CSV: ';' between fields and decimal commas in the probabilities (Excel's export).
n = 200
P = probs(n, 2)
cls = np.array(["no", "yes"])
y = cls[draw(P)]
df = pd.DataFrame({"label": y, "pred": cls[P.argmax(1)], "prob_no": P[:, 0].round(4), "prob_yes": P[:, 1].round(4)})
df.to_csv(os.path.join(OUT, "decimal_comma.csv"), index=False, sep=";", decimal=",")
cases["decimal_comma"] = {
    "file": "decimal_comma.csv", "args": [], "task": "classification", "classes": ["no", "yes"], "positive": "yes",
    "rows": n, "skipped": 0,
    "overall": classification(df.label, df.pred, df[["prob_no", "prob_yes"]].to_numpy(), ["no", "yes"], "yes"),
}

# 8. A Windows-1252 / Latin-1 file (accented class names).
n = 150
P = probs(n, 3)
cls = np.array(["café", "crème", "thé"])
df = pd.DataFrame({"label": cls[draw(P)], "pred": cls[P.argmax(1)], "région": rng.choice(["Zürich", "Genève"], size=n)})
for i, c in enumerate(cls):
    df[f"prob_{c}"] = P[:, i].round(6)
df.to_csv(os.path.join(OUT, "latin1.csv"), index=False, encoding="latin-1")
cases["latin1"] = {
    "file": "latin1.csv", "args": [], "task": "classification", "classes": list(cls),
    "rows": n, "skipped": 0,
    "overall": classification(df.label, df.pred, df[[f"prob_{c}" for c in cls]].to_numpy(), list(cls)),
}

# 9. Subsets missing classes: a slice with one true class (multiclass: AUC raises → null, AP is the
# mean over classes with 0 for those with no positives); a binary slice with no positives.
n = 240
P = probs(n, 3)
cls = np.array(["a", "b", "c"])
y = cls[draw(P)]
site = np.where(np.arange(n) < 12, "solo", rng.choice(["north", "south"], size=n))
y[:12] = "b"
df = pd.DataFrame({"label": y, "pred": cls[P.argmax(1)], "site": site})
for i, c in enumerate(cls):
    df[f"prob_{c}"] = P[:, i].round(6)
df.to_csv(os.path.join(OUT, "one_class_slice.csv"), index=False)
s = df.site == "solo"
cases["one_class_slice"] = {
    "file": "one_class_slice.csv", "args": ["--where", "site = 'solo'"], "task": "classification", "classes": list(cls),
    "rows": n, "skipped": 0, "slice_rows": int(s.sum()),
    "slice": classification(df.label[s], df.pred[s], df[[f"prob_{c}" for c in cls]].to_numpy()[s], list(cls)),
}
P = probs(n, 2)
cls = np.array(["ok", "spam"])
y = cls[draw(P)]
y[:15] = "ok"
df = pd.DataFrame({"label": y, "pred": cls[P.argmax(1)], "batch": np.where(np.arange(n) < 15, "clean", "mixed")})
df["prob_ok"], df["prob_spam"] = P[:, 0].round(6), P[:, 1].round(6)
df.to_csv(os.path.join(OUT, "no_positive_slice.csv"), index=False)
s = df.batch == "clean"
cases["no_positive_slice"] = {
    "file": "no_positive_slice.csv", "args": ["--where", "batch = 'clean'"], "task": "classification", "classes": list(cls),
    "positive": "spam", "rows": n, "skipped": 0, "slice_rows": int(s.sum()),
    "slice": classification(df.label[s], df.pred[s], df[["prob_ok", "prob_spam"]].to_numpy()[s], list(cls), "spam"),
}

# 10. One column of the positive class's probability, as scikit-learn's y_score: y_true / y_pred /
# y_score with text classes (positive: the larger, "yes"), and 0/1 labels with a "probability" column.
n = 300
P = probs(n, 2)
cls = np.array(["no", "yes"])
y = cls[draw(P)]
df = pd.DataFrame({"y_true": y, "y_pred": cls[P.argmax(1)], "y_score": P[:, 1].round(6), "x": rng.normal(size=n).round(3)})
df.to_csv(os.path.join(OUT, "score_text.csv"), index=False)
S = df.y_score.to_numpy()
cases["score_text"] = {
    "file": "score_text.csv", "args": [], "task": "classification", "classes": ["no", "yes"], "positive": "yes",
    "rows": n, "skipped": 0,
    "overall": classification(df.y_true, df.y_pred, np.column_stack([1 - S, S]), ["no", "yes"], "yes"),
}
P = probs(n, 2)
y = draw(P)
df = pd.DataFrame({"label": y, "pred": P.argmax(1), "probability": P[:, 1].round(6)})
df.to_csv(os.path.join(OUT, "score_int.csv"), index=False)
S = df.probability.to_numpy()
cases["score_int"] = {
    "file": "score_int.csv", "args": [], "task": "classification", "classes": ["0", "1"], "positive": "1",
    "rows": n, "skipped": 0,
    "overall": classification(df.label.astype(str), df.pred.astype(str), np.column_stack([1 - S, S]), ["0", "1"], "1"),
}

# 11. The same columns named on the command line: one score column (--probs y_score), and one class's
# column of a pair (--probs prob_True: the other class has 1 − p, not the file's prob_False).
cases["score_named"] = {**cases["score_text"], "args": ["--probs", "y_score"]}
df = pd.read_csv(os.path.join(OUT, "bool_labels.csv"))
S = df.prob_True.to_numpy()
cases["one_of_two_named"] = {
    "file": "bool_labels.csv", "args": ["--probs", "prob_True"], "task": "classification", "classes": ["False", "True"],
    "positive": "True", "rows": len(df), "skipped": 0,
    "overall": classification(df.label.astype(str), df.pred.astype(str), np.column_stack([1 - S, S]), ["False", "True"], "True"),
}

# 12. Probability columns named as the classes, as pandas writes DataFrame(predict_proba(X), columns=classes_):
# text classes, and whole-number classes 0, 1, 2 (headers "0", "1", "2").
n = 300
P = probs(n, 3)
cls = np.array(["bird", "cat", "dog"])
df = pd.DataFrame({"label": cls[draw(P)], "pred": cls[P.argmax(1)]})
for i, c in enumerate(cls):
    df[c] = P[:, i].round(6)
df.to_csv(os.path.join(OUT, "class_named.csv"), index=False)
cases["class_named"] = {
    "file": "class_named.csv", "args": [], "task": "classification", "classes": list(cls), "rows": n, "skipped": 0,
    "overall": classification(df.label, df.pred, df[list(cls)].to_numpy(), list(cls)),
}
P = probs(n, 3)
df = pd.DataFrame({"target": draw(P), "prediction": P.argmax(1)})
for i in range(3):
    df[str(i)] = P[:, i].round(6)
df.to_csv(os.path.join(OUT, "class_named_int.csv"), index=False)
cases["class_named_int"] = {
    "file": "class_named_int.csv", "args": [], "task": "classification", "classes": ["0", "1", "2"], "rows": n,
    "skipped": 0,
    "overall": classification(df.target.astype(str), df.prediction.astype(str), df[["0", "1", "2"]].to_numpy(), ["0", "1", "2"]),
}

# 13. A list column written to CSV by pandas: the cells are text — Python lists as "[0.1, 0.2, 0.7]",
# NumPy arrays as "[0.1 0.2 0.7]". Probabilities in a `probs` cell of each kind.
n = 300
P = probs(n, 3)
cls = np.array(["a", "b", "c"])
y = cls[draw(P)]
Pr = P.round(6)
df = pd.DataFrame({"label": y, "pred": cls[P.argmax(1)], "probs": [list(r) for r in Pr]})
df.to_csv(os.path.join(OUT, "list_text.csv"), index=False)
cases["list_text"] = {
    "file": "list_text.csv", "args": [], "task": "classification", "classes": list(cls), "rows": n, "skipped": 0,
    "overall": classification(df.label, df.pred, Pr, list(cls)),
}
df = pd.DataFrame({"label": y, "pred": cls[P.argmax(1)], "probs": list(Pr)})
df.to_csv(os.path.join(OUT, "array_text.csv"), index=False)
cases["array_text"] = {**cases["list_text"], "file": "array_text.csv"}

# 14. A 0/1 label with NA, which pandas writes as floats (1.0, 0.0, empty), and a score column.
n = 250
P = probs(n, 2)
y = draw(P).astype(float)
na = rng.choice(n, size=5, replace=False)
y[na] = np.nan
df = pd.DataFrame({"label": y, "score": P[:, 1].round(6)})
df.to_csv(os.path.join(OUT, "float_score.csv"), index=False)
keep = ~np.isnan(y)
S = df.score.to_numpy()[keep]
yk = np.array([str(v) for v in y[keep]])
cases["float_score"] = {
    "file": "float_score.csv", "args": [], "task": "classification", "classes": ["0.0", "1.0"], "positive": "1.0",
    "rows": int(keep.sum()), "skipped": 5,
    "overall": {k: v for k, v in classification(yk, np.where(S >= 0.5, "1.0", "0.0"), np.column_stack([1 - S, S]), ["0.0", "1.0"], "1.0").items()
                if k in ("log_loss", "roc_auc", "average_precision", "brier")},
}

# 15. Written by hand with a space after each comma (`7, cat, dog, 0.61, …`): the header's names and
# the numbers read as they are, the text keeps the space. Read as pandas reads it with
# skipinitialspace=True: the classes are "cat", "dog", "bird", and prob_cat… name them.
n = 180
P = probs(n, 3)
cls = np.array(["cat", "dog", "bird"])
y = cls[draw(P)]
pred = cls[P.argmax(1)]
with open(os.path.join(OUT, "space_after_comma.csv"), "w") as f:
    f.write("id, label, pred, prob_cat, prob_dog, prob_bird\n")
    for i in range(n):
        f.write(f"{i}, {y[i]}, {pred[i]}, {P[i, 0]:.6f}, {P[i, 1]:.6f}, {P[i, 2]:.6f}\n")
df = pd.read_csv(os.path.join(OUT, "space_after_comma.csv"), skipinitialspace=True)
order = ["bird", "cat", "dog"]
cases["space_after_comma"] = {
    "file": "space_after_comma.csv", "args": [], "task": "classification", "classes": order,
    "rows": n, "skipped": 0,
    "overall": classification(df.label, df.pred, df[[f"prob_{c}" for c in order]].to_numpy(), order),
}

# 16. Probability columns with the class first (`cat_prob`), and H2O's prediction column `predict`.
n = 160
P = probs(n, 3)
cls = np.array(["cat", "dog", "bird"])
df = pd.DataFrame({"label": cls[draw(P)], "predict": cls[P.argmax(1)]})
for i, c in enumerate(cls):
    df[f"{c}_prob"] = P[:, i].round(6)
df.to_csv(os.path.join(OUT, "class_suffix.csv"), index=False)
order = ["bird", "cat", "dog"]
cases["class_suffix"] = {
    "file": "class_suffix.csv", "args": [], "task": "classification", "classes": order, "rows": n, "skipped": 0,
    "overall": classification(df.label, df.predict, df[[f"{c}_prob" for c in order]].to_numpy(), order),
}

# 17. Hugging Face pipeline output kept in a DataFrame and written by to_csv: a list of {label, score}
# per row (top_k=None: every class), which pandas writes as Python's repr ('label', not "label").
n = 150
P = probs(n, 3)
cls = np.array(["NEG", "NEU", "POS"])
y = cls[draw(P)]
outs = [sorted(({"label": c, "score": round(float(P[i, j]), 6)} for j, c in enumerate(cls)), key=lambda x: -x["score"]) for i in range(n)]
pd.DataFrame({"text": [f"review {i}" for i in range(n)], "label": y, "prediction": outs}).to_csv(
    os.path.join(OUT, "hf_pipeline.csv"), index=False)
Pr = np.array([[next(x["score"] for x in o if x["label"] == c) for c in cls] for o in outs])
pred = cls[Pr.argmax(1)]
cases["hf_pipeline"] = {
    "file": "hf_pipeline.csv", "args": [], "task": "classification", "classes": list(cls), "rows": n, "skipped": 0,
    "overall": classification(y, pred, Pr, list(cls)),
}

# 18. Class probabilities as one JSON object per row (JSON lines), as a dict per row serialises.
n = 120
P = probs(n, 2)
cls = np.array(["cat", "dog"])
y = cls[draw(P)]
with open(os.path.join(OUT, "dict_probs.jsonl"), "w") as f:
    for i in range(n):
        f.write(json.dumps({"id": i, "label": str(y[i]), "pred": str(cls[P[i].argmax()]),
                            "probs": {"cat": round(float(P[i, 0]), 6), "dog": round(float(P[i, 1]), 6)}}) + "\n")
Pr = np.round(P, 6)
cases["dict_probs"] = {
    "file": "dict_probs.jsonl", "args": [], "task": "classification", "classes": ["cat", "dog"], "positive": "dog",
    "rows": n, "skipped": 0,
    "overall": classification(y, cls[P.argmax(1)], Pr, ["cat", "dog"], "dog"),
}

# 19. A 0/1 label with the classifier's probability of 1 kept as its "prediction" (predict_proba[:, 1]).
n = 220
P = probs(n, 2)
y = draw(P)
S = P[:, 1].round(4)
pd.DataFrame({"label": y, "prediction": S}).to_csv(os.path.join(OUT, "pred_is_score.csv"), index=False)
yk = np.array([str(v) for v in y])
cases["pred_is_score"] = {
    "file": "pred_is_score.csv", "args": [], "task": "classification", "classes": ["0", "1"], "positive": "1",
    "rows": n, "skipped": 0,
    "overall": {k: v for k, v in classification(yk, np.where(S >= 0.5, "1", "0"), np.column_stack([1 - S, S]), ["0", "1"], "1").items()
                if k in ("log_loss", "roc_auc", "average_precision", "brier")},
}

# 20. A 0/1 label beside `proba[:, 1] > 0.5` kept as the prediction: pandas writes it True/False.
# scikit-learn compares them as Python does (True == 1): the metrics are computed on the raw arrays.
n = 240
P = probs(n, 2)
y = draw(P)
pred = P[:, 1] > 0.5
df = pd.DataFrame({"id": range(n), "label": y, "prediction": pred, "prob_0": P[:, 0].round(6), "prob_1": P[:, 1].round(6)})
df.to_csv(os.path.join(OUT, "bool_pred.csv"), index=False)
Pr = df[["prob_0", "prob_1"]].to_numpy()
cases["bool_pred"] = {
    "file": "bool_pred.csv", "args": [], "task": "classification", "classes": ["0", "1"], "positive": "1",
    "rows": n, "skipped": 0,
    "overall": classification(df.label.to_numpy(), df.prediction.to_numpy(), Pr, [0, 1], 1),
}

# 21. The other way round: True/False labels, and a model's 0/1 predictions (no probabilities).
n = 160
P = probs(n, 2)
y = draw(P).astype(bool)
pred = P.argmax(1)
df = pd.DataFrame({"label": y, "pred": pred, "x": rng.normal(size=n).round(3)})
df.to_csv(os.path.join(OUT, "int_pred_bool_label.csv"), index=False)
cases["int_pred_bool_label"] = {
    "file": "int_pred_bool_label.csv", "args": [], "task": "classification", "classes": ["False", "True"],
    "positive": "True", "rows": n, "skipped": 0,
    "overall": classification(df.label.to_numpy(), df.pred.to_numpy(), None, [False, True]),
}

# 22. Probabilities named by class index (prob_0 … prob_3, `add_prefix("prob_")` on a DataFrame of
# predict_proba) beside labels that are names: column i is classes_[i], the i-th name in sorted order.
n = 260
P = probs(n, 4)
cls = np.array(["ant", "bee", "cat", "dog"])
y = cls[draw(P)]
df = pd.DataFrame({"label": y, "pred": cls[P.argmax(1)]})
df = pd.concat([df, pd.DataFrame(P.round(6)).add_prefix("prob_")], axis=1)
df.to_csv(os.path.join(OUT, "prob_index.csv"), index=False)
cases["prob_index"] = {
    "file": "prob_index.csv", "args": [], "task": "classification", "classes": list(cls), "rows": n, "skipped": 0,
    "overall": classification(df.label, df.pred, P.round(6), list(cls)),
    "warning": "prob_0 is \"ant\", prob_1 is \"bee\", prob_2 is \"cat\" and so on",
}

# 23. The same columns left as pandas names them (0, 1, 2, 3): the header holds numbers.
df = pd.concat([df[["label", "pred"]], pd.DataFrame(P.round(6))], axis=1)
df.to_csv(os.path.join(OUT, "prob_bare_index.csv"), index=False)
cases["prob_bare_index"] = {**cases["prob_index"], "file": "prob_bare_index.csv",
                            "warning": "0 is \"ant\", 1 is \"bee\", 2 is \"cat\" and so on"}

# 24. A binary task with names for classes and predict_proba(X)[:, 1] kept as prob_1.
n = 200
P = probs(n, 2)
cls = np.array(["ham", "spam"])
y = cls[draw(P)]
df = pd.DataFrame({"text_len": rng.integers(5, 500, n), "label": y, "pred": cls[P.argmax(1)], "prob_1": P[:, 1].round(6)})
df.to_csv(os.path.join(OUT, "prob_one_index.csv"), index=False)
S = df.prob_1.to_numpy()
cases["prob_one_index"] = {
    "file": "prob_one_index.csv", "args": [], "task": "classification", "classes": list(cls), "positive": "spam",
    "rows": n, "skipped": 0,
    "overall": classification(df.label, df.pred, np.column_stack([1 - S, S]), list(cls), "spam"),
    "warning": "prob_1 is \"spam\"",
}

# 25. Kaggle's habit: the label's own name, with the prediction and the score named after it
# (Survived, Survived_pred, Survived_proba): the score is the positive class's, not a class "Survived".
n = 250
P = probs(n, 2)
y = draw(P)
df = pd.DataFrame({"PassengerId": range(1, n + 1), "Sex": rng.choice(["male", "female"], n), "Survived": y,
                   "Survived_pred": P.argmax(1), "Survived_proba": P[:, 1].round(6)})
df.to_csv(os.path.join(OUT, "label_named_score.csv"), index=False)
S = df.Survived_proba.to_numpy()
cases["label_named_score"] = {
    "file": "label_named_score.csv", "args": [], "task": "classification", "classes": ["0", "1"], "positive": "1",
    "rows": n, "skipped": 0,
    "overall": classification(df.Survived, df.Survived_pred, np.column_stack([1 - S, S]), [0, 1], 1),
}

# 26. A 1–5 star rating (whole numbers, five values) predicted by a regressor (3.712): a regression,
# since no class is 3.712.
n = 240
y = rng.integers(1, 6, n)
pred = np.clip(y + rng.normal(0, 0.8, n), 1, 5).round(3)
pd.DataFrame({"review_len": rng.integers(10, 500, n), "rating": y, "rating_pred": pred}).to_csv(
    os.path.join(OUT, "rating_regression.csv"), index=False)
cases["rating_regression"] = {
    "file": "rating_regression.csv", "args": [], "task": "regression", "rows": n, "skipped": 0,
    "overall": regression(y, pred),
}

# 27. R's tidymodels (augment() / yardstick): the outcome under its own name, `.pred_class`, and a
# `.pred_<level>` per class; the label is the column whose classes the probability columns name.
n = 150
P = probs(n, 3)
cls = np.array(["setosa", "versicolor", "virginica"])
y = cls[draw(P)]
df = pd.DataFrame({"Sepal.Length": rng.normal(5.8, 0.8, n).round(1), "Species": y, ".pred_class": cls[P.argmax(1)]})
for i, c in enumerate(cls):
    df[f".pred_{c}"] = P[:, i].round(6)
df.to_csv(os.path.join(OUT, "tidymodels.csv"), index=False)
cases["tidymodels"] = {
    "file": "tidymodels.csv", "args": [], "task": "classification", "classes": list(cls), "rows": n, "skipped": 0,
    "overall": classification(df.Species, df[".pred_class"], df[[f".pred_{c}" for c in cls]].to_numpy(), list(cls)),
}

# 28. tidymodels' regression: `.pred` beside the outcome (named on the command line: nothing tells it apart).
n = 120
mpg = rng.normal(20, 6, n).round(1)
df = pd.DataFrame({"cyl": rng.choice([4, 6, 8], n), "mpg": mpg, ".pred": (mpg + rng.normal(0, 2, n)).round(3)})
df.to_csv(os.path.join(OUT, "tidymodels_regression.csv"), index=False)
cases["tidymodels_regression"] = {
    "file": "tidymodels_regression.csv", "args": ["--label", "mpg"], "task": "regression", "rows": n, "skipped": 0,
    "overall": regression(df.mpg, df[".pred"]),
}

# 29. H2O's binomial predictions frame beside the label: predict, p0, p1.
n = 200
P = probs(n, 2)
y = draw(P)
df = pd.DataFrame({"label": y, "predict": P.argmax(1), "p0": P[:, 0].round(6), "p1": P[:, 1].round(6)})
df.to_csv(os.path.join(OUT, "h2o.csv"), index=False)
cases["h2o"] = {
    "file": "h2o.csv", "args": [], "task": "classification", "classes": ["0", "1"], "positive": "1",
    "rows": n, "skipped": 0,
    "overall": classification(df.label, df.predict, df[["p0", "p1"]].to_numpy(), [0, 1], 1),
}

# 30. Two named classes of which one is the absence of the other (fraud / legit): the positive class
# is fraud, though it sorts first; scikit-learn is told pos_label="fraud".
n = 220
P = probs(n, 2)
cls = np.array(["fraud", "legit"])
y = cls[draw(P)]
df = pd.DataFrame({"amount": rng.integers(1, 900, n), "label": y, "pred": cls[P.argmax(1)],
                   "prob_fraud": P[:, 0].round(6), "prob_legit": P[:, 1].round(6)})
df.to_csv(os.path.join(OUT, "fraud_legit.csv"), index=False)
cases["fraud_legit"] = {
    "file": "fraud_legit.csv", "args": [], "task": "classification", "classes": list(cls), "positive": "fraud",
    "rows": n, "skipped": 0,
    "overall": classification(df.label, df.pred, df[["prob_fraud", "prob_legit"]].to_numpy(), list(cls), "fraud"),
}

# 31. PyCaret's predict_model: prediction_label and prediction_score, the probability of the predicted
# class (never below ½ for two classes). The two classes' probabilities follow from it.
n = 210
P = probs(n, 2)
cls = np.array(["no", "yes"])
y = cls[draw(P)]
k = P.argmax(1)
df = pd.DataFrame({"tenure": rng.integers(1, 72, n), "label": y, "prediction_label": cls[k],
                   "prediction_score": P.max(1).round(4)})
df.to_csv(os.path.join(OUT, "pycaret.csv"), index=False)
conf = df.prediction_score.to_numpy()
Pc = np.where(k[:, None] == np.arange(2)[None, :], conf[:, None], 1 - conf[:, None])
cases["pycaret"] = {
    "file": "pycaret.csv", "args": [], "task": "classification", "classes": list(cls), "positive": "yes",
    "rows": n, "skipped": 0,
    "overall": classification(df.label, df.prediction_label, Pc, list(cls), "yes"),
    "warning": "prediction_score is the confidence of the predicted class",
}

# 32. SageMaker Autopilot's batch output: predicted_label, probability (the predicted class's), and the
# list of class names with the list of their probabilities, in the model's order (here not sorted).
n = 180
P = probs(n, 3)
order = ["yes", "no", "maybe"]
y = np.array(order)[draw(P)]
df = pd.DataFrame({"label": y, "predicted_label": np.array(order)[P.argmax(1)], "probability": P.max(1).round(6),
                   "labels": [str(order)] * n, "probabilities": [str([round(v, 6) for v in p]) for p in P]})
df.to_csv(os.path.join(OUT, "autopilot.csv"), index=False)
cases["autopilot"] = {
    "file": "autopilot.csv", "args": [], "task": "classification", "classes": ["maybe", "no", "yes"],
    "rows": n, "skipped": 0,
    "overall": classification(df.label, df.predicted_label, P.round(6)[:, [2, 1, 0]], ["maybe", "no", "yes"]),
}

# 33. A Hugging Face pipeline's output beside the dataset's 0/1 labels: a model saved without class
# names predicts LABEL_0 / LABEL_1 (class id k is LABEL_k), and `score` is the predicted label's.
n = 220
P = probs(n, 2)
y = draw(P)
k = P.argmax(1)
df = pd.DataFrame({"text": [f"review {i}" for i in range(n)], "label": y,
                   "predicted": [f"LABEL_{c}" for c in k], "score": P.max(1).round(6)})
df.to_csv(os.path.join(OUT, "hf_label_ids.csv"), index=False)
conf = df.score.to_numpy()
Pc = np.where(k[:, None] == np.arange(2)[None, :], conf[:, None], 1 - conf[:, None])
cases["hf_label_ids"] = {
    "file": "hf_label_ids.csv", "args": [], "task": "classification", "classes": ["0", "1"], "positive": "1",
    "rows": n, "skipped": 0,
    "overall": classification(y, k, Pc, [0, 1], 1),
    "warning": "score is the confidence of the predicted class",
}

# 34. The positive class's score at a threshold above 1/2, every value 1/2 or more: the predictions
# are the score thresholded, so it stays the positive class's probability (not a confidence).
n = 200
s1 = 0.5 + 0.5 * rng.random(n)
y = (rng.random(n) < s1 * 0.9).astype(int)
pred = (s1 >= 0.7).astype(int)
df = pd.DataFrame({"age": rng.integers(18, 90, n), "y_true": y, "y_pred": pred, "score": s1.round(6)})
df.to_csv(os.path.join(OUT, "score_high_threshold.csv"), index=False)
s1 = df.score.to_numpy()
cases["score_high_threshold"] = {
    "file": "score_high_threshold.csv", "args": [], "task": "classification", "classes": ["0", "1"],
    "positive": "1", "rows": n, "skipped": 0,
    "overall": classification(y, pred, np.stack([1 - s1, s1], 1), [0, 1], 1),
}

# 35. A network's logits, one column per class named by class (PyTorch: logits saved as logit_<name>),
# beside the predicted class: the probabilities are their softmax (scipy.special.softmax).
from scipy.special import softmax, expit
n = 210
cls = ["bird", "cat", "dog"]
L = rng.normal(size=(n, 3)) * 2.5
L = L.round(5)
P = softmax(L, axis=1)
y = np.array(cls)[draw(P)]
df = pd.DataFrame({"width": rng.integers(32, 512, n), "label": y, "pred": np.array(cls)[L.argmax(1)]})
for j, c in enumerate(cls):
    df[f"logit_{c}"] = L[:, j]
df.to_csv(os.path.join(OUT, "logit_columns.csv"), index=False)
cases["logit_columns"] = {
    "file": "logit_columns.csv", "args": [], "task": "classification", "classes": cls, "rows": n, "skipped": 0,
    "overall": classification(y, np.array(cls)[L.argmax(1)], P, cls),
    "warning": "are logits: read as the probabilities prob_bird, prob_cat, prob_dog by softmax",
}

# 36. A Hugging Face Trainer's output: label_ids and the logits as one list per row, no predicted
# class (it is the argmax, as Trainer's compute_metrics takes it).
n = 190
L = (rng.normal(size=(n, 4)) * 2).round(4)
P = softmax(L, axis=1)
y = draw(P)
df = pd.DataFrame({"label_ids": y, "logits": [str(list(row)) for row in L]})
df.to_csv(os.path.join(OUT, "logit_list.csv"), index=False)
cases["logit_list"] = {
    "file": "logit_list.csv", "args": [], "task": "classification", "classes": ["0", "1", "2", "3"], "rows": n,
    "skipped": 0, "overall": classification(y, P.argmax(1), P, [0, 1, 2, 3]),
    "warning": "logits holds logits: read as the probabilities probs by softmax",
}

# 37. A binary model's one logit (log-odds) column: the positive class's probability is its sigmoid.
n = 200
z = (rng.normal(size=n) * 3).round(5)
y = (rng.random(n) < expit(z * 0.8)).astype(int)
df = pd.DataFrame({"age": rng.integers(18, 90, n), "y_true": y, "y_pred": (z > 0).astype(int), "logit": z})
df.to_csv(os.path.join(OUT, "logit_binary.csv"), index=False)
p1 = expit(z)
cases["logit_binary"] = {
    "file": "logit_binary.csv", "args": [], "task": "classification", "classes": ["0", "1"], "positive": "1",
    "rows": n, "skipped": 0, "overall": classification(y, (z > 0).astype(int), np.stack([1 - p1, p1], 1), [0, 1], 1),
    "warning": "logit holds logits: read as the probabilities prob by a sigmoid",
}

# 38. Weka's predictions CSV (Explorer's "Output predictions" as CSV): inst#, actual and predicted as
# "index:class", error ("+" where wrong) and prediction, the predicted class's probability.
n = 160
P = probs(n, 2)
names = np.array(["1:tested_negative", "2:tested_positive"])
y = names[draw(P)]
k = P.argmax(1)
df = pd.DataFrame({"inst#": np.arange(1, n + 1), "actual": y, "predicted": names[k],
                   "error": np.where(y != names[k], "+", ""), "prediction": P.max(1).round(3)})
df.to_csv(os.path.join(OUT, "weka.csv"), index=False)
conf = df.prediction.to_numpy()
Pc = np.where(k[:, None] == np.arange(2)[None, :], conf[:, None], 1 - conf[:, None])
# Weka's "index:" is taken off each class (the metrics are the same either way).
cases["weka"] = {
    "file": "weka.csv", "args": [], "task": "classification", "classes": ["tested_negative", "tested_positive"],
    "positive": "tested_positive", "rows": n, "skipped": 0,
    "overall": classification(y, names[k], Pc, list(names), names[1]),
    "warning": "actual, predicted: the classes are read without Weka's index before them",
}

# 39. BigQuery ML's ML.PREDICT exported as JSON lines: predicted_<label> and predicted_<label>_probs,
# a list of {label, prob} records (most probable first).
n = 170
P = probs(n, 2)
cls = ["no", "yes"]
y = np.array(cls)[draw(P)]
k = P.argmax(1)
with open(os.path.join(OUT, "bqml.jsonl"), "w") as f:
    for i in range(n):
        order = np.argsort(-P[i])
        f.write(json.dumps({"customer_id": 1000 + i, "tenure": int(rng.integers(1, 72)), "churned": y[i],
                            "predicted_churned": cls[k[i]],
                            "predicted_churned_probs": [{"label": cls[j], "prob": round(float(P[i, j]), 8)}
                                                        for j in order]}) + "\n")
cases["bqml"] = {
    "file": "bqml.jsonl", "args": [], "task": "classification", "classes": cls, "positive": "yes",
    "rows": n, "skipped": 0, "overall": classification(y, np.array(cls)[k], P.round(8), cls, "yes"),
}

# 40. Vertex AI's batch prediction output (JSON lines): the instance as sent, ground truth included,
# and the prediction's classes with their scores, in the model's order (here not sorted).
n = 160
P = probs(n, 3)
order = ["low", "high", "medium"]
y = np.array(order)[draw(P)]
with open(os.path.join(OUT, "vertex.jsonl"), "w") as f:
    for i in range(n):
        f.write(json.dumps({"instance": {"amount": round(float(rng.random() * 900), 2), "label": y[i]},
                            "prediction": {"classes": order, "scores": [round(float(x), 8) for x in P[i]]}}) + "\n")
srt = sorted(order)
Ps = P.round(8)[:, [order.index(c) for c in srt]]
cases["vertex"] = {
    "file": "vertex.jsonl", "args": [], "task": "classification", "classes": srt, "rows": n, "skipped": 0,
    "overall": classification(y, np.array(srt)[Ps.argmax(1)], Ps, srt),
}

# 41. A probability column exported from a spreadsheet with an error cell (#DIV/0!): text, so not
# probabilities; the metrics that need none are computed, and loupe says which cell is the cause.
n = 130
P = probs(n, 2)
y = draw(P)
pred = P.argmax(1)
p1 = [f"{v:.4f}" for v in P[:, 1]]
p1[11] = "#DIV/0!"
pd.DataFrame({"label": y, "pred": pred, "prob_1": p1}).to_csv(os.path.join(OUT, "excel_div0.csv"), index=False)
cases["excel_div0"] = {
    "file": "excel_div0.csv", "args": [], "task": "classification", "classes": ["0", "1"], "rows": n, "skipped": 0,
    "overall": classification(y, pred, None, [0, 1]),
    "warning": 'Column prob_1 is named as a probability but holds text: "#DIV/0!" (row 12)',
}

# 42. A German spreadsheet saved as comma-separated CSV: decimal commas, quoted ("0,8734").
n = 140
P = probs(n, 2)
y = draw(P)
pred = P.argmax(1)
P4 = P.round(4)
pd.DataFrame({"label": y, "pred": pred, "prob_0": [f"{v:.4f}".replace(".", ",") for v in P4[:, 0]],
              "prob_1": [f"{v:.4f}".replace(".", ",") for v in P4[:, 1]]}).to_csv(
    os.path.join(OUT, "decimal_comma_quoted.csv"), index=False, quoting=1)
cases["decimal_comma_quoted"] = {
    "file": "decimal_comma_quoted.csv", "args": [], "task": "classification", "classes": ["0", "1"],
    "positive": "1", "rows": n, "skipped": 0, "overall": classification(y, pred, P4, [0, 1], 1),
}

# 43. R yardstick's two_class_example shape: truth, a probability column per class named as the
# class, and predicted.
n = 150
P = probs(n, 2)
cls = ["Class1", "Class2"]
y = np.array(cls)[draw(P)]
P4 = P.round(6)
df = pd.DataFrame({"truth": y, "Class1": P4[:, 0], "Class2": P4[:, 1], "predicted": np.array(cls)[P.argmax(1)]})
df.to_csv(os.path.join(OUT, "yardstick.csv"), index=False)
cases["yardstick"] = {
    "file": "yardstick.csv", "args": [], "task": "classification", "classes": cls, "positive": "Class2",
    "rows": n, "skipped": 0, "overall": classification(y, np.array(cls)[P.argmax(1)], P4, cls, "Class2"),
}

# 44. Azure Machine Learning's scored dataset (Score Model): the label under its own name, then
# Scored Labels and a 'Scored Probabilities for Class "<class>"' column per class.
n = 150
P = probs(n, 3)
cls = ["setosa", "versicolor", "virginica"]
y = np.array(cls)[draw(P)]
P4 = P.round(6)
df = pd.DataFrame({"sepal_length": (4 + 4 * rng.random(n)).round(1), "Species": y})
df["Scored Labels"] = np.array(cls)[P.argmax(1)]
for j, c in enumerate(cls):
    df[f'Scored Probabilities for Class "{c}"'] = P4[:, j]
df.to_csv(os.path.join(OUT, "azure_ml.csv"), index=False)
cases["azure_ml"] = {
    "file": "azure_ml.csv", "args": [], "task": "classification", "classes": cls, "rows": n, "skipped": 0,
    "overall": classification(y, np.array(cls)[P.argmax(1)], P4, cls),
}

# 45–48. Ground truth in one file, the model's output in another, joined on an id (loupe eval
# <truth> <predictions>): the case's "predictions" file. The expected values are scikit-learn's on
# pandas' inner merge of the two.
# 45. A Kaggle solution and submission of classes: the same column name in both, rows in another order.
n = 240
cls = np.array(["cat", "dog", "fox"])
ids = rng.permutation(n) + 5000
y = cls[rng.integers(0, 3, n)]
pred = np.where(rng.random(n) < 0.75, y, cls[rng.integers(0, 3, n)])
pd.DataFrame({"id": ids, "animal": y}).to_csv(os.path.join(OUT, "kaggle_solution.csv"), index=False)
o = rng.permutation(n)
pd.DataFrame({"id": ids[o], "animal": pred[o]}).to_csv(os.path.join(OUT, "kaggle_submission.csv"), index=False)
cases["kaggle_classes"] = {
    "file": "kaggle_solution.csv", "predictions": "kaggle_submission.csv", "args": [], "task": "classification",
    "classes": list(cls), "rows": n, "skipped": 0, "overall": classification(y, pred, None, list(cls)),
    "warning": "joined on id: the label is animal of kaggle_solution.csv",
}

# 46. Titanic: the submission holds the probability of survival under the label's name.
n = 200
ids = np.arange(892, 892 + n)
z = rng.normal(size=n) * 1.5
y = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(int)
p1 = (1 / (1 + np.exp(-z * 0.9))).round(6)
pd.DataFrame({"PassengerId": ids, "Pclass": rng.integers(1, 4, n), "Survived": y}).to_csv(
    os.path.join(OUT, "titanic_truth.csv"), index=False)
pd.DataFrame({"PassengerId": ids[::-1], "Survived": p1[::-1]}).to_csv(
    os.path.join(OUT, "titanic_submission.csv"), index=False)
cases["titanic_score"] = {
    "file": "titanic_truth.csv", "predictions": "titanic_submission.csv", "args": [], "task": "classification",
    "classes": ["0", "1"], "positive": "1", "rows": n, "skipped": 0,
    "overall": classification(y, (p1 >= 0.5).astype(int), np.stack([1 - p1, p1], 1), [0, 1], 1),
    "warning": "the model's output Survived of titanic_submission.csv",
}

# 47. A multiclass submission of probabilities, a column per class named as the class (Otto's).
n = 210
cls = ["Class_1", "Class_2", "Class_3"]
P = probs(n, 3)
y = np.array(cls)[draw(P)]
ids = np.arange(1, n + 1)
P6 = P.round(6)
pd.DataFrame({"id": ids, "feat_1": rng.integers(0, 9, n), "target": y}).to_csv(
    os.path.join(OUT, "otto_truth.csv"), index=False)
sub = pd.DataFrame({"id": ids})
for j, c in enumerate(cls):
    sub[c] = P6[:, j]
sub.to_csv(os.path.join(OUT, "otto_submission.csv"), index=False)
cases["otto_probs"] = {
    "file": "otto_truth.csv", "predictions": "otto_submission.csv", "args": [], "task": "classification",
    "classes": cls, "rows": n, "skipped": 0, "overall": classification(y, np.array(cls)[P6.argmax(1)], P6, cls),
    "warning": "the model's output Class_1, Class_2, Class_3 of otto_submission.csv",
}

# 48. Labels kept apart from a model's batch output (pred, prob_<class>), a few labelled rows never scored.
n = 190
cls = np.array(["no", "yes"])
P = probs(n, 2)
y = cls[draw(P)]
ids = [f"u{i:04d}" for i in range(n)]
P6 = P.round(6)
pd.DataFrame({"user_id": ids, "label": y}).to_csv(os.path.join(OUT, "batch_labels.csv"), index=False)
scored = np.arange(n) % 19 != 4
out = pd.DataFrame({"user_id": ids, "pred": cls[P.argmax(1)], "prob_no": P6[:, 0], "prob_yes": P6[:, 1]})[scored]
out.to_csv(os.path.join(OUT, "batch_output.csv"), index=False)
m = scored
cases["batch_join"] = {
    "file": "batch_labels.csv", "predictions": "batch_output.csv", "args": [], "task": "classification",
    "classes": list(cls), "positive": "yes", "rows": int(m.sum()), "skipped": 0,
    "overall": classification(y[m], cls[P.argmax(1)][m], P6[m], list(cls), "yes"),
    "warning": f"{n - int(m.sum())} rows of batch_labels.csv have no user_id in batch_output.csv: left out.",
}

# 49. JSON lines whose every value is a string (df.astype(str).to_json(orient="records", lines=True),
# or a JavaScript logger): numbers written as "0.8734" are numbers.
n = 150
P = probs(n, 2)
y = draw(P)
pred = P.argmax(1)
P4 = P.round(4)
df = pd.DataFrame({"label": y, "pred": pred, "prob_0": P4[:, 0], "prob_1": P4[:, 1], "age": rng.integers(18, 90, n)})
df.astype(str).to_json(os.path.join(OUT, "json_strings.ndjson"), orient="records", lines=True)
cases["json_strings"] = {
    "file": "json_strings.ndjson", "args": [], "task": "classification", "classes": ["0", "1"], "positive": "1",
    "rows": n, "skipped": 0, "overall": classification(y, pred, P4, [0, 1], 1),
}

# 50. A confusion matrix written long, per segment (actual, predicted, count): each row counts that
# many rows. scikit-learn's metrics on the rows it counts (np.repeat).
segs, cls = ["web", "app"], ["cat", "dog", "fox"]
rows_ = []
for sgm in segs:
    for a in cls:
        for p_ in cls:
            rows_.append({"segment": sgm, "actual": a, "predicted": p_,
                          "count": int(rng.integers(20, 60)) if a == p_ else int(rng.integers(0, 9))})
df = pd.DataFrame(rows_)
df.to_csv(os.path.join(OUT, "counts.csv"), index=False)
y = np.repeat(df.actual.to_numpy(), df["count"].to_numpy())
pred = np.repeat(df.predicted.to_numpy(), df["count"].to_numpy())
cases["counts"] = {
    "file": "counts.csv", "args": [], "task": "classification", "classes": cls, "rows": int(len(y)), "skipped": 0,
    "overall": classification(y, pred, None, cls),
    "warning": f"Each row counts count rows (a table of counts): read as the {len(y)} rows it counts.",
}

# 51. A column named count that is a feature (a number per row beside continuous ones): rows stay rows.
n = 160
P = probs(n, 2)
y = draw(P)
pred = P.argmax(1)
pd.DataFrame({"count": rng.integers(0, 30, n), "amount": (rng.random(n) * 100).round(2), "label": y,
              "pred": pred}).to_csv(os.path.join(OUT, "count_feature.csv"), index=False)
cases["count_feature"] = {
    "file": "count_feature.csv", "args": [], "task": "classification", "classes": ["0", "1"], "rows": n,
    "skipped": 0, "overall": classification(y, pred, None, [0, 1]),
}

# 52. Arrays dumped as they are, one list per column ({"y_true": [...], "y_pred": [...], "y_prob": [...]}:
# json.dump of a notebook's arrays, or pandas' to_dict("list")), with the probabilities as lists per row.
n = 120
P = probs(n, 3)
y = draw(P)
P6 = P.round(6)
with open(os.path.join(OUT, "dict_of_lists.json"), "w") as f:
    json.dump({"y_true": [int(v) for v in y], "y_pred": [int(v) for v in P.argmax(1)],
               "probs": [[float(x) for x in row] for row in P6]}, f)
cases["dict_of_lists"] = {
    "file": "dict_of_lists.json", "args": [], "task": "classification", "classes": ["0", "1", "2"], "rows": n,
    "skipped": 0, "overall": classification(y, P.argmax(1), P6, [0, 1, 2]),
}

# 53–54. NumPy's savetxt: its header is a comment ("# y_true y_pred y_prob"), its numbers in scientific
# notation, one space apart by default (53) or with delimiter="," (54). Labels are floats: "0.0", "1.0".
n = 140
P = probs(n, 2)
y = draw(P).astype(float)
pred = P.argmax(1).astype(float)
A = np.c_[y, pred, P[:, 1]]
np.savetxt(os.path.join(OUT, "savetxt.txt"), A, header="y_true y_pred y_prob")
np.savetxt(os.path.join(OUT, "savetxt_comma.csv"), A, delimiter=",", header="y_true,y_pred,y_prob")
A = np.loadtxt(os.path.join(OUT, "savetxt.txt"))
for name, file in [("savetxt", "savetxt.txt"), ("savetxt_comma", "savetxt_comma.csv")]:
    cases[name] = {
        "file": file, "args": [], "task": "classification", "classes": ["0.0", "1.0"], "positive": "1.0",
        "rows": n, "skipped": 0,
        "overall": classification(A[:, 0], A[:, 1], np.stack([1 - A[:, 2], A[:, 2]], 1), [0.0, 1.0], 1.0),
    }

# 55. R's mlr3: as.data.table(prediction) written with fwrite: row_ids, truth, response, prob.<class>.
n = 150
P = probs(n, 3)
cls = ["setosa", "versicolor", "virginica"]
y = np.array(cls)[draw(P)]
P4 = P.round(4)
P4[:, 2] = (1 - P4[:, 0] - P4[:, 1]).round(4)
df = pd.DataFrame({"row_ids": np.arange(1, n + 1), "truth": y, "response": np.array(cls)[P4.argmax(1)]})
for j, c in enumerate(cls):
    df[f"prob.{c}"] = P4[:, j]
df.to_csv(os.path.join(OUT, "mlr3.csv"), index=False)
cases["mlr3"] = {
    "file": "mlr3.csv", "args": [], "task": "classification", "classes": cls, "rows": n, "skipped": 0,
    "overall": classification(y, df.response.to_numpy(), P4, cls),
}

# 56. H2O: the test frame with its predictions bound on (h2o.cbind(test, model.predict(test))): predict,
# then one column per class named as the class; the label's name is the data's own (species).
n = 150
P = probs(n, 3)
cls = ["setosa", "versicolor", "virginica"]
y = np.array(cls)[draw(P)]
df = pd.DataFrame({"sepal_len": (rng.random(n) * 3 + 4).round(1), "species": y, "predict": np.array(cls)[P.argmax(1)]})
for j, c in enumerate(cls):
    df[c] = P[:, j].round(6)
df.to_csv(os.path.join(OUT, "h2o_classes.csv"), index=False)
cases["h2o_classes"] = {
    "file": "h2o_classes.csv", "args": [], "task": "classification", "classes": cls, "rows": n, "skipped": 0,
    "overall": classification(y, df.predict.to_numpy(), df[cls].to_numpy(), cls),
}

# 57. PyCaret's predict_model on three classes: prediction_label and prediction_score (the predicted class's
# probability). No other class's probability is known: no probability metric, and loupe says why.
n = 140
P = probs(n, 3)
y = draw(P)
df = pd.DataFrame({"petal": (rng.random(n) * 5).round(2), "target": y, "prediction_label": P.argmax(1),
                   "prediction_score": P.max(1).round(4)})
df.to_csv(os.path.join(OUT, "pycaret_multiclass.csv"), index=False)
cases["pycaret_multiclass"] = {
    "file": "pycaret_multiclass.csv", "args": [], "task": "classification", "classes": ["0", "1", "2"], "rows": n,
    "skipped": 0, "overall": {**classification(y, P.argmax(1), None, [0, 1, 2]), "log_loss": None, "roc_auc": None},
    "warning": "prediction_score is the confidence of the predicted class: of more than two classes",
}

# 58. KNIME's Predictor nodes: "Prediction (Class)" and "P (Class=<class>)" beside the data's own Class.
n = 150
P = probs(n, 3)
cls = ["Iris-setosa", "Iris-versicolor", "Iris-virginica"]
y = np.array(cls)[draw(P)]
P4 = P.round(4)
df = pd.DataFrame({"petal length": (rng.random(n) * 6 + 1).round(1), "Class": y})
for j, c in enumerate(cls):
    df[f"P (Class={c})"] = P4[:, j]
df["Prediction (Class)"] = np.array(cls)[P4.argmax(1)]
df.to_csv(os.path.join(OUT, "knime.csv"), index=False)
cases["knime"] = {
    "file": "knime.csv", "args": [], "task": "classification", "classes": cls, "rows": n, "skipped": 0,
    "overall": classification(y, df["Prediction (Class)"].to_numpy(), P4, cls),
}

# 59. RapidMiner's Apply Model, exported: the label attribute (named as the data names it), then
# prediction(<label>) and confidence(<class>) per class.
n = 160
P = probs(n, 2)
cls = ["no", "yes"]
y = np.array(cls)[draw(P)]
P3 = P.round(3)
df = pd.DataFrame({"Survived": y, "prediction(Survived)": np.array(cls)[P3.argmax(1)], "confidence(no)": P3[:, 0],
                   "confidence(yes)": P3[:, 1], "Age": rng.integers(1, 80, n)})
df.to_csv(os.path.join(OUT, "rapidminer.csv"), index=False)
cases["rapidminer"] = {
    "file": "rapidminer.csv", "args": [], "task": "classification", "classes": cls, "positive": "yes", "rows": n,
    "skipped": 0, "overall": classification(y, df["prediction(Survived)"].to_numpy(), P3, cls, "yes"),
}

# 60. SAS Enterprise Miner's scored table: the target (BAD), F_BAD (its formatted copy), I_BAD and U_BAD (the
# predicted class, formatted and not), P_BAD1 / P_BAD0 (posterior probabilities), _WARN_.
n = 170
P = probs(n, 2)
y = draw(P)
k = P.argmax(1)
df = pd.DataFrame({"BAD": y, "LOAN": rng.integers(1000, 90000, n), "F_BAD": y, "I_BAD": k, "U_BAD": k,
                   "P_BAD1": P[:, 1].round(6), "P_BAD0": (1 - P[:, 1].round(6)).round(6), "_WARN_": ""})
df.to_csv(os.path.join(OUT, "sas_em.csv"), index=False)
P6 = df[["P_BAD0", "P_BAD1"]].to_numpy()
cases["sas_em"] = {
    "file": "sas_em.csv", "args": [], "task": "classification", "classes": ["0", "1"], "positive": "1", "rows": n,
    "skipped": 0, "overall": classification(y, k, P6, [0, 1], 1),
}

# 61. IBM SPSS Modeler's scored output: $C-<target> (the C5.0 nugget's prediction) and $CC-<target> (its
# confidence), read as the two classes' probabilities.
n = 150
P = probs(n, 2)
cls = ["F", "T"]
y = np.array(cls)[draw(P)]
k = P.argmax(1)
conf = P.max(1).round(3)
df = pd.DataFrame({"tenure": rng.integers(1, 72, n), "churn": y, "$C-churn": np.array(cls)[k], "$CC-churn": conf})
df.to_csv(os.path.join(OUT, "spss_modeler.csv"), index=False)
Pc = np.where(k[:, None] == np.arange(2)[None, :], conf[:, None], 1 - conf[:, None])
cases["spss_modeler"] = {
    "file": "spss_modeler.csv", "args": [], "task": "classification", "classes": cls, "positive": "T", "rows": n,
    "skipped": 0, "overall": classification(y, np.array(cls)[k], Pc, cls, "T"),
    "warning": "$CC-churn is the confidence of the predicted class",
}

# 62–63. Predictions written in the order of the test rows, with no id: XGBoost's command line (one
# probability per line, no header: pred.txt) beside the test data as CSV (62), and np.savetxt of
# model.predict(X_test) with a header (63, three classes).
n = 180
P = probs(n, 2)
y = draw(P)
p1 = P[:, 1].round(6)
pd.DataFrame({"f0": (rng.random(n) * 10).round(3), "f1": rng.integers(0, 5, n), "label": y}).to_csv(
    os.path.join(OUT, "xgb_test.csv"), index=False)
np.savetxt(os.path.join(OUT, "xgb_pred.txt"), p1, fmt="%.6f")
cases["xgboost_cli"] = {
    "file": "xgb_test.csv", "predictions": "xgb_pred.txt", "args": [], "task": "classification",
    "classes": ["0", "1"], "positive": "1", "rows": n, "skipped": 0,
    "overall": classification(y, (p1 >= 0.5).astype(int), np.stack([1 - p1, p1], 1), [0, 1], 1),
    "warning": "joined row by row (no id column in both; 180 rows each)",
}
n = 130
P = probs(n, 3)
y = draw(P)
pred = P.argmax(1)
pd.DataFrame({"x": rng.normal(size=n).round(4), "y_test": y}).to_csv(os.path.join(OUT, "order_truth.csv"), index=False)
np.savetxt(os.path.join(OUT, "order_pred.csv"), pred, fmt="%d", header="y_pred", comments="")
cases["order_join"] = {
    "file": "order_truth.csv", "predictions": "order_pred.csv", "args": [], "task": "classification",
    "classes": ["0", "1", "2"], "rows": n, "skipped": 0, "overall": classification(y, pred, None, [0, 1, 2]),
    "warning": "joined row by row",
}

# 64. json.dump of a list of dicts from Python (allow_nan, its default): NaN where a feature is missing and
# Infinity in another, which JSON itself has no words for.
n = 120
P = probs(n, 2)
y = draw(P)
income = np.where(rng.random(n) < 0.2, np.nan, (rng.random(n) * 9e4).round(0))
ratio = np.where(rng.random(n) < 0.05, np.inf, rng.random(n).round(3))
with open(os.path.join(OUT, "python_nan.json"), "w") as f:
    json.dump([{"income": float(income[i]), "ratio": float(ratio[i]), "label": int(y[i]),
                "pred": int(P[i].argmax()), "prob_1": round(float(P[i, 1]), 6)} for i in range(n)], f)
p1 = P[:, 1].round(6)
cases["python_nan"] = {
    "file": "python_nan.json", "args": [], "task": "classification", "classes": ["0", "1"], "positive": "1",
    "rows": n, "skipped": 0, "overall": classification(y, P.argmax(1), np.stack([1 - p1, p1], 1), [0, 1], 1),
}

# 65–66. Arrays saved with np.save, one file each, in the test rows' order: y_test.npy and y_pred.npy
# (65, text classes), and y_test.npy beside probs.npy, a 2-D float32 array in Fortran order (66).
n = 140
P = probs(n, 3)
cls = np.array(["cat", "cow", "dog"])
y = cls[draw(P)]
npy = os.path.join(OUT, "npy")
os.makedirs(npy, exist_ok=True)
np.save(os.path.join(npy, "y_test.npy"), y)
np.save(os.path.join(npy, "y_pred.npy"), cls[P.argmax(1)])
P32 = np.asfortranarray(P.astype(np.float32))
np.save(os.path.join(npy, "probs.npy"), P32)
cases["npy_classes"] = {
    "file": "npy/y_test.npy", "predictions": "npy/y_pred.npy", "args": [], "task": "classification",
    "classes": list(cls), "rows": n, "skipped": 0, "overall": classification(y, cls[P.argmax(1)], None, list(cls)),
    "warning": "joined row by row",
}
P64 = P32.astype(np.float64)
cases["npy_probs"] = {
    "file": "npy/y_test.npy", "predictions": "npy/probs.npy", "args": [], "task": "classification",
    "classes": list(cls), "rows": n, "skipped": 0,
    "overall": classification(y, cls[P64.argmax(1)], P64, list(cls)), "warning": "joined row by row",
}

# 67. An Excel workbook as pandas writes it (to_excel, openpyxl): the results on the first sheet, a
# second sheet beside it (not read, said so), a date column.
n = 150
P = probs(n, 3)
cls = ["high", "low", "mid"]
y = np.array(cls)[draw(P)]
df = pd.DataFrame({"scored_on": pd.date_range("2024-03-01", periods=n, freq="h"), "label": y,
                   "pred": np.array(cls)[P.argmax(1)]})
for j, c in enumerate(cls):
    df[f"prob_{c}"] = P[:, j]
with pd.ExcelWriter(os.path.join(OUT, "results.xlsx")) as w:
    df.to_excel(w, sheet_name="Results", index=False)
    pd.DataFrame({"about": ["model v3"]}).to_excel(w, sheet_name="About", index=False)
cases["excel"] = {
    "file": "results.xlsx", "args": [], "task": "classification", "classes": cls, "rows": n, "skipped": 0,
    "overall": classification(y, df.pred.to_numpy(), P, cls),
    "warning": 'results.xlsx has 2 sheets: the first, "Results", is read (not "About").',
}

# 68. The probabilities of the positive class kept as a pandas Series and written with to_csv (its index
# beside it, a header of ",0") beside the test data written without its index: joined in order.
n = 160
P = probs(n, 2)
y = draw(P)
pd.DataFrame({"age": rng.integers(18, 90, n), "target": y}).to_csv(os.path.join(OUT, "series_truth.csv"),
                                                                    index=False)
pd.Series(P[:, 1]).to_csv(os.path.join(OUT, "series_proba.csv"))
p1 = pd.read_csv(os.path.join(OUT, "series_proba.csv"), index_col=0)["0"].to_numpy()
cases["series_to_csv"] = {
    "file": "series_truth.csv", "predictions": "series_proba.csv", "args": [], "task": "classification",
    "classes": ["0", "1"], "positive": "1", "rows": n, "skipped": 0,
    "overall": classification(y, (p1 >= 0.5).astype(int), np.stack([1 - p1, p1], 1), [0, 1], 1),
    "warning": "joined row by row",
}

with open(os.path.join(HERE, "expected", "inputs.json"), "w") as f:
    json.dump(cases, f, indent=1, ensure_ascii=False)
    f.write("\n")

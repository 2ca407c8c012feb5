"""The notebook baseline for `npm run bench:eval`: scikit-learn computing the metrics of
`loupe eval` from the same CSV (Debian's python3-sklearn and python3-pandas).

Usage: /usr/bin/python3 bench/sklearn_eval.py FILE.csv   → prints seconds, read and metrics apart, as JSON
"""
import json, sys, time
import numpy as np
import pandas as pd
from sklearn import metrics as m

t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1])
t1 = time.perf_counter()
prob_cols = sorted(c for c in df.columns if c.startswith('prob_'))
classes = [c[len('prob_'):] for c in prob_cols]
y = df['label'].astype(str).to_numpy()
pred = df['pred'].astype(str).to_numpy()
P = df[prob_cols].to_numpy()
onehot = (y[:, None] == np.array(classes)[None, :]).astype(float)
out = {
    'accuracy': m.accuracy_score(y, pred),
    'balanced_accuracy': m.balanced_accuracy_score(y, pred),
    'macro_precision': m.precision_score(y, pred, average='macro', zero_division=0),
    'macro_recall': m.recall_score(y, pred, average='macro', zero_division=0),
    'macro_f1': m.f1_score(y, pred, average='macro', zero_division=0),
    'weighted_f1': m.f1_score(y, pred, average='weighted', zero_division=0),
    'micro_f1': m.f1_score(y, pred, average='micro', zero_division=0),
    'cohen_kappa': m.cohen_kappa_score(y, pred),
    'mcc': m.matthews_corrcoef(y, pred),
    'log_loss': m.log_loss(y, P, labels=classes),
    'roc_auc': m.roc_auc_score(y, P, multi_class='ovr', labels=classes),
    'average_precision': m.average_precision_score(onehot, P, average='macro'),
    'top_2_accuracy': m.top_k_accuracy_score(y, P, k=2, labels=classes),
}
out['brier'] = float(np.mean(np.sum((P - onehot) ** 2, axis=1)))
conf = P.max(axis=1)
hit = (np.array(classes)[P.argmax(axis=1)] == y)
b = np.clip(np.ceil(15 * conf) - 1, 0, 14).astype(int)
out['ece'] = float(sum((b == i).mean() * abs(hit[b == i].mean() - conf[b == i].mean()) for i in range(15) if (b == i).any()))
m.confusion_matrix(y, pred, labels=classes)
m.precision_recall_fscore_support(y, pred, labels=classes, zero_division=0)
t2 = time.perf_counter()
print(json.dumps({'read_s': t1 - t0, 'metrics_s': t2 - t1, 'total_s': t2 - t0, 'metrics': out}))

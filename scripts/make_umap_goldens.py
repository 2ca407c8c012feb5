"""How well a 2-D map keeps each row's neighbours: umap-learn 0.5.3 (Debian's umap-learn) and PCA on
scikit-learn's digits (1,797 rows × 64 pixels), for tests/integration/datalab.test.ts to hold Loupe's
UMAP against. UMAP is stochastic, so its maps are not compared point by point; their quality is:

- trustworthiness (scikit-learn's `manifold.trustworthiness`, 10 neighbours, cosine: Loupe's metric
  for more than 3 dimensions), which penalises map neighbours that are far apart in the data;
- 10-NN preservation: the share of each row's 10 nearest rows (cosine, in the data) that are among its
  10 nearest on the map.

umap-learn runs as Loupe does (15 neighbours, min_dist 0.1, cosine, init="pca"; seeds 0–4, the mean
and the lowest kept) and with its own default spectral start. Writes tests/fixtures/digits.csv (id,
label, emb_0 … emb_63) and tests/fixtures/expected/umap_digits.json. The tests never run Python.

Run: /usr/bin/python3 scripts/make_umap_goldens.py
"""
import json
import os
import time
import numpy as np
import pandas as pd
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.manifold import trustworthiness
from sklearn.neighbors import NearestNeighbors
import umap

HERE = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures")
X, y = load_digits(return_X_y=True)
df = pd.DataFrame(X.astype(int), columns=[f"emb_{i}" for i in range(X.shape[1])])
df.insert(0, "label", y)
df.insert(0, "id", range(len(y)))
df.to_csv(os.path.join(HERE, "digits.csv"), index=False)

K = 10
data_nn = NearestNeighbors(n_neighbors=K + 1, metric="cosine").fit(X).kneighbors(X, return_distance=False)[:, 1:]


def quality(xy):
    map_nn = NearestNeighbors(n_neighbors=K + 1).fit(xy).kneighbors(xy, return_distance=False)[:, 1:]
    kept = np.mean([len(set(a) & set(b)) / K for a, b in zip(data_nn, map_nn)])
    return {"trustworthiness": float(trustworthiness(X, xy, n_neighbors=K, metric="cosine")), "knn_kept": float(kept)}


out = {"rows": int(X.shape[0]), "dims": int(X.shape[1]), "k": K, "pca": quality(PCA(2).fit_transform(X))}
# init="pca" as later umap-learn releases make it (0.5.3 takes the array): PCA scaled to a largest coordinate of 10.
P = PCA(2).fit_transform(X)
P = P * 10 / np.abs(P).max()
for init in ["pca", "spectral"]:
    runs = []
    for seed in range(5):
        start = P + np.random.default_rng(seed).normal(scale=1e-4, size=P.shape) if init == "pca" else init
        t0 = time.time()
        xy = umap.UMAP(n_neighbors=15, min_dist=0.1, metric="cosine", init=start, random_state=seed).fit_transform(X)
        runs.append({**quality(xy), "seconds": time.time() - t0})
    out[f"umap_learn_{init}"] = {
        key: {"mean": float(np.mean([r[key] for r in runs])), "min": float(np.min([r[key] for r in runs]))}
        for key in ["trustworthiness", "knn_kept", "seconds"]
    }
with open(os.path.join(HERE, "expected", "umap_digits.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(json.dumps(out, indent=1))

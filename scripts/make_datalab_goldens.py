"""Goldens for Loupe's data issues beyond labels: cleanlab 2.9 Datalab's near_duplicate, outlier and
class_imbalance checks, scikit-learn's NearestNeighbors and the map's PCA, on the fixtures and on a generated
embedding dataset (written here too: tests/fixtures/embeddings.csv and embeddings.jsonl).

cleanlab is not in Debian, and Datalab itself needs Hugging Face `datasets` (not in Debian either),
so this runs cleanlab's own issue managers (the code Datalab runs) from a source checkout of
cleanlab 2.9 (github.com/cleanlab/cleanlab), each with a stand-in for the Datalab object that holds
only the labels and an empty statistics cache:

  git clone https://github.com/cleanlab/cleanlab /tmp/cl   # 2.9.x
  apt-get install python3-sklearn python3-pandas python3-tqdm python3-termcolor
  PYTHONPATH=/tmp/cl /usr/bin/python3 scripts/make_datalab_goldens.py
"""
import json
import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.neighbors import NearestNeighbors
import cleanlab
from cleanlab.datalab.internal.issue_manager.duplicate import NearDuplicateIssueManager
from cleanlab.datalab.internal.issue_manager.outlier import OutlierIssueManager
from cleanlab.datalab.internal.issue_manager.imbalance import ClassImbalanceIssueManager

FIX = "tests/fixtures"


class Lab:
    """What the three issue managers read from a Datalab: labels as class numbers (classes sorted,
    as Datalab's label map), the class names, and the statistics cache (empty: each builds its graph)."""

    def __init__(self, labels):
        names = sorted(set(labels)) if labels is not None else []
        self.class_names = names
        self._label_map = dict(enumerate(names))
        self.labels = None if labels is None else np.array([names.index(v) for v in labels])

    def get_info(self, name):
        return {}


def run(name, features, labels, k=10):
    lab = Lab(labels)
    out = {"file": name, "rows": len(features), "k": k}
    nd = NearDuplicateIssueManager(lab, k=k)
    nd.find_issues(features=features)
    out["metric"] = nd.metric if isinstance(nd.metric, str) else nd.metric.__name__
    out["near_duplicate"] = {
        "sets": [[int(j) for j in s] for s in nd.near_duplicate_sets],
        "is_issue": nd.issues["is_near_duplicate_issue"].astype(int).tolist(),
        "scores": nd.issues["near_duplicate_score"].tolist(),
        "median_nn_distance": nd.info["median_distance_to_nearest_neighbor"],
    }
    graph = nd.info["statistics"]["weighted_knn_graph"]
    if len(features) <= 500:
        out["graph"] = {
            "distances": graph.data.reshape(len(features), -1).tolist(),
            "indices": graph.indices.reshape(len(features), -1).tolist(),
        }
    ol = OutlierIssueManager(lab, k=k)
    ol.find_issues(features=features)
    out["outlier"] = {
        "is_issue": ol.issues["is_outlier_issue"].astype(int).tolist(),
        "scores": ol.issues["outlier_score"].tolist(),
        "issue_threshold": ol.info["issue_threshold"],
    }
    if labels is not None:
        ci = ClassImbalanceIssueManager(lab)
        ci.find_issues()
        out["class_imbalance"] = {
            "classes": lab.class_names,
            "rarest": ci.info["Rarest Class"],
            "is_issue": ci.issues["is_class_imbalance_issue"].astype(int).tolist(),
            "scores": ci.issues["class_imbalance_score"].tolist(),
        }
    return out


def embeddings():
    """300 rows of an 8-wide embedding in three clusters, with what the checks must find: a set of
    12 identical rows (more than k + 1), exact and near duplicate pairs with different labels,
    and far-off rows. Labels imbalanced: class "rare" has 3 rows."""
    rng = np.random.default_rng(7)
    centres = rng.normal(0, 4, size=(3, 8))
    y = rng.integers(0, 3, size=300)
    x = centres[y] + rng.normal(0, 1, size=(300, 8))
    labels = np.array(["cat", "dog", "fox"])[y].astype(object)
    x[10:22] = x[9]  # 13 identical rows
    x[40] = x[41]
    labels[40] = "dog" if labels[41] != "dog" else "cat"
    x[60] = x[61] + 1e-4  # near, not exact
    labels[60] = "fox" if labels[61] != "fox" else "cat"
    x[200:204] = rng.normal(0, 25, size=(4, 8))  # far off
    labels[[5, 150, 250]] = "rare"
    cols = {f"emb_{t}": x[:, t] for t in range(8)}
    df = pd.DataFrame({"id": [f"r{i:03d}" for i in range(300)], "label": labels, **cols})
    df.to_csv(f"{FIX}/embeddings.csv", index=False, float_format="%.17g")
    with open(f"{FIX}/embeddings.jsonl", "w") as f:
        for i in range(300):
            f.write(json.dumps({"id": df.id[i], "label": labels[i], "embedding": [float(v) for v in x[i]]}) + "\n")
    # Read back, so the goldens use exactly the numbers in the file.
    back = pd.read_csv(f"{FIX}/embeddings.csv")
    return back[[f"emb_{t}" for t in range(8)]].to_numpy(), back["label"].tolist()


def sklearn_knn():
    """Raw NearestNeighbors (no duplicate correction), Euclidean and cosine, 500 × 16 and 120 × 2."""
    rng = np.random.default_rng(11)
    out = {}
    for rows, dims in [(500, 16), (120, 2)]:
        x = rng.normal(size=(rows, dims))
        for metric in ["euclidean", "cosine"]:
            # algorithm="brute" with the exact Euclidean path: scikit-learn's own brute force uses
            # the |x|² − 2x·y + |y|² shortcut, which is off by up to ~1e-8; a tree sums differences.
            algo = "kd_tree" if metric == "euclidean" else "brute"
            nn = NearestNeighbors(n_neighbors=5, metric=metric, algorithm=algo).fit(x)
            d, i = nn.kneighbors()
            out[f"{rows}x{dims}_{metric}"] = {"x": x.tolist(), "distances": d.tolist(), "indices": i.tolist()}
    return out


def main():
    iris = pd.read_csv(f"{FIX}/iris.csv")
    wine = pd.read_csv(f"{FIX}/wine.csv")
    synth = pd.read_csv(f"{FIX}/synth_noisy.csv")
    ex, ey = embeddings()
    num = lambda df, cols: df[cols].to_numpy(dtype=float)
    result = {
        "cleanlab": cleanlab.__version__,
        "datasets": [
            run("iris.csv", num(iris, ["sepal_length", "sepal_width", "petal_length", "petal_width"]), iris.label.tolist()),
            run("wine.csv", num(wine, list(wine.columns[1:14])), wine.label.tolist()),
            run("synth_noisy.csv", num(synth, [f"x{i}" for i in range(8)]), synth.label.tolist()),
            run("embeddings.csv", ex, ey),
            run("embeddings.csv", ex, ey, k=5),
            run("iris.csv petals", num(iris, ["petal_length", "petal_width"]), None),
        ],
        "knn": sklearn_knn(),
        "pca": {
            name: {"xy": PCA(n_components=2).fit(x).transform(x).tolist(),
                   "explained": PCA(n_components=2).fit(x).explained_variance_ratio_.tolist()}
            for name, x in [("iris.csv", num(iris, ["sepal_length", "sepal_width", "petal_length", "petal_width"])),
                            ("embeddings.csv", ex)]
        },
    }
    with open(f"{FIX}/expected/datalab.json", "w") as f:
        json.dump(result, f, separators=(",", ":"))


main()

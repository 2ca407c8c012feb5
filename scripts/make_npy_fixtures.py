"""Small .npy files as NumPy's np.save writes them, and their values as NumPy reads them back
(tests/fixtures/npy/expected.json), for tests/unit/npy.test.ts. Run with Debian's python3-numpy."""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "npy")
os.makedirs(OUT, exist_ok=True)
arrays = {
    "f8": np.array([0.5, np.nan, -1.25e-7, 3.0]),
    "f4_big_endian": np.array([0.1, 2.5, -3.75], dtype=">f4"),
    "f2": np.array([0.5, -2.0, 65504.0, 0.000061035156], dtype=np.float16),
    "i8": np.array([1, -2, 2**40, 0], dtype=np.int64),
    "u1": np.array([0, 255, 7], dtype=np.uint8),
    "b1": np.array([True, False, True]),
    "U": np.array(["cat", "dög", "🐄", ""]),
    "S": np.array([b"yes", b"no", b"n"]),
    "column": np.array([[1.5], [2.5], [3.5]]),
    "matrix_c": np.arange(6, dtype=np.float64).reshape(3, 2) / 8,
    "matrix_fortran": np.asfortranarray(np.arange(6, dtype=np.float32).reshape(3, 2) / 4),
    "big_header_v2": np.array([1.0, 2.0]),
}
expected = {}
for name, a in arrays.items():
    path = os.path.join(OUT, f"{name}.npy")
    if name == "big_header_v2":
        np.lib.format.write_array(open(path, "wb"), a, version=(2, 0))
    else:
        np.save(path, a)
    back = np.load(path)
    values = back.astype(object)
    if back.dtype.kind == "S":
        values = np.array([v.decode() for v in back], dtype=object)
    if back.dtype.kind == "f":
        values = np.where(np.isnan(back), None, back.astype(np.float64)).astype(object)
    expected[name] = values.reshape(len(back), -1).tolist() if back.ndim == 2 and back.shape[1] > 1 else \
        values.reshape(-1).tolist()
np.save(os.path.join(OUT, "objects.npy"), np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
np.save(os.path.join(OUT, "records.npy"), np.array([(1, 2.0)], dtype=[("x", "i4"), ("y", "f8")]))
np.save(os.path.join(OUT, "cube.npy"), np.zeros((2, 2, 2)))
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1, ensure_ascii=False, default=lambda v: v.item() if hasattr(v, "item") else v)
    f.write("\n")

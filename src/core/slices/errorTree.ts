import type { EncodedFeature } from './sliceline';

/** A feature for the tree: ordered features (numeric bins) split by threshold, others one value against the rest. */
export interface TreeFeature extends EncodedFeature {
  ordered: boolean;
  /** Ordered features: the code of the null group, which goes with the upper side of a split. */
  nullCode?: number;
}

/** How a node was reached from its parent: feature `f`, value index `v`; `lt`: codes < v, `eq`: code = v; `side`: this branch or the other. */
export interface TreeStep {
  f: number;
  op: 'eq' | 'lt';
  v: number;
  side: boolean;
}

export interface TreeNode {
  path: TreeStep[];
  size: number;
  errors: number;
  children: TreeNode[];
}

export interface TreeOptions {
  maxDepth: number;
  /** Smallest leaf, in rows. */
  minLeaf: number;
}

/**
 * An error tree, as in Microsoft's Error Analysis: a shallow regression tree (CART, squared-error
 * reduction) fit on each row's error over binned features. Each split is a feature value against
 * the rest, or for ordered features (numeric bins) a threshold; both sides keep at least minLeaf
 * rows; a node splits only when that lowers the squared error.
 */
export function errorTree(features: TreeFeature[], errors: Float64Array, o: TreeOptions): TreeNode {
  const all = Uint32Array.from({ length: errors.length }, (_, i) => i);
  return grow(features, errors, o, all, []);
}

function sums(errors: Float64Array, rows: Uint32Array) {
  let e = 0;
  let q = 0;
  for (const i of rows) ((e += errors[i]), (q += errors[i] * errors[i]));
  return { e, q };
}

function grow(
  features: TreeFeature[],
  errors: Float64Array,
  o: TreeOptions,
  rows: Uint32Array,
  path: TreeStep[],
): TreeNode {
  const { e, q } = sums(errors, rows);
  const node: TreeNode = { path, size: rows.length, errors: e, children: [] };
  if (path.length >= o.maxDepth || rows.length < 2 * o.minLeaf || e === 0) return node;
  const sse = (n: number, s: number, sq: number) => (n ? sq - (s * s) / n : 0);
  const parent = sse(rows.length, e, q);
  let best: { gain: number; step: Omit<TreeStep, 'side'> } | null = null;
  features.forEach((feat, f) => {
    const k = feat.labels.length;
    const cn = new Float64Array(k);
    const ce = new Float64Array(k);
    const cq = new Float64Array(k);
    let nn = 0;
    let ne = 0;
    let nq = 0;
    for (const i of rows) {
      const c = feat.codes[i];
      if (c < 0) continue;
      cn[c]++;
      ce[c] += errors[i];
      cq[c] += errors[i] * errors[i];
    }
    const consider = (ln: number, le: number, lq: number, step: Omit<TreeStep, 'side'>) => {
      const rn = rows.length - ln;
      if (ln < o.minLeaf || rn < o.minLeaf) return;
      const gain = parent - sse(ln, le, lq) - sse(rn, e - le, q - lq);
      if (gain > 1e-12 * Math.max(1, parent) && (!best || gain > best.gain)) best = { gain, step };
    };
    if (feat.ordered) {
      for (let v = 0; v < k; v++)
        if (v !== feat.nullCode)
          ((nn += cn[v]),
            (ne += ce[v]),
            (nq += cq[v]),
            v + 1 < k && v + 1 !== feat.nullCode && consider(nn, ne, nq, { f, op: 'lt', v: v + 1 }));
    } else {
      for (let v = 0; v < k; v++) consider(cn[v], ce[v], cq[v], { f, op: 'eq', v });
    }
  });
  const chosen = best as { gain: number; step: Omit<TreeStep, 'side'> } | null;
  if (!chosen) return node;
  const { f, op, v } = chosen.step;
  const inLeft = (c: number) => (op === 'eq' ? c === v : c >= 0 && c < v && c !== features[f].nullCode);
  const left: number[] = [];
  const right: number[] = [];
  for (const i of rows) (inLeft(features[f].codes[i]) ? left : right).push(i);
  node.children = [
    grow(features, errors, o, Uint32Array.from(left), [...path, { f, op, v, side: true }]),
    grow(features, errors, o, Uint32Array.from(right), [...path, { f, op, v, side: false }]),
  ];
  return node;
}

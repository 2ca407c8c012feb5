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
export async function errorTree(
  features: TreeFeature[],
  errors: Float64Array,
  o: TreeOptions,
  pause: () => Promise<void> = async () => {},
): Promise<TreeNode> {
  const all = new Uint32Array(errors.length);
  for (let i = 0; i < all.length; i++) all[i] = i;
  return grow(features, errors, o, all, [], pause);
}

/** `pause` is awaited before each node's split is searched (other work may run meanwhile). */
async function grow(
  features: TreeFeature[],
  errors: Float64Array,
  o: TreeOptions,
  rows: Uint32Array,
  path: TreeStep[],
  pause: () => Promise<void>,
): Promise<TreeNode> {
  const n = rows.length;
  let e = 0;
  let q = 0;
  for (let j = 0; j < n; j++) {
    const x = errors[rows[j]];
    e += x;
    q += x * x;
  }
  const node: TreeNode = { path, size: n, errors: e, children: [] };
  if (path.length >= o.maxDepth || n < 2 * o.minLeaf || e === 0) return node;
  await pause();
  const sse = (m: number, s: number, sq: number) => (m ? sq - (s * s) / m : 0);
  const parent = sse(n, e, q);
  let best: { gain: number; step: Omit<TreeStep, 'side'> } | null = null;
  features.forEach((feat, f) => {
    const k = feat.labels.length;
    const cn = new Float64Array(k);
    const ce = new Float64Array(k);
    const cq = new Float64Array(k);
    const codes = feat.codes;
    let nn = 0;
    let ne = 0;
    let nq = 0;
    for (let j = 0; j < n; j++) {
      const i = rows[j];
      const c = codes[i];
      if (c < 0) continue;
      const x = errors[i];
      cn[c]++;
      ce[c] += x;
      cq[c] += x * x;
    }
    const consider = (ln: number, le: number, lq: number, step: Omit<TreeStep, 'side'>) => {
      const rn = n - ln;
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
  const codes = features[f].codes;
  const nullCode = features[f].nullCode;
  const inLeft = (c: number) => (op === 'eq' ? c === v : c >= 0 && c < v && c !== nullCode);
  // Rows split in order into two arrays sized by a first count.
  let left = 0;
  for (let j = 0; j < n; j++) if (inLeft(codes[rows[j]])) left++;
  const l = new Uint32Array(left);
  const r = new Uint32Array(n - left);
  for (let j = 0, a = 0, b = 0; j < n; j++) {
    const i = rows[j];
    if (inLeft(codes[i])) l[a++] = i;
    else r[b++] = i;
  }
  node.children = [
    await grow(features, errors, o, l, [...path, { f, op, v, side: true }], pause),
    await grow(features, errors, o, r, [...path, { f, op, v, side: false }], pause),
  ];
  return node;
}

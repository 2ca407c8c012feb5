import { confusionMetrics } from '../metrics/classification';
import { sortClasses } from '../table/classNames';

/** Labels of the same items by two or more reviewers: `labels[r][i]` is reviewer r's label of item i. */
export interface AgreementInput {
  reviewers: string[];
  labels: string[][];
}

export interface Agreement {
  items: number;
  pairs: Record<string, { cohen_kappa: number | null; percent_agreement: number }>;
  fleiss_kappa: number | null;
}

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

/** Cohen's kappa of two reviewers (as scikit-learn's cohen_kappa_score: classes = both reviewers' labels). */
export function cohenKappa(a: string[], b: string[]): number {
  const classes = sortClasses([...a, ...b]);
  const at = new Map(classes.map((c, i) => [c, i]));
  const k = classes.length;
  const m = new Float64Array(k * k);
  for (let i = 0; i < a.length; i++) m[at.get(a[i])! * k + at.get(b[i])!]++;
  return confusionMetrics(m, k).cohen_kappa;
}

/**
 * Fleiss' kappa over items each labelled by the same number of reviewers (as statsmodels'
 * fleiss_kappa on the items × categories count table): (P̄ − P̄e) / (1 − P̄e).
 */
export function fleissKappa(labels: string[][]): number {
  const n = labels.length;
  const items = labels[0]?.length ?? 0;
  const classes = sortClasses(labels.flat());
  const at = new Map(classes.map((c, i) => [c, i]));
  const totals = new Float64Array(classes.length);
  let pSum = 0;
  for (let i = 0; i < items; i++) {
    const counts = new Float64Array(classes.length);
    for (const r of labels) counts[at.get(r[i])!]++;
    let sq = 0;
    counts.forEach((c, j) => ((sq += c * c), (totals[j] += c)));
    pSum += (sq - n) / (n * (n - 1));
  }
  const pBar = pSum / items;
  let pe = 0;
  for (const t of totals) pe += (t / (items * n)) ** 2;
  return (pBar - pe) / (1 - pe);
}

/** Percent agreement and Cohen's kappa per pair of reviewers, Fleiss' kappa over all. */
export function agreement({ reviewers, labels }: AgreementInput): Agreement {
  const pairs: Agreement['pairs'] = {};
  for (let a = 0; a < reviewers.length; a++) {
    for (let b = a + 1; b < reviewers.length; b++) {
      let same = 0;
      labels[a].forEach((l, i) => (same += l === labels[b][i] ? 1 : 0));
      pairs[`${reviewers[a]}|${reviewers[b]}`] = {
        cohen_kappa: finiteOrNull(cohenKappa(labels[a], labels[b])),
        percent_agreement: labels[a].length ? same / labels[a].length : 0,
      };
    }
  }
  return {
    items: labels[0]?.length ?? 0,
    pairs,
    fleiss_kappa: reviewers.length >= 2 ? finiteOrNull(fleissKappa(labels)) : null,
  };
}

/**
 * Agreement per class (specific agreement, Fleiss 1971): of the pairs of reviewers' labels on the
 * same item where one of them chose the class, the share where the other chose it too —
 * Σᵢ nᵢⱼ(nᵢⱼ − 1) / Σᵢ nᵢⱼ(n − 1), nᵢⱼ the reviewers choosing class j for item i. For two reviewers
 * it is 2a / (2a + b + c). Null for a class nobody chose.
 */
export function perClassAgreement(labels: string[][]): Record<string, number | null> {
  const n = labels.length;
  const items = labels[0]?.length ?? 0;
  const classes = sortClasses(labels.flat());
  const at = new Map(classes.map((c, i) => [c, i]));
  const num = new Float64Array(classes.length);
  const den = new Float64Array(classes.length);
  const counts = new Float64Array(classes.length);
  for (let i = 0; i < items; i++) {
    counts.fill(0);
    for (const r of labels) counts[at.get(r[i])!]++;
    counts.forEach((c, j) => ((num[j] += c * (c - 1)), (den[j] += c * (n - 1))));
  }
  return Object.fromEntries(classes.map((c, j) => [c, den[j] ? num[j] / den[j] : null]));
}

export interface Vote {
  id: string;
  /** Each reviewer's label, in the order of the reviewers given (null: not labelled by them). */
  labels: (string | null)[];
  /** The most frequent label; null on a tie. */
  merged: string | null;
  /** agreed: two or more reviewers, one label; single: only one reviewer labelled it (no agreement to speak of). */
  status: 'agreed' | 'single' | 'majority' | 'tie';
}

/**
 * Merge by majority vote: for every id labelled by at least one reviewer, the label most of its
 * reviewers chose; a tie is left open (null) to be settled by review. Ids in first-seen order.
 */
export function majorityVote(byReviewer: Map<string, string>[]): Vote[] {
  const ids = new Set<string>();
  for (const m of byReviewer) for (const id of m.keys()) ids.add(id);
  return [...ids].map((id) => {
    const labels = byReviewer.map((m) => m.get(id) ?? null);
    const tally = new Map<string, number>();
    for (const l of labels) if (l !== null) tally.set(l, (tally.get(l) ?? 0) + 1);
    const ranked = [...tally].sort((a, b) => b[1] - a[1]);
    const status =
      ranked.length === 1
        ? ranked[0][1] === 1
          ? 'single'
          : 'agreed'
        : ranked[0][1] > ranked[1][1]
          ? 'majority'
          : 'tie';
    return { id, labels, merged: status === 'tie' ? null : ranked[0][0], status };
  });
}

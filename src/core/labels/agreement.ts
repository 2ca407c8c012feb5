import { confusionMetrics } from '../metrics/classification';
import { sortClasses } from '../metrics/data';

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
      pairs[`${reviewers[a]}|${reviewers[b]}`] = { cohen_kappa: finiteOrNull(cohenKappa(labels[a], labels[b])), percent_agreement: labels[a].length ? same / labels[a].length : 0 };
    }
  }
  return { items: labels[0]?.length ?? 0, pairs, fleiss_kappa: reviewers.length >= 2 ? finiteOrNull(fleissKappa(labels)) : null };
}

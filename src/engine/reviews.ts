import { MISSING_TOKENS } from '../core/table/missing';
import { LoupeError } from '../core/errors';
import {
  agreement,
  mergeVotes,
  numericAgreement,
  perClassAgreement,
  type Agreement,
  type Vote,
} from '../core/labels/agreement';
import { csvText } from '../core/table/csv';
import { computeConfidentJoint, findLabelIssues } from '../core/labels/confidentLearning';
import { subset, type ClassificationData, type RegressionData } from '../core/metrics/data';
import { largestErrors } from './labelIssues';
import { freeName, ident, literal } from '../core/sql';
import { classExpr } from '../core/table/validate';
import type { EvalSpec, EvalTable, Evaluator } from './Evaluator';

/** The columns of a dataset's `reviews_<id>` table: the active reviewer's decisions, by row. */
export const REVIEWS_COLUMNS = '(row UINTEGER PRIMARY KEY, decision VARCHAR, new_label VARCHAR)';
export const reviewsTable = (id: string) => ident(`reviews_${id}`);

export interface ReviewRow {
  row: number;
  decision: string;
  new_label: string | null;
}

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

/** Replaces the dataset's `reviews_<id>` table with these decisions. */
export async function syncReviews(query: Query, id: string, decisions: ReviewRow[]): Promise<void> {
  const t = reviewsTable(id);
  await query(`CREATE OR REPLACE TABLE ${t} ${REVIEWS_COLUMNS}`);
  for (let i = 0; i < decisions.length; i += 1000) {
    const chunk = decisions
      .slice(i, i + 1000)
      .map((d) => `(${Math.floor(d.row)}, ${literal(d.decision)}, ${literal(d.new_label)})`);
    if (chunk.length) await query(`INSERT INTO ${t} VALUES ${chunk.join(', ')}`);
  }
}

/** Changes the dataset's `reviews_<id>` table by these decisions only: `put` added or replaced, `remove` (rows) taken out. */
export async function updateReviews(query: Query, id: string, put: ReviewRow[], remove: number[]): Promise<void> {
  const t = reviewsTable(id);
  await query(`CREATE TABLE IF NOT EXISTS ${t} ${REVIEWS_COLUMNS}`);
  const rows = [...put.map((d) => d.row), ...remove].map(Math.floor);
  for (let i = 0; i < rows.length; i += 1000)
    await query(`DELETE FROM ${t} WHERE row IN (${rows.slice(i, i + 1000).join(', ')})`);
  for (let i = 0; i < put.length; i += 1000) {
    const chunk = put
      .slice(i, i + 1000)
      .map((d) => `(${Math.floor(d.row)}, ${literal(d.decision)}, ${literal(d.new_label)})`);
    await query(`INSERT INTO ${t} VALUES ${chunk.join(', ')}`);
  }
}

/**
 * SQL for the dataset with `label_reviewed` (the reviewed label where relabelled, else the label),
 * in file order: text, as the classes are named, or (`numeric`, a regression task's label) a number.
 */
export function correctedSql(t: EvalTable, label: string, numeric = false): string {
  const names = t.columns.map((c) => c.name);
  // Helper names that no user column has, so the data's own columns pass through untouched.
  const l = ident(freeName('__label', names));
  const n = ident(freeName('__row', names));
  const cols = names.map((c) => `u.${ident(c)}`).join(', ');
  const given = numeric
    ? `TRY_CAST(${ident(label)} AS DOUBLE)`
    : classExpr(
        label,
        t.columns.find((c) => c.name === label),
      );
  const reviewed = numeric ? 'TRY_CAST(r.new_label AS DOUBLE)' : 'r.new_label';
  const rows = `SELECT *, ${given} AS ${l}, ${t.row} AS ${n} FROM ${ident(t.id)}`;
  return `SELECT ${cols}, coalesce(${reviewed}, u.${l}) AS label_reviewed FROM (${rows}) AS u LEFT JOIN ${reviewsTable(t.id)} AS r ON u.${n} = r.row ORDER BY u.${n}`;
}

/**
 * One reviewer's labels from a file: an export of Loupe's decisions (accepted → the original label,
 * relabelled → the new label; unsure and skipped carry none), or any table with an id and a label.
 */
export async function labelsOf(
  query: Query,
  t: EvalTable,
  name: string,
  roles: { id?: string | null; label?: string | null },
): Promise<{ reviewer: string; labels: Map<string, string>; repeated: number }> {
  const has = (c: string) => t.columns.some((x) => x.name === c);
  const decisions = has('decision') && has('original_label') && has('new_label') && has('id');
  const idCol = decisions ? 'id' : roles.id;
  if (!idCol || !has(idCol))
    throw new LoupeError(
      'bad-roles',
      `${name}: no id column${roles.id ? ` ${JSON.stringify(roles.id)}` : ''} (name it id, or say which column it is)`,
    );
  const label = decisions
    ? `CASE decision WHEN 'relabel' THEN CAST(new_label AS VARCHAR) WHEN 'accept' THEN CAST(original_label AS VARCHAR) END`
    : roles.label && has(roles.label)
      ? classExpr(
          roles.label,
          t.columns.find((c) => c.name === roles.label),
        )
      : null;
  if (!label)
    throw new LoupeError(
      'bad-roles',
      `${name}: no label column${roles.label ? ` ${JSON.stringify(roles.label)}` : ''} (name it label, or say which column it is)`,
    );
  const rows = await query(
    `SELECT CAST(${ident(idCol)} AS VARCHAR) AS i, ${label} AS l${decisions && has('reviewer') ? ', CAST(reviewer AS VARCHAR) AS w' : ''} FROM ${ident(t.id)} WHERE ${ident(idCol)} IS NOT NULL ORDER BY ${t.row}`,
  );
  const labels = new Map<string, string>();
  let repeated = 0;
  const missing = new Set<string>(MISSING_TOKENS);
  for (const r of rows) {
    // A missing label (a file read without its profile keeps NA, None, … as written). Spaces at
    // either end are dropped, as a file written with a space after each comma has them.
    const [i, l] = [String(r.i).trim(), String(r.l ?? '').trim()];
    if (r.l === null || r.l === undefined || missing.has(l)) continue;
    if (labels.has(i)) repeated++;
    else labels.set(i, l);
  }
  const reviewer = rows.find((r) => r.w)?.w;
  return { reviewer: reviewer ? String(reviewer) : name, labels, repeated };
}

/**
 * What the active reviewer's decisions say about the labels, the model and the issue finder. On a
 * regression task a "model error" is a row among the unusually large errors (the review queue's
 * first), "relabelled" is corrected to another value, and "model right" is corrected to a value
 * nearer the prediction than the given label was.
 */
export interface ReviewSummary {
  task: 'classification' | 'regression';
  /** Rows accepted or relabelled (unsure and skipped rows say nothing about the label). */
  reviewed: number;
  relabelled: number;
  /** Reviewed rows the model got wrong by the original label, those whose label was wrong, and those where the model was right after all. */
  modelErrors: number;
  modelErrorsLabelWrong: number;
  modelErrorsModelRight: number;
  /** Reviewed rows confident learning flags, and those of them relabelled: the issue finder's precision. */
  flagged: number;
  flaggedRelabelled: number;
}

/** Counts over the reviewed rows (classification with a label column). */
export async function reviewSummary(query: Query, ev: Evaluator, t: EvalTable, spec: EvalSpec): Promise<ReviewSummary> {
  await query(`CREATE TABLE IF NOT EXISTS ${reviewsTable(t.id)} ${REVIEWS_COLUMNS}`);
  const { data, scored } = await ev.load(t, { ...spec, labels: 'original' });
  const reviews = await query(
    `SELECT row, decision, new_label FROM ${reviewsTable(t.id)} WHERE decision IN ('accept', 'relabel') ORDER BY row`,
  );
  if (data.task === 'regression') return regressionSummary(data, scored, reviews);
  const flagged = data.probs && reviews.length ? flaggedRows(data, scored) : null;
  const s = noReviews('classification');
  for (const r of reviews) {
    const row = Number(r.row);
    if (row >= data.n || data.y[row] < 0) continue;
    const relabel = r.decision === 'relabel' && r.new_label !== null && r.new_label !== data.classes[data.y[row]];
    s.reviewed++;
    if (relabel) s.relabelled++;
    if (data.pred[row] >= 0 && data.pred[row] !== data.y[row]) {
      s.modelErrors++;
      if (relabel) s.modelErrorsLabelWrong++;
      if (relabel && r.new_label === data.classes[data.pred[row]]) s.modelErrorsModelRight++;
    }
    if (flagged?.has(row)) {
      s.flagged++;
      if (relabel) s.flaggedRelabelled++;
    }
  }
  return s;
}

/** A summary before any review is counted. */
const noReviews = (task: ReviewSummary['task']): ReviewSummary => ({
  task,
  reviewed: 0,
  relabelled: 0,
  modelErrors: 0,
  modelErrorsLabelWrong: 0,
  modelErrorsModelRight: 0,
  flagged: 0,
  flaggedRelabelled: 0,
});

/** `ReviewSummary` of a regression task's reviews (see there). */
function regressionSummary(
  data: RegressionData,
  scored: Uint32Array,
  reviews: Record<string, unknown>[],
): ReviewSummary {
  const { y, pred } = data;
  const error = Float64Array.from(scored, (r) => Math.abs(y[r] - pred[r]));
  const flagged = new Set(largestErrors(error).map((j) => scored[j]));
  const s = noReviews('regression');
  for (const r of reviews) {
    const row = Number(r.row);
    if (row >= data.n || Number.isNaN(y[row])) continue;
    const value = r.decision === 'relabel' && r.new_label !== null ? Number(r.new_label) : y[row];
    const relabel = Number.isFinite(value) && value !== y[row];
    s.reviewed++;
    if (relabel) s.relabelled++;
    if (relabel && Math.abs(value - pred[row]) < Math.abs(y[row] - pred[row])) s.modelErrorsModelRight++;
    if (flagged.has(row)) {
      s.modelErrors++;
      s.flagged++;
      if (relabel) (s.modelErrorsLabelWrong++, s.flaggedRelabelled++);
    }
  }
  return s;
}

/** Rows (by number) that the likely-label-errors queue holds (confident learning's defaults over the scored rows); null when probabilities are not all in [0, 1]. */
function flaggedRows(data: ClassificationData, scored: Uint32Array): Set<number> | null {
  const sub = subset(data, scored) as ClassificationData;
  if (!sub.probs!.every((col) => col.every((p) => p >= 0 && p <= 1))) return null;
  return new Set(
    findLabelIssues(
      sub.y,
      sub.probs!,
      'prune_by_noise_rate',
      'self_confidence',
      computeConfidentJoint(sub.y, sub.probs!),
    ).map((j) => scored[j]),
  );
}

/** Another reviewer's labels, imported from a file. */
export interface OtherReviewer {
  reviewer: string;
  file: string;
  labels: Map<string, string>;
}

/** Agreement and merge (majority vote; a median of numeric labels) of the active reviewer (first) and the imported ones. */
export interface MergeSummary {
  reviewers: string[];
  others: { reviewer: string; file: string; labels: number }[];
  /** Over the ids every reviewer labelled (numeric labels: Krippendorff's alpha over all ids two labelled). */
  agreement: Agreement | null;
  perClass: Record<string, number | null>;
  counts: Record<Vote['status'], number>;
  /** Ids the reviewers disagree on: ties (left open by the vote) first; numeric labels, the widest spread first. */
  disagreements: string[];
}

function allReviewers(mineName: string, mine: [string, string][], others: OtherReviewer[]) {
  return [{ name: mineName, labels: new Map(mine) }, ...others.map((o) => ({ name: o.reviewer, labels: o.labels }))];
}

export function mergeSummary(
  mineName: string,
  mine: [string, string][],
  others: OtherReviewer[],
  numeric = false,
): MergeSummary {
  const all = allReviewers(mineName, mine, others);
  const names = all.map((r) => r.name);
  const votes = mergeVotes(
    all.map((r) => r.labels),
    numeric,
  );
  const counts = { agreed: 0, single: 0, majority: 0, tie: 0, median: 0 };
  for (const v of votes) counts[v.status]++;
  const summary = {
    reviewers: names,
    others: others.map((o) => ({ reviewer: o.reviewer, file: o.file, labels: o.labels.size })),
    counts,
  };
  if (numeric) {
    const agreementOf = numericAgreement(
      names,
      all.map((r) => r.labels),
    );
    const differ = votes.filter((v) => v.status === 'median').sort((a, b) => b.spread! - a.spread!);
    return {
      ...summary,
      agreement: agreementOf.krippendorff_alpha === null && !agreementOf.items ? null : agreementOf,
      perClass: {},
      disagreements: differ.map((v) => v.id),
    };
  }
  const [first, ...rest] = all;
  const fewest = rest.reduce((a, r) => (r.labels.size < a.labels.size ? r : a), first);
  const shared = [...fewest.labels.keys()].filter((id) => all.every((r) => r.labels.has(id)));
  const labels = all.map((r) => shared.map((id) => r.labels.get(id)!));
  return {
    ...summary,
    agreement: shared.length ? agreement({ reviewers: names, labels }) : null,
    perClass: shared.length ? perClassAgreement(labels) : {},
    disagreements: [...votes.filter((v) => v.status === 'tie'), ...votes.filter((v) => v.status === 'majority')].map(
      (v) => v.id,
    ),
  };
}

/**
 * The merged labels as CSV: one row per id, the merged label (the majority's, empty on a tie; the
 * median of numeric labels), its status and each reviewer's label.
 */
export function mergedCsv(
  mineName: string,
  mine: [string, string][],
  others: OtherReviewer[],
  numeric = false,
): string {
  const all = allReviewers(mineName, mine, others);
  return csvText(
    ['id', 'label_merged', 'status', ...all.map((r) => r.name)],
    mergeVotes(
      all.map((r) => r.labels),
      numeric,
    ).map((v) => [v.id, v.merged, v.status, ...v.labels]),
  );
}

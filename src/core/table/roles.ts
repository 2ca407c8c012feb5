import type { ColumnProfile } from './schema';
import { isNumericKind } from './schema';
import { sortClasses } from './classNames';

export type Task = 'classification' | 'regression';

/** Class probabilities: one column per class, or one list column in class order. */
export type ProbRole =
  { kind: 'columns'; prefix: string; columns: { cls: string; column: string }[] } | { kind: 'list'; column: string };

/** An embedding: columns sharing a prefix (`emb_0 … emb_n`), or one list column of numbers. */
export type EmbeddingRole = { kind: 'columns'; prefix: string; columns: string[] } | { kind: 'list'; column: string };

/** Which column plays which part. `null` means absent (for `id`: the row number stands in). */
export interface Roles {
  label: string | null;
  pred: string | null;
  probs: ProbRole | null;
  id: string | null;
  task: Task;
  features: string[];
  text: string[];
  image: string[];
  /** A set of pixel columns that together make one image per row. */
  pixels: string[];
  embedding: EmbeddingRole | null;
}

/** What a user (or the page URL) set by hand; it wins over detection. */
export interface RoleOverrides {
  label?: string | null;
  pred?: string | null;
  /**
   * A column-name prefix such as `prob_`, a pattern with `*` where the class is (`*_prob`,
   * `P(*)`), or the name of one list column.
   */
  probs?: string | null;
  id?: string | null;
  task?: Task;
  /** A column-name prefix such as `emb_`, or the name of one list column. */
  embedding?: string | null;
}

const LABEL_NAMES = [
  'label',
  'target',
  'y',
  'y_true',
  'ground_truth',
  'class',
  'true_label',
  'gold_label',
  'actual',
  'truth',
  'y_test',
  'labels',
  'gold',
  'true_class',
  'true_value',
  'true_values',
  'actual_value',
  'actual_values',
  'actuals',
  'y_actual',
  'observed',
  'true',
  'gt',
  'actual_label',
  'actual_class',
  'true_labels',
  'target_label',
  'label_ids',
  'label_id',
  // R caret's obs and pred
  'obs',
];
const PRED_NAMES = [
  'pred',
  'prediction',
  'y_pred',
  'predicted',
  'predicted_label',
  'pred_label',
  'predicted_class',
  'model_prediction',
  'predictions',
  'y_hat',
  'yhat',
  'predict',
  'prediction_label',
  'predicted_value',
  'predicted_values',
  'y_predicted',
  'model_output',
  'forecast',
  'fitted',
  '_fitted',
  'fitted_values',
  'preds',
  'predicted_labels',
  'pred_class',
  'predicted_classes',
  'pred_labels',
  // R's tidymodels: .pred_class (a class), .pred (a number); yardstick's truth and estimate
  '_pred_class',
  '_pred',
  'estimate',
  // Azure Machine Learning's scored dataset
  'scored_labels',
];
/**
 * A header cell that names a label or a prediction (`label`, `y_pred`): evidence that a first line
 * holding numbers too (`label,pred,0,1,2`, pandas' `predict_proba` columns) is a header. Not the
 * names a data cell may hold (`true`, `y`).
 */
export const namesARole = (name: string) =>
  !['true', 'y'].includes(conventional(name)) &&
  (LABEL_NAMES.includes(conventional(name)) || PRED_NAMES.includes(conventional(name)));

/**
 * A name that says the column is a model's prediction (`pred_b`, `model2_prediction`, `SpeciesPred`,
 * `price_hat`): a word of it is pred(s), prediction(s), predicted or yhat, or it ends in `_hat`.
 */
export function namedAsPrediction(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return (
    words.some((w) => /^(preds?|predictions?|predicted|yhat)$/.test(w)) || (words.length > 1 && words.at(-1) === 'hat')
  );
}

/** The letters of IBM SPSS Modeler's model nuggets (`$C-churn`: C5.0's prediction of churn; `$CC-churn` its confidence). */
const MODELER = ['c', 'r', 'n', 'l', 'b', 's', 'd', 'k', 'knn', 'xf', 'xs', 'g', 't', 'q', 'a', 'i'];

/**
 * A prediction column named after its label's column (`sentiment` → `predicted_sentiment`,
 * `sentiment_pred`; `is_fraud` → `fraud_pred` too; RapidMiner's `prediction(sentiment)`, KNIME's
 * `Prediction (sentiment)`, SAS Enterprise Miner's `I_sentiment` ("into"), SPSS Modeler's `$C-sentiment`).
 */
const predNamesOf = (label: string) =>
  [...new Set([label, label.replace(/^(is|has)_(?=.)/, '')])]
    .flatMap((l) => [
      `predicted_${l}`,
      `pred_${l}`,
      `${l}_pred`,
      `${l}_predicted`,
      `${l}_prediction`,
      `${l}_hat`,
      `prediction(${l})`,
      `prediction (${l})`,
      `i_${l}`,
      ...MODELER.map((x) => `$${x}-${l}`),
    ])
    .map(conventional);
/**
 * The confidence of the predicted class named after its label's column: SPSS Modeler's `$CC-churn`
 * (`$XFC-`, `$LP-`, …: its prediction's letters, then C or P).
 */
const confidenceNamesOf = (label: string) =>
  MODELER.flatMap((x) => [`$${x}c-${label}`, `$${x}p-${label}`]).map(conventional);
/** Probability columns named after the label's column: KNIME's `P (churn=yes)`, SAS Enterprise Miner's `P_churnyes`. */
const probPatternsOf = (label: string) => [`P (${label}=*)`, `P_${label}*`];
/** A binary score named after its label's column (`Survived` → `Survived_proba`, `prob_survived`). */
const scoreNamesOf = (label: string) =>
  [`${label}_proba`, `${label}_prob`, `${label}_probability`, `${label}_score`, `prob_${label}`, `proba_${label}`].map(
    conventional,
  );
const sameName = (a: string, b: string) => conventional(a) === conventional(b);
/**
 * How probability columns name their class: a prefix (`prob_cat`), or a pattern with `*` where the
 * class is (`cat_prob`, `P(cat)`), compared without case.
 */
const PROB_PATTERNS = [
  'prob_',
  'proba_',
  'probability_',
  'p_',
  '*_prob',
  '*_proba',
  '*_probability',
  'p(*)',
  'prob(*)',
  '.pred_',
  // R: mlr3's prob.<class>
  'prob.',
  // Azure Machine Learning's `Scored Probabilities for Class "cat"`
  'scored probabilities for class "*"',
  // RapidMiner's `confidence(cat)`
  'confidence(*)',
];
/** One column of a binary classifier's probability of the positive class, as scikit-learn's `y_score`. */
const SCORE_NAMES = [
  'y_score',
  'score',
  'y_prob',
  'y_proba',
  'prob',
  'proba',
  'probability',
  'pred_proba',
  'scored_probabilities',
];
const isScoreName = (name: string) => SCORE_NAMES.includes(conventional(name));
/** The confidence of the predicted class, by name (PyCaret's `prediction_score`). */
const CONFIDENCE_NAMES = [
  'prediction_score',
  'confidence',
  'pred_confidence',
  'prediction_confidence',
  'pred_score',
  'predicted_probability',
  'prediction_probability',
  'max_prob',
];
const confidenceNames = (label: string | null) =>
  label ? [...CONFIDENCE_NAMES, ...confidenceNamesOf(conventional(label))] : CONFIDENCE_NAMES;
/** A column saying whether the prediction is right (see detectRoles' features). */
const RIGHT_OR_WRONG = /^(is_)?(error|errors|correct|wrong|misclassified|right|match|matches|hit|mistake)$/;
const EMBEDDING_PREFIXES = ['emb_', 'embedding_', 'embeddings_', 'vec_'];
const EMBEDDING_LIST = /^(emb|embeddings?|vectors?|features?)$/i;
const PROB_LIST = /^(.+\.)?(probs?|probas?|probabilit(y|ies)|scores?)$/i;
/**
 * A column naming the positions of a probability list, the same in every row (SageMaker Autopilot's
 * `labels`; Vertex AI's `prediction.classes` or `prediction.displayNames`).
 */
export const CLASS_NAMES_COLUMN = /^(.+\.)?(labels|classes|class_names|label_names|display_?names)$/i;
const PIXEL = /^(pixel|pix|px)[_-]?\d+([_x-]\d+)?$/i;
const IMAGE_VALUE = /^(data:image\/|(https?:\/\/\S+|[\w./-]+)\.(png|jpe?g|gif|webp|bmp|avif)(\?\S*)?$)/i;
/**
 * The row index that pandas' `to_csv` and R's `write.csv` write as a first column with no name
 * (`column0` once read; `Unnamed: 0` when pandas saves it again), pandas' Parquet
 * `__index_level_0__`, or the first column `index` (`level_0`) that `reset_index()` makes of it:
 * whole numbers, one per row. An id, never a feature to slice by.
 */
function isRowIndex(c: ColumnProfile, at: number, rows: number): boolean {
  const first = at === 0 && /^(column0|index|level_0)$/i.test(c.name);
  if (!/^(unnamed: ?0|__index_level_0__)$/i.test(c.name) && !first) return false;
  const n = rows - c.nulls;
  return c.kind === 'integer' && (c.distinctApprox ? c.distinct >= 0.95 * n : c.distinct >= n);
}

/** Up to this many distinct integer labels, an integer label is read as classes. */
const MAX_INTEGER_CLASSES = 20;

const byName = (cols: ColumnProfile[], name: string) => cols.find((c) => c.name.toLowerCase() === name.toLowerCase());
/** A name as the conventions compare it: camelCase split, lower case, spaces, dots and hyphens as `_` ("Ground Truth", "yTrue"). */
const conventional = (s: string) =>
  s
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[\s.-]+/g, '_');
/** The column a conventional name (`y_true`) stands for: by its name, else as written another way (`Y True`, `yTrue`). */
const byConvention = (cols: ColumnProfile[], name: string) =>
  byName(cols, name) ?? cols.find((c) => conventional(c.name) === name);

/** Probability columns sharing `prefix`, numeric only; the class is the rest of the name. */
export function probColumns(cols: ColumnProfile[], pattern: string): { cls: string; column: string }[] {
  return cols.flatMap((c) => {
    const cls = isNumericKind(c.kind) ? classIn(c.name, pattern) : null;
    return cls === null ? [] : [{ cls, column: c.name }];
  });
}

/**
 * The class a column's name gives under a pattern: the rest after a prefix (`prob_` of `prob_cat`),
 * or what stands for the `*` (`*_prob` of `cat_prob`, `P(*)` of `P(cat)`), compared without case;
 * null when the name does not fit or leaves no class.
 */
export function classIn(name: string, pattern: string): string | null {
  const star = pattern.indexOf('*');
  const [pre, post] = star < 0 ? [pattern, ''] : [pattern.slice(0, star), pattern.slice(star + 1)];
  const n = name.toLowerCase();
  if (name.length <= pre.length + post.length || !n.startsWith(pre.toLowerCase()) || !n.endsWith(post.toLowerCase()))
    return null;
  return name.slice(pre.length, name.length - post.length);
}

/** Whole-number classes: an integer label, or a float one without fractions (pandas' 1.0 / 0.0 where NA is). */
const wholeNumbers = (c: ColumnProfile) => c.kind === 'integer' || (c.kind === 'numeric' && c.fractional === false);

/**
 * The positive class of a binary label, as scikit-learn takes it (the larger of the two classes:
 * 1 of 0/1, `yes` of no/yes, `True` of False/True), from the label's profile; null when the label
 * is not two known classes.
 */
function positiveClass(label: ColumnProfile | undefined): string | null {
  if (!label || label.distinct !== 2 || label.distinctApprox) return null;
  if (wholeNumbers(label) && label.histogram) return String(label.histogram.max);
  if ((label.kind === 'string' || label.kind === 'boolean') && label.top?.length === 2)
    return label.top.map((t) => t.value).sort()[1];
  return null;
}

/** A single probability column of the positive class (`score`, `y_score`, …, or the override's name): values in [0, 1], binary label. */
function scoreColumn(cols: ColumnProfile[], label: ColumnProfile | undefined, names: string[]): ProbRole | null {
  const positive = positiveClass(label);
  if (positive === null) return null;
  const c = names
    .map((n) => byConvention(cols, n))
    .find(
      (c) => c && c !== label && isNumericKind(c.kind) && c.histogram && c.histogram.min >= 0 && c.histogram.max <= 1,
    );
  return c ? { kind: 'columns', prefix: c.name, columns: [{ cls: positive, column: c.name }] } : null;
}

/** The label's classes when its profile lists them all: text with its top values, or whole numbers min…max. */
function labelClasses(label: ColumnProfile | undefined): string[] | null {
  if (!label || label.distinctApprox || label.distinct < 2) return null;
  if ((label.kind === 'string' || label.kind === 'boolean') && label.top?.length === label.distinct)
    return label.top.map((t) => t.value);
  const h = label.histogram;
  if (wholeNumbers(label) && h && h.max - h.min + 1 === label.distinct)
    return Array.from({ length: label.distinct }, (_, i) => String(h.min + i));
  return null;
}

/**
 * With no label by name, the column whose every class a set of probability columns names, when the
 * classes are names (R tidymodels' `Species` beside `.pred_setosa`, `.pred_versicolor`, …), else
 * whose every class is itself the name of a column of values in [0, 1] (H2O's `species` beside its
 * `predict`, `setosa`, `versicolor`, …).
 */
function labelOfProbs(cols: ColumnProfile[]): string | null {
  const text = cols.filter((c) => c.kind === 'string' && !namedAsPrediction(c.name));
  const probs = detectProbs(cols, undefined);
  if (probs?.kind === 'columns' && probs.columns.length >= 2) {
    const names = new Set(probs.columns.map((c) => c.cls));
    if ([...names].every((n) => Number.isFinite(Number(n)))) return null;
    const taken = new Set(probs.columns.map((c) => c.column));
    const classes = (c: ColumnProfile) => (taken.has(c.name) ? null : labelClasses(c));
    return text.find((c) => classes(c)?.every((v) => names.has(v)))?.name ?? null;
  }
  return text.find((c) => classNamedColumns(cols, c))?.name ?? null;
}

/** Numeric columns holding values in [0, 1]. */
const unitColumn = (c?: ColumnProfile): c is ColumnProfile =>
  !!c && isNumericKind(c.kind) && !!c.histogram && c.histogram.min >= 0 && c.histogram.max <= 1;

/** Columns `0 … K−1` in [0, 1] beside a label of K classes, as pandas writes `DataFrame(predict_proba(X))`. */
function indexNamedColumns(cols: ColumnProfile[], label: ColumnProfile | undefined): ProbRole | null {
  const classes = labelClasses(label);
  if (!classes) return null;
  const columns = classes.map((_, i) => cols.find((c) => c !== label && c.name === String(i)));
  if (!columns.every(unitColumn)) return null;
  return { kind: 'columns', prefix: '', columns: columns.map((c, i) => ({ cls: String(i), column: c!.name })) };
}

/**
 * Probability columns named by class index (`prob_0 … prob_2`, or a binary task's `prob_1`) beside
 * a label of as many classes that are names: column i is the i-th class in sorted order, as a model's `classes_` (and
 * LabelEncoder) holds them. Said by validateRoles ('prob-class-index').
 */
function byClassIndex(probs: ProbRole | null, label: ColumnProfile | undefined): ProbRole | null {
  const classes = label?.kind === 'string' ? labelClasses(label) : null;
  // Every class's column, or a binary task's `prob_1` alone (predict_proba(X)[:, 1]).
  const binary = classes?.length === 2 && probs?.kind === 'columns' && probs.columns.length === 1;
  if (probs?.kind !== 'columns' || !classes || (probs.columns.length !== classes.length && !binary)) return probs;
  const at = probs.columns.map((c) => (/^\d+$/.test(c.cls) ? Number(c.cls) : -1));
  if (new Set(at).size !== at.length || at.some((i) => i < 0 || i >= classes.length) || (binary && at[0] !== 1))
    return probs;
  if (classes.some((c) => Number.isFinite(Number(c)))) return probs;
  const sorted = sortClasses(classes);
  return { ...probs, columns: probs.columns.map((c, i) => ({ cls: sorted[at[i]], column: c.column })) };
}

/**
 * Probability columns named as the label's classes, as pandas writes `DataFrame(predict_proba(X),
 * columns=classes_)`: a numeric column with values in [0, 1] for every class (prefix '').
 */
function classNamedColumns(cols: ColumnProfile[], label: ColumnProfile | undefined): ProbRole | null {
  const classes = labelClasses(label);
  if (!classes) return null;
  const columns = classes.map((cls) => ({ cls, column: cols.find((c) => c !== label && c.name === cls) }));
  if (!columns.every((c) => unitColumn(c.column))) return null;
  return { kind: 'columns', prefix: '', columns: columns.map((c) => ({ cls: c.cls, column: c.column!.name })) };
}

function detectProbs(
  cols: ColumnProfile[],
  label: ColumnProfile | undefined,
  override?: string | null,
): ProbRole | null {
  if (override === null) return null;
  if (override === '') return classNamedColumns(cols, label);
  if (override !== undefined) {
    const named = byName(cols, override);
    if (named?.kind === 'list') return { kind: 'list', column: named.name };
    // One column by its name: `prob_1` is class 1's (the other class has 1 − p), `y_score` the positive class's.
    if (named && isNumericKind(named.kind)) {
      const pattern = isScoreName(named.name) ? undefined : PROB_PATTERNS.find((p) => classIn(named.name, p) !== null);
      return pattern
        ? { kind: 'columns', prefix: pattern, columns: [{ cls: classIn(named.name, pattern)!, column: named.name }] }
        : scoreColumn(cols, label, [named.name]);
    }
    const columns = probColumns(cols, override);
    return columns.length ? { kind: 'columns', prefix: override, columns } : null;
  }
  let best: ProbRole | null = null;
  for (const prefix of [...(label ? probPatternsOf(label.name) : []), ...PROB_PATTERNS]) {
    // `prob__<model>__<class>` columns are a model's output, chosen by their own prefix; `y_prob`
    // and `pred_proba` are one binary score (below), not class y's or pred's.
    // Nor is `Survived_proba` beside the label `Survived` class Survived's: it is the label's score (below).
    // Nor is a column named as a prediction (tidymodels' numeric `.pred_class`) a probability.
    const columns = probColumns(cols, prefix).filter(
      (c) =>
        !c.cls.startsWith('_') &&
        !isScoreName(c.column) &&
        !(label && sameName(c.cls, label.name)) &&
        !PRED_NAMES.includes(conventional(c.column)),
    );
    // `p_value` alone is not a probability set; prob_/proba_ may hold one column (binary positive class).
    const enough = prefix === 'p_' ? columns.length >= 2 : columns.length >= 1;
    if (enough && (!best || best.kind !== 'columns' || columns.length > best.columns.length))
      best = { kind: 'columns', prefix, columns };
  }
  if (best) return best;
  // H2O's `p0`, `p1`: `p` and a class, only when the columns name exactly the label's classes.
  const h2o = probColumns(cols, 'p').filter((c) => /^\d+$/.test(c.cls));
  const classes = labelClasses(label);
  if (classes && h2o.length === classes.length && h2o.every((c) => classes.includes(c.cls)))
    return { kind: 'columns', prefix: 'p', columns: h2o };
  const list = cols.find((c) => c.kind === 'list' && PROB_LIST.test(c.name));
  return list
    ? { kind: 'list', column: list.name }
    : (classNamedColumns(cols, label) ??
        indexNamedColumns(cols, label) ??
        scoreColumn(cols, label, label ? [...SCORE_NAMES, ...scoreNamesOf(conventional(label.name))] : SCORE_NAMES));
}

/** Numeric columns `<prefix><n>`, in the order of n. */
function prefixColumns(cols: ColumnProfile[], prefix: string): string[] {
  const p = prefix.toLowerCase();
  return cols
    .filter((c) => c.name.toLowerCase().startsWith(p) && /^\d+$/.test(c.name.slice(p.length)) && isNumericKind(c.kind))
    .sort((a, b) => Number(a.name.slice(p.length)) - Number(b.name.slice(p.length)))
    .map((c) => c.name);
}

/**
 * The embedding: the override (a list column's name or a prefix), else the prefix among `emb_`,
 * `embedding_`, `vec_` with most numbered numeric columns (two or more), else a list column
 * named `embedding`/`emb`/`vector`/`features`.
 */
function detectEmbedding(cols: ColumnProfile[], override?: string | null): EmbeddingRole | null {
  if (override === null) return null;
  if (override !== undefined) {
    const list = byName(cols, override);
    if (list?.kind === 'list') return { kind: 'list', column: list.name };
    const columns = prefixColumns(cols, override);
    return columns.length ? { kind: 'columns', prefix: override, columns } : null;
  }
  let best: EmbeddingRole | null = null;
  for (const prefix of EMBEDDING_PREFIXES) {
    const columns = prefixColumns(cols, prefix);
    if (columns.length >= 2 && (!best || best.kind !== 'columns' || columns.length > best.columns.length))
      best = { kind: 'columns', prefix, columns };
  }
  if (best) return best;
  // A list column by its name, or a model's embedding output (`emb__<model>`, added by Run).
  const list =
    cols.find((c) => c.kind === 'list' && EMBEDDING_LIST.test(c.name)) ??
    cols.find((c) => c.kind === 'list' && c.name.startsWith('emb__'));
  return list ? { kind: 'list', column: list.name } : null;
}

function isImageColumn(c: ColumnProfile): boolean {
  if (c.kind === 'binary') return true;
  if (c.kind !== 'string' || c.sample.length === 0) return false;
  return c.sample.every((v) => IMAGE_VALUE.test(v.trim()));
}

function isTextColumn(c: ColumnProfile, rows: number): boolean {
  if (c.kind !== 'string' || c.avgLength === undefined) return false;
  return c.avgLength >= 40 || (c.avgLength >= 20 && c.distinct > Math.max(100, rows / 2));
}

/**
 * Detects the role of each column from its name, type and profile, then applies the user's
 * overrides. Conventions (first match wins): label `label|target|y|y_true|ground_truth|class|…`, else
 * the column that another is named the prediction of; prediction `pred|prediction|y_pred|predicted|…`
 * or `predicted_<label>`, `<label>_pred`, …; probabilities `prob_<class>`,
 * `proba_<class>`, `p_<class>` (the prefix with most columns) or a list column named
 * `probs`/`probabilities`/`scores`; id `id` or the first column ending in `_id`; embedding
 * `emb_<n>` columns or a list column `embedding` (see detectEmbedding), never a feature.
 * Task: regression for a numeric label with fractional values, or more than 20 whole-number values
 * and no probabilities; otherwise classification (text, boolean, whole numbers).
 */
export function detectRoles(cols: ColumnProfile[], rows: number, over: RoleOverrides = {}): Roles {
  const pick = (o: string | null | undefined, auto: () => string | null): string | null => {
    if (o === null) return null;
    if (o !== undefined) return byName(cols, o)?.name ?? null;
    return auto();
  };
  const conventionalNames = new Set(cols.map((c) => conventional(c.name)));
  // A label by its name, else the column that another is named the prediction of (`sentiment`, `predicted_sentiment`).
  const label = pick(
    over.label,
    () =>
      LABEL_NAMES.map((n) => byConvention(cols, n)?.name).find(Boolean) ??
      // A field of a nested record (Vertex AI's `instance.label`), not of the model's output.
      LABEL_NAMES.map(
        (n) =>
          cols.find(
            (c) =>
              /\./.test(c.name) &&
              !/^(predictions?|outputs?|results?)\./i.test(c.name) &&
              conventional(c.name.slice(c.name.lastIndexOf('.') + 1)) === n,
          )?.name,
      ).find(Boolean) ??
      cols.find((c) => predNamesOf(conventional(c.name)).some((n) => conventionalNames.has(n)))?.name ??
      labelOfProbs(cols) ??
      null,
  );
  // Of the columns named as a prediction, one of classes before one of fractions in [0, 1] (Weka's
  // `predicted` before its `prediction`, a confidence; see the score below).
  // mlr3's `response` is its prediction beside its `truth` (alone, a file's `Response` is often the label).
  const predNames = label
    ? [...PRED_NAMES, ...predNamesOf(conventional(label)), ...(conventional(label) === 'truth' ? ['response'] : [])]
    : PRED_NAMES;
  const predNamed = predNames
    .map((n) => byConvention(cols, n))
    .filter((c, i, all): c is ColumnProfile => !!c && c.name !== label && all.indexOf(c) === i);
  const unitFractions = (c: ColumnProfile) => c.kind === 'numeric' && !!c.fractional && unitColumn(c);
  let pred = pick(over.pred, () => (predNamed.find((c) => !unitFractions(c)) ?? predNamed[0])?.name ?? null);
  const labelCol = label ? byName(cols, label) : undefined;
  let probs = byClassIndex(detectProbs(cols, labelCol, over.probs), labelCol);
  // Else the first column named as a prediction (`SpeciesPred`, `model_preds`) that holds no probability
  // and is not another column's prediction (`topic_pred` beside `topic`).
  if (pred === null && over.pred === undefined) {
    const ofAnother = (n: string) =>
      cols.some((o) => o.name !== label && o.name !== n && predNamesOf(conventional(o.name)).includes(conventional(n)));
    const inProbs = (n: string) =>
      probs?.kind === 'columns' ? probs.columns.some((p) => p.column === n) : probs?.column === n;
    pred =
      cols.find(
        (c) =>
          c.name !== label &&
          namedAsPrediction(c.name) &&
          !inProbs(c.name) &&
          !/prob|score|conf|logit/i.test(c.name) &&
          !isScoreName(c.name) &&
          !ofAnother(c.name),
      )?.name ?? null;
  }
  // A "prediction" of fractions in [0, 1] beside a label of two classes and no probabilities (a
  // classifier's predict_proba[:, 1] kept as its prediction) is the positive class's probability;
  // the prediction is then the more probable class, as for any score column.
  const fractions = predNamed.find(unitFractions);
  if (over.pred === undefined && over.probs === undefined && over.task !== 'regression' && !probs && fractions) {
    const score = scoreColumn(cols, labelCol, [fractions.name]);
    if (score) [probs, pred] = [score, pred === fractions.name ? null : pred];
  }
  const id = pick(
    over.id,
    () =>
      byConvention(cols, 'id')?.name ??
      cols.find((c) => /_id$/i.test(conventional(c.name)))?.name ??
      cols.find((c, i) => isRowIndex(c, i, rows))?.name ??
      null,
  );

  let task: Task = 'classification';
  // A label with fractional values (0.2, 1.3) is a quantity, however few its values; whole numbers
  // are classes up to MAX_INTEGER_CLASSES of them, or with probability columns — unless, with no
  // probabilities, the prediction has fractions (a 1–5 rating predicted as 3.7: no class is 3.7).
  const fractionalPred = !!pred && byName(cols, pred)?.kind === 'numeric' && !!byName(cols, pred)?.fractional;
  if (over.task) task = over.task;
  else if (
    labelCol &&
    isNumericKind(labelCol.kind) &&
    (labelCol.fractional || (!probs && (labelCol.distinct > MAX_INTEGER_CLASSES || fractionalPred)))
  )
    task = 'regression';

  const taken = new Set<string>([label, pred, id].filter((x): x is string => !!x));
  if (probs?.kind === 'columns') probs.columns.forEach((p) => taken.add(p.column));
  if (probs?.kind === 'list') taken.add(probs.column);
  const embedding = detectEmbedding(
    cols.filter((c) => !taken.has(c.name)),
    over.embedding,
  );
  if (embedding?.kind === 'columns') embedding.columns.forEach((c) => taken.add(c));
  if (embedding?.kind === 'list') taken.add(embedding.column);
  const pixels = cols.filter((c) => PIXEL.test(c.name) && isNumericKind(c.kind)).map((c) => c.name);
  const pixelSet = pixels.length >= 16 ? new Set(pixels) : new Set<string>();
  // Model outputs are never features: `pred__<model>`, `prob__<model>__<class>`, the columns
  // detection would take as the prediction and probabilities when other columns were chosen instead
  // (chosen as none, they may be features), and, unless the prediction is chosen as none, other
  // columns named as predictions (another model's, `pred_b`: a feature that is the answer would
  // make every slice and every neighbour about it).
  const outputs = new Set<string>(
    over.pred === null ? [] : cols.filter((c) => namedAsPrediction(c.name)).map((c) => c.name),
  );
  const autoPred = typeof over.pred !== 'string' ? null : detectRoles(cols, rows, { label: over.label }).pred;
  if (autoPred) outputs.add(autoPred);
  const autoProbs = typeof over.probs !== 'string' ? null : detectProbs(cols, undefined);
  if (autoProbs?.kind === 'columns') autoProbs.columns.forEach((p) => outputs.add(p.column));
  if (autoProbs?.kind === 'list') outputs.add(autoProbs.column);
  // A model's confidence (`prediction_score`, `confidence`), score (`y_prob`, `probability`; a bare
  // `score` may be a feature) or logits are its output too.
  const scoreLike = (n: string) =>
    CONFIDENCE_NAMES.includes(n) ||
    (SCORE_NAMES.includes(n) && n !== 'score') ||
    LOGIT_NAME.test(n) ||
    LOGIT_PREFIXES.some((p) => classIn(n, p) !== null);
  if (over.pred !== null) cols.filter((c) => scoreLike(conventional(c.name))).forEach((c) => outputs.add(c.name));
  // So are columns named as the label's prediction or confidence, and SAS's copies of the label and
  // its prediction (`F_<label>`, `U_<label>`).
  if (over.pred !== null && label) {
    const l = conventional(label);
    const named = new Set([...predNamesOf(l), ...confidenceNamesOf(l), `f_${l}`, `u_${l}`]);
    cols.filter((c) => named.has(conventional(c.name))).forEach((c) => outputs.add(c.name));
  }
  // Whether the prediction is right, as a column (Weka's `error`, a notebook's `correct`): it would be
  // every failing slice's one condition.
  if (pred && label) cols.filter((c) => RIGHT_OR_WRONG.test(conventional(c.name))).forEach((c) => outputs.add(c.name));
  const rest = cols.filter(
    (c) => !taken.has(c.name) && !outputs.has(c.name) && !pixelSet.has(c.name) && !/^(pred|prob|emb)__/.test(c.name),
  );
  const image = rest.filter(isImageColumn).map((c) => c.name);
  const text = rest.filter((c) => !image.includes(c.name) && isTextColumn(c, rows)).map((c) => c.name);
  const features = rest.filter((c) => !image.includes(c.name) && !text.includes(c.name)).map((c) => c.name);
  return { label, pred, probs, id, task, features, text, image, pixels: [...pixelSet], embedding };
}

/**
 * A binary prediction beside the confidence of the predicted class and no probabilities: a column
 * named as a confidence (PyCaret's `prediction_score`) whose every value is in [0.5, 1] (a
 * probability of one class would fall below ½ where the other is predicted at the usual threshold).
 * A score column (`score`, `y_prob`) in [0.5, 1] may be one too (a Hugging Face pipeline's `score`, Weka's `prediction`),
 * or the positive class's probability at a threshold above ½: `separable` asks the caller to tell
 * them apart on the data (see DataEngine's fixConfidence). The two classes are the prediction's;
 * null when any of this does not hold.
 */
export function confidenceColumn(
  cols: ColumnProfile[],
  rows: number,
): { pred: string; column: string; classes: [string, string]; separable: boolean } | null {
  const r = detectRoles(cols, rows);
  const pred = r.pred ? byName(cols, r.pred) : undefined;
  const h = pred?.histogram;
  const classes =
    pred?.distinct !== 2 || pred.distinctApprox
      ? null
      : (pred.kind === 'string' || pred.kind === 'boolean') && pred.top?.length === 2
        ? pred.top.map((t) => t.value)
        : wholeNumbers(pred) && h
          ? [String(h.min), String(h.max)]
          : null;
  const halfUp = (c?: ColumnProfile) =>
    !!c && isNumericKind(c.kind) && !!c.histogram && c.histogram.min >= 0.5 && c.histogram.max <= 1;
  // One column that is a score by its name (`score`, a fractional `prediction`), not a class's (`prob_1`).
  const only = r.probs?.kind === 'columns' && r.probs.columns.length === 1 ? r.probs.columns[0].column : null;
  const score =
    only !== null && r.probs?.kind === 'columns' && r.probs.prefix === only ? byName(cols, only) : undefined;
  if (!pred || !classes || (r.probs && !halfUp(score))) return null;
  const column =
    score ??
    confidenceNames(r.label)
      .map((n) => byConvention(cols, n))
      .find(halfUp);
  const [a, b] = sortClasses(classes);
  return column ? { pred: pred.name, column: column.name, classes: [a, b], separable: !!score } : null;
}

/**
 * A confidence column (by name, values in [0, 1]) beside a prediction of more than two classes and no
 * probabilities: it gives no other class's probability, so no probability metric can use it.
 */
export function unusedConfidence(cols: ColumnProfile[], rows: number): string | null {
  const r = detectRoles(cols, rows);
  const pred = r.pred ? byName(cols, r.pred) : undefined;
  if (r.probs || !pred || pred.distinct <= 2) return null;
  return (
    confidenceNames(r.label)
      .map((n) => byConvention(cols, n))
      .find(unitColumn)?.name ?? null
  );
}

/** Text columns named as probabilities (`prob_yes`, `y_score`): numbers with some cell that is not one (`#DIV/0!`). */
export const textProbColumns = (cols: ColumnProfile[]): string[] =>
  cols
    .filter(
      (c) => c.kind === 'string' && (isScoreName(c.name) || PROB_PATTERNS.some((p) => classIn(c.name, p) !== null)),
    )
    .map((c) => c.name);

/** A model's logits: `logit_<class>` (`logits_<class>`) columns, a `logits` list, or a binary model's one `logit`. */
const LOGIT_PREFIXES = ['logit_', 'logits_'];
const LOGIT_NAME = /^(y_)?logits?$/i;
export type LogitRole =
  | { kind: 'columns'; columns: { cls: string; column: string }[] }
  | { kind: 'list'; column: string }
  | { kind: 'one'; column: string };

/**
 * Logits beside a label and no probabilities (a neural network's raw outputs, as PyTorch and a
 * Hugging Face Trainer give them): read as probabilities by softmax (a sigmoid for one binary
 * column), as the model's own probabilities are made. Null when there are probabilities already.
 */
export function logitColumns(cols: ColumnProfile[], rows: number): LogitRole | null {
  const r = detectRoles(cols, rows);
  if (!r.label || r.probs || r.task !== 'classification') return null;
  const columns = cols.flatMap((c) => {
    const cls = isNumericKind(c.kind) ? LOGIT_PREFIXES.map((p) => classIn(c.name, p)).find((x) => x !== null) : null;
    return cls ? [{ cls, column: c.name }] : [];
  });
  if (columns.length >= 2) return { kind: 'columns', columns };
  const named = cols.filter((c) => LOGIT_NAME.test(c.name));
  const list = named.find((c) => c.kind === 'list');
  if (list) return { kind: 'list', column: list.name };
  const one = named.find((c) => isNumericKind(c.kind));
  return one && labelClasses(byName(cols, r.label))?.length === 2 ? { kind: 'one', column: one.name } : null;
}

/**
 * The columns whose profiles detection reads: the label, prediction, id and probability columns
 * found by name, the columns a binary score may be in, and — once the label is profiled — the
 * columns named as its classes or their indices.
 */
export function roleColumns(cols: ColumnProfile[], over: RoleOverrides = {}): string[] {
  const r = detectRoles(cols, 0, over);
  const probs = r.probs?.kind === 'columns' ? r.probs.columns.map((c) => c.column) : [r.probs?.column];
  const scoreNames = [
    ...SCORE_NAMES,
    ...confidenceNames(r.label),
    ...(r.label ? scoreNamesOf(conventional(r.label)) : []),
  ];
  const scores = [...scoreNames.map((n) => byConvention(cols, n)?.name), over.probs && byName(cols, over.probs)?.name];
  // Columns named as the label's classes, once the label's profile names them (see DataEngine.open).
  const label = r.label ? byName(cols, r.label) : undefined;
  // Or by their index (`0 … K−1`, see indexNamedColumns).
  const named = (labelClasses(label) ?? []).flatMap((cls, i) =>
    cols.filter((c) => c !== label && (c.name === cls || c.name === String(i))).map((c) => c.name),
  );
  // Text columns named as a list role or a class's probability: they may hold lists or numbers
  // written as text (read as lists or numbers once profiled: "[0.2, 0.8]", "85%"); struct columns
  // so named hold class scores (spread into prob_ columns once read).
  const lists = cols.filter(
    (c) =>
      (c.kind === 'string' || /^STRUCT\(.*\)(\[\])?$/.test(c.type)) &&
      (PROB_LIST.test(c.name) ||
        /_probs$/i.test(c.name) ||
        EMBEDDING_LIST.test(c.name) ||
        CLASS_NAMES_COLUMN.test(c.name) ||
        LOGIT_NAME.test(c.name) ||
        PROB_PATTERNS.some((p) => classIn(c.name, p) !== null)),
  );
  // Logits, read as probabilities where there are none (see logitColumns).
  const logits = cols.filter((c) => LOGIT_NAME.test(c.name) || LOGIT_PREFIXES.some((p) => classIn(c.name, p) !== null));
  // A count may make the table one of counts, which every column tells (see countColumn), and with no
  // label by name, the label may be the column that others' names or values name (labelOfProbs): all are read.
  if (!r.label || cols.some((c) => COUNT_NAMES.includes(conventional(c.name)))) return cols.map((c) => c.name);
  return [
    r.label,
    r.pred,
    r.id,
    ...probs,
    ...scores,
    ...named,
    ...lists.map((c) => c.name),
    ...logits.map((c) => c.name),
  ].filter((c): c is string => !!c);
}

/**
 * A second model's file without a label (its class-named or score columns cannot be told from
 * the data alone): its probabilities are the columns named as the first model's, when it has them all.
 */
export function likeProbs(first: ProbRole | null, cols: ColumnProfile[]): ProbRole | null {
  const has = (name: string, list: boolean) =>
    cols.some((c) => c.name === name && (list ? c.kind === 'list' : isNumericKind(c.kind)));
  if (first?.kind === 'list') return has(first.column, true) ? first : null;
  return first && first.columns.every((c) => has(c.column, false)) ? first : null;
}

/** The same probabilities with `add` before each column's name (the other file's columns after a join: `b__`). */
export function prefixedProbs(p: ProbRole, add: string): ProbRole {
  return p.kind === 'list'
    ? { kind: 'list', column: add + p.column }
    : {
        kind: 'columns',
        prefix: add + p.prefix,
        columns: p.columns.map((c) => ({ cls: c.cls, column: add + c.column })),
      };
}

/** The columns that hold the probabilities (one list column, or a column per class). */
export const probColumnNames = (p: ProbRole | null): string[] =>
  !p ? [] : p.kind === 'list' ? [p.column] : p.columns.map((c) => c.column);

/** The classes the probabilities name, in column order. */
export function probClasses(p: ProbRole | null): string[] {
  return p?.kind === 'columns' ? p.columns.map((c) => c.cls) : [];
}

const URL_KEYS = ['label', 'pred', 'probs', 'id', 'task', 'embedding'] as const;

/** Role overrides as URL parameters (`?label=species&pred=predicted_species&probs=prob_`); `-` means none. */
export function overridesToParams(o: RoleOverrides, params: URLSearchParams): void {
  for (const k of URL_KEYS) {
    const v = o[k];
    if (v === undefined) params.delete(k);
    else params.set(k, v === null ? '-' : v);
  }
}

export function overridesFromParams(params: URLSearchParams): RoleOverrides {
  const o: RoleOverrides = {};
  for (const k of URL_KEYS) {
    const v = params.get(k);
    if (v === null) continue;
    if (k === 'task') {
      if (v === 'classification' || v === 'regression') o.task = v;
    } else o[k] = v === '-' ? null : v;
  }
  return o;
}

/** A column of how many rows each row stands for, in a table of counts. */
const COUNT_NAMES = [
  'count',
  'counts',
  'n',
  'freq',
  'frequency',
  'cnt',
  'num',
  'number',
  'support',
  'n_samples',
  'weight',
];

/**
 * A table of counts (a confusion matrix written long: `actual, predicted, count`): a whole-number
 * column named as a count beside a label and a prediction, in a small table (at most 10,000 rows)
 * whose every other column has few values (at most 100 each). The caller checks that no two rows
 * share all their other values, and expands each row into as many rows (DataEngine's fixCounts).
 */
export function countColumn(cols: ColumnProfile[], rows: number): string | null {
  if (rows > 10_000) return null;
  const r = detectRoles(cols, rows);
  if (!r.label || !r.pred || r.probs) return null;
  const count = cols.find(
    (c) =>
      COUNT_NAMES.includes(conventional(c.name)) &&
      c.name !== r.label &&
      c.name !== r.pred &&
      wholeNumbers(c) &&
      !!c.histogram &&
      c.histogram.min >= 0,
  );
  const few = (c: ColumnProfile) => c === count || (!c.distinctApprox && c.distinct <= 100 && c.kind !== 'numeric');
  return count && cols.every(few) ? count.name : null;
}

/** Which columns of a predictions file are a model's output for the ground truth of another file. */
export interface PredictionsOf {
  /** The column naming the rows in both files; null: the files' rows are joined in order (see predictionsOf). */
  id: string | null;
  /** The ground-truth file's label. */
  label: string;
  /** The predictions file's predicted class column, and its probabilities (a score, class columns, a list). */
  pred: string | null;
  probs: ProbRole | null;
}

/**
 * Ground truth in one file and a model's output in another, joined on an id (a Kaggle solution and
 * submission; labels kept apart from a model's batch output). The id: the one given, else a column
 * both files have that is an id in either. The label: the one given, else the truth's detected one,
 * else the one column besides the id that both files have. The model's output: the predictions
 * file's column named as the label (its predicted class; a binary task's score where it holds
 * fractions in [0, 1]), else what detection finds there (`pred`, `prob_…`), else a numeric column
 * named as each of the label's classes (a multiclass submission of probabilities). A message when
 * one of them cannot be told (the output need not be, `outputsGiven` by the user).
 * With no id in common, files of as many rows (`sameRows`) whose predictions file shares no column
 * with the truth's are joined row by row (id null): a model's output written in the order of its
 * input (XGBoost's and LightGBM's command lines, `np.savetxt(model.predict(X_test))`).
 */
export function predictionsOf(
  truth: ColumnProfile[],
  preds: ColumnProfile[],
  rows: number,
  over: { id?: string; label?: string; outputsGiven?: boolean; sameRows?: boolean } = {},
): PredictionsOf | string {
  const shared = truth.filter((c) => preds.some((p) => p.name === c.name)).map((c) => c.name);
  const found =
    over.id ??
    [detectRoles(truth, rows).id, detectRoles(preds, rows).id].find((n) => n && shared.includes(n)) ??
    shared.find((n) => conventional(n) === 'id' || /_id$/.test(conventional(n)));
  const id = found ?? (over.sameRows && !shared.length ? null : undefined);
  if (id === undefined)
    return `The two files share no id column${shared.length ? ` (both have ${shared.join(', ')})` : over.sameRows === false ? ' and have different numbers of rows' : ''}.`;
  const others = shared.filter((n) => n !== id);
  const label = over.label ?? detectRoles(truth, rows).label ?? (others.length === 1 ? others[0] : null);
  if (!label) return `No label column found in the ground-truth file.`;
  const truthLabel = byName(truth, label);
  // One column as the model's output: a binary task's score where it holds fractions (and the label does not), else its class.
  const output = (c: ColumnProfile): PredictionsOf => {
    const score =
      c.kind === 'numeric' && c.fractional && !truthLabel?.fractional ? scoreColumn(preds, truthLabel, [c.name]) : null;
    return { id, label, pred: score ? null : c.name, probs: score };
  };
  const same = preds.find((c) => c.name === label);
  if (same) return output(same);
  const detected = detectRoles(
    preds.filter((c) => c.name !== id),
    rows,
    { label: null },
  );
  const at = (c: { column?: ColumnProfile }) => (c.column ? preds.indexOf(c.column) : -1);
  // A prediction of fractions in [0, 1] beside a label of two classes is the positive class's score.
  const fractions = detected.pred ? byName(preds, detected.pred) : undefined;
  if (!detected.probs && fractions?.kind === 'numeric' && fractions.fractional && !truthLabel?.fractional) {
    const score = scoreColumn(preds, truthLabel, [fractions.name]);
    if (score) return { id, label, pred: null, probs: score };
  }
  const named = (labelClasses(truthLabel) ?? [])
    .map((cls) => ({ cls, column: byName(preds, cls) }))
    .sort((a, b) => at(a) - at(b));
  const probs =
    detected.probs ??
    (named.length && named.every((c) => unitColumn(c.column))
      ? { kind: 'columns' as const, prefix: '', columns: named.map((c) => ({ cls: c.cls, column: c.column!.name })) }
      : null);
  // Joined in order, one column besides its row index (a headerless file of predictions; pandas'
  // Series.to_csv): the model's output, whatever its name.
  const own = preds.filter((c) => c.name !== detected.id);
  if (id === null && own.length === 1 && !detected.pred && !probs) return output(own[0]);
  if (!detected.pred && !probs && !over.outputsGiven)
    return `The predictions file has no column named ${label}, as the label, and no prediction or probability columns.`;
  return { id, label, pred: detected.pred, probs };
}

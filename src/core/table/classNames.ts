/**
 * Class names as people's files write them. A label column, a prediction column and probability
 * column suffixes may spell one class differently: `True` / `true` (a boolean read by DuckDB, a
 * pandas column name), `1` / `1.0` / `prob_1.0` (an integer label, a float label, the suffix
 * `str(model.classes_[i])` gives). Two spellings are one class when they have the same key: a
 * number by value, and a boolean as Python and scikit-learn compare it, True as 1 and False as 0
 * (0/1 labels beside `proba > 0.5` kept as True/False), and `LABEL_k` as k: Hugging Face's name for
 * class id k of a model saved without class names (its pipelines predict `LABEL_0`, `LABEL_1` beside a
 * dataset's 0/1 labels). Label classes are never merged with each other.
 */
export function classKey(name: string): string {
  const t = name.trim();
  if (/^(true|false)$/i.test(t)) return /^t/i.test(t) ? '1' : '0';
  const id = /^LABEL_(\d+)$/.exec(t);
  if (id) return String(Number(id[1]));
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return String(Number(t));
  return name;
}

export interface ClassSet {
  /** Sorted as the metrics sort them (numerically when every name is a number). */
  classes: string[];
  /** Each spelling seen (classes and their aliases) → its class's index. */
  index: Map<string, number>;
}

/**
 * The classes of a task: the label's, then each other spelling (predictions, probability column
 * suffixes) mapped onto the label class with the same key, or added as a class of its own (a class
 * the model knows that no label has). Nothing is invented: every class is a name seen in the data.
 */
export function alignClasses(labels: Iterable<string>, others: Iterable<string>): ClassSet {
  const names = [...new Set(labels)];
  const byKey = new Map<string, string>();
  for (const n of names) if (!byKey.has(classKey(n))) byKey.set(classKey(n), n);
  const alias = new Map<string, string>();
  for (const o of others) {
    if (names.includes(o) || alias.has(o)) continue;
    const same = byKey.get(classKey(o));
    if (same !== undefined) alias.set(o, same);
    else {
      names.push(o);
      byKey.set(classKey(o), o);
    }
  }
  const classes = sortClasses(names);
  const index = new Map(classes.map((c, i) => [c, i]));
  for (const [a, c] of alias) index.set(a, index.get(c)!);
  return { classes, index };
}

/** The index of the class `name` spells (exactly, else by key), or −1. */
export function findClass(classes: readonly string[], name: string): number {
  const exact = classes.indexOf(name);
  return exact >= 0 ? exact : classes.findIndex((c) => classKey(c) === classKey(name));
}

/** Sorts class names as scikit-learn sorts labels: numerically when all are numbers, else by code point. */
export function sortClasses(names: Iterable<string>): string[] {
  const list = [...new Set(names)];
  const numeric = list.length > 0 && list.every((c) => c.trim() !== '' && Number.isFinite(Number(c)));
  return numeric ? list.sort((a, b) => Number(a) - Number(b)) : list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

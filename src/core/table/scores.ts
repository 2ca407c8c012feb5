/**
 * Model outputs written as one text cell per row, as tools write them: a dict of class scores
 * (`{"cat": 0.2, "dog": 0.8}`, or pandas' `{'cat': 0.2, 'dog': 0.8}` in a CSV), or Hugging Face
 * pipelines' ranked list (`[{"label": "POSITIVE", "score": 0.99}]`, all classes with `top_k=None`;
 * BigQuery ML's `predicted_<label>_probs`, `[{"label": "yes", "prob": 0.8}, …]`).
 * Parsed here into plain columns; `DataEngine` puts them in the table in place of the text.
 */

export type Scores =
  { kind: 'dict'; values: Record<string, number> } | { kind: 'ranked'; items: { label: string; score: number }[] };

const PYTHON_WORD = /(True|False|None)\b/y;

/** Python's literals as JSON: 'text' → "text", True/False/None → true/false/null (only outside strings). */
function pythonToJson(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      let body = '';
      for (; j < text.length && text[j] !== ch; j++) {
        if (text[j] === '\\' && j + 1 < text.length) ((body += text[j] + text[j + 1]), j++);
        else body += text[j] === '"' ? '\\"' : text[j];
      }
      if (j >= text.length) return text; // unterminated: not a literal
      out += `"${ch === "'" ? body.replace(/\\'/g, "'") : body}"`;
      i = j;
      continue;
    }
    // Matched where it stands (sticky), not on a copy of the rest: a long cell stays one pass.
    PYTHON_WORD.lastIndex = i;
    const word = PYTHON_WORD.exec(text);
    if (word) {
      out += word[1] === 'True' ? 'true' : word[1] === 'False' ? 'false' : 'null';
      i += word[1].length - 1;
      continue;
    }
    out += ch;
  }
  return out;
}

/** One cell as scores, or null when it is not one of the two forms. */
export function parseScores(text: string): Scores | null {
  const t = text.trim();
  if (!/^[[{]/.test(t)) return null;
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch {
    try {
      v = JSON.parse(pythonToJson(t));
    } catch {
      return null;
    }
  }
  if (Array.isArray(v)) {
    if (!v.length) return null;
    const items = v.map((x) => {
      if (!x || typeof x !== 'object') return null;
      const score = x.score ?? x.prob ?? x.probability;
      return ['string', 'number', 'boolean'].includes(typeof x.label) &&
        typeof score === 'number' &&
        Number.isFinite(score)
        ? { label: String(x.label), score }
        : null;
    });
    return items.every(Boolean) ? { kind: 'ranked', items: items as { label: string; score: number }[] } : null;
  }
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length < 2 || !entries.every(([, x]) => typeof x === 'number' && Number.isFinite(x))) return null;
    return { kind: 'dict', values: Object.fromEntries(entries) as Record<string, number> };
  }
  return null;
}

/** A cell holding a list of two or more distinct class names (`['no', 'yes']`, JSON or Python), or null. */
export function parseNames(text: string): string[] | null {
  const t = text.trim();
  if (!t.startsWith('[')) return null;
  let v: unknown;
  try {
    v = JSON.parse(pythonToJson(t));
  } catch {
    return null;
  }
  const names = Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number') ? v.map(String) : [];
  return names.length >= 2 && new Set(names).size === names.length ? names : null;
}

/**
 * A column of such cells as plain columns, or null when a cell is neither form or the forms are
 * mixed (nulls stay null). A dict gives a score per key (`probs`); a ranked list gives its first
 * label (`pred`) and, when every row lists the same labels, each label's score; when every row lists
 * only its top label and two labels occur in all, the other's score is 1 − the top one's (a binary
 * softmax); otherwise the top label's score alone (`confidence`).
 */
export function scoreColumns(
  cells: (string | null)[],
): { pred: (string | null)[] | null; probs: Map<string, Float64Array>; confidence: Float64Array | null } | null {
  const n = cells.length;
  const parsed = cells.map((c) => (c === null ? null : parseScores(c)));
  const kinds = new Set(parsed.map((p) => p?.kind).filter(Boolean));
  if (kinds.size !== 1 || parsed.some((p, i) => p === null && cells[i] !== null && cells[i]!.trim() !== ''))
    return null;
  const probs = new Map<string, Float64Array>();
  const column = (label: string) => probs.get(label) ?? probs.set(label, new Float64Array(n).fill(NaN)).get(label)!;
  if (kinds.has('dict')) {
    parsed.forEach((p, r) => {
      if (p?.kind === 'dict') for (const [k, x] of Object.entries(p.values)) column(k)[r] = x;
    });
    return { pred: null, probs, confidence: null };
  }
  const ranked = parsed.map((p) => (p?.kind === 'ranked' ? p.items : null));
  const pred = ranked.map((items) => (items ? items.reduce((a, b) => (b.score > a.score ? b : a)).label : null));
  const labels = new Set(ranked.flatMap((items) => (items ?? []).map((x) => x.label)));
  const sets = ranked.filter(Boolean).map((items) =>
    items!
      .map((x) => x.label)
      .sort()
      .join('\u0000'),
  );
  const full = new Set(sets).size === 1 && sets[0].split('\u0000').length === labels.size && labels.size >= 2;
  if (full) {
    ranked.forEach((items, r) => items?.forEach((x) => (column(x.label)[r] = x.score)));
    return { pred, probs, confidence: null };
  }
  const topOnly = ranked.every((items) => !items || items.length === 1);
  if (topOnly && labels.size === 2) {
    const [a, b] = [...labels].sort();
    ranked.forEach((items, r) => {
      if (!items) return;
      const { label, score } = items[0];
      column(a)[r] = label === a ? score : 1 - score;
      column(b)[r] = label === b ? score : 1 - score;
    });
    return { pred, probs, confidence: null };
  }
  const confidence = Float64Array.from(ranked, (items) => (items ? Math.max(...items.map((x) => x.score)) : NaN));
  return { pred, probs: new Map(), confidence };
}

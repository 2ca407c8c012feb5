import { LoupeError } from './errors';

/** The range an option's number must lie in; `above`: the minimum itself is excluded. */
export interface Range {
  min: number;
  max: number;
  integer?: boolean;
  above?: boolean;
}

/**
 * The ranges of the analysis options, one table for the `loupe` flags and the engine (which checks
 * whatever reaches it, from the app or the command line: options are validated where they arrive).
 */
export const RANGES = {
  k: { min: 1, max: 1000, integer: true },
  maxLevel: { min: 1, max: 10, integer: true },
  minSupport: { min: 1, max: Number.MAX_SAFE_INTEGER, integer: true },
  bins: { min: 2, max: 100, integer: true },
  alpha: { min: 0, max: 1, above: true },
  threshold: { min: 0, max: 1 },
  resamples: { min: 0, max: 100_000, integer: true },
  batchRows: { min: 1, max: 2 ** 24, integer: true },
} as const satisfies Record<string, Range>;

/** The map offers UMAP up to this many rows (PCA maps any number). */
export const UMAP_MAX_ROWS = 100_000;

/** Whether `x` is a number in range `r`. */
export const inRange = (x: number, r: Range) =>
  Number.isFinite(x) && (!r.integer || Number.isInteger(x)) && (r.above ? x > r.min : x >= r.min) && x <= r.max;

/** What `r` asks for, in words: "a whole number from 2 to 100". */
export function rangeWords(r: Range): string {
  return `${r.integer ? 'a whole number' : 'a number'} ${r.above ? `above ${r.min} and up to ${r.max}` : `from ${r.min} to ${r.max}`}`;
}

/** What a slice search may score as a row's error. */
export const ERROR_KINDS = ['misclassified', 'logloss', 'true-class-prob', 'absolute', 'squared'] as const;
/** How numeric columns are cut into bins: quantiles (equal counts) or equal widths. */
export const BINNINGS = ['quantile', 'width'] as const;

/** Distances nearest neighbours are found by (as scikit-learn names them). */
export const METRICS = ['euclidean', 'cosine'] as const;
/** How the neighbours behind data issues are searched: exact while that is quick (auto), or always one way. */
export const SEARCHES = ['auto', 'exact', 'approximate'] as const;

const CHOICES = { error: ERROR_KINDS, binning: BINNINGS, metric: METRICS, search: SEARCHES } as const;

/** Checks the options present in `o` (numbers against RANGES, named choices against their lists); the message names the option and what it may be. */
export function checkOptions(
  o: Partial<Record<keyof typeof RANGES | keyof typeof CHOICES, unknown>>,
  context: string,
): void {
  for (const [name, r] of Object.entries(RANGES) as [keyof typeof RANGES, Range][]) {
    const v = o[name];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !inRange(v, r))
      throw new LoupeError('bad-usage', `${context}: ${name} ${JSON.stringify(v)} is not ${rangeWords(r)}.`);
  }
  for (const [name, list] of Object.entries(CHOICES) as [keyof typeof CHOICES, readonly string[]][]) {
    const v = o[name];
    if (v !== undefined && v !== null && !list.includes(v as string))
      throw new LoupeError('bad-usage', `${context}: ${name} ${JSON.stringify(v)} is not one of ${list.join(', ')}.`);
  }
}

import { LoupeError } from '../errors';

/** What Loupe knows of a column after profiling it in DuckDB. */
export interface ColumnProfile {
  name: string;
  /** DuckDB's type name, e.g. `DOUBLE`, `VARCHAR`, `DOUBLE[]`. */
  type: string;
  kind: ColumnKind;
  nulls: number;
  distinct: number;
  /** The distinct count is HyperLogLog's estimate (above EXACT_DISTINCT_MAX), not exact. */
  distinctApprox?: boolean;
  /** Numeric columns: range and equal-width histogram (counts null until counted, in the background after opening). */
  histogram?: { min: number; max: number; counts: number[] | null };
  /** Other columns: the most frequent values (as text) with their counts. */
  top?: { value: string; count: number }[];
  /** Float columns: whether any value has a fractional part (such a label is a regression target). */
  fractional?: boolean;
  /** Strings: mean length, to tell free text from categories. */
  avgLength?: number;
  /** A few non-null values as text, for recognising images and URLs. */
  sample: string[];
  /** Known by name and type only: nulls, distinct and the rest were not counted (see `DataEngine.open`). */
  unprofiled?: true;
}

export type ColumnKind = 'numeric' | 'integer' | 'boolean' | 'string' | 'temporal' | 'list' | 'binary' | 'other';

/** Maps a DuckDB type name onto the kind of column Loupe treats it as. */
export function kindOfType(type: string): ColumnKind {
  const t = type.toUpperCase();
  // A list (or fixed-size array) of numbers: an embedding, a probability list. Lists of text or of
  // records (BigQuery ML's `[{label, prob}]` in Parquet) are something else.
  const list = /^(.*)\[\d*\]$/.exec(t);
  if (list) return isNumericKind(kindOfType(list[1])) ? 'list' : 'other';
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(t))
    return 'integer';
  if (/^(FLOAT|DOUBLE|REAL|DECIMAL.*)$/.test(t)) return 'numeric';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'VARCHAR' || t.startsWith('VARCHAR') || t === 'UUID') return 'string';
  if (/^(DATE|TIME|TIMESTAMP|INTERVAL)/.test(t)) return 'temporal';
  if (t === 'BLOB') return 'binary';
  return 'other';
}

export const isNumericKind = (k: ColumnKind) => k === 'numeric' || k === 'integer';

/** Columns a dataset may have: profiling and every view scale with them, and wider files are feature matrices. */
export const MAX_COLUMNS = 2000;

/** A file wider than MAX_COLUMNS is refused, saying what to keep. */
export function checkWidth(columns: number, file: string): void {
  if (columns > MAX_COLUMNS) {
    throw new LoupeError(
      'too-large',
      `${file} has ${columns.toLocaleString('en-US')} columns; Loupe opens at most ${MAX_COLUMNS.toLocaleString('en-US')}. Keep the label, prediction, probability and the features you want to slice by, and open that file.`,
      { file },
    );
  }
}

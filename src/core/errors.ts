/** Where in the input a problem is, so a message can point at it. */
export interface ErrorContext {
  file?: string;
  column?: string;
  /** 1-based data row (header excluded). */
  row?: number;
  /** 1-based line of a text file (header included). */
  line?: number;
  value?: string;
}

export type ErrorCode =
  | 'empty-file'
  | 'unsupported-format'
  | 'malformed-csv'
  | 'malformed-json'
  | 'corrupt-parquet'
  | 'corrupt-arrow'
  | 'malformed-npy'
  | 'too-large'
  | 'url-blocked'
  | 'url-failed'
  | 'cancelled'
  | 'unknown-column'
  | 'bad-roles'
  | 'bad-usage'
  | 'query-failed'
  | 'bad-expression'
  | 'bad-model'
  | 'bad-model-input'
  | 'bad-spec'
  | 'out-of-memory'
  | 'model-failed';

/**
 * An error a person can act on: a stable code for the UI and tests, a plain message that quotes
 * the bad value and where it is, and the context behind it. Crosses the worker boundary intact
 * (see engine/errorTransfer.ts).
 */
export class LoupeError extends Error {
  override name = 'LoupeError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly context: ErrorContext = {},
  ) {
    super(message);
  }
}

/** What went wrong, in words: an error's message, or the thrown value as text. */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function isCancelled(e: unknown): boolean {
  return e instanceof LoupeError && e.code === 'cancelled';
}

/** A count with its noun: "1 row", "2 rows", "1,461 rows". */
export const plural = (n: number, one: string, many = one + 's') =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** Shortens a cell value for quoting in a message. */
export function quoteValue(v: unknown, max = 40): string {
  const s = typeof v === 'string' ? v : String(v);
  return JSON.stringify(s.length > max ? s.slice(0, max) + '…' : s);
}

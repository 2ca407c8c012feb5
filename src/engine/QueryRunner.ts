import { tableFromIPC, type Table } from 'apache-arrow';
import type { DuckDBBindings, DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { LoupeError } from '../core/errors';

/** duckdb-wasm's TokenType.OPERATOR (the enum is not exported by the blocking build). */
const OPERATOR = 3;

/** Lets queued messages (a Cancel) run between slices of query work. */
const tick = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * Runs SQL on a blocking DuckDB connection as a pending query, polling it in slices and yielding
 * to the event loop between them, so that a long query can be cancelled from another message and
 * the worker stays responsive. Used unchanged in the browser's data worker and in Node.
 */
export class QueryRunner {
  private cancelRequested = false;
  private busy = 0;
  /** One statement at a time on the connection: a pending query must not be interleaved. */
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    readonly db: DuckDBBindings,
    readonly conn: DuckDBConnection,
  ) {}

  /** Asks the running queries to stop; they reject with a `cancelled` LoupeError. */
  cancel(): void {
    if (this.busy > 0) this.cancelRequested = true;
  }

  /** Throws `cancelled` if a cancel came in; for loops in JS between queries. */
  async checkpoint(): Promise<void> {
    await tick();
    if (this.cancelRequested) {
      this.cancelRequested = false;
      throw new LoupeError('cancelled', 'Cancelled.');
    }
  }

  async begin<T>(work: () => Promise<T>): Promise<T> {
    this.busy++;
    try {
      return await work();
    } finally {
      if (--this.busy === 0) this.cancelRequested = false;
    }
  }

  /** Runs `work` when no other statement is running on the connection. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work, work);
    this.lock = run.catch(() => {});
    return run;
  }

  /**
   * Refuses SQL that holds more than one statement. duckdb-wasm would run every statement of a
   * text; DuckDB's own tokenizer (which knows $$ strings and comments) finds the separators.
   */
  private single(sql: string): void {
    const { offsets, types } = this.db.tokenize(sql);
    for (let i = 0; i < offsets.length - 1; i++) {
      if (types[i] === OPERATOR && sql.startsWith(';', offsets[i])) {
        throw new LoupeError('query-failed', 'Refused: a query may hold only one statement.');
      }
    }
  }

  /** Runs one statement and returns the result as Arrow IPC stream bytes. */
  async ipc(sql: string): Promise<Uint8Array> {
    this.single(sql);
    return this.begin(() => this.exclusive(async () => {
      const chunks: Uint8Array[] = [];
      await this.conn.useUnsafe(async (b, id) => {
        let header = b.startPendingQuery(id, sql, false);
        while (header == null) {
          if (this.cancelRequested) {
            b.cancelPendingQuery(id);
            this.cancelRequested = false;
            throw new LoupeError('cancelled', 'Cancelled.');
          }
          await tick();
          header = b.pollPendingQuery(id);
        }
        chunks.push(header.slice());
        for (;;) {
          const c = b.fetchQueryResults(id);
          if (c == null) continue;
          if (c.length === 0) break;
          chunks.push(c.slice());
        }
      });
      let size = 0;
      for (const c of chunks) size += c.length;
      const out = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.length;
      }
      return out;
    }));
  }

  async table(sql: string): Promise<Table> {
    return tableFromIPC(await this.ipc(sql));
  }

  /** Rows as plain objects (BigInts narrowed to numbers where safe). */
  async rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    const t = await this.table(sql);
    return t.toArray().map((r) => plain(r.toJSON()) as T);
  }
}

/** Converts Arrow row values into structured-clone friendly JS values. */
export function plain(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = plainValue(v);
  return out;
}

export function plainValue(v: unknown): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v && typeof v === 'object' && 'toArray' in v && typeof (v as { toArray: unknown }).toArray === 'function') {
    return Array.from((v as { toArray(): ArrayLike<unknown> }).toArray(), plainValue);
  }
  if (v instanceof Uint8Array) return v;
  if (v && typeof v === 'object' && 'toJSON' in v) return plain((v as { toJSON(): Record<string, unknown> }).toJSON());
  return v;
}

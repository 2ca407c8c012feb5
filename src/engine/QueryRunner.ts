import type { Table } from 'apache-arrow';
import { LoupeError } from '../core/errors';
import type { Connector } from './connector';
import { nextTask } from './pace';

/**
 * Every statement the engine runs goes through here, on either DuckDB: one statement per call
 * (DuckDB's own parser counts them), one at a time on the connection, cancellable from another
 * message (the wasm engine polls for it; native DuckDB is interrupted), results as Arrow.
 */
export class QueryRunner {
  private cancelRequested = false;
  private busy = 0;
  /** One statement at a time on the connection: a pending query must not be interleaved. */
  private lock: Promise<unknown> = Promise.resolve();

  constructor(readonly connector: Connector) {}

  /** Asks the running work to stop; it rejects with a `cancelled` LoupeError. */
  cancel(): void {
    if (this.busy === 0) return;
    this.cancelRequested = true;
    this.connector.interrupt();
  }

  /** Throws `cancelled` if a cancel came in; for loops in JS between queries. */
  async checkpoint(): Promise<void> {
    await nextTask();
    this.stopIfCancelled();
  }

  private stopIfCancelled(): void {
    if (!this.cancelRequested) return;
    this.cancelRequested = false;
    throw new LoupeError('cancelled', 'Cancelled.');
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

  /** Runs one statement; refuses SQL that holds more than one (a connection would run them all). */
  table(sql: string): Promise<Table> {
    return this.one(sql, (stop) => this.connector.query(sql, stop));
  }

  /** Runs one query and hands its result to `each` in batches of about `rows` rows (see Connector.stream). */
  stream(sql: string, rows: number, each: (batch: Table) => void): Promise<void> {
    return this.one(sql, (stop) => this.connector.stream(sql, stop, rows, each));
  }

  private async one<T>(sql: string, run: (stop: () => boolean) => Promise<T>): Promise<T> {
    if ((await this.connector.statements(sql)) > 1)
      throw new LoupeError('query-failed', 'Refused: a query may hold only one statement.');
    return this.begin(() =>
      this.exclusive(async () => {
        this.stopIfCancelled();
        try {
          return await run(() => this.cancelRequested);
        } catch (e) {
          if (e instanceof LoupeError && e.code === 'cancelled') this.cancelRequested = false;
          throw e;
        }
      }),
    );
  }

  /** Runs a statement for its effect. */
  async exec(sql: string): Promise<void> {
    await this.table(sql);
  }

  /** Arrow IPC stream into a table (created, or appended to). */
  insertArrow(name: string, ipc: Uint8Array, create: boolean): Promise<void> {
    return this.exclusive(() => this.connector.insertArrow(name, ipc, create));
  }

  /** Rows as plain objects (BigInts narrowed to numbers where safe). */
  async rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    const t = await this.table(sql);
    // Read by position, made with fromEntries: a column named `__proto__` is a field like any other.
    const names = t.schema.fields.map((f) => f.name);
    const cols = names.map((_, j) => t.getChildAt(j)!);
    return Array.from(
      { length: t.numRows },
      (_, i) => Object.fromEntries(names.map((n, j) => [n, plainValue(cols[j].get(i))])) as T,
    );
  }
}

/** Converts Arrow row values into structured-clone friendly JS values. */
export function plain(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, plainValue(v)]));
}

export function plainValue(v: unknown): unknown {
  if (typeof v === 'bigint')
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v && typeof v === 'object' && 'toArray' in v && typeof (v as { toArray: unknown }).toArray === 'function') {
    return Array.from((v as { toArray(): ArrayLike<unknown> }).toArray(), plainValue);
  }
  if (v instanceof Uint8Array) return v;
  if (v && typeof v === 'object' && 'toJSON' in v) return plain((v as { toJSON(): Record<string, unknown> }).toJSON());
  return v;
}

import type { Table } from 'apache-arrow';

/**
 * The whole database, as the engine sees it (in the spirit of Mosaic's Connector): one way to run a
 * statement, one way to bulk-insert Arrow, and the files of DuckDB's sandbox. Two implementations:
 * DuckDB-wasm's blocking bindings (the browser's data worker; Node tests) and native DuckDB
 * (`@duckdb/node-api`: the `loupe` command and Node tests). Statement rules, cancellation, locking
 * and error translation live once, in QueryRunner, above this.
 */
export interface Connector {
  /** Which DuckDB this is (for benchmarks and messages). */
  readonly kind: 'wasm' | 'native';
  /**
   * The one directory DuckDB may read and write once locked (ends in "/"): files being loaded are
   * placed there and exports written there; everything else (other paths, URLs) is refused.
   */
  readonly sandbox: string;
  /** Paths outside the sandbox that DuckDB may read (native: the files the user named). */
  readonly allowedPaths: readonly string[];
  /** Whether DuckDB reads Parquet itself (native); DuckDB-wasm has no Parquet reader here. */
  readonly readsParquet: boolean;
  /** Runs one statement; its result as an Arrow table. `stop` is polled where the engine can only poll. */
  query(sql: string, stop: () => boolean): Promise<Table>;
  /**
   * Runs one query and hands its result to `each` in batches of at least `rows` rows (the last may
   * be smaller), so a result larger than memory can be read through. Native DuckDB streams it;
   * DuckDB-wasm, which holds every result in memory anyway, hands it over in slices.
   */
  stream(sql: string, stop: () => boolean, rows: number, each: (batch: Table) => void): Promise<void>;
  /** Asks the running statement to stop (native); the wasm engine polls `stop` instead. */
  interrupt(): void;
  /** How many statements DuckDB's own parser finds in `sql` (it knows $$ strings and comments). */
  statements(sql: string): Promise<number>;
  /** Creates table `name` from an Arrow IPC stream, or appends the stream to it. */
  insertArrow(name: string, ipc: Uint8Array, create: boolean): Promise<void>;
  /** Puts bytes at `path` in the sandbox for DuckDB to read. */
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
  /** The bytes DuckDB wrote at `path` in the sandbox. */
  readFile(path: string): Promise<Uint8Array>;
  /** Removes a sandbox file. */
  removeFile(path: string): void;
  /** Lets DuckDB go: nothing runs on this connector afterwards. */
  close(): void;
}

import { rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { createRequire } from 'node:module';
import type * as NodeApi from '@duckdb/node-api';
import type { DuckDBType, JS } from '@duckdb/node-api';
import {
  Binary,
  Bool,
  DateMillisecond,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  List,
  Table,
  TimestampMillisecond,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import { LoupeError } from '../core/errors';
import { ident, literal } from '../core/sql';
import type { Connector } from './connector';

// Loaded as the CommonJS package it is: an ES import of it costs Node a parse of all its exports (~0.1 s).
const { DuckDBInstance, DuckDBTypeId } = createRequire(import.meta.url)('@duckdb/node-api') as typeof NodeApi;

/**
 * Native DuckDB (`@duckdb/node-api`) as a Connector, for the `loupe` command and Node tests:
 * multi-threaded, reads CSV and Parquet from disk itself (no copy in memory), spills to the
 * sandbox when a query outgrows memory. Results come back as Arrow tables, typed as DuckDB-wasm
 * types them, so the engine above reads both the same way.
 */
export async function nativeConnector(sandbox: string, allowedPaths: string[]): Promise<Connector> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  // Spilled data goes to the sandbox, the only place DuckDB may write once locked.
  await conn.run(`SET temp_directory=${literal(`${sandbox}spill`)}`);
  await conn.run(`SET memory_limit=${literal(memoryLimit())}`);
  let parquet: Promise<typeof import('parquet-wasm')> | undefined;
  let staged = 0;
  return {
    kind: 'native',
    sandbox,
    allowedPaths,
    readsParquet: true,
    async query(sql) {
      const result = await interruptible(() => conn.run(sql));
      const chunks = Array.from({ length: result.chunkCount }, (_, k) => result.getChunk(k));
      return toTable(result, chunks);
    },
    async stream(sql, _stop, rows, each) {
      const result = await interruptible(() => conn.stream(sql));
      let chunks: NodeApi.DuckDBDataChunk[] = [];
      let size = 0;
      for (;;) {
        const chunk = await interruptible(() => result.fetchChunk());
        const last = !chunk || chunk.rowCount === 0;
        if (!last) (chunks.push(chunk), (size += chunk.rowCount));
        if (size > 0 && (last || size >= rows)) {
          each(toTable(result, chunks));
          chunks = [];
          size = 0;
        }
        if (last) return;
      }
    },
    interrupt() {
      conn.interrupt();
    },
    async statements(sql) {
      return (await conn.extractStatements(sql)).count;
    },
    async insertArrow(name, ipc, create) {
      // Native DuckDB has no Arrow reader here: the batch goes through a Parquet file, which it reads itself.
      const pw = await (parquet ??= import('parquet-wasm'));
      const path = `${sandbox}stage-${++staged}.parquet`;
      await writeFile(path, pw.writeParquet(pw.Table.fromIPCStream(ipc)));
      try {
        const from = `SELECT * FROM read_parquet(${literal(path)})`;
        const table = ident(name);
        await conn.run(create ? `CREATE TABLE ${table} AS ${from}` : `INSERT INTO ${table} ${from}`);
      } finally {
        rmSync(path, { force: true });
      }
    },
    async writeFile(path, bytes) {
      await writeFile(path, bytes);
    },
    async readFile(path) {
      return new Uint8Array(await readFile(path));
    },
    removeFile(path) {
      rmSync(path, { force: true });
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * How much memory DuckDB may hold before it spills to disk: `LOUPE_MEMORY_LIMIT` ("4GB", "512MiB"),
 * else half the machine's (DuckDB's own default, 80%, leaves too little beside Node's arrays).
 */
function memoryLimit(): string {
  const asked = process.env.LOUPE_MEMORY_LIMIT?.trim();
  if (!asked) return `${Math.max(256, Math.floor(totalmem() / 2 / 2 ** 20))}MiB`;
  if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(asked))
    throw new LoupeError(
      'bad-usage',
      `LOUPE_MEMORY_LIMIT=${JSON.stringify(asked)}: expected a size such as 4GB or 512MiB`,
    );
  return asked;
}

/** A statement's promise; an interrupted one rejects as `cancelled`. */
async function interruptible<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (/^INTERRUPT Error/i.test((e as Error)?.message ?? '')) throw new LoupeError('cancelled', 'Cancelled.');
    throw e;
  }
}

/** Chunks of a result as one Arrow table, typed as DuckDB-wasm types its results. */
function toTable(result: NodeApi.DuckDBResult, chunks: NodeApi.DuckDBDataChunk[]): Table {
  const types = result.columnTypes();
  const rows = chunks.reduce((n, c) => n + c.rowCount, 0);
  const vectors: Record<string, Vector> = Object.create(null); // a column may be named `__proto__`
  result.columnNames().forEach((name, j) => (vectors[name] = toVector(chunks, j, types[j], rows)));
  return new Table(vectors);
}

type TypedArray =
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;
type TypedArrayOf = { new (n: number): TypedArray };

/** Fixed-width types copied chunk by chunk from DuckDB's vectors into one typed array each. */
const FIXED: Partial<Record<NodeApi.DuckDBTypeId, [DataType, TypedArrayOf]>> = {
  [DuckDBTypeId.TINYINT]: [new Int8(), Int8Array],
  [DuckDBTypeId.SMALLINT]: [new Int16(), Int16Array],
  [DuckDBTypeId.INTEGER]: [new Int32(), Int32Array],
  [DuckDBTypeId.BIGINT]: [new Int64(), BigInt64Array],
  [DuckDBTypeId.UTINYINT]: [new Uint8(), Uint8Array],
  [DuckDBTypeId.USMALLINT]: [new Uint16(), Uint16Array],
  [DuckDBTypeId.UINTEGER]: [new Uint32(), Uint32Array],
  [DuckDBTypeId.UBIGINT]: [new Uint64(), BigUint64Array],
  [DuckDBTypeId.FLOAT]: [new Float32(), Float32Array],
  [DuckDBTypeId.DOUBLE]: [new Float64(), Float64Array],
};

/** What a numeric DuckDB vector holds (fields of @duckdb/node-api's vector classes, pinned version). */
interface RawVector {
  items?: unknown;
  validity?: { data: BigUint64Array | null };
  getItem(i: number): unknown;
}

/** One result column as an Arrow vector, typed as DuckDB-wasm types it. */
function toVector(chunks: NodeApi.DuckDBDataChunk[], j: number, type: DuckDBType, rows: number): Vector {
  const fixed = FIXED[type.typeId];
  if (fixed) return fixedVector(chunks, j, fixed[0], fixed[1], rows);
  const raw: unknown[] = new Array(rows);
  let at = 0;
  for (const chunk of chunks) {
    const v = chunk.getColumnVector(j);
    for (let i = 0; i < chunk.rowCount; i++) raw[at++] = v.getItem(i);
  }
  return otherVector(raw, type);
}

/** A fixed-width column: the chunks' data copied whole, and their validity masks into Arrow's null bitmap. */
function fixedVector(
  chunks: NodeApi.DuckDBDataChunk[],
  j: number,
  type: DataType,
  Of: TypedArrayOf,
  rows: number,
): Vector {
  const data = new Of(rows);
  let bitmap: Uint8Array | undefined;
  let nulls = 0;
  let at = 0;
  for (const chunk of chunks) {
    const v = chunk.getColumnVector(j) as unknown as RawVector;
    const len = chunk.rowCount;
    if (v.items instanceof Of) data.set(v.items as never, at);
    else for (let i = 0; i < len; i++) (data as unknown as unknown[])[at + i] = v.getItem(i) ?? 0;
    const words = v.validity?.data;
    if (words) {
      // DuckDB's validity mask: bit i of little-endian 64-bit words, set when row i is valid.
      const mask = new Uint32Array(words.buffer, words.byteOffset, words.length * 2);
      for (let i = 0; i < len; i++) {
        if ((i & 31) === 0 && mask[i >>> 5] === 0xffffffff) {
          i += 31; // 32 valid rows
          continue;
        }
        if ((mask[i >>> 5] >>> (i & 31)) & 1) continue;
        bitmap ??= new Uint8Array(Math.ceil(rows / 8)).fill(255);
        bitmap[(at + i) >>> 3] &= ~(1 << ((at + i) & 7));
        nulls++;
      }
    }
    at += len;
  }
  return makeVector(
    makeData({ type, length: rows, nullCount: nulls, nullBitmap: nulls ? bitmap : undefined, data } as never),
  );
}

/** A DuckDB value as plain JS: dates as milliseconds, decimals as numbers, lists as arrays, blobs as bytes. */
function jsValue(v: unknown): JS {
  if (v == null || typeof v !== 'object') return v as JS;
  if (v instanceof Uint8Array) return v;
  const o = v as {
    days?: number;
    micros?: bigint;
    millis?: bigint;
    seconds?: bigint;
    nanos?: bigint;
    bytes?: Uint8Array;
    items?: unknown[];
    toDouble?: () => number;
  };
  if (typeof o.toDouble === 'function') return o.toDouble();
  if (o.bytes instanceof Uint8Array) return o.bytes;
  if (Array.isArray(o.items)) return o.items.map(jsValue);
  if (typeof o.days === 'number') return o.days * 86_400_000;
  if (typeof o.micros === 'bigint') return Number(o.micros) / 1000;
  if (typeof o.millis === 'bigint') return Number(o.millis);
  if (typeof o.seconds === 'bigint') return Number(o.seconds) * 1000;
  if (typeof o.nanos === 'bigint') return Number(o.nanos) / 1e6;
  return String(v);
}

/** Any other column, from its DuckDB values; types Loupe does not compute with come as their text. */
function otherVector(raw: unknown[], type: DuckDBType): Vector {
  const values = type.typeId === DuckDBTypeId.VARCHAR ? (raw as JS[]) : raw.map(jsValue);
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return vectorFromArray(values as (boolean | null)[], new Bool());
    case DuckDBTypeId.DECIMAL:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return vectorFromArray(
        values.map((v) => (v == null ? null : Number(v))),
        new Float64(),
      );
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
    case DuckDBTypeId.UUID:
      return utf8Vector(values as (string | null)[]);
    case DuckDBTypeId.BLOB:
      return vectorFromArray(values as (Uint8Array | null)[], new Binary());
    case DuckDBTypeId.DATE:
      return vectorFromArray(values as (number | null)[], new DateMillisecond());
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return vectorFromArray(values as (number | null)[], new TimestampMillisecond());
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const items = values.flatMap((v) => (Array.isArray(v) ? v : []));
      const numbers = items.every((v) => v == null || typeof v === 'number');
      const child = numbers ? new Float64() : new Utf8();
      const list = values.map((v) => (Array.isArray(v) ? v.map((x) => (x == null || numbers ? x : text(x))) : null));
      return vectorFromArray(list, new List(new Field('item', child, true)));
    }
    default:
      return vectorFromArray(
        raw.map((v) => (v == null ? null : String(v))),
        new Utf8(),
      );
  }
}

/**
 * Text as an Arrow vector. Arrow's builder encodes string by string (seconds for millions); text
 * that is all ASCII, as ids and class names mostly are, is encoded in one call, its offsets being
 * the strings' lengths.
 */
function utf8Vector(values: (string | null)[]): Vector {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  const parts: string[] = [];
  let bitmap: Uint8Array | undefined;
  let nulls = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v == null) {
      bitmap ??= new Uint8Array(Math.ceil(n / 8)).fill(255);
      bitmap[i >>> 3] &= ~(1 << (i & 7));
      nulls++;
    } else {
      parts.push(v);
      total += v.length;
    }
    offsets[i + 1] = total;
    if (total > 2 ** 30) return vectorFromArray(values, new Utf8());
  }
  const joined = parts.join('');
  const data = new TextEncoder().encode(joined);
  if (data.length !== joined.length) return vectorFromArray(values, new Utf8()); // not all ASCII
  return makeVector(
    makeData({ type: new Utf8(), length: n, nullCount: nulls, nullBitmap: bitmap, valueOffsets: offsets, data }),
  );
}

const text = (v: JS): string =>
  typeof v === 'string' ? v : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

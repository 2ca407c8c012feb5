import { rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type * as NodeApi from '@duckdb/node-api';
import type { DuckDBType, JS } from '@duckdb/node-api';
import { Binary, Bool, DateMillisecond, Field, Float32, Float64, Int16, Int32, Int64, Int8, List, Table, TimestampMillisecond, Uint16, Uint32, Uint64, Uint8, Utf8, makeVector, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import { LoupeError } from '../core/errors';
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
  await conn.run(`SET temp_directory='${sandbox.replace(/'/g, "''")}spill'`);
  let parquet: Promise<typeof import('parquet-wasm')> | undefined;
  let staged = 0;
  return {
    kind: 'native',
    sandbox,
    allowedPaths,
    readsParquet: true,
    async query(sql) {
      let reader;
      try {
        reader = await conn.runAndReadAll(sql);
      } catch (e) {
        if (/^INTERRUPT Error/i.test((e as Error)?.message ?? '')) throw new LoupeError('cancelled', 'Cancelled.');
        throw e;
      }
      const names = reader.columnNames();
      const types = reader.columnTypes();
      const columns = reader.getColumnsJS();
      const vectors: Record<string, Vector> = {};
      names.forEach((name, i) => (vectors[name] = toVector(columns[i] ?? [], types[i])));
      return new Table(vectors);
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
        const from = `SELECT * FROM read_parquet('${path.replace(/'/g, "''")}')`;
        const table = `"${name.replace(/"/g, '""')}"`;
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
  };
}

const NUMERIC: Partial<Record<NodeApi.DuckDBTypeId, [DataType, { from(v: ArrayLike<number>): ArrayLike<number> }]>> = {
  [DuckDBTypeId.TINYINT]: [new Int8(), Int8Array],
  [DuckDBTypeId.SMALLINT]: [new Int16(), Int16Array],
  [DuckDBTypeId.INTEGER]: [new Int32(), Int32Array],
  [DuckDBTypeId.UTINYINT]: [new Uint8(), Uint8Array],
  [DuckDBTypeId.USMALLINT]: [new Uint16(), Uint16Array],
  [DuckDBTypeId.UINTEGER]: [new Uint32(), Uint32Array],
  [DuckDBTypeId.FLOAT]: [new Float32(), Float32Array],
  [DuckDBTypeId.DOUBLE]: [new Float64(), Float64Array],
  [DuckDBTypeId.DECIMAL]: [new Float64(), Float64Array],
};

/** One result column as an Arrow vector (typed arrays where there are no nulls). */
function toVector(values: JS[], type: DuckDBType): Vector {
  const id = type.typeId;
  const numeric = NUMERIC[id];
  const noNulls = !values.includes(null);
  if (numeric) return noNulls ? makeVector(numeric[1].from(values as number[]) as Float64Array) : vectorFromArray(values as (number | null)[], numeric[0]);
  switch (id) {
    case DuckDBTypeId.BOOLEAN:
      return vectorFromArray(values as (boolean | null)[], new Bool());
    case DuckDBTypeId.BIGINT:
      return noNulls ? makeVector(BigInt64Array.from(values as bigint[])) : vectorFromArray(values as (bigint | null)[], new Int64());
    case DuckDBTypeId.UBIGINT:
      return noNulls ? makeVector(BigUint64Array.from(values as bigint[])) : vectorFromArray(values as (bigint | null)[], new Uint64());
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return vectorFromArray(values.map((v) => (v == null ? null : Number(v))), new Float64());
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
    case DuckDBTypeId.UUID:
      return vectorFromArray(values as (string | null)[], new Utf8());
    case DuckDBTypeId.BLOB:
      return vectorFromArray(values as (Uint8Array | null)[], new Binary());
    case DuckDBTypeId.DATE:
      return vectorFromArray(values.map(ms), new DateMillisecond());
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return vectorFromArray(values.map(ms), new TimestampMillisecond());
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const items = values.flatMap((v) => (Array.isArray(v) ? v : []));
      const numbers = items.every((v) => v == null || typeof v === 'number');
      const child = numbers ? new Float64() : new Utf8();
      const list = values.map((v) => (Array.isArray(v) ? v.map((x) => (x == null || numbers ? x : text(x))) : null));
      return vectorFromArray(list, new List(new Field('item', child, true)));
    }
    default:
      return vectorFromArray(values.map((v) => (v == null ? null : text(v))), new Utf8());
  }
}

const ms = (v: JS) => (v instanceof Date ? v.getTime() : v == null ? null : Number(v));
const text = (v: JS): string => (typeof v === 'string' ? v : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)));

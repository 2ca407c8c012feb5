// Writes bench/data/binary-<rows>.{csv,parquet} with native DuckDB: a binary classification dataset
// shaped as issue 14's measurements (id, 6 features — 4 numeric, 2 categorical — a label, the
// prediction and prob_0 / prob_1). The model misses one interaction (f3 > 8 in region_03), so
// there is a failing slice to find. Deterministic: every value is a hash of the row number.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

// `{ csv: false }` writes the Parquet file only (100M rows as CSV would be 7 GB). Each file is written
// straight from the query, in row order (DuckDB keeps the order of range()), in little memory at any size.
export async function generateBinary(rows, { csv: withCsv = true } = {}) {
  const dir = fileURLToPath(new URL('./data/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const csv = `${dir}binary-${rows}.csv`;
  const parquet = `${dir}binary-${rows}.parquet`;
  if ((!withCsv || existsSync(csv)) && existsSync(parquet)) return { csv: withCsv ? csv : null, parquet };
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  const u = (k) => `((hash(i, ${k}) % 1000003) / 1000003.0)`;
  const query = `
    WITH x AS (
      SELECT i, round(${u(1)} * 100, 3) AS f0, round(${u(2)} * 50, 3) AS f1, round(${u(3)}, 4) AS f2, round(${u(4)} * 10, 2) AS f3,
        ['north', 'south', 'east', 'west'][1 + CAST(hash(i, 5) % 4 AS INTEGER)] AS g0,
        'region_' || lpad(CAST(hash(i, 6) % 20 AS VARCHAR), 2, '0') AS g1, ${u(7)} AS noise, ${u(8)} AS draw
      FROM range(${rows}) r(i)),
    s AS (SELECT *, (f0 - 50) / 15 + CASE WHEN g0 = 'north' THEN 1.5 ELSE 0 END - 2 * f2 + (noise - 0.5) AS logit FROM x)
    SELECT i AS id, f0, f1, f2, f3, g0, g1,
      CASE WHEN draw < 1 / (1 + exp(-(logit + CASE WHEN f3 > 8 AND g1 = 'region_03' THEN -4 ELSE 0 END))) THEN 1 ELSE 0 END AS label,
      CASE WHEN logit >= 0 THEN 1 ELSE 0 END AS pred,
      round(1 - 1 / (1 + exp(-logit)), 6) AS prob_0, round(1 / (1 + exp(-logit)), 6) AS prob_1
    FROM s`;
  if (withCsv && !existsSync(csv)) await db.run(`COPY (${query}) TO '${csv}' (HEADER)`);
  if (!existsSync(parquet)) await db.run(`COPY (${query}) TO '${parquet}' (FORMAT parquet, COMPRESSION zstd)`);
  return { csv: withCsv ? csv : null, parquet };
}

import { LoupeError } from '../errors';
import { checkWidth } from './schema';

/** The column types JSON values are read into. */
export type JsonColumnType = 'bool' | 'int' | 'float' | 'string' | 'float-list';

export interface JsonColumns {
  names: string[];
  types: JsonColumnType[];
  values: unknown[][];
}

/**
 * JSON.parse, and where that fails, the same text read as Python's json.dump writes it (allow_nan,
 * its default): NaN, Infinity and -Infinity outside strings as null and ±1e999 (±Infinity). The
 * first error stands when that fails too.
 */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    if (!/NaN|Infinity/.test(text)) throw e;
    // Strings are matched whole, so a token inside one is left as it is.
    const out = text.replace(/"(?:[^"\\]|\\.)*"|NaN|Infinity/g, (m) =>
      m === 'NaN' ? 'null' : m === 'Infinity' ? '1e999' : m,
    );
    try {
      return JSON.parse(out);
    } catch {
      throw e;
    }
  }
}

/**
 * Parses JSON (an array of objects) or NDJSON (one object per line) into columns. Column order is
 * first appearance; a key missing from a row is null. Types widen: int → float → string; arrays of
 * numbers become float lists (class probabilities); objects that hold more than numbers are spread
 * into `key.field` columns (see nestedKeys); other nested values are kept as JSON text.
 */
export function parseJsonRows(text: string, ndjson: boolean, file: string): JsonColumns {
  let records: unknown[];
  if (ndjson) {
    records = [];
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (!line) continue;
      try {
        records.push(parseJson(line));
      } catch (e) {
        throw new LoupeError('malformed-json', `${file}, line ${i + 1}: not valid JSON (${(e as Error).message}).`, {
          file,
          line: i + 1,
          value: line.slice(0, 60),
        });
      }
    }
  } else {
    try {
      records = parseJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown[]; // or an object: below
    } catch (e) {
      const m = /position (\d+)/.exec((e as Error).message);
      const line = m ? text.slice(0, Number(m[1])).split('\n').length : undefined;
      throw new LoupeError(
        'malformed-json',
        `${file}${line ? `, line ${line}` : ''}: not valid JSON (${(e as Error).message}).`,
        { file, line },
      );
    }
    if (!Array.isArray(records)) records = pandasRecords(records, file);
  }
  const nested = nestedKeys(records);
  const index = new Map<string, number>();
  const names: string[] = [];
  const types: (JsonColumnType | null)[] = [];
  const values: unknown[][] = [];
  records.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      throw new LoupeError(
        'malformed-json',
        `${file}, row ${i + 1}: expected an object with one key per column, found ${Array.isArray(r) ? `an array (pandas' orient="values" names no columns: write orient="records")` : JSON.stringify(r)?.slice(0, 40)}.`,
        { file, row: i + 1 },
      );
    }
    for (const [k, v] of flatEntries(r as Record<string, unknown>, nested)) {
      let c = index.get(k);
      if (c === undefined) {
        checkWidth(names.length + 1, file);
        c = names.length;
        index.set(k, c);
        names.push(k);
        types.push(null);
        values.push(new Array(i).fill(null));
      }
      values[c][i] = v ?? null;
      types[c] = widen(types[c], v);
    }
    for (const col of values) if (col.length <= i) col[i] = null;
  });
  const finalTypes = types.map((t) => t ?? 'string');
  finalTypes.forEach((t, c) => {
    if (t === 'string')
      values[c] = values[c].map((v, i) => (v === null || typeof v === 'string' ? v : nestedText(v, file, i, names[c])));
  });
  return { names, types: finalTypes, values };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Objects nested deeper than this stay one column of JSON text. */
const MAX_FLATTEN = 8;

/**
 * The keys whose objects hold more than numbers in some row (`{"meta": {"source": "web", "len": 33}}`):
 * they become a column per field. Objects of numbers only (class scores) stay one column, which the
 * engine reads as scores (`prob_<class>`).
 */
function nestedKeys(records: unknown[]): Set<string> {
  const keys = new Set<string>();
  for (const r of records)
    if (isObject(r))
      for (const [k, v] of Object.entries(r))
        if (!keys.has(k) && isObject(v) && Object.values(v).some((x) => x !== null && typeof x !== 'number'))
          keys.add(k);
  return keys;
}

/** A row's entries with the objects under `nested` keys spread into `key.field` columns, as pandas' json_normalize names them. */
function flatEntries(r: Record<string, unknown>, nested: Set<string>): [string, unknown][] {
  if (!nested.size) return Object.entries(r);
  const out: [string, unknown][] = [];
  const spread = (prefix: string, v: unknown, depth: number) => {
    if (isObject(v) && depth < MAX_FLATTEN)
      for (const [k, x] of Object.entries(v)) spread(`${prefix}.${k}`, x, depth + 1);
    else out.push([prefix, v]);
  };
  for (const [k, v] of Object.entries(r)) {
    // A null there is null in each field's column, not a column of its own.
    if (nested.has(k) && isObject(v)) spread(k, v, 0);
    else if (!nested.has(k) || v !== null) out.push([k, v]);
  }
  return out;
}
const rowNumbers = (keys: string[]) => keys.length > 0 && keys.every((k) => /^\d+$/.test(k));

/**
 * The rows of a table written other than as records: columns as lists of equal length, or as pandas'
 * `DataFrame.to_json` writes them: `orient="split"`
 * ({columns, data}), `"table"` ({schema, data: records}), `"columns"` (its default: {column: {row:
 * value}}) and `"index"` ({row: {column: value}}; told from "columns" by numbered rows outside); or
 * an object holding one array of records beside what describes it, as APIs export them.
 */
function pandasRecords(top: unknown, file: string): unknown[] {
  const refuse = () =>
    new LoupeError(
      'malformed-json',
      `${file}: expected an array of objects, one per row (or a table as pandas' to_json writes it), but the top level is ${top === null ? 'null' : typeof top}.`,
      { file },
    );
  if (!isObject(top)) throw refuse();
  const { columns, data, schema } = top;
  if (Array.isArray(columns) && Array.isArray(data)) {
    const names = columns.map(String);
    return data.map((r) => (Array.isArray(r) ? Object.fromEntries(names.map((n, i) => [n, r[i] ?? null])) : r));
  }
  if (isObject(schema) && Array.isArray(data)) return data;
  // An API's export: one array of row objects beside what describes it ({"meta": {…}, "results": [{…}, …]}).
  const arrays = Object.values(top).filter(Array.isArray);
  if (arrays.length === 1 && arrays[0].length > 0 && arrays[0].every(isObject)) return arrays[0];
  // Columns as lists of equal length ({"y_true": […], "y_pred": […]}: pandas' to_dict("list"), or
  // arrays dumped as they are): row i holds each list's i-th value.
  const lists = Object.entries(top);
  const equal = lists.every(([, v]) => Array.isArray(v) && v.length === (lists[0][1] as unknown[]).length);
  if (lists.length >= 2 && equal && !lists.every(([, v]) => (v as unknown[]).every(isObject)))
    return (lists[0][1] as unknown[]).map((_, i) =>
      Object.fromEntries(lists.map(([c, v]) => [c, (v as unknown[])[i] ?? null])),
    );
  const outer = Object.keys(top);
  if (!outer.length || !outer.every((k) => isObject(top[k]))) throw refuse();
  const inner = [...new Set(outer.flatMap((k) => Object.keys(top[k] as object)))];
  if (rowNumbers(outer) && !rowNumbers(inner)) return outer.map((k) => top[k]);
  return inner.map((r) => Object.fromEntries(outer.map((c) => [c, (top[c] as Record<string, unknown>)[r] ?? null])));
}

/** A nested value kept as JSON text; one nested deeper than JSON.stringify can follow is an error that says where. */
function nestedText(v: unknown, file: string, i: number, column: string): string {
  try {
    return JSON.stringify(v);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new LoupeError(
      'malformed-json',
      `${file}, row ${i + 1}, column ${JSON.stringify(column)}: the value is nested too deeply to read.`,
      { file, row: i + 1, column },
    );
  }
}

function widen(t: JsonColumnType | null, v: unknown): JsonColumnType | null {
  if (v === null || v === undefined) return t;
  const own: JsonColumnType =
    typeof v === 'boolean'
      ? 'bool'
      : typeof v === 'number'
        ? Number.isInteger(v) && Math.abs(v) < 2 ** 31
          ? 'int'
          : 'float'
        : Array.isArray(v) && v.every((x) => typeof x === 'number' || x === null)
          ? 'float-list'
          : 'string';
  if (t === null || t === own) return own;
  if ((t === 'int' && own === 'float') || (t === 'float' && own === 'int')) return 'float';
  return 'string';
}

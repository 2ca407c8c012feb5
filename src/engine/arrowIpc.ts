import {
  Bool,
  Field,
  Float64,
  Int32,
  List,
  Table,
  Utf8,
  makeVector,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import type { JsonColumns, JsonColumnType } from '../core/table/jsonRows';
import { LoupeError } from '../core/errors';

function arrowType(t: JsonColumnType): DataType {
  switch (t) {
    case 'bool':
      return new Bool();
    case 'int':
      return new Int32();
    case 'float':
      return new Float64();
    case 'float-list':
      return new List(new Field('item', new Float64(), true));
    default:
      return new Utf8();
  }
}

/** JSON columns → an Arrow IPC stream DuckDB can insert. */
export function jsonColumnsToIpc(cols: JsonColumns): Uint8Array {
  const vectors: Record<string, Vector> = Object.create(null); // a column may be named `__proto__`
  cols.names.forEach((name, i) => {
    vectors[name] = vectorFromArray(cols.values[i], arrowType(cols.types[i]));
  });
  if (cols.names.length === 0) return tableToIPC(new Table({ empty: makeVector(new Int32Array(0)) }), 'stream');
  return tableToIPC(new Table(vectors), 'stream');
}

/** Any Arrow IPC (file or stream) → a stream, checking that it parses. */
export function arrowToStream(bytes: Uint8Array, file: string): Uint8Array {
  try {
    const t = tableFromIPC(bytes);
    if (t.numCols === 0) throw new Error('no columns');
    return tableToIPC(t, 'stream');
  } catch (e) {
    throw new LoupeError('corrupt-arrow', `${file} could not be read as Arrow IPC: ${(e as Error).message}.`, { file });
  }
}

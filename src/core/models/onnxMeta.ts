import { LoupeError } from '../errors';

/**
 * Reads the top level of an ONNX file (a protobuf ModelProto) without a protobuf library: the IR
 * version (field 1), producer (2), whether there is a graph (7) and the metadata properties (14,
 * key/value pairs). Anything that does not parse as such is not an ONNX model.
 */
export function readOnnxMetadata(
  bytes: Uint8Array,
  name: string,
): { irVersion: number; producer: string; metadata: Record<string, string> } {
  const notOnnx = (why: string) =>
    new LoupeError(
      'bad-model',
      `${name} is not an ONNX model (${why}). Choose a .onnx file, or a TensorFlow.js model.json with its weight files.`,
    );
  let pos = 0;
  const varint = (end: number): number => {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw notOnnx('truncated');
      const b = bytes[pos++];
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
    throw notOnnx('bad varint');
  };
  const fields = (
    start: number,
    end: number,
    onField: (field: number, wire: number, from: number, to: number, value: number) => void,
  ) => {
    pos = start;
    while (pos < end) {
      const key = varint(end);
      const field = Math.floor(key / 8);
      const wire = key & 7;
      if (field === 0) throw notOnnx('field 0');
      if (wire === 0) onField(field, wire, pos, pos, varint(end));
      else if (wire === 2) {
        const len = varint(end);
        if (pos + len > end) throw notOnnx('truncated');
        const from = pos;
        pos += len;
        onField(field, wire, from, from + len, len);
      } else if (wire === 1) pos += 8;
      else if (wire === 5) pos += 4;
      else throw notOnnx(`wire type ${wire}`);
    }
    if (pos !== end) throw notOnnx('truncated');
  };
  const text = (from: number, to: number) => new TextDecoder().decode(bytes.subarray(from, to));
  let irVersion = 0;
  let producer = '';
  let graph = false;
  const entries: [number, number][] = [];
  fields(0, bytes.length, (field, wire, from, to, value) => {
    if (field === 1 && wire === 0) irVersion = value;
    else if (field === 2 && wire === 2) producer = text(from, to);
    else if (field === 7 && wire === 2) graph = true;
    else if (field === 14 && wire === 2) entries.push([from, to]);
  });
  if (!graph || irVersion < 1) throw notOnnx(graph ? 'no IR version' : 'no graph');
  const metadata: Record<string, string> = Object.create(null); // keys from the model file
  for (const [from, to] of entries) {
    let key = '';
    let value = '';
    fields(from, to, (field, wire, a, b) => {
      if (field === 1 && wire === 2) key = text(a, b);
      if (field === 2 && wire === 2) value = text(a, b);
    });
    metadata[key] = value;
  }
  return { irVersion, producer, metadata };
}

/** The class names in a model's metadata property `classes` (a JSON list), if any. */
export function metadataClasses(metadata: Record<string, string>): string[] | null {
  if (!metadata.classes) return null;
  try {
    const list = JSON.parse(metadata.classes);
    return Array.isArray(list) && list.every((c) => typeof c === 'string' || typeof c === 'number')
      ? list.map(String)
      : null;
  } catch {
    return null;
  }
}

import { expect, test } from 'vitest';
import { checkSpec, inputDims, vocabOf } from '../../src/core/models/spec';
import type { ColumnProfile } from '../../src/core/table/schema';

const col = (name: string, kind: ColumnProfile['kind']) => ({ name, kind, type: 'X' }) as unknown as ColumnProfile;

test("a feature named like Object's own keys (constructor, toString) has no one-hot vocabulary unless the spec gives it one", () => {
  const columns = [col('constructor', 'numeric'), col('toString', 'string'), col('x', 'numeric')];
  const spec = checkSpec(
    { features: ['constructor', 'toString', 'x'], onehot: { toString: ['a', 'b', 'c'] } },
    columns,
  );
  expect(vocabOf(spec, 'constructor')).toBeUndefined();
  expect(vocabOf(spec, 'toString')).toEqual(['a', 'b', 'c']);
  expect(inputDims(spec)).toEqual([5]);
  // A text column named constructor still needs a vocabulary: Object.prototype.constructor is none.
  expect(() => checkSpec({ features: ['constructor'] }, [col('constructor', 'string')])).toThrow(/one-hot vocabulary/);
});

import { describe, expect, test } from 'vitest';
import { parseNames, parseScores, scoreColumns } from '../../src/core/table/scores';

describe('model outputs written as text', () => {
  test('a dict of class scores, as JSON or as Python writes it', () => {
    expect(parseScores('{"cat": 0.2, "dog": 0.8}')).toEqual({ kind: 'dict', values: { cat: 0.2, dog: 0.8 } });
    expect(parseScores("{'cat': 0.2, 'it''s': 0.8}")).toBeNull(); // not a literal
    expect(parseScores(" {'cat': 0.2, \"dog's\": 0.8} ")).toEqual({ kind: 'dict', values: { cat: 0.2, "dog's": 0.8 } });
    expect(parseScores('{"cat": 0.2}')).toBeNull(); // one class is no distribution
    expect(parseScores('{"cat": "high", "dog": 0.8}')).toBeNull();
    expect(parseScores('[0.2, 0.8]')).toBeNull(); // a list of numbers is the lists' business
    expect(parseScores('cat')).toBeNull();
  });

  test("Hugging Face's ranked labels: all classes, or the top one of two (a binary softmax), or the top one of many", () => {
    const all = [
      "[{'label': 'POS', 'score': 0.7}, {'label': 'NEG', 'score': 0.3}]",
      null,
      '[{"label": "NEG", "score": 0.9}, {"label": "POS", "score": 0.1}]',
    ];
    const a = scoreColumns(all)!;
    expect(a.pred).toEqual(['POS', null, 'NEG']);
    expect([...a.probs.keys()].sort()).toEqual(['NEG', 'POS']);
    expect(a.probs.get('POS')).toEqual(Float64Array.from([0.7, NaN, 0.1]));

    const top = scoreColumns(["[{'label': 'POS', 'score': 0.9}]", "[{'label': 'NEG', 'score': 0.6}]"])!;
    expect(top.pred).toEqual(['POS', 'NEG']);
    expect(top.probs.get('POS')![1]).toBeCloseTo(0.4, 15);
    expect(top.probs.get('NEG')![0]).toBeCloseTo(0.1, 15);
    expect(top.confidence).toBeNull();

    const many = scoreColumns([
      '[{"label": "a", "score": 0.5}]',
      '[{"label": "b", "score": 0.6}]',
      '[{"label": "c", "score": 0.7}]',
    ])!;
    expect(many.pred).toEqual(['a', 'b', 'c']);
    expect(many.probs.size).toBe(0);
    expect(many.confidence).toEqual(Float64Array.from([0.5, 0.6, 0.7]));
  });

  test('a cell of another form, or the two forms mixed, leave the column as it is', () => {
    expect(scoreColumns(['{"a": 0.5, "b": 0.5}', 'oops'])).toBeNull();
    expect(scoreColumns(['{"a": 0.5, "b": 0.5}', '[{"label": "a", "score": 1}]'])).toBeNull();
    expect(scoreColumns(['{"a": 0.5, "b": 0.5}', '', null])!.probs.get('a')).toEqual(
      Float64Array.from([0.5, NaN, NaN]),
    );
  });
});

test("a long cell in Python's form (a thousand classes, True among the values) is read whole", () => {
  const items = Array.from(
    { length: 1000 },
    (_, i) => `{'label': 'c${i}', 'score': ${(i / 1e6).toFixed(6)}, 'ok': True}`,
  );
  const s = parseScores(`[${items.join(', ')}]`);
  expect(s?.kind === 'ranked' && s.items.length).toBe(1000);
});

test('a cell naming classes: a list of two or more distinct names, in JSON or as Python writes it', () => {
  expect(parseNames("['yes', 'no', 'maybe']")).toEqual(['yes', 'no', 'maybe']);
  expect(parseNames('["cat", "dog"]')).toEqual(['cat', 'dog']);
  expect(parseNames('[0, 1]')).toEqual(['0', '1']);
  for (const bad of ["['only']", "['a', 'a']", '[0.2, {"x": 1}]', 'yes, no', "['a', 'b'"])
    expect(parseNames(bad)).toBeNull();
});

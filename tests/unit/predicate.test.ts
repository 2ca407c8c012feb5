import { describe, expect, it } from 'vitest';
import { describe as describePredicate, isPredicate, toSql, type Predicate } from '../../src/core/slices/predicate';
import { binGroups, valueGroups } from '../../src/core/slices/groups';
import { decodeRows, encodeRows } from '../../src/core/slices/rowSet';
import type { ColumnProfile } from '../../src/core/table/schema';

const cols = ['season', 'temp max', 'name"x', 'notes'];

describe('slice predicates', () => {
  it('compile to SQL with every identifier and value quoted', () => {
    const p: Predicate = {
      kind: 'and',
      items: [
        { kind: 'cond', column: 'season', op: '=', value: "win'ter" },
        {
          kind: 'or',
          items: [
            { kind: 'cond', column: 'temp max', op: '>=', value: 20 },
            { kind: 'cond', column: 'name"x', op: 'is-null' },
          ],
        },
        { kind: 'cond', column: 'season', op: 'in', value: ['a', 'b'] },
        { kind: 'cond', column: 'temp max', op: 'between', value: [1, 2.5] },
        { kind: 'cond', column: 'notes', op: 'contains', value: 'Rain' },
        { kind: 'cond', column: 'season', op: '!=', value: 'x' },
      ],
    };
    expect(toSql(p, cols)).toBe(
      `(("season" = 'win''ter') AND (("temp max" >= 20) OR ("name""x" IS NULL)) AND ("season" IN ('a', 'b')) AND ("temp max" BETWEEN 1 AND 2.5) AND contains(lower(CAST("notes" AS VARCHAR)), 'rain') AND ("season" <> 'x'))`,
    );
    expect(describePredicate(p)).toBe(
      `season = 'win'ter' AND (temp max ≥ 20 OR name"x is null) AND season in ('a', 'b') AND temp max between 1 and 2.5 AND notes contains 'Rain' AND season ≠ 'x'`,
    );
  });

  it('name an unknown column', () => {
    expect(() => toSql({ kind: 'cond', column: 'nope', op: '=', value: 1 }, cols)).toThrow(/Unknown column "nope"/);
  });

  it('compile a typed expression through the slice grammar, never as text', () => {
    expect(toSql({ kind: 'sql', sql: " season = 'a;b' " }, cols)).toBe(`(("season" = 'a;b'))`);
    expect(() => toSql({ kind: 'sql', sql: '1=1; DROP TABLE t' }, cols)).toThrow(/";" at character 4/);
    expect(() => toSql({ kind: 'sql', sql: 'x = 1' }, cols)).toThrow(/Unknown column "x"/);
  });

  it('recognise a predicate tree parsed from JSON and reject anything else', () => {
    expect(
      isPredicate({
        kind: 'and',
        items: [
          { kind: 'cond', column: 'a', op: '=', value: 1 },
          { kind: 'sql', sql: 'x > 1' },
        ],
      }),
    ).toBe(true);
    expect(isPredicate({ kind: 'cond', column: 'a', op: 'DROP' })).toBe(false);
    expect(isPredicate({ kind: 'and', items: [null] })).toBe(false);
    expect(isPredicate('x')).toBe(false);
  });
});

describe('slice by column', () => {
  const numeric = { name: 'x', kind: 'numeric' } as ColumnProfile;
  it('makes quantile bins [a, b) with a closed last bin and a null group', () => {
    const g = binGroups('x', 0, 10, [2.5, 5, 5, 7.5], true);
    expect(g.map((x) => x.label)).toEqual(['[0, 2.5)', '[2.5, 5)', '[5, 7.5)', '[7.5, 10]', 'null']);
    expect(toSql(g[0].where, ['x'])).toBe('(("x" < 2.5))');
    expect(toSql(g[3].where, ['x'])).toBe('(("x" >= 7.5))');
    expect(binGroups('x', 3, 3, [3], false).map((x) => x.label)).toEqual(['[3, 3]']);
  });

  it('groups by value, typed, with null and "other"', () => {
    const g = valueGroups('x', numeric, [{ v: '1' }, { v: null }, { v: '2' }], 2);
    expect(g.map((x) => x.label)).toEqual(['1', 'null', 'other']);
    expect(toSql(g[0].where, ['x'])).toBe('("x" = 1)');
    expect(toSql(g[2].where, ['x'])).toBe('(("x" <> 1))');
    const s = valueGroups('s', { name: 's', kind: 'string' } as ColumnProfile, [{ v: 'a' }, { v: 'b' }], 1);
    expect(toSql(s[1].where, ['s'])).toBe(`((("s" <> 'a')) OR ("s" IS NULL))`);
  });
});

describe('row-set slices', () => {
  it('rows round-trip through short link text; runs become BETWEEN', () => {
    const rows = [5, 0, 1, 2, 3, 900_000, 17, 5];
    const text = encodeRows(rows);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Array.from(decodeRows(text))).toEqual([0, 1, 2, 3, 5, 17, 900_000]);
    const p: Predicate = { kind: 'rows', rows: text, count: 7 };
    expect(isPredicate(p)).toBe(true);
    expect(toSql(p, [], 'r')).toBe('(r BETWEEN 0 AND 3 OR r IN (5, 17, 900000))');
    expect(describePredicate(p)).toBe('7 rows picked by hand');
    // 5,000 scattered rows of a million fit in a link.
    const many = Array.from({ length: 5000 }, (_, i) => i * 199 + (i % 7));
    expect(encodeRows(many).length).toBeLessThan(12_000);
    expect(Array.from(decodeRows(encodeRows(many)))).toEqual(many);
  });

  it('malformed text from a link is refused, never spliced', () => {
    expect(isPredicate({ kind: 'rows', rows: "1'); DROP TABLE x; --", count: 1 })).toBe(false);
    expect(isPredicate({ kind: 'rows', rows: 'abc', count: -1 })).toBe(false);
    expect(() => decodeRows('not*base64')).toThrow(/cannot be read/);
    expect(() => decodeRows('AAAA')).toThrow(/cannot be read/);
    expect(() => toSql({ kind: 'rows', rows: 'zz', count: 1 }, [])).toThrow(/cannot be read/);
  });
});

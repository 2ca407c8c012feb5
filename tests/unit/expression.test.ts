import { describe, expect, it } from 'vitest';
import { expressionSql, parseExpression } from '../../src/core/slices/expression';
import { LoupeError } from '../../src/core/errors';

const cols = ['season', 'temp_max', 'wind speed', 'name"x', 'date', 'weather', 'Label', 'size_group', 'texture_group'];
const sql = (s: string) => expressionSql(s, cols);

/** The error an expression is refused with. */
function refusal(text: string): LoupeError {
  try {
    sql(text);
  } catch (e) {
    expect(e).toBeInstanceOf(LoupeError);
    return e as LoupeError;
  }
  throw new Error(`accepted: ${text}`);
}

describe('slice expressions: what people write', () => {
  it.each([
    ["season = 'winter'", `("season" = 'winter')`],
    ["season='winter' AND temp_max > 20", `(("season" = 'winter') AND ("temp_max" > 20))`],
    ['"wind speed" >= 2.5e1 or not temp_max < -3', `(("wind speed" >= 2.5e1) OR (NOT ("temp_max" < (-3))))`],
    ["season IN ('a', 'b''c')", `("season" IN ('a', 'b''c'))`],
    ["season NOT IN ('a')", `("season" NOT IN ('a'))`],
    ['temp_max BETWEEN 1 AND 2 AND season IS NOT NULL', `(("temp_max" BETWEEN 1 AND 2) AND ("season" IS NOT NULL))`],
    ["weather LIKE 'rain%' OR weather NOT ILIKE '%SUN'", `(("weather" LIKE 'rain%') OR ("weather" NOT ILIKE '%SUN'))`],
    ["date >= DATE '2015-01-01'", `("date" >= CAST('2015-01-01' AS DATE))`],
    ["date_part('month', CAST(date AS DATE)) = 12", `(date_part('month', CAST("date" AS DATE)) = 12)`],
    ["lower(weather) = 'rain'", `(lower("weather") = 'rain')`],
    ['temp_max::INTEGER % 2 == 0', `((CAST("temp_max" AS INTEGER) % 2) = 0)`],
    [
      "CASE WHEN temp_max > 20 THEN 'hot' ELSE 'cold' END = 'hot'",
      `((CASE WHEN ("temp_max" > 20) THEN 'hot' ELSE 'cold' END) = 'hot')`,
    ],
    [
      "regexp_matches(weather, '^s') AND length(season) != 3",
      `(regexp_matches("weather", '^s') AND (length("season") <> 3))`,
    ],
    ['"name""x" IS DISTINCT FROM label', `("name""x" IS DISTINCT FROM "Label")`],
    [
      'abs(temp_max - 1) * 2 / 3 + 1 > 0 AND temp_max IS TRUE',
      `(((((abs(("temp_max" - 1)) * 2) / 3) + 1) > 0) AND ("temp_max" IS TRUE))`,
    ],
    ["season || '-' || weather = 'a-b'", `((("season" || '-') || "weather") = 'a-b')`],
    ['TRY_CAST(season AS DOUBLE) IS NULL', `(TRY_CAST("season" AS DOUBLE) IS NULL)`],
    // What `loupe slices` writes in "where" reads back unchanged in meaning.
    [
      `(("size_group" = 'medium') AND ("texture_group" = 'rough'))`,
      `(("size_group" = 'medium') AND ("texture_group" = 'rough'))`,
    ],
    [`contains(lower(CAST("weather" AS VARCHAR)), 'ra')`, `contains(lower(CAST("weather" AS VARCHAR)), 'ra')`],
    [`("temp_max" = 'NaN'::DOUBLE)`, `("temp_max" = CAST('NaN' AS DOUBLE))`],
  ])('%s', (input, out) => {
    expect(sql(input)).toBe(out);
  });

  it('keeps strings that look like SQL as strings', () => {
    expect(sql("season = '$$; DROP TABLE x; --'")).toBe(`("season" = '$$; DROP TABLE x; --')`);
    expect(sql("season = '/* x */'")).toBe(`("season" = '/* x */')`);
  });
});

describe('slice expressions: what is refused, with the token and where', () => {
  it.each([
    // The payloads of issue 12.
    ["$$'$$ IS NOT NULL) ; SET VARIABLE leak = 1", /"\$" at character 1: dollar-quoted/],
    ["season = 'a') ; SELECT 1 --", /"\)" at character 13/],
    ["(SELECT count(*) FROM read_csv('http://x/y.csv')) >= 0", /"SELECT" at character 2: subqueries/],
    [
      "read_csv('http://x/y.csv') IS NOT NULL",
      /"read_csv" at character 1: a slice expression may not call this function/,
    ],
    ["query('SELECT 1') IS NOT NULL", /"query" at character 1/],
    ["read_text('/etc/passwd') IS NOT NULL", /"read_text" at character 1/],
    ["getvariable('leak') IS NULL", /"getvariable" at character 1/],
    ["temp_max < (SELECT ascii(content[1]) FROM read_text('/etc/passwd'))", /"SELECT" at character 13/],
    ["season = 'a'; DROP TABLE t", /";" at character 13: a slice is one expression/],
    ['season = 1 -- comment', /"--" at character 12: comments/],
    ['season = /* x */ 1', /"\/\*" at character 10: comments/],
    ['ds_1.season = 1', /"\." at character 5: qualified names/],
    ['season = ?', /"\?" at character 10: parameters/],
    ['season = $1', /"\$" at character 10/],
    ['EXISTS (SELECT 1)', /"EXISTS" at character 1: subqueries/],
    ['season IN (SELECT x FROM reviews_ds_1)', /"SELECT" at character 12/],
    ['nope = 1', /Unknown column "nope"/],
    ["season = 'a", /"'" at character 10: this string is never closed/],
    ['"season = 1', /"\\"" at character 1: this column name is never closed/],
    ['season =', /the end at character 9: the expression stops early/],
    ['season = 1 2', /"2" at character 12: expected an operator or the end/],
    ['lower(season, 1) = 1', /lower takes 1 argument, not 2/],
    ['CAST(season AS BLOB) = 1', /"BLOB" at character 16: not a type/],
    ['repeat(season, 1000000000) = 1', /"repeat" at character 1/],
    ['1x = 1', /"1x" at character 1: not a number/],
    ['season = `x`', /"`" at character 10/],
    ['   ', /empty/],
  ])('%s', (input, message) => {
    const e = refusal(input);
    expect(e.message).toMatch(message);
  });

  it('bounds the length and the nesting', () => {
    expect(refusal('x'.repeat(20_001)).message).toMatch(/at most 20,000/);
    expect(refusal('('.repeat(500) + '1' + ')'.repeat(500)).message).toMatch(/deeper than 100/);
    expect(refusal('NOT '.repeat(500) + 'TRUE').message).toMatch(/deeper than 100/);
    expect(refusal('- '.repeat(500) + '1 > 0').message).toMatch(/deeper than 100/);
  });

  it('parses into a tree whose every leaf is a column, a literal or a known word', () => {
    expect(parseExpression("lower(season) IN ('a', 1)")).toEqual({
      t: 'in',
      arg: { t: 'call', fn: 'lower', args: [{ t: 'col', name: 'season' }] },
      list: [
        { t: 'str', value: 'a' },
        { t: 'num', text: '1' },
      ],
      not: false,
    });
  });
});

describe('TF.js weight paths', () => {
  it('stay in the model folder', async () => {
    const { weightPath } = await import('../../src/core/models/weightPaths');
    expect(weightPath('group1-shard1of1.bin', 'm')).toBe('group1-shard1of1.bin');
    expect(weightPath('./w/a.bin', 'm')).toBe('w/a.bin');
    for (const bad of [
      '../w.bin',
      'a/../../w.bin',
      '/etc/passwd',
      'C:\\w.bin',
      'https://x.example/w.bin',
      '//x.example/w.bin',
      'w.bin?x=1',
      '%2e%2e/w.bin',
      '',
      42,
    ]) {
      expect(() => weightPath(bad, 'model.json'), String(bad)).toThrow(/must be in the model's own folder/);
    }
  });
});

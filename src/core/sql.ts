/**
 * SQL quoting. Every identifier and literal that reaches DuckDB goes through these two functions;
 * user text is never spliced into SQL otherwise.
 */

/** A double-quoted identifier: `a "b"` → `"a ""b"""`. Works for any column name (spaces, dots, non-ASCII). */
export function ident(name: string): string {
  if (name.includes('\u0000')) throw new Error(`column name contains a NUL character: ${JSON.stringify(name)}`);
  return '"' + name.replaceAll('"', '""') + '"';
}

/** A single-quoted string literal, or a number / boolean / NULL literal. */
export function literal(v: string | number | boolean | null): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return `'${v}'::DOUBLE`;
    return String(v);
  }
  if (v.includes('\u0000')) throw new Error('string literal contains a NUL character');
  return "'" + v.replaceAll("'", "''") + "'";
}

/** `base`, or `base_2`, `base_3`, … : the first that none of `taken` equals, ignoring case (as DuckDB binds names). */
export function freeName(base: string, taken: readonly string[]): string {
  const lower = new Set(taken.map((t) => t.toLowerCase()));
  let name = base;
  for (let i = 2; lower.has(name.toLowerCase()); i++) name = `${base}_${i}`;
  return name;
}

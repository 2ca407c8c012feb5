import { LoupeError, type ErrorContext, messageOf } from '../core/errors';

/**
 * Turns whatever DuckDB (or a loader) threw into a LoupeError a person can act on. DuckDB's CSV
 * reader names the line; out-of-memory becomes `too-large`.
 */
export function describeDuckError(e: unknown, ctx: ErrorContext): LoupeError {
  if (e instanceof LoupeError) return e;
  const raw = messageOf(e);
  const file = ctx.file ?? 'the file';
  if (/out of memory|memory limit|Cannot allocate|could not allocate/i.test(raw)) {
    return new LoupeError(
      'too-large',
      `${file} is too large for the memory this browser tab can use (DuckDB-wasm is limited to 4 GB). Try a smaller file, fewer columns, or Parquet.`,
      ctx,
    );
  }
  if (/CSV Error|sniff|Invalid Input Error: Error when|read_csv|Could not convert string/i.test(raw)) {
    const line = /on line:? *(\d+)/i.exec(raw)?.[1];
    const cols = /Expected Number of Columns: *(\d+) *Found: *(\d+)/i.exec(raw);
    const detail = cols
      ? `Expected ${cols[1]} fields, as in the header, but found ${cols[2]}.`
      : /unterminated quote/i.test(raw)
        ? 'A quoted value is never closed.'
        : firstUseful(raw.replace(/^.*?CSV Error on Line: *\d+/is, '')) || 'DuckDB could not parse it as CSV.';
    return new LoupeError('malformed-csv', `${file}${line ? `, line ${line}` : ''}: malformed CSV. ${detail}`, {
      ...ctx,
      line: line ? Number(line) : undefined,
    });
  }
  // DuckDB-wasm's Arrow reader meets a type it has no conversion for (a Parquet INTERVAL column).
  const arrowType = ctx.file !== undefined && /Could not convert (\w+) to \w+/i.exec(raw);
  if (arrowType) {
    return new LoupeError(
      'unsupported-format',
      `${file} has a column of type ${arrowType[1]}, which DuckDB in the browser cannot read. Save that column as numbers or text, or use loupe on the command line, whose DuckDB reads it.`,
      ctx,
    );
  }
  if (/Catalog Error|Binder Error|Referenced column/i.test(raw)) {
    return new LoupeError('unknown-column', plainSqlError(raw), ctx);
  }
  return new LoupeError('query-failed', plainSqlError(raw), ctx);
}

/** A DuckDB type in words: "text (VARCHAR)". */
function typeWord(t: string): string {
  const u = t.toUpperCase();
  const word = /CHAR|STRING|TEXT/.test(u)
    ? 'text'
    : /INT/.test(u)
      ? 'a whole number'
      : /DOUBLE|FLOAT|DECIMAL|REAL/.test(u)
        ? 'a number'
        : /DATE|TIME/.test(u)
          ? 'a date or time'
          : /BOOL/.test(u)
            ? 'a boolean'
            : null;
  return word ? `${word} (${u})` : u;
}

/**
 * A DuckDB error about an expression in words a slice author can act on: the message only (DuckDB-wasm
 * may send it as JSON), without the error class, the internal query it quotes (`LINE 1: …`) or the
 * list of candidate functions.
 */
export function plainSqlError(raw: string): string {
  let m = raw.trim();
  if (m.startsWith('{')) {
    try {
      const j = JSON.parse(m);
      if (typeof j?.exception_message === 'string') m = j.exception_message;
    } catch {
      // not JSON after all
    }
  }
  m = m.replace(/\s*LINE \d+:[\s\S]*$/, '').replace(/\s*Candidate functions:[\s\S]*$/, '');
  m = m.replace(
    /^\s*(Binder|Catalog|Conversion|Parser|Invalid Input|Out of Range|Not implemented|Type Mismatch) Error:\s*/i,
    '',
  );
  m = m.replace(
    /No function matches the given name and argument types '([^(']+)\(([^)']*)\)'\.?(\s*You might need to add explicit type casts\.)?/i,
    (_, f: string, args: string) =>
      `${f}() does not take ${
        args
          ? args
              .split(',')
              .map((a) => typeWord(a.trim()))
              .join(', ')
          : 'no arguments'
      }: convert a value with CAST(… AS VARCHAR) or CAST(… AS DOUBLE).`,
  );
  m = m.replace(
    /Cannot compare values of type (\w+) and type (\w+?)(_LITERAL)? - an explicit cast is required/i,
    (_, a: string, b: string) =>
      `cannot compare ${typeWord(a)} with ${typeWord(b)}: quote text values ('3'), or convert with CAST(… AS type).`,
  );
  return firstUseful(m);
}

/** DuckDB messages run to many lines with hints for SQL users; keep the first sentence or two. */
function firstUseful(raw: string): string {
  const lines = raw
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const keep = lines.filter(
    (l) =>
      !/^(Possible fixes|\*|Parser options|file=|delimiter|quote|escape|new_line|header|skip_rows|comment|strict_mode|date_format|timestamp_format|null_padding|sample_size|ignore_errors|all_varchar|Original Line)/i.test(
        l,
      ),
  );
  return keep.slice(0, 2).join(' ').slice(0, 300);
}

import { LoupeError } from '../errors';
import { ident, literal } from '../sql';

/**
 * Slice expressions typed by people (the SQL box, links, saved slices, `loupe --where`, a gate's
 * "where") are never handed to DuckDB as text: they are parsed here into a tree and compiled back
 * with every column name and literal quoted by `ident` / `literal` and every keyword, operator,
 * type and function name taken from the tables below. What the grammar does not know is refused
 * with the offending token and its position (issue 12).
 *
 *   expr       := or
 *   or         := and (OR and)*
 *   and        := not (AND not)*
 *   not        := NOT not | predicate
 *   predicate  := concat [ cmp concat | [NOT] IN '(' expr, … ')' | [NOT] BETWEEN concat AND concat
 *                 | [NOT] LIKE|ILIKE concat | IS [NOT] NULL|TRUE|FALSE | IS [NOT] DISTINCT FROM concat ]
 *   concat     := additive ('||' additive)*
 *   additive   := term (('+' | '-') term)*
 *   term       := unary (('*' | '/' | '//' | '%') unary)*
 *   unary      := ('-' | '+') unary | postfix
 *   postfix    := primary ('::' type)*
 *   primary    := number | 'string' | TRUE | FALSE | NULL | DATE|TIME|TIMESTAMP 'string'
 *                 | column | "quoted column" | function '(' [expr, …] ')' | [TRY_]CAST '(' expr AS type ')'
 *                 | CASE [expr] (WHEN expr THEN expr)+ [ELSE expr] END | '(' expr ')'
 */
export type Expr =
  | { t: 'col'; name: string }
  | { t: 'num'; text: string }
  | { t: 'str'; value: string }
  | { t: 'const'; value: 'TRUE' | 'FALSE' | 'NULL' }
  | { t: 'typed'; type: 'DATE' | 'TIME' | 'TIMESTAMP'; value: string }
  | { t: 'not'; arg: Expr }
  | { t: 'neg'; op: '-' | '+'; arg: Expr }
  | { t: 'bin'; op: string; left: Expr; right: Expr }
  | { t: 'in'; arg: Expr; list: Expr[]; not: boolean }
  | { t: 'between'; arg: Expr; lo: Expr; hi: Expr; not: boolean }
  | { t: 'like'; op: 'LIKE' | 'ILIKE'; arg: Expr; pattern: Expr; not: boolean }
  | { t: 'is'; arg: Expr; what: 'NULL' | 'TRUE' | 'FALSE'; not: boolean }
  | { t: 'distinct'; left: Expr; right: Expr; not: boolean }
  | { t: 'case'; operand: Expr | null; whens: [Expr, Expr][]; otherwise: Expr | null }
  | { t: 'cast'; arg: Expr; type: string; safe: boolean }
  | { t: 'call'; fn: string; args: Expr[] };

/** Pure scalar functions a slice may call, with their argument counts [min, max]. */
export const FUNCTIONS: Readonly<Record<string, readonly [number, number]>> = {
  abs: [1, 1],
  ceil: [1, 1],
  ceiling: [1, 1],
  floor: [1, 1],
  round: [1, 2],
  sign: [1, 1],
  sqrt: [1, 1],
  exp: [1, 1],
  ln: [1, 1],
  log: [1, 2],
  log10: [1, 1],
  log2: [1, 1],
  pow: [2, 2],
  power: [2, 2],
  isnan: [1, 1],
  isinf: [1, 1],
  isfinite: [1, 1],
  greatest: [1, 64],
  least: [1, 64],
  coalesce: [1, 64],
  nullif: [2, 2],
  ifnull: [2, 2],
  if: [3, 3],
  lower: [1, 1],
  upper: [1, 1],
  lcase: [1, 1],
  ucase: [1, 1],
  length: [1, 1],
  strlen: [1, 1],
  trim: [1, 2],
  ltrim: [1, 2],
  rtrim: [1, 2],
  substring: [2, 3],
  substr: [2, 3],
  left: [2, 2],
  right: [2, 2],
  replace: [3, 3],
  concat: [1, 64],
  contains: [2, 2],
  starts_with: [2, 2],
  ends_with: [2, 2],
  prefix: [2, 2],
  suffix: [2, 2],
  strpos: [2, 2],
  instr: [2, 2],
  regexp_matches: [2, 3],
  regexp_full_match: [2, 3],
  regexp_extract: [2, 3],
  regexp_replace: [3, 4],
  date_part: [2, 2],
  datepart: [2, 2],
  date_trunc: [2, 2],
  strftime: [2, 2],
  strptime: [2, 2],
  epoch: [1, 1],
  year: [1, 1],
  quarter: [1, 1],
  month: [1, 1],
  week: [1, 1],
  day: [1, 1],
  dayofweek: [1, 1],
  dayofyear: [1, 1],
  dayname: [1, 1],
  monthname: [1, 1],
  hour: [1, 1],
  minute: [1, 1],
  second: [1, 1],
};

/** Types a value may be cast to (the spelling people use → DuckDB's name). */
const TYPES: Readonly<Record<string, string>> = {
  BOOLEAN: 'BOOLEAN',
  BOOL: 'BOOLEAN',
  TINYINT: 'TINYINT',
  SMALLINT: 'SMALLINT',
  INTEGER: 'INTEGER',
  INT: 'INTEGER',
  BIGINT: 'BIGINT',
  HUGEINT: 'HUGEINT',
  FLOAT: 'FLOAT',
  REAL: 'FLOAT',
  DOUBLE: 'DOUBLE',
  DECIMAL: 'DOUBLE',
  NUMERIC: 'DOUBLE',
  VARCHAR: 'VARCHAR',
  TEXT: 'VARCHAR',
  STRING: 'VARCHAR',
  DATE: 'DATE',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMP',
  DATETIME: 'TIMESTAMP',
};

const CMP = new Set(['=', '==', '!=', '<>', '<', '<=', '>', '>=']);
/** Words that start SQL a slice may not contain; named in the refusal. */
const STATEMENT_WORDS = new Set([
  'SELECT',
  'FROM',
  'WITH',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'VALUES',
  'TABLE',
  'EXISTS',
  'ANY',
  'ALL',
  'SOME',
  'INSERT',
  'UPDATE',
  'DELETE',
  'DROP',
  'CREATE',
  'ALTER',
  'COPY',
  'ATTACH',
  'DETACH',
  'SET',
  'RESET',
  'PRAGMA',
  'INSTALL',
  'LOAD',
  'CALL',
  'EXPORT',
  'IMPORT',
  'USE',
  'CHECKPOINT',
  'VACUUM',
  'EXECUTE',
  'PREPARE',
  'DESCRIBE',
  'SUMMARIZE',
  'SHOW',
  'GETVARIABLE',
  'WHERE',
  'GROUP',
  'ORDER',
  'LIMIT',
  'OVER',
  'FILTER',
]);
const KEYWORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'IN',
  'BETWEEN',
  'LIKE',
  'ILIKE',
  'IS',
  'NULL',
  'TRUE',
  'FALSE',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'CAST',
  'TRY_CAST',
  'AS',
  'DISTINCT',
  'ESCAPE',
]);

export const MAX_EXPRESSION_LENGTH = 20_000;
const MAX_DEPTH = 100;

interface Token {
  kind: 'num' | 'str' | 'word' | 'qident' | 'op' | 'end' | 'bad';
  text: string;
  /** For `bad`: why the input cannot go on here (raised when the parser reaches it, so errors come in reading order). */
  error?: LoupeError;
  /** 0-based offset in the input. */
  at: number;
}

const refuse = (at: number, what: string, why: string) =>
  new LoupeError('bad-expression', `${what} at character ${at + 1}: ${why}`, { value: what });

const quoteToken = (s: string) => JSON.stringify(s.length > 30 ? s.slice(0, 30) + '…' : s);

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  try {
    lex(src, out);
    out.push({ kind: 'end', text: '', at: src.length });
  } catch (e) {
    if (!(e instanceof LoupeError)) throw e;
    out.push({ kind: 'bad', text: '', at: src.length, error: e });
  }
  return out;
}

function lex(src: string, out: Token[]): void {
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const at = i;
    if (src.startsWith('--', i) || src.startsWith('/*', i))
      throw refuse(at, quoteToken(src.slice(i, i + 2)), 'comments are not allowed in a slice expression.');
    if (ch === "'" || ch === '"') {
      // A quoted run: the quote doubled inside stands for itself.
      let text = '';
      for (i++; ; i++) {
        if (i >= src.length) {
          throw refuse(
            at,
            quoteToken(ch),
            ch === "'"
              ? "this string is never closed (a quote inside a string is written twice: '')."
              : 'this column name is never closed.',
          );
        }
        if (src[i] === ch) {
          if (src[i + 1] === ch) ((text += ch), i++);
          else break;
        } else text += src[i];
      }
      i++;
      if (ch === '"' && !text) throw refuse(at, '""', 'an empty column name.');
      out.push({ kind: ch === "'" ? 'str' : 'qident', text, at });
      continue;
    }
    const num = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i, i + 400));
    if (num) {
      i += num[0].length;
      if (i < src.length && /[\p{L}\p{N}_$]/u.test(src[i]))
        throw refuse(
          at,
          quoteToken(src.slice(at, i + 1)),
          'not a number (put a column name that starts with a digit in double quotes).',
        );
      out.push({ kind: 'num', text: num[0], at });
      continue;
    }
    const word = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(src.slice(i, i + 400));
    if (word) {
      i += word[0].length;
      out.push({ kind: 'word', text: word[0], at });
      continue;
    }
    const op =
      ['<=', '>=', '<>', '!=', '==', '::', '||', '//'].find((o) => src.startsWith(o, i)) ??
      ('=<>+-*/%(),'.includes(ch) ? ch : null);
    if (op) {
      i += op.length;
      out.push({ kind: 'op', text: op, at });
      continue;
    }
    const why: Record<string, string> = {
      ';': 'a slice is one expression; a second statement is not allowed.',
      $: 'dollar-quoted strings and parameters are not allowed; write strings in single quotes.',
      '.': 'qualified names (other tables or schemas) are not allowed; put a column name containing a dot in double quotes.',
      '?': 'parameters are not allowed.',
    };
    throw refuse(
      at,
      quoteToken(String.fromCodePoint(src.codePointAt(i)!)),
      why[ch] ?? 'this character is not part of a slice expression.',
    );
  }
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private get tok(): Token {
    const t = this.tokens[this.i];
    if (t.error) throw t.error;
    return t;
  }
  private isWord(...words: string[]): boolean {
    return this.tok.kind === 'word' && words.includes(this.tok.text.toUpperCase());
  }
  private isOp(...ops: string[]): boolean {
    return this.tok.kind === 'op' && ops.includes(this.tok.text);
  }
  private take(): Token {
    return this.tokens[this.i++];
  }
  private unexpected(expected: string): LoupeError {
    const t = this.tok;
    if (t.kind === 'end') return refuse(t.at, 'the end', `the expression stops early: ${expected} is missing.`);
    const shown = t.kind === 'str' ? `'${t.text}'` : t.kind === 'qident' ? `"${t.text}"` : t.text;
    if (t.kind === 'word' && STATEMENT_WORDS.has(t.text.toUpperCase())) {
      return refuse(
        t.at,
        quoteToken(t.text),
        'subqueries, statements and other tables are not allowed in a slice expression.',
      );
    }
    return refuse(t.at, quoteToken(shown), `expected ${expected}.`);
  }
  private expectOp(op: string, what = `"${op}"`): void {
    if (!this.isOp(op)) throw this.unexpected(what);
    this.i++;
  }
  private expectWord(word: string): void {
    if (!this.isWord(word)) throw this.unexpected(word);
    this.i++;
  }

  parseAll(): Expr {
    const e = this.expr();
    if (this.tok.kind !== 'end') throw this.unexpected('an operator or the end of the expression');
    return e;
  }

  private expr(): Expr {
    if (++this.depth > MAX_DEPTH)
      throw refuse(this.tok.at, quoteToken(this.tok.text), `the expression nests deeper than ${MAX_DEPTH} levels.`);
    try {
      let left = this.and();
      while (this.isWord('OR')) (this.i++, (left = { t: 'bin', op: 'OR', left, right: this.and() }));
      return left;
    } finally {
      this.depth--;
    }
  }
  private and(): Expr {
    let left = this.not();
    while (this.isWord('AND')) (this.i++, (left = { t: 'bin', op: 'AND', left, right: this.not() }));
    return left;
  }
  private not(): Expr {
    if (this.isWord('NOT')) {
      this.i++;
      if (++this.depth > MAX_DEPTH)
        throw refuse(this.tok.at, 'NOT', `the expression nests deeper than ${MAX_DEPTH} levels.`);
      try {
        return { t: 'not', arg: this.not() };
      } finally {
        this.depth--;
      }
    }
    return this.predicate();
  }
  private predicate(): Expr {
    const arg = this.concat();
    if (this.tok.kind === 'op' && CMP.has(this.tok.text)) {
      const op = this.take().text;
      return { t: 'bin', op: op === '==' ? '=' : op === '!=' ? '<>' : op, left: arg, right: this.concat() };
    }
    if (this.isWord('IS')) {
      this.i++;
      const not = this.isWord('NOT') ? (this.i++, true) : false;
      if (this.isWord('NULL', 'TRUE', 'FALSE'))
        return { t: 'is', arg, what: this.take().text.toUpperCase() as 'NULL', not };
      if (this.isWord('DISTINCT')) {
        this.i++;
        this.expectWord('FROM');
        return { t: 'distinct', left: arg, right: this.concat(), not };
      }
      throw this.unexpected('NULL, TRUE, FALSE or DISTINCT FROM after IS');
    }
    const at = this.i;
    const not = this.isWord('NOT') ? (this.i++, true) : false;
    if (this.isWord('IN')) {
      this.i++;
      this.expectOp('(');
      const list: Expr[] = [];
      if (!this.isOp(')')) {
        do {
          if (list.length >= 10_000)
            throw refuse(this.tok.at, quoteToken(this.tok.text), 'an IN list of more than 10,000 values.');
          list.push(this.expr());
        } while (this.isOp(',') && this.take());
      }
      this.expectOp(')', '"," or ")"');
      return { t: 'in', arg, list, not };
    }
    if (this.isWord('BETWEEN')) {
      this.i++;
      const lo = this.concat();
      this.expectWord('AND');
      return { t: 'between', arg, lo, hi: this.concat(), not };
    }
    if (this.isWord('LIKE', 'ILIKE')) {
      const op = this.take().text.toUpperCase() as 'LIKE';
      const pattern = this.concat();
      if (this.isWord('ESCAPE')) throw this.unexpected('no ESCAPE clause (use \\ in the pattern)');
      return { t: 'like', op, arg, pattern, not };
    }
    if (not) this.i = at; // a NOT that belongs to nothing here: let the caller report what follows
    return arg;
  }
  private concat(): Expr {
    let left = this.additive();
    while (this.isOp('||')) (this.i++, (left = { t: 'bin', op: '||', left, right: this.additive() }));
    return left;
  }
  private additive(): Expr {
    let left = this.term();
    while (this.isOp('+', '-')) {
      const op = this.take().text;
      left = { t: 'bin', op, left, right: this.term() };
    }
    return left;
  }
  private term(): Expr {
    let left = this.unary();
    while (this.isOp('*', '/', '//', '%')) {
      const op = this.take().text;
      left = { t: 'bin', op, left, right: this.unary() };
    }
    return left;
  }
  private unary(): Expr {
    if (this.isOp('-', '+')) {
      const op = this.take().text as '-' | '+';
      if (++this.depth > MAX_DEPTH)
        throw refuse(this.tok.at, op, `the expression nests deeper than ${MAX_DEPTH} levels.`);
      try {
        return { t: 'neg', op, arg: this.unary() };
      } finally {
        this.depth--;
      }
    }
    let e = this.primary();
    while (this.isOp('::')) (this.i++, (e = { t: 'cast', arg: e, type: this.type(), safe: false }));
    return e;
  }
  private type(): string {
    const t = this.tok;
    const name = t.kind === 'word' ? TYPES[t.text.toUpperCase()] : undefined;
    if (!name)
      throw refuse(
        t.at,
        quoteToken(t.text || 'the end'),
        `not a type a slice may cast to (${Object.keys(TYPES).join(', ')}).`,
      );
    this.i++;
    // DECIMAL(18, 3) and VARCHAR(20): the size does not change which rows match.
    if (this.isOp('(')) {
      this.i++;
      do if (this.tok.kind !== 'num') throw this.unexpected('a number');
      while ((this.i++, this.isOp(',') && this.take()));
      this.expectOp(')');
    }
    return name;
  }
  private primary(): Expr {
    const t = this.tok;
    switch (t.kind) {
      case 'num':
        this.i++;
        return { t: 'num', text: t.text };
      case 'str':
        this.i++;
        return { t: 'str', value: t.text };
      case 'qident':
        this.i++;
        return { t: 'col', name: t.text };
      case 'op':
        if (t.text === '(') {
          this.i++;
          const e = this.expr();
          this.expectOp(')');
          return e;
        }
        throw this.unexpected('a value, a column or "("');
      case 'end':
        throw this.unexpected('a value or a column');
    }
    const word = t.text.toUpperCase();
    const next = this.tokens[this.i + 1];
    if (word === 'TRUE' || word === 'FALSE' || word === 'NULL') return (this.i++, { t: 'const', value: word });
    if ((word === 'DATE' || word === 'TIME' || word === 'TIMESTAMP') && next.kind === 'str') {
      this.i += 2;
      return { t: 'typed', type: word, value: next.text };
    }
    if (word === 'CAST' || word === 'TRY_CAST') {
      this.i++;
      this.expectOp('(');
      const arg = this.expr();
      this.expectWord('AS');
      const type = this.type();
      this.expectOp(')');
      return { t: 'cast', arg, type, safe: word === 'TRY_CAST' };
    }
    if (word === 'CASE') return this.caseExpr();
    if (STATEMENT_WORDS.has(word) || KEYWORDS.has(word)) throw this.unexpected('a value or a column');
    if (next.kind === 'op' && next.text === '(') {
      const fn = t.text.toLowerCase();
      const arity = Object.hasOwn(FUNCTIONS, fn) ? FUNCTIONS[fn] : undefined;
      if (!arity) {
        throw refuse(
          t.at,
          quoteToken(t.text),
          `a slice expression may not call this function; it may call ${Object.keys(FUNCTIONS).join(', ')}.`,
        );
      }
      this.i += 2;
      const args: Expr[] = [];
      if (!this.isOp(')'))
        do args.push(this.expr());
        while (this.isOp(',') && this.take());
      this.expectOp(')', '"," or ")"');
      if (args.length < arity[0] || args.length > arity[1]) {
        const n = arity[0] === arity[1] ? `${arity[0]}` : `${arity[0]} to ${arity[1]}`;
        throw refuse(t.at, quoteToken(t.text), `${fn} takes ${n} argument${n === '1' ? '' : 's'}, not ${args.length}.`);
      }
      return { t: 'call', fn, args };
    }
    this.i++;
    return { t: 'col', name: t.text };
  }
  private caseExpr(): Expr {
    this.i++;
    const operand = this.isWord('WHEN') ? null : this.expr();
    const whens: [Expr, Expr][] = [];
    while (this.isWord('WHEN')) {
      this.i++;
      const when = this.expr();
      this.expectWord('THEN');
      whens.push([when, this.expr()]);
    }
    if (!whens.length) throw this.unexpected('WHEN');
    const otherwise = this.isWord('ELSE') ? (this.i++, this.expr()) : null;
    this.expectWord('END');
    return { t: 'case', operand, whens, otherwise };
  }
}

/** Parses a slice expression into a tree; throws `bad-expression` naming the token and its position. */
export function parseExpression(text: string): Expr {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new LoupeError(
      'bad-expression',
      `The expression is ${text.length.toLocaleString('en-US')} characters long; at most ${MAX_EXPRESSION_LENGTH.toLocaleString('en-US')} are allowed.`,
    );
  }
  if (!text.trim()) throw new LoupeError('bad-expression', 'The expression is empty.');
  return new Parser(tokenize(text)).parseAll();
}

/** The column of `columns` a reference names: exactly, else the one that matches ignoring case (as DuckDB binds). */
function resolve(name: string, columns: readonly string[]): string | undefined {
  if (columns.includes(name)) return name;
  const lower = name.toLowerCase();
  const matches = columns.filter((c) => c.toLowerCase() === lower);
  return matches.length === 1 ? matches[0] : undefined;
}

/** SQL for a parsed expression: column names through `ident`, literals through `literal`, the rest from fixed tables. */
export function compileExpression(e: Expr, columns: readonly string[]): string {
  const c = (x: Expr) => compileExpression(x, columns);
  switch (e.t) {
    case 'col': {
      const name = resolve(e.name, columns);
      if (name === undefined)
        throw new LoupeError('unknown-column', `Unknown column ${JSON.stringify(e.name)}.`, { column: e.name });
      return ident(name);
    }
    case 'num':
      if (!/^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(e.text))
        throw new LoupeError('bad-expression', `${JSON.stringify(e.text)} is not a number.`);
      return e.text;
    case 'str':
      return literal(e.value);
    case 'const':
      return ({ TRUE: 'TRUE', FALSE: 'FALSE', NULL: 'NULL' } as const)[e.value];
    case 'typed':
      return `CAST(${literal(e.value)} AS ${TYPES[e.type]})`;
    case 'not':
      return `(NOT ${c(e.arg)})`;
    case 'neg':
      return `(${e.op === '-' ? '-' : '+'}${c(e.arg)})`;
    case 'bin': {
      const op = ['AND', 'OR', '||', '+', '-', '*', '/', '//', '%', '=', '<>', '<', '<=', '>', '>='].find(
        (o) => o === e.op,
      );
      if (!op) throw new LoupeError('bad-expression', `Unknown operator ${JSON.stringify(e.op)}.`);
      return `(${c(e.left)} ${op} ${c(e.right)})`;
    }
    case 'in':
      return e.list.length
        ? `(${c(e.arg)} ${e.not ? 'NOT IN' : 'IN'} (${e.list.map(c).join(', ')}))`
        : e.not
          ? 'TRUE'
          : 'FALSE';
    case 'between':
      return `(${c(e.arg)} ${e.not ? 'NOT BETWEEN' : 'BETWEEN'} ${c(e.lo)} AND ${c(e.hi)})`;
    case 'like':
      return `(${c(e.arg)} ${e.not ? 'NOT ' : ''}${e.op === 'ILIKE' ? 'ILIKE' : 'LIKE'} ${c(e.pattern)})`;
    case 'is':
      return `(${c(e.arg)} IS ${e.not ? 'NOT ' : ''}${({ NULL: 'NULL', TRUE: 'TRUE', FALSE: 'FALSE' } as const)[e.what]})`;
    case 'distinct':
      return `(${c(e.left)} IS ${e.not ? 'NOT ' : ''}DISTINCT FROM ${c(e.right)})`;
    case 'case': {
      const whens = e.whens.map(([w, t]) => `WHEN ${c(w)} THEN ${c(t)}`).join(' ');
      return `(CASE ${e.operand ? c(e.operand) + ' ' : ''}${whens}${e.otherwise ? ` ELSE ${c(e.otherwise)}` : ''} END)`;
    }
    case 'cast': {
      const type = Object.values(TYPES).find((t) => t === e.type);
      if (!type) throw new LoupeError('bad-expression', `Unknown type ${JSON.stringify(e.type)}.`);
      return `${e.safe ? 'TRY_CAST' : 'CAST'}(${c(e.arg)} AS ${type})`;
    }
    case 'call': {
      const fn = Object.keys(FUNCTIONS).find((f) => f === e.fn);
      if (!fn) throw new LoupeError('bad-expression', `Unknown function ${JSON.stringify(e.fn)}.`);
      return `${fn}(${e.args.map(c).join(', ')})`;
    }
  }
}

/** A slice expression as SQL: parsed, checked against the table's columns, and compiled back quoted. */
export function expressionSql(text: string, columns: readonly string[]): string {
  return compileExpression(parseExpression(text), columns);
}

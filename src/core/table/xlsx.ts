import { strFromU8, unzipSync } from 'fflate';
import { LoupeError } from '../errors';

/**
 * An Excel workbook (.xlsx, .xlsm): a zip of XML parts, told by its name or by an `xl/` part named
 * near its start. (The old binary .xls is not read; format.ts says how to save it.)
 */
export function isWorkbook(name: string, head: Uint8Array): boolean {
  if (![0x50, 0x4b, 0x03, 0x04].every((b, i) => head[i] === b)) return false;
  return /\.xls[xm]$/i.test(name) || /xl\//.test(new TextDecoder().decode(head.subarray(0, 4096)));
}

/** The most XML unzipped from one workbook (a zip bomb stops here): as much as JSON may hold. */
const MAX_XML_BYTES = 2 ** 29;

export interface Sheet {
  /** The sheet as CSV text (UTF-8), read from there as any CSV is. */
  csv: Uint8Array;
  /** The sheet read (the workbook's first worksheet) and the names of the others. */
  name: string;
  others: string[];
}

/**
 * The first worksheet of an Excel workbook as CSV: cells as Excel stores them (numbers exactly as
 * written in the file, shared and inline text, booleans as true/false, errors such as #DIV/0! as
 * text, cells formatted as dates or times as ISO dates and times), empty cells empty. Rows and
 * columns keep their places (a skipped row is an empty line); everything after the last filled cell
 * of a row, and empty rows at the end, are left out.
 */
export function xlsxToCsv(bytes: Uint8Array, file: string): Sheet {
  const fail = (why: string): never => {
    throw new LoupeError('unsupported-format', `${file}: ${why}`, { file });
  };
  let unzipped = 0;
  let parts: Record<string, Uint8Array> = {};
  try {
    parts = unzipSync(bytes, {
      filter: (f) => {
        const wanted =
          /^xl\/(workbook\.xml|_rels\/workbook\.xml\.rels|sharedStrings\.xml|styles\.xml|worksheets\/[^/]+\.xml)$/.test(
            f.name,
          );
        if (wanted && (unzipped += f.originalSize) > MAX_XML_BYTES)
          fail(
            `its sheets unpack to more than ${MAX_XML_BYTES / 2 ** 20} MiB of XML. Save the sheet as CSV (File › Save As › CSV UTF-8) and open that.`,
          );
        return wanted;
      },
    });
  } catch (e) {
    if (e instanceof LoupeError) throw e;
    fail(`not a readable Excel workbook (${(e as Error).message}).`);
  }
  const text = (path: string) => (parts[path] ? strFromU8(parts[path]) : null);
  const workbook =
    text('xl/workbook.xml') ??
    fail(
      'a workbook Loupe cannot read (a binary .xlsb, or a zip without xl/workbook.xml). Save the sheet as CSV (in Excel: File › Save As › CSV UTF-8) and open that.',
    );
  const rels = [...(text('xl/_rels/workbook.xml.rels') ?? '').matchAll(/<Relationship\b([^>]*)>/g)].map((m) => m[1]);
  const sheets = [...workbook.matchAll(/<sheet\b([^>]*)>/g)].map((m) => {
    const id = attr(m[1], 'r:id');
    const target = rels.find((r) => attr(r, 'Id') === id);
    const path = target ? (attr(target, 'Target') ?? '') : '';
    return { name: xmlText(attr(m[1], 'name') ?? ''), path: path.startsWith('/') ? path.slice(1) : `xl/${path}` };
  });
  const first = sheets.find((s) => parts[s.path]) ?? fail('its workbook has no worksheet to read.');
  const shared = [...(text('xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => runs(m[1]));
  const dates = dateStyles(text('xl/styles.xml') ?? '');
  const epoch = /<workbookPr\b[^>]*\bdate1904="(1|true)"/.test(workbook)
    ? Date.UTC(1904, 0, 1)
    : Date.UTC(1899, 11, 30);

  const grid: (string | null)[][] = [];
  let rowAt = 0;
  for (const row of strFromU8(parts[first.path]).matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const r = Number(attr(row[1], 'r') ?? rowAt + 1) - 1;
    rowAt = r + 1;
    const cells: (string | null)[] = [];
    let colAt = 0;
    for (const c of (row[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const ref = attr(c[1], 'r');
      const col = ref ? columnIndex(ref) : colAt;
      colAt = col + 1;
      const body = c[2] ?? '';
      const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      const type = attr(c[1], 't') ?? 'n';
      let value: string | null = null;
      if (type === 'inlineStr') value = runs(/<is>([\s\S]*?)<\/is>/.exec(body)?.[1] ?? '');
      else if (v === undefined) value = null;
      else if (type === 's') value = shared[Number(v)] ?? null;
      else if (type === 'b') value = v.trim() === '1' ? 'true' : 'false';
      else if (type === 'str' || type === 'e' || type === 'd') value = xmlText(v);
      else {
        const style = dates.get(Number(attr(c[1], 's') ?? -1));
        value = style && Number.isFinite(Number(v)) ? dateText(Number(v), epoch, style) : v.trim();
      }
      cells[col] = value;
    }
    grid[r] = cells;
  }
  // Rows end at their last filled cell; empty rows at the end go.
  const filled = (cells: (string | null)[] | undefined) => (cells ?? []).some((v) => v !== null && v !== '');
  while (grid.length && !filled(grid[grid.length - 1])) grid.pop();
  if (!grid.length) fail(`its first sheet, "${first.name}", is empty.`);
  // A skipped row is a hole in grid (map would skip it), and a spread of many rows overflows the stack.
  let width = 0;
  for (let r = 0; r < grid.length; r++) width = Math.max(width, grid[r]?.length ?? 0);
  const lines = Array.from({ length: grid.length }, (_, r) =>
    Array.from({ length: width }, (_, c) => csvField(grid[r]?.[c] ?? null)).join(','),
  );
  return {
    csv: new TextEncoder().encode(lines.join('\n') + '\n'),
    name: first.name,
    others: sheets.filter((s) => s !== first).map((s) => s.name),
  };
}

/** An attribute's value in an XML start tag's attribute text. */
function attr(tag: string, name: string): string | null {
  const m = new RegExp(`(?:^|\\s)${name.replace(':', '\\:')}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tag);
  return m ? (m[2] ?? m[3]) : null;
}

/** The text of a shared or inline string: its runs' `<t>` joined, without phonetic guides (`<rPh>`). */
function runs(si: string): string {
  return [...si.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '').matchAll(/<t\b[^>]*>([\s\S]*?)<\/t>|<t\b[^>]*\/>/g)]
    .map((m) => xmlText(m[1] ?? ''))
    .join('');
}

/** XML's entities and character references, and Excel's `_xHHHH_` escapes (`_x000D_` for a carriage return). */
function xmlText(s: string): string {
  return s
    .replace(/_x([0-9A-Fa-f]{4})_/g, (_, h) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&(#x[0-9A-Fa-f]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) =>
      e[0] === '#'
        ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1)))
        : { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[e]!,
    );
}

/** `BC12` → 54 (columns from 0). */
function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of /^[A-Za-z]+/.exec(ref)?.[0].toUpperCase() ?? 'A') n = n * 26 + ch.charCodeAt(0) - 64;
  return n - 1;
}

type DateStyle = 'date' | 'time' | 'datetime';

/** Cell styles (their index in cellXfs) whose number format shows a date or a time. */
function dateStyles(styles: string): Map<number, DateStyle> {
  const custom = new Map<number, string>();
  for (const m of styles.matchAll(/<numFmt\b([^>]*)>/g))
    custom.set(Number(attr(m[1], 'numFmtId')), xmlText(attr(m[1], 'formatCode') ?? ''));
  const kindOf = (id: number): DateStyle | null => {
    if (id >= 14 && id <= 17) return 'date';
    if (id === 22) return 'datetime';
    if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47)) return 'time';
    const code = custom.get(id);
    if (!code) return null;
    // Quoted text, escaped characters and [colour] / [$-locale] sections say nothing of dates.
    const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '').toLowerCase();
    // m is minutes beside h or s (mm:ss), else months.
    const time = /[hs]/.test(bare);
    const date = /[dy]/.test(bare) || (/m/.test(bare) && !time);
    return date && time ? 'datetime' : date ? 'date' : time ? 'time' : null;
  };
  const out = new Map<number, DateStyle>();
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? '';
  [...xfs.matchAll(/<xf\b([^>]*)>/g)].forEach((m, i) => {
    const kind = kindOf(Number(attr(m[1], 'numFmtId') ?? 0));
    if (kind) out.set(i, kind);
  });
  return out;
}

/** An Excel date serial (days since the workbook's epoch) as ISO text. */
function dateText(serial: number, epoch: number, style: DateStyle): string {
  const iso = new Date(epoch + Math.round(serial * 86_400_000)).toISOString();
  const [day, time] = [iso.slice(0, 10), iso.slice(11, 19)];
  if (style === 'time') return time;
  return style === 'date' && Number.isInteger(serial) ? day : `${day} ${time}`;
}

/** A CSV field, quoted when it must be (a delimiter, quote or line break, or spaces at either end). */
function csvField(v: string | null): string {
  if (v === null) return '';
  return /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

import { LoupeError } from '../errors';

import { NPY_MAGIC } from './npy';

/** How a file is written (`xlsx`: a workbook, read as the CSV of its first sheet). */
export type DataFormat = 'csv' | 'tsv' | 'parquet' | 'arrow' | 'json' | 'ndjson' | 'npy' | 'xlsx';

export interface DetectedFormat {
  format: DataFormat;
  gzip: boolean;
}

export const SUPPORTED_FORMATS =
  'CSV, TSV, Parquet, Arrow IPC (file or stream), JSON (array of objects), NDJSON, NumPy .npy arrays, and gzip-compressed CSV/TSV/JSON';

const EXTENSIONS: Record<string, DataFormat> = {
  csv: 'csv',
  txt: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  parquet: 'parquet',
  pq: 'parquet',
  arrow: 'arrow',
  feather: 'arrow',
  arrows: 'arrow',
  ipc: 'arrow',
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  npy: 'npy',
};

const startsWith = (b: Uint8Array, sig: number[]) => sig.every((x, i) => b[i] === x);
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PAR1 = [0x50, 0x41, 0x52, 0x31];
const ARROW1 = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31];
const STREAM_CONTINUATION = [0xff, 0xff, 0xff, 0xff];
export const GZIP_MAGIC = [0x1f, 0x8b];

export function isGzip(head: Uint8Array): boolean {
  return startsWith(head, GZIP_MAGIC);
}

/** The extension of a file name, with a trailing `.gz` removed: `a.csv.gz` → `csv`. */
export function extensionOf(name: string): string {
  const base = name
    .toLowerCase()
    .replace(/[?#].*$/, '')
    .replace(/\.gz$/, '');
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot + 1);
}

/**
 * Recognises a file's format from its first bytes (already gunzipped when `gzip` is true), falling
 * back on the extension for text formats whose content is ambiguous. Content wins over extension:
 * a Parquet file named `.csv` is read as Parquet.
 */
export function detectFormat(name: string, head: Uint8Array, gzip = false): DetectedFormat {
  if (head.length === 0)
    throw new LoupeError('empty-file', `${name} is empty: there is nothing to load.`, { file: name });
  const byExt = EXTENSIONS[extensionOf(name)];
  if (startsWith(head, NPY_MAGIC)) return { format: 'npy', gzip };
  if (!gzip) {
    if (startsWith(head, PAR1)) return { format: 'parquet', gzip };
    if (startsWith(head, ARROW1) || startsWith(head, STREAM_CONTINUATION)) return { format: 'arrow', gzip };
  }
  let text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, 64 * 1024));
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // The old binary .xls (an .xlsx is read before this: see xlsx.ts): say how to get a CSV out of it.
  if (startsWith(head, OLE2) && extensionOf(name) === 'xls')
    throw new LoupeError(
      'unsupported-format',
      `${name} is an Excel 97–2003 workbook (.xls), which Loupe does not read. Save it as .xlsx, or the sheet as CSV (in Excel: File › Save As › CSV UTF-8), and open that.`,
      { file: name },
    );
  if (startsWith(head, ZIP) && (extensionOf(name) === 'ods' || /opendocument\.spreadsheet/.test(text.slice(0, 4096))))
    throw new LoupeError(
      'unsupported-format',
      `${name} is an OpenDocument spreadsheet (LibreOffice, Numbers). Save the sheet as CSV, or the workbook as .xlsx, and open that.`,
      { file: name },
    );
  if (startsWith(head, ZIP) && (extensionOf(name) === 'npz' || /\.npy/.test(text.slice(0, 4096))))
    throw new LoupeError(
      'unsupported-format',
      `${name} is a NumPy .npz archive. Save each array with np.save (a .npy file) and open those.`,
      { file: name },
    );
  if (/\u0000/.test(text.slice(0, 4096)) || byExt === 'parquet' || byExt === 'arrow' || byExt === 'npy') {
    throw new LoupeError(
      'unsupported-format',
      `${name} is not in a format Loupe reads${byExt ? ` (it is named .${extensionOf(name)} but its content is not ${byExt})` : ''}. Supported: ${SUPPORTED_FORMATS}.`,
      { file: name },
    );
  }
  const trimmed = text.trimStart();
  if (trimmed.length === 0)
    throw new LoupeError('empty-file', `${name} holds only whitespace: there is nothing to load.`, { file: name });
  if (trimmed[0] === '[') return { format: 'json', gzip };
  if (trimmed[0] === '{') return { format: byExt === 'json' && !/}\s*\n\s*{/.test(trimmed) ? 'json' : 'ndjson', gzip };
  if (byExt === 'tsv') return { format: 'tsv', gzip };
  const firstLine = trimmed.split(/\r?\n/, 1)[0];
  const tabs = firstLine.split('\t').length - 1;
  const commas = firstLine.split(',').length - 1;
  return { format: tabs > commas ? 'tsv' : 'csv', gzip };
}

/**
 * The delimiter of a CSV file: of `,` `;` `|` and tab, the one that occurs most often outside
 * double quotes in the header line (comma on a tie or when none occurs).
 */
export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
    ['|', 0],
  ]);
  let quoted = false;
  for (const ch of text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

/** Splits one CSV line on `delim`, honouring double quotes (`""` inside quotes is a quote). */
export function splitCsvLine(line: string, delim: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') ((cur += '"'), i++);
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delim) (out.push(cur), (cur = ''));
    else cur += ch;
  }
  out.push(cur);
  return out;
}

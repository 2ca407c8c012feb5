/** A CSV cell: quoted when it holds a comma, quote or line break; null and undefined are empty. */
export const csvCell = (v: unknown) => (v === null || v === undefined ? '' : /[",\n\r]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));

/** CSV text (a header row, then the rows), each line ending in a newline. */
export const csvText = (header: unknown[], rows: unknown[][]) => [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';

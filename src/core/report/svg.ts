/**
 * Small static SVG charts as text: for the self-contained HTML report (no scripts) and the drift
 * histograms. Every piece of text is escaped; numbers are formatted here.
 */

export const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const FONT = 'font-family="system-ui, sans-serif" font-size="11"';
const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3));

export interface BarSeries {
  name: string;
  values: number[];
  colour: string;
}

/** Grouped horizontal bars: one row per label, one bar per series, values from 0 to `max` (default the largest). */
export function barsSvg(
  labels: string[],
  series: BarSeries[],
  opts: { width?: number; max?: number; title: string },
): string {
  const width = opts.width ?? 560;
  const bar = 9;
  const rowH = series.length * bar + 8;
  const left = Math.min(200, 14 + 6.5 * Math.max(4, ...labels.map((l) => Math.min(28, l.length))));
  const top = 22;
  const height = top + labels.length * rowH + 24;
  const max = opts.max ?? Math.max(1e-12, ...series.flatMap((s) => s.values.filter(Number.isFinite)));
  const plot = width - left - 56;
  const x = (v: number) => left + (Math.max(0, v) / max) * plot;
  const parts: string[] = [];
  series.forEach((s, k) =>
    parts.push(
      `<rect x="${left + k * 110}" y="4" width="10" height="10" fill="${esc(s.colour)}"/><text x="${left + k * 110 + 14}" y="13" ${FONT}>${esc(s.name)}</text>`,
    ),
  );
  labels.forEach((l, i) => {
    const y0 = top + i * rowH;
    parts.push(
      `<text x="${left - 6}" y="${y0 + rowH / 2 + 3}" text-anchor="end" ${FONT}>${esc(l.length > 28 ? `${l.slice(0, 27)}…` : l)}</text>`,
    );
    series.forEach((s, k) => {
      const v = s.values[i];
      if (!Number.isFinite(v)) return;
      const y = y0 + 4 + k * bar;
      parts.push(
        `<rect x="${left}" y="${y}" width="${Math.max(0.5, x(v) - left).toFixed(1)}" height="${bar - 1}" fill="${esc(s.colour)}"><title>${esc(`${l} · ${s.name}: ${v}`)}</title></rect>`,
      );
      if (v !== 0)
        parts.push(`<text x="${(x(v) + 3).toFixed(1)}" y="${y + bar - 2}" ${FONT} fill="#4a5263">${fmt(v)}</text>`);
    });
  });
  parts.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${height - 20}" stroke="#9aa3b2"/>`);
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(opts.title)}"><title>${esc(opts.title)}</title>${parts.join('')}</svg>`;
}

/** A heatmap of counts (rows × columns) with the counts written in the cells; darker is more. */
export function heatmapSvg(
  rows: string[],
  cols: string[],
  matrix: number[][],
  opts: { title: string; axes: [string, string] },
): string {
  const cell = Math.max(18, Math.min(48, Math.floor(420 / Math.max(1, cols.length))));
  const left = Math.min(160, 20 + 6.5 * Math.max(...rows.map((r) => Math.min(22, r.length)), 4));
  const top = 40;
  const width = left + cols.length * cell + 10;
  const height = top + rows.length * cell + 10;
  const max = Math.max(1, ...matrix.flat());
  const parts: string[] = [
    `<text x="${left}" y="12" ${FONT} fill="#4a5263">${esc(opts.axes[1])} →</text>`,
    `<text x="4" y="${top - 4}" ${FONT} fill="#4a5263">${esc(opts.axes[0])} ↓</text>`,
  ];
  cols.forEach((c, j) =>
    parts.push(
      `<text x="${left + j * cell + cell / 2}" y="${top - 6}" text-anchor="middle" ${FONT}>${esc(c.length > 8 ? `${c.slice(0, 7)}…` : c)}</text>`,
    ),
  );
  rows.forEach((r, i) => {
    parts.push(
      `<text x="${left - 6}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end" ${FONT}>${esc(r.length > 22 ? `${r.slice(0, 21)}…` : r)}</text>`,
    );
    cols.forEach((c, j) => {
      const v = matrix[i][j];
      const t = v / max;
      // A sequential blue scale (light to dark), text white on dark cells.
      const shade = `rgb(${Math.round(239 - 200 * t)},${Math.round(243 - 160 * t)},${Math.round(255 - 110 * t)})`;
      parts.push(
        `<rect x="${left + j * cell}" y="${top + i * cell}" width="${cell - 1}" height="${cell - 1}" fill="${shade}"><title>${esc(`${r} → ${c}: ${v}`)}</title></rect>`,
      );
      if (cell >= 24)
        parts.push(
          `<text x="${left + j * cell + cell / 2}" y="${top + i * cell + cell / 2 + 4}" text-anchor="middle" ${FONT} fill="${t > 0.55 ? '#fff' : '#1d2330'}">${esc(v)}</text>`,
        );
    });
  });
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(opts.title)}"><title>${esc(opts.title)}</title>${parts.join('')}</svg>`;
}

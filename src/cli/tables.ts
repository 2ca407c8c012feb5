import type { EvalReport, Intervals, Metrics } from '../core/metrics/report';
import { plural } from '../core/errors';

const num = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(4);

/** Left-aligned first column (and those in `left`: text), right-aligned others (numbers). */
export function table(header: string[], rows: string[][], left: number[] = [0]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (left.includes(i) ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const interval = (i: [number, number] | null | undefined) => (i ? `[${num(i[0])}, ${num(i[1])}]` : '');

function metricRows(m: Metrics, iv: Intervals): string[][] {
  return Object.entries(m).map(([k, v]) => [k, num(v), interval(iv[k])]);
}

/** The report as readable tables for a terminal. */
export function formatReport(r: EvalReport, name: string): string {
  const out: string[] = [];
  const skipped = r.skipped ? ` (${plural(r.skipped, 'row')} without label or prediction left out)` : '';
  out.push(
    `${name}: ${r.task}, ${plural(r.rows, 'row')}${skipped}${r.classes.length ? `, ${plural(r.classes.length, 'class', 'classes')}` : ''}${r.positive ? `, positive class ${r.positive}` : ''}`,
  );
  out.push('', table(['metric', 'value', '95% interval'], metricRows(r.overall, r.intervals)));
  if (r.per_class.length) {
    out.push(
      '',
      table(
        ['class', 'precision', 'recall', 'f1', 'support'],
        r.per_class.map((c) => [c.class, num(c.precision), num(c.recall), num(c.f1), String(c.support)]),
      ),
    );
  }
  if (r.confusion) {
    out.push('', 'confusion (rows: true class, columns: predicted)');
    out.push(
      table(
        ['', ...r.confusion.labels],
        r.confusion.matrix.map((row, i) => [r.confusion!.labels[i], ...row.map(String)]),
      ),
    );
  }
  const key = r.task === 'regression' ? ['mae', 'rmse', 'r2'] : ['accuracy', 'macro_f1', 'log_loss'];
  for (const [col, groups] of Object.entries(r.groups)) {
    out.push('', `by ${col}`);
    out.push(
      table(
        [col, 'rows', ...key],
        Object.entries(groups).map(([v, g]) => [v, String(g.rows), ...key.map((k) => num(g[k] as number | null))]),
      ),
    );
  }
  if (r.slices.length) {
    out.push(
      '',
      table(
        ['where', 'rows', ...key],
        r.slices.map((s) => [s.where, String(s.rows), ...key.map((k) => num(s.metrics[k]))]),
      ),
    );
  }
  return out.join('\n') + '\n';
}

import { proxy } from 'comlink';
import type { DataIssues, EvalSpec, LabelIssues, QueueSource } from '../../engine/protocol';
import type { Vote } from '../../core/labels/agreement';
import { untrack } from 'svelte';
import type { Predicate } from '../../core/slices/predicate';
import type { Decision, DecisionKind } from './reviewStore';
import type { OpenDataset, Workbench } from './workbench.svelte';
import { messageOf } from '../../core/errors';
import { spaceNote } from '../../core/datalab/issues';
import { DecisionLog } from './decisionLog.svelte';
import { Reviewers } from './reviewers.svelte';

export type QueueItem = LabelIssues['issues'][number];
export type StatusFilter = 'all' | 'open' | DecisionKind;

const REVIEWER_KEY = 'loupe:reviewer';

/**
 * The review loop for the active dataset: a queue of likely label errors (or of another source),
 * one item at a time. What is decided is the decision log's (`log`: stored before the queue
 * advances, restored with the place in the queue on reopening); other reviewers' labels are
 * `reviewers`'.
 */
export class ReviewState {
  reviewer = $state<string | null>(null);
  /** Where the queue comes from; decisions are per row, so they carry over between sources. */
  source = $state<
    'issues' | 'near_duplicate' | 'outlier' | 'slice' | 'cell' | 'list' | 'sample' | 'disagreements' | 'all'
  >('issues');
  /** In a near-duplicate queue: each row's near duplicates (shown beside it). */
  nearSets = $state.raw(new Map<number, number[]>());
  /** Rows of the nearest-neighbour graph done, while a data-issue queue is being found. */
  progress = $state<{ done: number; total: number } | null>(null);
  /** The last data-issue search (one check), by dataset, roles and check. */
  private found: { key: string; result: DataIssues } | null = null;
  /** How the last data-issue queue's neighbours were found, in words (an approximate search says its recall). */
  searchNote = $state<string | null>(null);
  /** The rows of a `list` queue (such as a new model's regressions). */
  list = $state.raw<{ name: string; rows: number[] } | null>(null);
  /** The confusion-matrix cell of a `cell` queue. */
  cell = $state<{ given: string; predicted: string } | null>(null);
  /** Which items of the queue are shown (next and previous skip the others). */
  filter = $state<StatusFilter>('all');
  /** Every reviewer's label of the current item, and the vote (with imported reviewers). */
  votes = $state.raw<Vote | null>(null);
  queue = $state<QueueItem[]>([]);
  classes = $state<string[]>([]);
  index = $state(0);
  /** The current item's row: column name → value. */
  item = $state<Record<string, unknown> | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  /** Label health: issues per class, and the calibrated confident joint (rows given, columns true). */
  health = $state<{ perClass: LabelIssues['per_class']; joint: number[][] } | null>(null);
  /** The active reviewer's decisions. */
  readonly log: DecisionLog;
  /** Imported reviewers, their agreement with the active one and the vote. */
  readonly reviewers: Reviewers;
  /** When the current item was shown (for the time per item). */
  private shownAt = 0;
  /** The rows of the queue (for counting decisions on it). */
  private inQueue = new Set<number>();
  private datasetKey = '';

  constructor(private readonly wb: Workbench) {
    this.reviewers = new Reviewers(wb, () => ({ name: this.reviewer ?? 'you', labels: this.log.labels() }));
    this.log = new DecisionLog(wb, async (ds) => {
      if (this.reviewers.merge) await this.reviewers.refresh(ds);
    });
    try {
      this.reviewer = localStorage.getItem(REVIEWER_KEY);
    } catch {
      this.reviewer = null;
    }
  }

  /**
   * Opens a queue from another view and goes to the Review tab: the active slice's rows, a
   * confusion-matrix cell (given label, predicted class), or a list of rows (a comparison's regressions).
   */
  openQueue(
    from:
      | { kind: 'slice' }
      | { kind: 'cell'; given: string; predicted: string }
      | { kind: 'list'; name: string; rows: number[] },
  ): void {
    if (from.kind === 'cell') this.cell = { given: from.given, predicted: from.predicted };
    if (from.kind === 'list') this.list = { name: from.name, rows: from.rows };
    this.source = from.kind;
    this.wb.setView('review');
  }

  setReviewer(name: string): void {
    this.reviewer = name.trim() || null;
    try {
      if (this.reviewer) localStorage.setItem(REVIEWER_KEY, this.reviewer);
    } catch {
      /* the name is kept for this page */
    }
  }

  get current(): QueueItem | null {
    return this.queue[this.index] ?? null;
  }

  /** Decisions on the items of this queue, by kind (counted over the decisions, which are few, not the queue). */
  get counts(): Record<DecisionKind, number> {
    void this.queue;
    const c: Record<DecisionKind, number> = { accept: 0, relabel: 0, unsure: 0, skip: 0 };
    for (const d of Object.values(this.log.decisions)) if (this.inQueue.has(d.row)) c[d.decision]++;
    return c;
  }

  /** Median seconds per decided item of this queue (null before any). */
  get secondsPerItem(): number | null {
    void this.queue;
    const ms = Object.values(this.log.decisions)
      .flatMap((d) => (this.inQueue.has(d.row) && d.ms !== undefined ? [d.ms] : []))
      .sort((a, b) => a - b);
    return ms.length ? ms[Math.floor((ms.length - 1) / 2)] / 1000 : null;
  }

  matches(q: QueueItem | undefined): boolean {
    if (!q) return false;
    const d = this.log.decisions[q.row];
    return this.filter === 'all' || (this.filter === 'open' ? !d : d?.decision === this.filter);
  }

  /** Items of the queue the filter shows. */
  get shown(): number {
    const c = this.counts;
    if (this.filter === 'all') return this.queue.length;
    return this.filter === 'open' ? this.queue.length - Object.values(c).reduce((a, x) => a + x, 0) : c[this.filter];
  }

  async load(ds: OpenDataset): Promise<void> {
    const asked = this.wb.spec(ds);
    if (!asked || !this.reviewer) return;
    // The queue is always over the labels in the file (the reviewed ones are what it produces).
    const spec = { ...asked, labels: 'original' as const };
    // Likely label errors need class probabilities (a regression's largest errors, predictions):
    // without them the review starts on near duplicates (of the embedding or the numeric
    // features), or on a sample when there are neither.
    const ranked = spec.roles.task === 'regression' ? spec.roles.pred : spec.roles.probs;
    if (this.source === 'issues' && !ranked)
      this.source = spec.roles.embedding || spec.roles.features.length ? 'near_duplicate' : 'sample';
    let source: QueueSource;
    try {
      source =
        this.source === 'slice' && ds.slice
          ? { kind: 'slice', where: $state.snapshot(ds.slice.where) as Predicate }
          : this.source === 'cell' && this.cell
            ? { kind: 'cell', ...this.cell }
            : this.source === 'list' && this.list
              ? { kind: 'rows', rows: this.list.rows }
              : this.source === 'sample'
                ? { kind: 'sample', size: 100, seed: 1 }
                : this.source === 'disagreements'
                  ? { kind: 'rows', rows: await untrack(() => this.reviewers.disagreementRows(ds)) }
                  : this.source === 'near_duplicate' || this.source === 'outlier'
                    ? {
                        kind: 'rows',
                        rows: await untrack(() =>
                          this.dataIssueRows(ds, spec, this.source as 'near_duplicate' | 'outlier'),
                        ),
                      }
                    : this.source === 'all'
                      ? { kind: 'all' }
                      : { kind: 'issues' };
    } catch (e) {
      // A data-issue search that failed (no embedding or numeric features) or was cancelled.
      this.error = messageOf(e);
      this.datasetKey = '';
      return;
    }
    const key = JSON.stringify([
      ds.info.fingerprint,
      this.reviewer,
      spec.roles.label,
      spec.roles.probs,
      source,
      spec.positive,
      spec.threshold,
    ]);
    if (key === this.datasetKey) return;
    this.datasetKey = key;
    this.loading = true;
    this.error = null;
    try {
      const issues = await this.wb.engine.labelIssues(ds.info.id, spec, undefined, undefined, source);
      this.queue = issues.issues;
      this.inQueue = new Set(issues.issues.map((q) => q.row));
      this.health = { perClass: issues.per_class, joint: issues.joint };
      this.rowCache.clear();
      this.classes = Object.keys(issues.per_class);
      await this.log.open(ds, this.reviewer);
      const first = this.queue.findIndex((q) => !this.log.decisions[q.row] && this.matches(q));
      await this.go(
        ds,
        first < 0
          ? Math.max(
              0,
              this.queue.findIndex((q) => this.matches(q)),
            )
          : first,
      );
    } catch (e) {
      this.error = messageOf(e);
      this.datasetKey = '';
    } finally {
      this.loading = false;
    }
  }

  /**
   * The rows of a data-issue queue: near duplicates whose near duplicates carry another label
   * first, then the other near duplicates, most similar first; or outliers, most unusual first.
   * The search (a kNN graph of the embedding or features, in the worker) runs once per roles.
   */
  private async dataIssueRows(ds: OpenDataset, spec: EvalSpec, kind: 'near_duplicate' | 'outlier'): Promise<number[]> {
    const r = spec.roles;
    const key = JSON.stringify([ds.info.fingerprint, r.embedding, r.features, r.label, r.id, kind]);
    if (this.found?.key !== key) {
      this.progress = { done: 0, total: ds.info.rows };
      try {
        const result = await this.wb.engine.dataIssues(
          ds.info.id,
          spec,
          { issues: [kind] },
          proxy((done: number, total: number) => (this.progress = { done, total })),
        );
        this.found = { key, result };
      } finally {
        this.progress = null;
      }
    }
    const { near_duplicate: nd, outlier, space } = this.found.result;
    const search = space?.search;
    this.searchNote = space
      ? `${search?.method === 'approximate' ? `Approximate neighbours (NN-descent; ${(100 * search.recall).toFixed(1)}% of the exact neighbours found, measured on 100 rows)` : 'Exact neighbours'} of ${space.source === 'embedding' ? 'the embedding' : 'the numeric features'}, k = ${space.k}, ${space.metric} distance, as cleanlab Datalab.${spaceNote(space, this.found.result.rows) ? ` ${spaceNote(space, this.found.result.rows)}` : ''}`
      : null;
    if (kind === 'outlier') return outlier!.flagged;
    this.nearSets = new Map(nd!.sets.map((s) => [s[0], s.slice(1)]));
    const conflicting = new Set(nd!.conflicting ?? []);
    return [...conflicting, ...nd!.flagged.filter((x) => !conflicting.has(x))];
  }

  /** Rows' values by column, in the order asked (an item's near duplicates, shown beside it). */
  async rowsOf(ds: OpenDataset, rows: number[]): Promise<{ row: number; values: Record<string, unknown> }[]> {
    const page = await this.wb.engine.rows(ds.info.id, 0, 0, rows);
    return page.rows.map((r, i) => ({
      row: page.rowids?.[i] ?? rows[i],
      values: Object.fromEntries(page.columns.map((c, j) => [c, r[j]])),
    }));
  }

  /** An image cell's bytes (a binary column). */
  cellBytes(ds: OpenDataset, row: number, column: string): Promise<Uint8Array | null> {
    return this.wb.engine.cellBytes(ds.info.id, row, column);
  }

  /** Columns of text as Parquet bytes (the decisions export). */
  parquetOf(columns: Record<string, (string | null)[]>): Promise<Uint8Array> {
    return this.wb.engine.parquetFromColumns(columns);
  }

  /** Stops a data-issue search. */
  cancelSearch(): void {
    void this.wb.engine.cancelDataIssues();
  }

  async go(ds: OpenDataset, index: number): Promise<void> {
    if (!this.queue.length) return;
    this.index = Math.max(0, Math.min(this.queue.length - 1, index));
    const row = this.queue[this.index].row;
    const values = await this.fetchRow(ds, row);
    if (this.queue[this.index]?.row !== row) return; // moved on meanwhile
    this.item = values;
    this.shownAt = performance.now();
    const votes = this.reviewers.merge ? await this.voteOf(ds, this.queue[this.index]) : null;
    if (this.queue[this.index]?.row === row) this.votes = votes;
    // The next item is fetched now, so that it shows as the key lands.
    const next = this.queue[this.nextIndex(1)];
    if (next) void this.fetchRow(ds, next.row);
  }

  /** Every reviewer's label of an item (the active reviewer's first) and their vote. */
  private voteOf(ds: OpenDataset, q: QueueItem): Promise<Vote> {
    const d = this.log.decisions[q.row];
    const mine = d?.decision === 'accept' ? d.original_label : d?.decision === 'relabel' ? d.new_label : null;
    return this.reviewers.voteOf(ds, q.id, mine);
  }

  /** The next (dir 1) or previous (−1) item the filter shows; the current one when there is none. */
  private nextIndex(dir: 1 | -1): number {
    for (let i = this.index + dir; i >= 0 && i < this.queue.length; i += dir) if (this.matches(this.queue[i])) return i;
    return this.index;
  }

  /** After the filter changed: stays on the current item if it is shown, else goes to the first one shown. */
  async refilter(ds: OpenDataset): Promise<void> {
    if (this.matches(this.current ?? undefined)) return;
    const first = this.queue.findIndex((q) => this.matches(q));
    if (first >= 0) await this.go(ds, first);
  }

  step(ds: OpenDataset, dir: 1 | -1): Promise<void> {
    return this.go(ds, this.nextIndex(dir));
  }

  private rowCache = new Map<number, Promise<Record<string, unknown>>>();

  private fetchRow(ds: OpenDataset, row: number): Promise<Record<string, unknown>> {
    let p = this.rowCache.get(row);
    if (!p) {
      p = this.wb.engine
        .rows(ds.info.id, 0, 0, [row])
        .then((page) => Object.fromEntries(page.columns.map((c, i) => [c, page.rows[0]?.[i] ?? null])));
      if (this.rowCache.size > 64) this.rowCache.clear();
      this.rowCache.set(row, p);
      p.catch(() => this.rowCache.delete(row));
    }
    return p;
  }

  /** Records a decision on the current item (stored first), then shows the next one. */
  async decide(ds: OpenDataset, kind: DecisionKind, newLabel: string | null = null, comment = ''): Promise<void> {
    const q = this.current;
    if (!q || !this.reviewer || (kind === 'relabel' && newLabel === q.given)) return;
    const d: Decision = {
      dataset: ds.info.fingerprint,
      reviewer: this.reviewer,
      row: q.row,
      id: q.id,
      timestamp: new Date().toISOString(),
      original_label: q.given,
      decision: kind,
      new_label: kind === 'relabel' ? newLabel : null,
      comment,
      ms: Math.round(performance.now() - this.shownAt),
    };
    const next = this.nextIndex(1);
    await this.log.record(ds, d);
    await this.go(ds, next === this.index ? this.index + 1 : next);
  }

  /** Takes back this tab's last decision (see DecisionLog.undo) and shows its item. */
  async undo(ds: OpenDataset): Promise<void> {
    const row = await this.log.undo(ds);
    if (row !== null)
      await this.go(
        ds,
        this.queue.findIndex((q) => q.row === row),
      );
  }
}

import { proxy } from 'comlink';
import type { DataIssues, EvalSpec, LabelIssues, QueueSource, MergeSummary } from '../../engine/protocol';
import { majorityVote, type Vote } from '../../core/labels/agreement';
import { untrack } from 'svelte';
import type { Predicate } from '../../core/slices/predicate';
import { ReviewStore, type Decision, type DecisionKind } from './reviewStore';
import type { OpenDataset, Workbench } from './workbench.svelte';
import { messageOf } from '../../core/errors';

export type QueueItem = LabelIssues['issues'][number];
export type StatusFilter = 'all' | 'open' | DecisionKind;

const REVIEWER_KEY = 'loupe:reviewer';

/**
 * The review loop for the active dataset: a queue of likely label errors, one item at a time,
 * every decision stored durably before the queue advances (IndexedDB; in memory with a warning
 * when storage is unavailable), restored with the place in the queue on reopening.
 */
interface TabMessage {
  /** Dataset fingerprint and reviewer, as `ReviewState.owner`. */
  owner: string;
  type: 'put' | 'remove';
  decision: Decision;
}

const sameDecision = (a: Decision, b: Decision) =>
  a.timestamp === b.timestamp && a.decision === b.decision && a.new_label === b.new_label;

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
  /** Agreement with the imported reviewers and their majority vote (null: none imported). */
  merge = $state.raw<MergeSummary | null>(null);
  /** Bumped when a reviewer is imported or removed (the disagreement queue follows it). */
  othersVersion = $state(0);
  /** Every reviewer's label of the current item, and the vote (with imported reviewers). */
  votes = $state.raw<Vote | null>(null);
  importError = $state<string | null>(null);
  queue = $state<QueueItem[]>([]);
  classes = $state<string[]>([]);
  index = $state(0);
  decisions = $state<Record<number, Decision>>({});
  /** The current item's row: column name → value. */
  item = $state<Record<string, unknown> | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  storageWarning = $state<string | null>(null);
  /** Label health: issues per class, and the calibrated confident joint (rows given, columns true). */
  health = $state<{ perClass: LabelIssues['per_class']; joint: number[][] } | null>(null);
  /** Milliseconds the last decision took to be stored (for the benchmark). */
  lastStoreMs = $state<number | null>(null);
  private store: ReviewStore | null = null;
  /** When the current item was shown (for the time per item). */
  private shownAt = 0;
  /** This tab's own decisions, newest last: undo takes back only these. */
  private history: Decision[] = [];
  /** The dataset under review (decisions that arrive from other tabs are mirrored to it). */
  private ds: OpenDataset | null = null;
  /**
   * Other tabs reviewing the same data as the same reviewer: each stored decision and each undo is
   * announced, so every tab's counts, queue and exports follow what is stored (issue 12).
   */
  private readonly channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('loupe-review');
  /** The rows of the queue (for counting decisions on it). */
  private inQueue = new Set<number>();
  private datasetKey = '';
  /** The dataset and reviewer whose decisions are loaded. */
  private owner = '';

  constructor(private readonly wb: Workbench) {
    if (this.channel) this.channel.onmessage = (e) => this.fromOtherTab(e.data as TabMessage);
    try {
      this.reviewer = localStorage.getItem(REVIEWER_KEY);
    } catch {
      this.reviewer = null;
    }
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
    for (const d of Object.values(this.decisions)) if (this.inQueue.has(d.row)) c[d.decision]++;
    return c;
  }

  /** Median seconds per decided item of this queue (null before any). */
  get secondsPerItem(): number | null {
    void this.queue;
    const ms = Object.values(this.decisions)
      .flatMap((d) => (this.inQueue.has(d.row) && d.ms !== undefined ? [d.ms] : []))
      .sort((a, b) => a - b);
    return ms.length ? ms[Math.floor((ms.length - 1) / 2)] / 1000 : null;
  }

  matches(q: QueueItem | undefined): boolean {
    if (!q) return false;
    const d = this.decisions[q.row];
    return this.filter === 'all' || (this.filter === 'open' ? !d : d?.decision === this.filter);
  }

  /** Items of the queue the filter shows. */
  get shown(): number {
    const c = this.counts;
    if (this.filter === 'all') return this.queue.length;
    return this.filter === 'open' ? this.queue.length - Object.values(c).reduce((a, x) => a + x, 0) : c[this.filter];
  }

  /** The active reviewer's labels by id: accepted → the original label, relabelled → the new one. */
  private mine(): [string, string][] {
    return Object.values($state.snapshot(this.decisions) as Record<number, Decision>).flatMap((d) =>
      d.decision === 'accept'
        ? [[d.id, d.original_label] as [string, string]]
        : d.decision === 'relabel' && d.new_label !== null
          ? [[d.id, d.new_label] as [string, string]]
          : [],
    );
  }

  /** Agreement with the imported reviewers and the majority vote, computed in the data worker. */
  private async refreshMerge(ds: OpenDataset): Promise<void> {
    this.merge = await this.wb.engine.reviewMerge(ds.info.id, this.reviewer ?? 'you', this.mine());
  }

  /** Reads another reviewer's file into the data worker. */
  async importReviewer(ds: OpenDataset, file: File): Promise<void> {
    this.importError = null;
    try {
      await this.wb.engine.importReviewer(ds.info.id, { name: file.name, file }, this.reviewer ?? 'you');
      this.othersVersion++;
      await this.refreshMerge(ds);
    } catch (e) {
      this.importError = messageOf(e);
    }
  }

  async removeReviewer(ds: OpenDataset, i: number): Promise<void> {
    await this.wb.engine.removeReviewer(ds.info.id, i);
    this.othersVersion++;
    await this.refreshMerge(ds);
  }

  /** The majority-vote merge as CSV bytes. */
  mergedCsv(ds: OpenDataset): Promise<Uint8Array> {
    return this.wb.engine.mergedLabelsCsv(ds.info.id, this.reviewer ?? 'you', this.mine());
  }

  async load(ds: OpenDataset): Promise<void> {
    const asked = this.wb.spec(ds);
    if (!asked || !this.reviewer) return;
    // The queue is always over the labels in the file (the reviewed ones are what it produces).
    const spec = { ...asked, labels: 'original' as const };
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
                  ? { kind: 'rows', rows: await untrack(() => this.disagreementRows(ds)) }
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
    this.ds = ds;
    this.loading = true;
    this.error = null;
    try {
      const issues = await this.wb.engine.labelIssues(ds.info.id, spec, undefined, undefined, source);
      this.queue = issues.issues;
      this.inQueue = new Set(issues.issues.map((q) => q.row));
      this.health = { perClass: issues.per_class, joint: issues.joint };
      this.rowCache.clear();
      this.classes = Object.keys(issues.per_class);
      // Decisions are per dataset and reviewer: read once, kept when only the queue changes (so
      // nothing held only in memory is dropped when storage is unavailable).
      const owner = JSON.stringify([ds.info.fingerprint, this.reviewer]);
      if (owner !== this.owner) {
        this.owner = owner;
        this.decisions = {};
        this.history = [];
        try {
          this.store ??= await ReviewStore.open();
          const stored: Record<number, Decision> = {};
          for (const d of await this.store.all(ds.info.fingerprint, this.reviewer)) stored[d.row] = d;
          this.decisions = stored;
        } catch (e) {
          this.storageWarning = `Decisions cannot be stored in this browser (${messageOf(e)}): they are kept in this page only — export them before closing it.`;
        }
      }
      this.mirror(ds);
      const first = this.queue.findIndex((q) => !this.decisions[q.row] && this.matches(q));
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
      ? `${search?.method === 'approximate' ? `Approximate neighbours (an index of ${search.lists} lists; ${(100 * search.recall).toFixed(1)}% of the exact neighbours found, measured on 100 rows)` : 'Exact neighbours'} of ${space.source === 'embedding' ? 'the embedding' : 'the numeric features'}, k = ${space.k}, ${space.metric} distance, as cleanlab Datalab.`
      : null;
    if (kind === 'outlier') return outlier!.flagged;
    this.nearSets = new Map(nd!.sets.map((s) => [s[0], s.slice(1)]));
    const conflicting = new Set(nd!.conflicting);
    return [...nd!.conflicting, ...nd!.flagged.filter((x) => !conflicting.has(x))];
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

  /** Rows of the ids reviewers disagree on: ties (left open by the majority vote) first, then those with a majority. */
  private async disagreementRows(ds: OpenDataset): Promise<number[]> {
    const rows = await this.wb.engine.rowsOfIds(ds.info.id, ds.roles?.id ?? null, this.merge?.disagreements ?? []);
    return rows.filter((r) => r >= 0);
  }

  async go(ds: OpenDataset, index: number): Promise<void> {
    if (!this.queue.length) return;
    this.index = Math.max(0, Math.min(this.queue.length - 1, index));
    const row = this.queue[this.index].row;
    const values = await this.fetchRow(ds, row);
    if (this.queue[this.index]?.row !== row) return; // moved on meanwhile
    this.item = values;
    this.shownAt = performance.now();
    const votes = this.merge ? await this.voteOf(ds, this.queue[this.index]) : null;
    if (this.queue[this.index]?.row === row) this.votes = votes;
    // The next item is fetched now, so that it shows as the key lands.
    const next = this.queue[this.nextIndex(1)];
    if (next) void this.fetchRow(ds, next.row);
  }

  /** Every reviewer's label of an item (the active reviewer's first) and their vote. */
  private async voteOf(ds: OpenDataset, q: QueueItem): Promise<Vote> {
    const d = this.decisions[q.row];
    const mine = d?.decision === 'accept' ? d.original_label : d?.decision === 'relabel' ? d.new_label : null;
    const labels = [mine, ...(await this.wb.engine.reviewLabelsOf(ds.info.id, q.id))];
    return (
      majorityVote(labels.map((l) => new Map(l === null ? [] : [[q.id, l]])))[0] ?? {
        id: q.id,
        labels,
        merged: null,
        status: 'single',
      }
    );
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
    if (this.store) {
      try {
        const t0 = performance.now();
        await this.store.put(d);
        this.lastStoreMs = performance.now() - t0;
      } catch (e) {
        this.storageWarning = `The last decision could not be stored (${messageOf(e)}); it is kept in this page — export your decisions.`;
      }
    }
    const next = this.nextIndex(1);
    this.decisions[q.row] = d;
    this.history.push(d);
    this.announce({ type: 'put', decision: d });
    this.mirror(ds, q.row);
    await this.go(ds, next === this.index ? this.index + 1 : next);
  }

  private mirrorTimer: ReturnType<typeof setTimeout> | null = null;
  /** Rows whose decision changed since DuckDB's copy was last updated ('all': write it whole). */
  private dirty: Set<number> | 'all' = 'all';

  /**
   * Mirrors the decisions into DuckDB (table reviews_<dataset>) once the reviewer pauses: the rows
   * that changed (`row`), one table row each, or every decision (no `row`: a new queue or reviewer).
   */
  private mirror(ds: OpenDataset, row?: number): void {
    if (row === undefined) this.dirty = 'all';
    else if (this.dirty !== 'all') this.dirty.add(row);
    if (this.mirrorTimer) clearTimeout(this.mirrorTimer);
    this.mirrorTimer = setTimeout(() => void this.sync(ds).catch(() => {}), 300);
  }

  private async sync(ds: OpenDataset): Promise<void> {
    const all = $state.snapshot(this.decisions) as Record<number, Decision>;
    const dirty = this.dirty;
    this.dirty = new Set();
    const asRow = ({ row, decision, new_label }: Decision) => ({ row, decision, new_label });
    try {
      if (dirty === 'all') await this.wb.engine.syncReviews(ds.info.id, Object.values(all).map(asRow));
      else if (dirty.size)
        await this.wb.engine.updateReviews(
          ds.info.id,
          [...dirty].flatMap((r) => (all[r] ? [asRow(all[r])] : [])),
          [...dirty].filter((r) => !all[r]),
        );
      else return;
    } catch (e) {
      this.dirty = 'all'; // write it whole next time
      throw e;
    }
    ds.reviews = { count: Object.keys(all).length, version: ds.reviews.version + 1 };
    if (this.merge) await this.refreshMerge(ds);
  }

  /** The dataset with `label_reviewed` (reviewed label where relabelled, else the label), as CSV or Parquet. */
  async corrected(ds: OpenDataset, format: 'csv' | 'parquet'): Promise<Uint8Array> {
    await this.sync(ds);
    return this.wb.engine.exportCorrected(ds.info.id, ds.roles!.label!, format);
  }

  /** Takes back this tab's last decision, unless another tab has decided that row since (then it is left as stored). */
  async undo(ds: OpenDataset): Promise<void> {
    const mine = this.history.pop();
    if (!mine || !this.reviewer) return;
    const { row } = mine;
    const stored = this.store ? await this.store.get(mine).catch(() => undefined) : this.decisions[row];
    if (stored && !sameDecision(stored, mine)) {
      this.storageWarning = `Row ${row + 1} was decided again in another tab after this one; that decision is kept.`;
      if (!this.store) return;
      this.decisions[row] = stored;
    } else {
      delete this.decisions[row];
      await this.store?.remove(mine).catch(() => {});
      this.announce({ type: 'remove', decision: mine });
    }
    this.mirror(ds, row);
    await this.go(
      ds,
      this.queue.findIndex((q) => q.row === row),
    );
  }

  private announce(m: Omit<TabMessage, 'owner'>): void {
    this.channel?.postMessage({ ...m, owner: this.owner });
  }

  /** A decision stored, or taken back, by another tab of the same reviewer on the same data. */
  private fromOtherTab(m: TabMessage): void {
    if (!m || m.owner !== this.owner || !this.ds) return;
    const d = m.decision;
    const held = this.decisions[d.row];
    if (m.type === 'put') {
      this.decisions[d.row] = d;
      // A row this tab decided and another decided since: undo here must not take it back.
      this.history = this.history.filter((h) => h.row !== d.row);
    } else if (held && sameDecision(held, d)) {
      delete this.decisions[d.row];
    }
    this.mirror(this.ds, d.row);
  }
}

import type { LabelIssues, QueueSource } from '../../engine/labelIssues';
import type { Predicate } from '../../core/slices/predicate';
import { ReviewStore, type Decision, type DecisionKind } from './reviewStore';
import type { OpenDataset, Workbench } from './workbench.svelte';

export type QueueItem = LabelIssues['issues'][number];

const REVIEWER_KEY = 'loupe:reviewer';

/**
 * The review loop for the active dataset: a queue of likely label errors, one item at a time,
 * every decision stored durably before the queue advances (IndexedDB; in memory with a warning
 * when storage is unavailable), restored with the place in the queue on reopening.
 */
export class ReviewState {
  reviewer = $state<string | null>(null);
  /** Where the queue comes from; decisions are per row, so they carry over between sources. */
  source = $state<'issues' | 'slice' | 'sample' | 'all'>('issues');
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
  private history: number[] = [];
  private datasetKey = '';

  constructor(private readonly wb: Workbench) {
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

  /** Decisions on the items of this queue, by kind. */
  get counts(): Record<DecisionKind, number> {
    const c: Record<DecisionKind, number> = { accept: 0, relabel: 0, unsure: 0, skip: 0 };
    for (const q of this.queue) {
      const d = this.decisions[q.row];
      if (d) c[d.decision]++;
    }
    return c;
  }

  async load(ds: OpenDataset): Promise<void> {
    const spec = this.wb.spec(ds);
    if (!spec || !this.reviewer) return;
    const source: QueueSource =
      this.source === 'slice' && ds.slice ? { kind: 'slice', where: $state.snapshot(ds.slice.where) as Predicate }
      : this.source === 'sample' ? { kind: 'sample', size: 100, seed: 1 }
      : this.source === 'all' ? { kind: 'all' }
      : { kind: 'issues' };
    const key = JSON.stringify([ds.info.fingerprint, this.reviewer, spec.roles.label, spec.roles.probs, source]);
    if (key === this.datasetKey) return;
    this.datasetKey = key;
    this.loading = true;
    this.error = null;
    try {
      const issues = await this.wb.engine.labelIssues(ds.info.id, spec, undefined, undefined, source);
      this.queue = issues.issues;
      this.health = { perClass: issues.per_class, joint: issues.joint };
      this.rowCache.clear();
      this.classes = Object.keys(issues.per_class);
      this.decisions = {};
      this.history = [];
      try {
        this.store ??= await ReviewStore.open();
        for (const d of await this.store.all(ds.info.fingerprint, this.reviewer)) this.decisions[d.row] = d;
      } catch (e) {
        this.storageWarning = `Decisions cannot be stored in this browser (${e instanceof Error ? e.message : String(e)}): they are kept in this page only — export them before closing it.`;
      }
      this.mirror(ds);
      const first = this.queue.findIndex((q) => !this.decisions[q.row]);
      await this.go(ds, first < 0 ? Math.max(0, this.queue.length - 1) : first);
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      this.datasetKey = '';
    } finally {
      this.loading = false;
    }
  }

  async go(ds: OpenDataset, index: number): Promise<void> {
    if (!this.queue.length) return;
    this.index = Math.max(0, Math.min(this.queue.length - 1, index));
    const row = this.queue[this.index].row;
    const values = await this.fetchRow(ds, row);
    if (this.queue[this.index]?.row !== row) return; // moved on meanwhile
    this.item = values;
    // The next item is fetched now, so that it shows as the key lands.
    const next = this.queue[this.index + 1];
    if (next) void this.fetchRow(ds, next.row);
  }

  private rowCache = new Map<number, Promise<Record<string, unknown>>>();

  private fetchRow(ds: OpenDataset, row: number): Promise<Record<string, unknown>> {
    let p = this.rowCache.get(row);
    if (!p) {
      p = this.wb.engine.rows(ds.info.id, 0, 0, [row]).then((page) => Object.fromEntries(page.columns.map((c, i) => [c, page.rows[0]?.[i] ?? null])));
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
      dataset: ds.info.fingerprint, reviewer: this.reviewer, row: q.row, id: q.id, timestamp: new Date().toISOString(),
      original_label: q.given, decision: kind, new_label: kind === 'relabel' ? newLabel : null, comment,
    };
    if (this.store) {
      try {
        const t0 = performance.now();
        await this.store.put(d);
        this.lastStoreMs = performance.now() - t0;
      } catch (e) {
        this.storageWarning = `The last decision could not be stored (${e instanceof Error ? e.message : String(e)}); it is kept in this page — export your decisions.`;
      }
    }
    this.decisions[q.row] = d;
    this.history.push(q.row);
    this.mirror(ds);
    await this.go(ds, this.index + 1);
  }

  private mirrorTimer: ReturnType<typeof setTimeout> | null = null;

  /** Mirrors the decisions into DuckDB (table reviews_<dataset>) once the reviewer pauses. */
  private mirror(ds: OpenDataset): void {
    if (this.mirrorTimer) clearTimeout(this.mirrorTimer);
    this.mirrorTimer = setTimeout(() => {
      const rows = Object.values($state.snapshot(this.decisions) as Record<number, Decision>).map(({ row, decision, new_label }) => ({ row, decision, new_label }));
      void this.wb.engine.syncReviews(ds.info.id, rows).catch(() => {});
    }, 300);
  }

  /** The dataset with `label_reviewed` (reviewed label where relabelled, else the label), as CSV. */
  async correctedCsv(ds: OpenDataset): Promise<Uint8Array> {
    const rows = Object.values($state.snapshot(this.decisions) as Record<number, Decision>).map(({ row, decision, new_label }) => ({ row, decision, new_label }));
    await this.wb.engine.syncReviews(ds.info.id, rows);
    return this.wb.engine.correctedCsv(ds.info.id, ds.roles!.label!);
  }

  async undo(ds: OpenDataset): Promise<void> {
    const row = this.history.pop();
    if (row === undefined || !this.reviewer) return;
    delete this.decisions[row];
    await this.store?.remove({ dataset: ds.info.fingerprint, reviewer: this.reviewer, row }).catch(() => {});
    this.mirror(ds);
    await this.go(ds, this.queue.findIndex((q) => q.row === row));
  }
}

import { messageOf } from '../../core/errors';
import { ReviewStore, type Decision } from './reviewStore';
import type { OpenDataset, Workbench } from './workbench.svelte';
import { measure } from '../timing';

interface TabMessage {
  /** Dataset fingerprint and reviewer, as `DecisionLog.owner`. */
  owner: string;
  type: 'put' | 'remove';
  decision: Decision;
}

const sameDecision = (a: Decision, b: Decision) =>
  a.timestamp === b.timestamp && a.decision === b.decision && a.new_label === b.new_label;

/**
 * One reviewer's decisions on one dataset: every decision stored durably before the queue moves on
 * (IndexedDB; in memory with a warning when storage is unavailable), undone only by the tab that
 * made it, shared with other tabs of the same reviewer, and mirrored into DuckDB (one table row
 * per decided row) once the reviewer pauses.
 */
export class DecisionLog {
  /** By row. */
  decisions = $state<Record<number, Decision>>({});
  storageWarning = $state<string | null>(null);
  private store: ReviewStore | null = null;
  /** This tab's own decisions, newest last: undo takes back only these. */
  private history: Decision[] = [];
  /** The dataset and reviewer whose decisions are loaded. */
  private owner = '';
  /** The dataset under review (decisions that arrive from other tabs are mirrored to it). */
  private ds: OpenDataset | null = null;
  /**
   * Other tabs reviewing the same data as the same reviewer: each stored decision and each undo is
   * announced, so every tab's counts, queue and exports follow what is stored (issue 12).
   */
  private readonly channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('loupe-review');
  private mirrorTimer: ReturnType<typeof setTimeout> | null = null;
  /** Rows whose decision changed since DuckDB's copy was last updated ('all': write it whole). */
  private dirty: Set<number> | 'all' = 'all';

  /** `synced`: called after DuckDB's copy was updated (agreement with other reviewers follows it). */
  constructor(
    private readonly wb: Workbench,
    private readonly synced: (ds: OpenDataset) => Promise<void>,
  ) {
    if (this.channel) this.channel.onmessage = (e) => this.fromOtherTab(e.data as TabMessage);
  }

  /**
   * The decisions of `reviewer` on `ds`: read once, kept while only the queue changes (so nothing
   * held only in memory is dropped when storage is unavailable), and mirrored whole.
   */
  async open(ds: OpenDataset, reviewer: string): Promise<void> {
    this.ds = ds;
    const owner = JSON.stringify([ds.info.fingerprint, reviewer]);
    if (owner !== this.owner) {
      this.owner = owner;
      this.decisions = {};
      this.history = [];
      try {
        this.store ??= await ReviewStore.open();
        const stored: Record<number, Decision> = {};
        for (const d of await this.store.all(ds.info.fingerprint, reviewer)) stored[d.row] = d;
        this.decisions = stored;
      } catch (e) {
        this.storageWarning = `Decisions cannot be stored in this browser (${messageOf(e)}): they are kept in this page only — export them before closing it.`;
      }
    }
    this.mirror(ds);
  }

  /** Stores a decision (before anything else), then records it here and in the other tabs. */
  async record(ds: OpenDataset, d: Decision): Promise<void> {
    if (this.store) {
      try {
        const t0 = performance.now();
        await this.store.put(d);
        measure('store-decision', t0);
      } catch (e) {
        this.storageWarning = `The last decision could not be stored (${messageOf(e)}); it is kept in this page — export your decisions.`;
      }
    }
    this.decisions[d.row] = d;
    this.history.push(d);
    this.announce({ type: 'put', decision: d });
    this.mirror(ds, d.row);
  }

  /** Takes back this tab's last decision, unless another tab has decided that row since (then it is left as stored); its row. */
  async undo(ds: OpenDataset): Promise<number | null> {
    const mine = this.history.pop();
    if (!mine) return null;
    const { row } = mine;
    const stored = this.store ? await this.store.get(mine).catch(() => undefined) : this.decisions[row];
    if (stored && !sameDecision(stored, mine)) {
      this.storageWarning = `Row ${row + 1} was decided again in another tab after this one; that decision is kept.`;
      if (!this.store) return null;
      this.decisions[row] = stored;
    } else {
      delete this.decisions[row];
      await this.store?.remove(mine).catch(() => {});
      this.announce({ type: 'remove', decision: mine });
    }
    this.mirror(ds, row);
    return row;
  }

  /** The reviewer's labels by id: accepted → the original label, relabelled → the new one. */
  labels(): [string, string][] {
    return Object.values($state.snapshot(this.decisions) as Record<number, Decision>).flatMap((d) =>
      d.decision === 'accept'
        ? [[d.id, d.original_label] as [string, string]]
        : d.decision === 'relabel' && d.new_label !== null
          ? [[d.id, d.new_label] as [string, string]]
          : [],
    );
  }

  /** The dataset with `label_reviewed` (reviewed label where relabelled, else the label), as CSV or Parquet. */
  async corrected(ds: OpenDataset, format: 'csv' | 'parquet'): Promise<Uint8Array> {
    await this.sync(ds);
    return this.wb.engine.exportCorrected(ds.info.id, ds.roles!.label!, format, ds.roles!.task);
  }

  /**
   * Mirrors the decisions into DuckDB (table reviews_<dataset>) once the reviewer pauses: the rows
   * that changed (`row`), one table row each, or every decision (no `row`).
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
    await this.synced(ds);
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

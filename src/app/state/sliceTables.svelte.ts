import { proxy } from 'comlink';
import { BOOTSTRAP_RESAMPLES } from '../../core/metrics/bootstrap';
import type { Evaluation } from '../../core/metrics/report';
import type { Predicate } from '../../core/slices/predicate';
import { isCancelled, messageOf } from '../../core/errors';
import type { EvalOptions, EvalSpec } from '../../engine/protocol';
import { Latest } from './latest';
import type { OpenDataset, Workbench } from './workbench.svelte';

/** A slice in a table, with its metrics once computed. */
export interface SliceEntry {
  name: string;
  where: Predicate;
  evaluation: Evaluation | null;
}

type Run = (opts: EvalOptions, onProgress?: (done: number, total: number) => void) => Promise<Evaluation[]>;

/**
 * The Slices tab's tables: the whole dataset's metrics, the saved slices' and a column's groups',
 * each point metrics first and bootstrap intervals after; every table keeps only its newest request.
 */
export class SliceTables {
  overall = $state<Evaluation | null>(null);
  saved = $state<SliceEntry[]>([]);
  byColumn = $state<SliceEntry[]>([]);
  progress = $state<string | null>(null);
  error = $state<string | null>(null);
  private readonly slots = { overall: new Latest(), saved: new Latest(), groups: new Latest() };

  constructor(private readonly workbench: () => Workbench) {}

  private get engine() {
    return this.workbench().engine;
  }

  refreshOverall(ds: OpenDataset, spec: EvalSpec): void {
    void this.slots.overall
      .run(
        () => this.engine.evaluate(ds.info.id, spec, null),
        (r) => (this.overall = r.evaluation),
      )
      .catch((e) => (this.error = messageOf(e)));
  }

  refreshSaved(ds: OpenDataset, spec: EvalSpec, slices: { name: string; where: Predicate }[]): Promise<void> {
    const wheres = slices.map((s) => s.where);
    return this.evaluateList(
      slices,
      'saved',
      (e) => (this.saved = e),
      (opts, p) => this.engine.evaluateMany(ds.info.id, spec, wheres, opts, p),
    );
  }

  /** "Slice by column": the column's groups (values, or bins of a numeric one) and their metrics. */
  async sliceBy(ds: OpenDataset, spec: EvalSpec, column: string, bins: number): Promise<void> {
    this.error = null;
    try {
      const groups = await this.engine.groups(ds.info.id, column, bins);
      const list = groups.map((g) => ({
        name: `${column} ${/^[[(]/.test(g.label) ? 'in' : g.label === 'other' || g.label === 'null' ? 'is' : '='} ${g.label}`,
        where: g.where,
      }));
      await this.evaluateList(
        list,
        'groups',
        (e) => (this.byColumn = e),
        (opts, p) => this.engine.evaluateGroups(ds.info.id, spec, column, groups, opts, p),
      );
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  /** Point metrics first, then bootstrap intervals in the background (a newer table replaces it). */
  private async evaluateList(
    list: { name: string; where: Predicate }[],
    channel: 'saved' | 'groups',
    set: (e: SliceEntry[]) => void,
    run: Run,
  ): Promise<void> {
    const slot = this.slots[channel];
    set(list.map((s) => ({ ...s, evaluation: null })));
    try {
      const fresh = await slot.run(
        () => run({ channel }),
        (points) => set(list.map((s, i) => ({ ...s, evaluation: points[i] }))),
      );
      if (!fresh) return;
      this.progress = `Intervals: 0 / ${list.length} slices`;
      const progress = proxy((done: number, total: number) => (this.progress = `Intervals: ${done} / ${total} slices`));
      await slot.run(
        () => run({ resamples: BOOTSTRAP_RESAMPLES, channel }, progress),
        (full) => set(list.map((s, i) => ({ ...s, evaluation: full[i] }))),
      );
      this.progress = null;
    } catch (e) {
      if (!isCancelled(e)) this.error = messageOf(e);
      this.progress = null;
    }
  }
}

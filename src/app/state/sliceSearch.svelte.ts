import { proxy } from 'comlink';
import { isCancelled, messageOf } from '../../core/errors';
import type { FindOptions } from '../../engine/protocol';
import type { OpenDataset, Workbench } from './workbench.svelte';

/**
 * "Find failing slices": SliceLine, then the error tree on the same features; progress by level,
 * Cancel, and the results kept with the dataset (`ds.found`) for when the user comes back.
 */
export class SliceSearch {
  /** The search's progress by level; `tree`: the slices are found and the error tree is growing. */
  running = $state<{ level: number; done: number; total: number; tree?: true } | null>(null);
  problem = $state<string | null>(null);

  constructor(private readonly wb: Workbench) {}

  async run(ds: OpenDataset, opts: FindOptions): Promise<void> {
    const spec = this.wb.spec(ds);
    if (!spec) return;
    this.problem = null;
    this.running = { level: 1, done: 0, total: 0 };
    try {
      ds.found = null;
      const found = await this.wb.engine.findSlices(
        ds.info.id,
        spec,
        opts,
        proxy((level: number, done: number, total: number) => (this.running = { level, done, total })),
      );
      ds.found = { report: found, tree: null };
      this.running = { ...this.running!, tree: true };
      const { features, bins, binning, error } = opts;
      ds.found.tree = await this.wb.engine.errorTree(ds.info.id, spec, { features, bins, binning, error });
    } catch (e) {
      if (!isCancelled(e)) this.problem = messageOf(e);
    } finally {
      this.running = null;
    }
  }

  cancel(): void {
    void this.wb.engine.cancelSlices();
  }
}

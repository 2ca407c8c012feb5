import type { MergeSummary } from '../../engine/protocol';
import { mergeVotes, type Vote } from '../../core/labels/agreement';
import { messageOf } from '../../core/errors';
import type { OpenDataset, Workbench } from './workbench.svelte';

/**
 * Other reviewers' label files imported beside the active reviewer's decisions: kept and merged
 * in the data worker (agreement, majority vote, the merged labels); here only what is shown.
 */
export class Reviewers {
  /** Agreement with the imported reviewers and their majority vote (null: none imported). */
  merge = $state.raw<MergeSummary | null>(null);
  /** Bumped when a reviewer is imported or removed (the disagreement queue follows it). */
  version = $state(0);
  importError = $state<string | null>(null);

  /** `mine`: the active reviewer's name and labels by id. */
  constructor(
    private readonly wb: Workbench,
    private readonly mine: () => { name: string; labels: [string, string][] },
  ) {}

  /** Agreement and the merge, recomputed (after an import, a removal or new decisions). */
  async refresh(ds: OpenDataset): Promise<void> {
    const { name, labels } = this.mine();
    this.merge = await this.wb.engine.reviewMerge(ds.info.id, name, labels, numeric(ds));
  }

  /** Reads another reviewer's file (its id and label columns) into the data worker. */
  async import(ds: OpenDataset, file: File): Promise<void> {
    this.importError = null;
    try {
      await this.wb.engine.importReviewer(
        ds.info.id,
        { name: file.name, file },
        this.mine().name,
        numeric(ds),
        ds.roles?.id ?? null,
      );
      this.version++;
      await this.refresh(ds);
    } catch (e) {
      this.importError = messageOf(e);
    }
  }

  async remove(ds: OpenDataset, i: number): Promise<void> {
    await this.wb.engine.removeReviewer(ds.info.id, i);
    this.version++;
    await this.refresh(ds);
  }

  /** The merge as CSV bytes. */
  mergedCsv(ds: OpenDataset): Promise<Uint8Array> {
    const { name, labels } = this.mine();
    return this.wb.engine.mergedLabelsCsv(ds.info.id, name, labels, numeric(ds));
  }

  /** Rows of the ids reviewers disagree on, in the merge's order (ties first; numbers, the widest spread first). */
  async disagreementRows(ds: OpenDataset): Promise<number[]> {
    const rows = await this.wb.engine.rowsOfIds(ds.info.id, ds.roles?.id ?? null, this.merge?.disagreements ?? []);
    return rows.filter((r) => r >= 0);
  }

  /** Every reviewer's label of an id (the active reviewer's, `mine`, first) and their merge. */
  async voteOf(ds: OpenDataset, id: string, mine: string | null): Promise<Vote> {
    const labels = [mine, ...(await this.wb.engine.reviewLabelsOf(ds.info.id, id))];
    return (
      mergeVotes(
        labels.map((l) => new Map(l === null ? [] : [[id, l]])),
        numeric(ds),
      )[0] ?? {
        id,
        labels,
        merged: null,
        status: 'single',
      }
    );
  }
}

/** A regression's labels are numbers: merged to their median, agreement by Krippendorff's alpha. */
const numeric = (ds: OpenDataset) => ds.roles?.task === 'regression';

import { proxy } from 'comlink';
import { isCancelled, messageOf } from '../../core/errors';
import { BOOTSTRAP_RESAMPLES } from '../../core/metrics/bootstrap';
import type { Evaluation } from '../../core/metrics/report';
import type { Predicate } from '../../core/slices/predicate';
import type { EvalResult, EvalSpec, ReviewSummary } from '../../engine/protocol';
import type { OpenDataset, Workbench } from './workbench.svelte';
import { measure } from '../timing';

export interface Progress {
  done: number;
  total: number;
}

/**
 * Intervals start once the user has settled for this long: a threshold moved step by step, or slices
 * clicked through, start none (their first pass over millions of rows would delay the next step).
 */
const INTERVALS_DELAY_MS = 1000;

/**
 * Metrics of the active dataset and slice: point values first (fast), then bootstrap intervals in
 * the background. Requests are keyed by their inputs; a newer one replaces an older one (latest wins).
 */
export class EvalState {
  result = $state<EvalResult | null>(null);
  /** The evaluation with bootstrap intervals, once computed for the current inputs. */
  withIntervals = $state<Evaluation | null>(null);
  boot = $state<Progress | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);
  /** Side by side with the original labels: the same slice on the reviewed labels, and what the review found. */
  reviewed = $state<{ evaluation: Evaluation; summary: ReviewSummary } | null>(null);
  private key = '';
  private generation = 0;

  constructor(private readonly wb: Workbench) {}

  /** The JSON report (as `loupe eval --json`) of the whole data and each saved slice, with intervals. */
  reportJson(ds: OpenDataset, spec: EvalSpec): Promise<string> {
    return this.wb.engine.reportJson(ds.info.id, spec, {
      where: $state.snapshot(ds.slices).map((s) => s.where) as Predicate[],
      resamples: BOOTSTRAP_RESAMPLES,
    });
  }

  /** The evaluation to show: with intervals when they are ready. */
  get evaluation(): Evaluation | null {
    return this.withIntervals ?? this.result?.evaluation ?? null;
  }

  /** Recomputes when the dataset, roles, spec or slice changed. */
  async refresh(ds: OpenDataset): Promise<void> {
    const spec = this.wb.spec(ds);
    if (!spec) return;
    const where = ds.slice ? ($state.snapshot(ds.slice.where) as Predicate) : null;
    const both = ds.labels === 'both' && ds.reviews.count > 0;
    const key = JSON.stringify([ds.info.id, spec, where, both, spec.labels || both ? ds.reviews.version : 0]);
    if (key === this.key) return;
    this.key = key;
    const generation = ++this.generation;
    this.busy = true;
    this.withIntervals = null;
    this.boot = null;
    const t0 = performance.now();
    try {
      const r = await this.wb.engine.evaluate(ds.info.id, spec, where, { channel: 'active' });
      if (generation !== this.generation) return;
      this.result = r;
      this.error = null;
      measure('evaluate', t0);
      if (both) {
        const [rev, summary] = await Promise.all([
          this.wb.engine.evaluate(ds.info.id, { ...spec, labels: 'reviewed' }, where, { channel: 'reviewed' }),
          this.wb.engine.reviewSummary(ds.info.id, spec),
        ]);
        if (generation === this.generation) this.reviewed = { evaluation: rev.evaluation, summary };
      } else this.reviewed = null;
    } catch (e) {
      if (generation !== this.generation) return;
      this.result = null;
      this.error = messageOf(e);
      this.key = '';
      return;
    } finally {
      if (generation === this.generation) this.busy = false;
    }
    // Intervals start once the user settles on a slice (clicking through slices starts none).
    setTimeout(() => {
      if (generation === this.generation) void this.intervals(ds.info.id, spec, where, generation);
    }, INTERVALS_DELAY_MS);
  }

  private async intervals(id: string, spec: EvalSpec, where: Predicate | null, generation: number): Promise<void> {
    this.boot = { done: 0, total: BOOTSTRAP_RESAMPLES };
    try {
      const r = await this.wb.engine.evaluate(
        id,
        spec,
        where,
        { resamples: BOOTSTRAP_RESAMPLES, channel: 'active' },
        proxy((done: number, total: number) => {
          if (generation === this.generation) this.boot = { done, total };
        }),
      );
      if (generation !== this.generation) return;
      this.withIntervals = r.evaluation;
    } catch (e) {
      if (generation === this.generation && !isCancelled(e)) this.error = messageOf(e);
    } finally {
      if (generation === this.generation) this.boot = null;
    }
  }

  /**
   * The view is left: intervals not computed yet stop, or do not start (their timer may still be
   * pending: they would slow what the user went to do), and start again on return; computed ones stay.
   */
  leave(): void {
    // Stopped (if running) and what the engine kept for them let go: other views need the memory.
    void this.wb.engine.stopIntervals('active');
    if (this.withIntervals) return;
    this.generation++;
    this.key = '';
    this.boot = null;
  }

  /** Forgets the cached key so the next refresh recomputes (after roles change, say). */
  invalidate(): void {
    this.key = '';
  }
}

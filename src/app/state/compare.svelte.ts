import type { Comparison, FairnessReport } from '../../engine/protocol';
import { DRIFT_THRESHOLDS, type DriftReport, type DriftThresholds } from '../../core/audit/drift';
import { likeProbs, prefixedProbs, type ProbRole, type Roles } from '../../core/table/roles';
import type { OpenDataset, Workbench } from './workbench.svelte';
import { messageOf } from '../../core/errors';

/**
 * The Compare tab: model B against the active roles (model A), fairness across a sensitive column,
 * and drift between two open datasets. Results are kept for the report.
 */
export class CompareState {
  /** Model B: a prediction column and/or a probability prefix of the active dataset. */
  predB = $state<string>('');
  probsB = $state<string>('');
  /** Model B's probabilities as detected in the other dataset, under their joined names, while `probsB` shows their prefix. */
  private joinedProbs: { prefix: string; probs: ProbRole } | null = null;
  /** Or model B from another open dataset (its detected prediction/probabilities), joined on an id column. */
  otherB = $state<string>('');
  /** The id column joining another dataset; null: row by row in order; '': not chosen yet. */
  joinOn = $state<string | null>('');
  by = $state<string>('');
  models = $state.raw<{ datasetId: string; b: string; result: Comparison } | null>(null);
  fairCol = $state<string>('');
  /** Multiclass: the class whose rates are compared (one against the rest). */
  fairClass = $state<string>('');
  fairness = $state.raw<{ datasetId: string; column: string; report: FairnessReport } | null>(null);
  driftIds = $state<{ reference: string; current: string }>({ reference: '', current: '' });
  drift = $state.raw<DriftReport | null>(null);
  thresholds = $state<DriftThresholds>({ ...DRIFT_THRESHOLDS });
  busy = $state<string | null>(null);
  error = $state<string | null>(null);

  constructor(private readonly wb: Workbench) {}

  private async run<T>(what: string, work: () => Promise<T>): Promise<T | null> {
    this.busy = what;
    this.error = null;
    try {
      return await work();
    } catch (e) {
      this.error = messageOf(e);
      return null;
    } finally {
      this.busy = null;
    }
  }

  /**
   * Joins the active dataset with another open one on an id column, or in order (the other's columns
   * prefixed b__), opens the result, and compares the other's predictions there.
   */
  async compareJoined(ds: OpenDataset): Promise<void> {
    const other = this.wb.datasets.find((d) => d.info.id === this.otherB);
    if (!other?.roles || this.joinOn === '') return;
    const { pred } = other.roles;
    const probs = other.roles.probs ?? likeProbs(ds.roles?.probs ?? null, other.info.columns);
    if (!pred && !probs) return void (this.error = `${other.info.name} has no prediction or probability columns.`);
    const joined = await this.run('Joining the datasets on the id…', () =>
      this.wb.engine.joinOnId(
        ds.info.id,
        other.info.id,
        this.joinOn,
        `${ds.info.name} + ${other.info.name}`,
        undefined,
        // In order, the label and features both hold must agree row by row.
        [ds.roles?.label, ...(ds.roles?.features ?? [])].filter((c): c is string => !!c),
      ),
    );
    if (!joined) return;
    await this.wb.add(joined, null, { ...$state.snapshot(ds.overrides) });
    this.predB = pred ? `b__${pred}` : '';
    const probsOfB = probs && prefixedProbs($state.snapshot(probs) as ProbRole, 'b__');
    this.joinedProbs = probsOfB && {
      prefix: probsOfB.kind === 'columns' ? probsOfB.prefix : probsOfB.column,
      probs: probsOfB,
    };
    this.probsB = this.joinedProbs?.prefix ?? '';
    this.otherB = '';
    await this.compareModels(this.wb.active!);
  }

  async compareModels(ds: OpenDataset, slices = false): Promise<void> {
    const spec = this.wb.spec(ds);
    if (!spec || (!this.predB && !this.probsB)) return;
    const rolesB: Roles = { ...spec.roles, pred: this.predB || null, probs: null };
    if (this.probsB && this.joinedProbs?.prefix === this.probsB) rolesB.probs = this.joinedProbs.probs;
    else if (this.probsB) {
      rolesB.probs = (
        await this.wb.engine.detect(ds.info.id, {
          label: spec.roles.label,
          pred: this.predB || null,
          probs: this.probsB,
        })
      ).probs;
      if (!rolesB.probs) return void (this.error = `No numeric columns start with ${JSON.stringify(this.probsB)}.`);
    }
    const result = await this.run(slices ? 'Finding where the regressions concentrate…' : 'Comparing…', () =>
      this.wb.engine.compare(
        ds.info.id,
        spec,
        { ...spec, roles: rolesB },
        { resamples: 1000, by: this.by ? [this.by] : [], slices },
      ),
    );
    if (result) this.models = { datasetId: ds.info.id, b: this.predB || `argmax of ${this.probsB}*`, result };
  }

  async computeFairness(ds: OpenDataset): Promise<void> {
    const spec = this.wb.spec(ds);
    if (!spec || !this.fairCol) return;
    const column = this.fairCol;
    const one = this.fairClass && spec.positive == null ? { ...spec, positive: this.fairClass } : spec;
    const report = await this.run('Computing group rates…', () => this.wb.engine.fairness(ds.info.id, one, column));
    if (report) this.fairness = { datasetId: ds.info.id, column, report };
  }

  async computeDrift(): Promise<void> {
    const { reference, current } = this.driftIds;
    if (!reference || !current) return;
    // The id column says nothing about drift.
    const ref = this.wb.datasets.find((d) => d.info.id === reference);
    const columns = ref?.info.columns.map((c) => c.name).filter((c) => c !== ref.roles?.id);
    const r = await this.run('Comparing the datasets column by column…', () =>
      this.wb.engine.drift(reference, current, columns),
    );
    if (r) this.drift = r;
  }
}

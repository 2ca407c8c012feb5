import { proxy, type Remote } from 'comlink';
import type {
  DataService,
  DatasetInfo,
  LoadProgress,
  OpenSource,
  RowPage,
  EvalSpec,
  RowOrder,
  RowTest,
  ErrorTreeNode,
  SliceReport,
} from '../../engine/protocol';
import { LoupeError, isCancelled, messageOf } from '../../core/errors';
import {
  overridesFromParams,
  overridesToParams,
  predictionsOf,
  prefixedProbs,
  probColumnNames,
  type PredictionsOf,
  type RoleOverrides,
  type Roles,
} from '../../core/table/roles';
import type { DataIssue } from '../../core/table/validate';
import type { Predicate, Slice } from '../../core/slices/predicate';
import { mark } from '../timing';
import { loadSlices, mergeSlices, parseSlice, parseSlices, storeSlices } from './slices';

export const DEMO_URL = 'demo/seattle-weather.csv';

export interface OpenDataset {
  info: DatasetInfo;
  /** Where it came from; a URL source is written into the page URL so a link reopens it. */
  url: string | null;
  overrides: RoleOverrides;
  roles: Roles | null;
  issues: DataIssue[];
  /** The user allowed images on other origins to be loaded for this dataset. */
  allowRemoteImages: boolean;
  /**
   * Saved slices (persisted per content fingerprint) and the active one, which filters every view.
   * Slices a link brought are marked `fromLink`: shown as such and stored only when the user keeps them.
   */
  slices: LinkedSlice[];
  slice: Slice | null;
  /** Binary tasks: the positive class (null: the default) and the decision threshold (null: the prediction column). */
  positive: string | null;
  threshold: number | null;
  /** Milliseconds from asking to open it to its table being shown (start-up, transfer, load, profile); null when made in the page. */
  openedMs: number | null;
  /** The last "Find failing slices" results. */
  found: { report: SliceReport; tree: ErrorTreeNode | null } | null;
  /** Which labels the evaluation uses: the file's, the reviewed ones (the active reviewer's relabels), or both side by side. */
  labels: 'original' | 'reviewed' | 'both';
  /** The active reviewer's decisions on this dataset, and a counter bumped each time they reach DuckDB. */
  reviews: { count: number; version: number };
}

export type LinkedSlice = Slice & { fromLink?: true };

/** The view state a link carries besides the data URL and roles. */
interface LinkState {
  view: ViewName;
  slices: Slice[];
  slice: Slice | null;
  positive: string | null;
  threshold: number | null;
}

export interface RowSet {
  count: number;
  fetch: (offset: number, limit: number) => Promise<RowPage>;
  /** Where the file's row number `row` (0-based) is among these rows; −1 when it is not. */
  position: (row: number) => Promise<number>;
}

export interface LoadState {
  name: string;
  progress: LoadProgress | null;
}

/** A problem with one file, shown on its card until dismissed. */
export interface FileError {
  file: string;
  code: string;
  message: string;
}

export const VIEWS = ['data', 'map', 'evaluate', 'slices', 'review', 'compare', 'report'] as const;
export type ViewName = (typeof VIEWS)[number];

/**
 * The app's state: open datasets, their roles, loading progress and errors. The one place that
 * talks to the data worker; components read this and call its methods.
 */
export class Workbench {
  datasets = $state<OpenDataset[]>([]);
  activeId = $state<string | null>(null);
  loading = $state<LoadState | null>(null);
  errors = $state<FileError[]>([]);
  view = $state<ViewName>('data');
  active = $derived(this.datasets.find((d) => d.info.id === this.activeId) ?? null);
  /** A problem storing saved slices (storage full or unavailable). */
  storageWarning = $state<string | null>(null);
  /**
   * A link's data on another origin waits for the user to allow it: opening a link must not make
   * the browser contact a site the user never chose (issue 12).
   */
  pendingLink = $state.raw<{ url: string; origin: string; open: () => Promise<void> } | null>(null);

  constructor(readonly engine: Remote<DataService>) {
    void engine.whenReady().then((ms) => mark('engine-ready', ms));
  }

  /** Opens what the page URL names (`?data=<url>` and role parameters). */
  async restoreFromUrl(): Promise<void> {
    const params = new URLSearchParams(location.search);
    const view = params.get('view');
    if (VIEWS.includes(view as ViewName)) this.view = view as ViewName;
    const url = params.get('data');
    const threshold = params.get('threshold');
    const link: LinkState = {
      view: this.view,
      slices: parseSlices(params.get('slices')),
      slice: parseSlice(params.get('slice')),
      positive: params.get('positive'),
      threshold: threshold !== null && Number.isFinite(Number(threshold)) ? Number(threshold) : null,
    };
    if (!url) return;
    const overrides = overridesFromParams(params);
    let origin: string | null = null;
    try {
      origin = new URL(url, document.baseURI).origin;
    } catch {
      /* openUrl reports it */
    }
    if (origin && origin !== location.origin) {
      this.pendingLink = { url, origin, open: () => ((this.pendingLink = null), this.openUrl(url, overrides, link)) };
      return;
    }
    await this.openUrl(url, overrides, link);
  }

  async openFiles(files: File[]): Promise<void> {
    for (const file of files) await this.open({ name: file.name, file }, null);
  }

  async openUrl(url: string, overrides: RoleOverrides = {}, link?: LinkState): Promise<void> {
    let absolute: string;
    try {
      absolute = new URL(url, document.baseURI).href;
    } catch {
      this.errors.push({ file: url, code: 'url-failed', message: `${url} is not a valid URL.` });
      return;
    }
    const name = decodeURIComponent(new URL(absolute).pathname.split('/').pop() || absolute);
    await this.open({ name, url: absolute }, url, overrides, link);
  }

  openDemo(): Promise<void> {
    return this.openUrl(DEMO_URL);
  }

  /** Set by Cancel: a load that finishes anyway (Cancel came after its last query) is closed again. */
  private cancelled = false;

  cancel(): void {
    this.cancelled = true;
    void this.engine.cancel();
  }

  private async open(
    src: OpenSource,
    url: string | null,
    overrides: RoleOverrides = {},
    link?: LinkState,
  ): Promise<void> {
    const asked = performance.now();
    this.loading = { name: src.name, progress: null };
    this.errors = this.errors.filter((e) => e.file !== src.name);
    this.cancelled = false;
    let info: DatasetInfo;
    // A large table is shown while it is profiled (the engine sends its shape): its id, once shown.
    let shown: string | null = null;
    try {
      info = await this.engine.open(
        src,
        proxy(({ shape, ...progress }: LoadProgress) => {
          if (this.loading) this.loading.progress = progress;
          if (!shape || shown || this.cancelled) return;
          shown = shape.id;
          this.datasets.push(this.entry(shape, url, overrides, link, null));
          this.activeId = shape.id;
        }),
      );
      if (this.cancelled) {
        await this.close(info.id);
        return;
      }
    } catch (e) {
      if (shown) this.forget(shown);
      if (!isCancelled(e)) this.errors.push(toFileError(e, src.name));
      return;
    } finally {
      this.loading = null;
    }
    await this.add(info, url, overrides, link, performance.now() - asked);
  }

  private entry(
    info: DatasetInfo,
    url: string | null,
    overrides: RoleOverrides,
    link: LinkState | undefined,
    openedMs: number | null,
  ): OpenDataset {
    return {
      info,
      url,
      overrides,
      roles: null,
      issues: [],
      allowRemoteImages: false,
      slices: mergeSlices(loadSlices(info.fingerprint), link?.slices ?? []),
      slice: link?.slice ?? null,
      positive: link?.positive ?? null,
      threshold: link?.threshold ?? null,
      found: null,
      openedMs,
      labels: 'original',
      reviews: { count: 0, version: 0 },
    };
  }

  /** Removes a dataset the engine no longer has. */
  private forget(id: string): void {
    this.datasets = this.datasets.filter((d) => d.info.id !== id);
    if (this.activeId === id) this.activeId = this.datasets.at(-1)?.info.id ?? null;
  }

  /** Shows a dataset the engine has opened (a file, or two joined) and makes it the active one. */
  async add(
    info: DatasetInfo,
    url: string | null = null,
    overrides: RoleOverrides = {},
    link?: LinkState,
    openedMs: number | null = null,
  ): Promise<void> {
    const shown = this.find(info.id);
    if (shown) {
      // Shown while profiled: now with its profile, and the slices saved for its content.
      shown.info = info;
      shown.openedMs = openedMs;
      shown.slices = mergeSlices(loadSlices(info.fingerprint), link?.slices ?? []);
    } else {
      this.datasets.push(this.entry(info, url, overrides, link, openedMs));
      this.activeId = info.id;
    }
    mark('loaded');
    // The data is shown at once; the roles panel says "Detecting roles…" meanwhile.
    await this.detectRoles(info.id);
    void this.background(info.id);
  }

  /**
   * Background work once the table is shown, each piece when the engine has nothing else to do:
   * the numeric columns' histograms, then the features slice discovery will read.
   */
  private async background(id: string): Promise<void> {
    try {
      const columns = await this.engine.histograms(id);
      const ds = this.find(id);
      if (!ds) return;
      ds.info.columns = columns;
      if (ds.roles) await this.engine.prepareSlices(id, $state.snapshot(ds.roles) as Roles);
    } catch {
      /* closed meanwhile: nothing to show */
    }
  }

  private find(id: string): OpenDataset | undefined {
    return this.datasets.find((d) => d.info.id === id);
  }

  /** The dataset's table changed (a model's columns were added): new profile, roles detected again. */
  async replaceInfo(id: string, info: DatasetInfo): Promise<void> {
    const ds = this.find(id);
    if (!ds) return;
    ds.info = info;
    await this.detectRoles(id);
    void this.background(id);
  }

  private async detectRoles(id: string): Promise<void> {
    const ds = this.find(id);
    if (!ds) return;
    try {
      const roles = await this.engine.detect(id, $state.snapshot(ds.overrides));
      ds.roles = roles;
      this.syncUrl();
      // Views asking for rows or metrics of these roles go first; then the metrics of these roles
      // start in the background (the columns they read serve Evaluate, Slices and Review alike:
      // opening Evaluate finds them computed or computing), and the checks (full scans) follow.
      await new Promise((r) => setTimeout(r, 0));
      const spec = this.spec(ds);
      const where = ds.slice ? ($state.snapshot(ds.slice.where) as Predicate) : null;
      if (spec) this.engine.evaluate(id, spec, where, { channel: 'warm-up' }).catch(() => {});
      ds.issues = await this.engine.validate(id, roles);
    } catch (e) {
      ds.issues = [
        { level: 'error', code: 'no-label', role: 'label', message: toFileError(e, ds.info.name).message, context: {} },
      ];
    }
  }

  /**
   * Another open dataset that holds the ground truth for `ds`'s model output, or the model output for
   * its ground truth (see predictionsOf): one file without a label, the other without predictions.
   */
  pairing(ds: OpenDataset): { truth: OpenDataset; preds: OpenDataset; plan: PredictionsOf } | null {
    const lone = (d: OpenDataset) => !!d.roles && !d.info.columns.some((c) => c.unprofiled);
    if (!lone(ds)) return null;
    for (const other of this.datasets) {
      if (other === ds || !lone(other)) continue;
      for (const [truth, preds] of [
        [other, ds],
        [ds, other],
      ]) {
        if (!truth.roles!.label || truth.roles!.pred || truth.roles!.probs || preds.roles!.label) continue;
        const plan = predictionsOf(truth.info.columns, preds.info.columns, truth.info.rows, {
          sameRows: truth.info.rows === preds.info.rows,
        });
        if (typeof plan !== 'string') return { truth, preds, plan };
      }
    }
    return null;
  }

  /** The pairing's two datasets joined on its id, opened as a new dataset with its label and the model's output. */
  async joinPredictions(pair: { truth: OpenDataset; preds: OpenDataset; plan: PredictionsOf }): Promise<void> {
    const { truth, preds, plan } = pair;
    const outputs = [...(plan.pred ? [plan.pred] : []), ...probColumnNames(plan.probs)];
    const probs = plan.probs && prefixedProbs(plan.probs, 'b__');
    try {
      const joined = await this.engine.joinOnId(
        truth.info.id,
        preds.info.id,
        plan.id,
        `${truth.info.name} + ${preds.info.name}`,
        outputs,
      );
      await this.add(joined, null, {
        label: plan.label,
        pred: plan.pred ? `b__${plan.pred}` : null,
        probs: !probs
          ? null
          : probs.kind === 'list'
            ? probs.column
            : probs.columns.length === 1
              ? probs.columns[0].column
              : probs.prefix,
      });
    } catch (e) {
      this.errors.push(toFileError(e, `${truth.info.name} + ${preds.info.name}`));
    }
  }

  /** Sets one role by hand; `null` means none, `undefined` back to automatic. */
  async setRole(key: keyof RoleOverrides, value: string | null | undefined): Promise<void> {
    const ds = this.active;
    if (!ds) return;
    if (value === undefined) delete ds.overrides[key];
    else (ds.overrides as Record<string, unknown>)[key] = value;
    await this.detectRoles(ds.info.id);
  }

  async renormalise(): Promise<void> {
    const ds = this.active;
    if (!ds?.roles) return;
    await this.engine.renormalise(ds.info.id, $state.snapshot(ds.roles));
    await this.detectRoles(ds.info.id);
  }

  setView(v: ViewName): void {
    this.view = v;
    this.syncUrl();
  }

  /** What metrics are computed from for a dataset (null until its roles are known). */
  spec(ds: OpenDataset): EvalSpec | null {
    return ds.roles
      ? {
          roles: $state.snapshot(ds.roles) as Roles,
          positive: ds.positive,
          threshold: ds.threshold,
          ...(ds.labels === 'reviewed' && ds.reviews.count ? { labels: 'reviewed' as const } : {}),
        }
      : null;
  }

  /** Makes a slice the active one (null: all rows); every view follows it. */
  setSlice(slice: Slice | null): void {
    if (!this.active) return;
    this.active.slice = slice;
    this.syncUrl();
  }

  saveSlice(slice: Slice): void {
    const ds = this.active;
    if (!ds) return;
    const i = ds.slices.findIndex((s) => s.name === slice.name);
    const own = { name: slice.name, where: slice.where };
    if (i >= 0) ds.slices[i] = own;
    else ds.slices.push(own);
    this.persistSlices(ds);
  }

  /** Keeps the slices a link brought (stored with the user's own from now on), or drops them. */
  keepLinkSlices(keep: boolean): void {
    const ds = this.active;
    if (!ds) return;
    ds.slices = keep ? ds.slices.map(({ name, where }) => ({ name, where })) : ds.slices.filter((s) => !s.fromLink);
    this.persistSlices(ds);
  }

  deleteSlice(name: string): void {
    const ds = this.active;
    if (!ds) return;
    ds.slices = ds.slices.filter((s) => s.name !== name);
    this.persistSlices(ds);
  }

  private persistSlices(ds: OpenDataset): void {
    // Only the user's own: what a link brought is never stored unless kept.
    this.storageWarning = storeSlices(
      ds.info.fingerprint,
      ($state.snapshot(ds.slices) as LinkedSlice[]).filter((s) => !s.fromLink),
    );
    this.syncUrl();
  }

  setPositive(cls: string | null): void {
    if (!this.active) return;
    this.active.positive = cls;
    this.syncUrl();
  }

  setThreshold(t: number | null): void {
    if (!this.active) return;
    this.active.threshold = t;
    this.syncUrl();
  }

  allowRemoteImages(): void {
    if (this.active) this.active.allowRemoteImages = true;
  }

  select(id: string): void {
    this.activeId = id;
    this.syncUrl();
  }

  async close(id: string): Promise<void> {
    this.forget(id);
    await this.engine.close(id);
    this.syncUrl();
  }

  dismissError(i: number): void {
    this.errors.splice(i, 1);
  }

  /** Rows to show as a table: a slice (null: all rows), optionally those behind a chart mark. */
  async rowSet(ds: OpenDataset, where: Predicate | null, test?: RowTest, order?: RowOrder): Promise<RowSet> {
    const id = ds.info.id;
    const { key, count } = await this.engine.rowSet(
      id,
      test ? this.spec(ds) : null,
      where ? ($state.snapshot(where) as Predicate) : null,
      test,
      order,
    );
    return {
      count,
      fetch: (o, l) => this.engine.rowSetPage(id, key, o, l),
      position: (row) => this.engine.rowSetPosition(id, key, row),
    };
  }

  /** The page URL reflects the active dataset (when it came from a URL), its roles and the view. */
  private syncUrl(): void {
    const params = new URLSearchParams();
    const ds = this.active;
    if (ds?.url) params.set('data', ds.url);
    if (ds) overridesToParams(ds.overrides, params);
    if (ds) {
      params.set('view', this.view);
      if (ds.positive !== null) params.set('positive', ds.positive);
      if (ds.threshold !== null) params.set('threshold', String(ds.threshold));
      if (ds.slices.length) params.set('slices', JSON.stringify(ds.slices));
      if (ds.slice) params.set('slice', JSON.stringify(ds.slice));
    }
    const search = params.toString();
    const next = location.pathname + (search ? `?${search}` : '');
    if (next !== location.pathname + location.search) history.replaceState(null, '', next);
  }
}

function toFileError(e: unknown, file: string): FileError {
  if (e instanceof LoupeError) return { file, code: e.code, message: e.message };
  return { file, code: 'query-failed', message: `${file}: ${messageOf(e)}` };
}

import { isCancelled, messageOf } from '../../core/errors';
import { encodeRows, MAX_ROW_SET } from '../../core/slices/rowSet';
import type { Predicate } from '../../core/slices/predicate';
import { proxy } from 'comlink';
import type { ColourBy, EvalSpec, MapLayer, MapProjection, ProjectionMethod } from '../../engine/protocol';
import { Latest } from './latest';
import type { OpenDataset, Workbench } from './workbench.svelte';

/**
 * The Map tab: the rows' 2-D projection (from the data worker, kept per dataset and roles), their
 * colours, the active slice highlighted, and a box selection that becomes a slice every view follows.
 */
export class MapState {
  projection = $state.raw<MapProjection | null>(null);
  layer = $state.raw<MapLayer | null>(null);
  colourBy = $state<ColourBy>({ kind: 'label' });
  /** PCA (instant, every row) or UMAP (up to UMAP_MAX_ROWS rows, with progress). */
  method = $state<ProjectionMethod>('pca');
  /** A UMAP layout under way: how far, and what it is doing. */
  progress = $state<{ done: number; stage: string } | null>(null);
  /** Rows in the box drawn last. */
  selected = $state.raw<Uint32Array | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);
  private readonly projecting = new Latest();
  private readonly colouring = new Latest();

  constructor(private readonly wb: Workbench) {}

  /** What the map can be drawn with: the roles, and a label or prediction if there is one. */
  spec(ds: OpenDataset): EvalSpec | null {
    return this.wb.spec(ds) ?? (ds.roles ? { roles: $state.snapshot(ds.roles) } : null);
  }

  async project(ds: OpenDataset): Promise<void> {
    const spec = this.spec(ds);
    if (!spec) return;
    this.busy = true;
    this.error = null;
    const method = this.method;
    try {
      await this.projecting.run(
        () =>
          this.wb.engine.projection(
            ds.info.id,
            spec,
            method,
            proxy((done: number, stage: string) => (this.progress = { done, stage })),
          ),
        (p) => ((this.projection = p), (this.selected = null)),
      );
    } catch (e) {
      // A cancelled UMAP goes back to PCA; other failures are shown.
      if (isCancelled(e)) this.method = 'pca';
      else this.error = messageOf(e);
    } finally {
      this.busy = false;
      this.progress = null;
    }
  }

  /** One row's values, by column (for the hover card). */
  async rowValues(ds: OpenDataset, row: number): Promise<Record<string, unknown>> {
    const page = await this.wb.engine.rows(ds.info.id, 0, 0, [row]);
    return Object.fromEntries(page.columns.map((c, j) => [c, page.rows[0]?.[j]]));
  }

  /** An image cell's bytes (a binary column), for the hover card. */
  cellBytes(ds: OpenDataset, row: number, column: string): Promise<Uint8Array | null> {
    return this.wb.engine.cellBytes(ds.info.id, row, column);
  }

  cancel(): void {
    void this.wb.engine.cancelProjection();
  }

  async colour(ds: OpenDataset, by: ColourBy, highlight: Predicate | null): Promise<void> {
    const spec = this.spec(ds);
    if (!spec) return;
    try {
      await this.colouring.run(
        () => this.wb.engine.mapLayer(ds.info.id, spec, by, highlight) as Promise<MapLayer>,
        (l) => (this.layer = l),
      );
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  /** The box's rows as the active slice (saved, so it is in the list, the link and the report). */
  makeSlice(ds: OpenDataset): string | null {
    const rows = this.selected;
    if (!rows?.length) return null;
    if (rows.length > MAX_ROW_SET)
      return `${rows.length.toLocaleString('en-US')} rows is more than a picked slice holds (${MAX_ROW_SET.toLocaleString('en-US')}); draw a smaller box.`;
    const taken = new Set(ds.slices.map((s) => s.name));
    let name = `Map selection (${rows.length.toLocaleString('en-US')} rows)`;
    for (let i = 2; taken.has(name); i++) name = `Map selection ${i} (${rows.length.toLocaleString('en-US')} rows)`;
    const slice = { name, where: { kind: 'rows' as const, rows: encodeRows(rows), count: rows.length } };
    this.wb.saveSlice(slice);
    this.wb.setSlice(slice);
    this.selected = null;
    return null;
  }
}

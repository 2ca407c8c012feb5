import { weightPath } from '../../core/models/weightPaths';
import { proxy, transfer, type Remote } from 'comlink';
import { isCancelled, messageOf } from '../../core/errors';
import { checkSpec, parseClassList, type PreprocessSpec } from '../../core/models/spec';
import type { ModelService, ModelInfo } from '../../engine/protocol';
import type { PredictSummary } from '../../engine/protocol';
import { modelName } from '../../core/models/names';
import { isTfjsModelJson } from '../../core/models/names';
import { startModelWorker } from './engineClient';
import type { OpenDataset, Workbench } from './workbench.svelte';

export interface LoadedModel {
  info: ModelInfo;
  /** A preprocessing spec chosen with the model (a .json next to it), if any. */
  spec: unknown | null;
}

export interface RunState {
  model: string;
  done: number;
  total: number;
  startedAt: number;
  rowsPerSecond: number | null;
  secondsLeft: number | null;
}

/** Models loaded in the model worker, and running one over the active dataset. */
export class ModelState {
  models = $state.raw<LoadedModel[]>([]);
  backend = $state<'auto' | 'webgpu' | 'webgl' | 'wasm' | 'cpu'>('auto');
  /** The model whose run panel is open. */
  open = $state<string | null>(null);
  run = $state<RunState | null>(null);
  result = $state.raw<
    (PredictSummary & { model: string; name: string; backend: string; fallback: string | null }) | null
  >(null);
  error = $state<string | null>(null);
  private worker: Remote<ModelService> | null = null;

  constructor(private readonly wb: Workbench) {}

  private get engine(): Remote<ModelService> {
    return (this.worker ??= startModelWorker());
  }

  /**
   * Loads the models among the files: .onnx files, and TF.js model.json files with their weight
   * files (.bin); a preprocessing spec (.json) chosen with them goes with the model.
   */
  async load(files: File[]): Promise<void> {
    this.error = null;
    let spec: unknown = null;
    const tfjs: { file: File; json: unknown }[] = [];
    for (const f of files.filter((x) => /\.json$/i.test(x.name))) {
      let json: unknown;
      try {
        json = JSON.parse(await f.text());
      } catch (e) {
        this.error = `${f.name} is not valid JSON: ${messageOf(e)}`;
        return;
      }
      if (isTfjsModelJson(json)) tfjs.push({ file: f, json });
      else spec = json;
    }
    // A labels file (.txt: one class per line, or a JSON list) names the outputs.
    for (const f of files.filter((x) => /\.txt$/i.test(x.name))) {
      try {
        const classes = parseClassList(await f.text(), f.name);
        const base = (spec ?? this.models.find((m) => m.info.id === this.open)?.spec ?? {}) as { output?: object };
        spec = { ...base, output: { ...base.output, classes } };
      } catch (e) {
        this.error = messageOf(e);
        return;
      }
    }
    const onnx = files.filter((f) => !/\.(json|bin|txt)$/i.test(f.name));
    if (!onnx.length && !tfjs.length && spec && this.open) {
      this.models = this.models.map((m) => (m.info.id === this.open ? { ...m, spec } : m));
      return;
    }
    const weights: Record<string, Uint8Array> = Object.create(null); // keyed by the manifest's file names
    for (const f of files.filter((x) => /\.bin$/i.test(x.name)))
      weights[f.name.replace(/^.*\//, '')] = new Uint8Array(await f.arrayBuffer());
    for (const { file, json } of tfjs) {
      try {
        const folder = (file as File & { webkitRelativePath?: string }).webkitRelativePath?.split('/').at(-2);
        const info = await this.engine.loadTfjs(
          folder ? `${folder}/${file.name}` : file.name,
          { json, weights },
          this.backend,
        );
        this.models = [...this.models, { info, spec }];
        this.open = info.id;
      } catch (e) {
        this.error = messageOf(e);
      }
    }
    for (const f of onnx) {
      try {
        const info = await this.engine.load(f.name, new Uint8Array(await f.arrayBuffer()), this.backend);
        this.models = [...this.models, { info, spec }];
        this.open = info.id;
      } catch (e) {
        this.error = messageOf(e);
      }
    }
  }

  /** Loads a model from a URL (same origin, or a server that allows it); a TF.js model.json brings its weight files. */
  async loadUrl(url: string, specUrl?: string): Promise<void> {
    this.error = null;
    const get = async (u: string) => {
      const r = await fetch(u);
      if (!r.ok) throw new Error(`${u}: HTTP ${r.status}`);
      // A TF.js model.json keeps its folder in the name (the model is named after it).
      return new File(
        [await r.arrayBuffer()],
        /\/model\.json$/i.test(u) ? u.split('/').slice(-2).join('/') : u.replace(/^.*\//, ''),
      );
    };
    try {
      const files = [await get(url)];
      if (/\.json$/i.test(url)) {
        const json = JSON.parse(await files[0].text());
        const base = new URL(url, document.baseURI);
        for (const p of (json.weightsManifest ?? []).flatMap((g: { paths: string[] }) => g.paths)) {
          // Only the model's own folder, on the model's own origin (weightPath refuses anything else).
          files.push(await get(new URL(weightPath(p, url.replace(/^.*\//, '')), base).href));
        }
      }
      if (specUrl) files.push(await get(specUrl));
      await this.load(files);
    } catch (e) {
      const cross = typeof location !== 'undefined' && new URL(url, document.baseURI).origin !== location.origin;
      this.error = `The model could not be fetched: ${messageOf(e)}${cross ? '. A model on another site loads only if that server allows it (CORS, and Cross-Origin-Resource-Policy when this page is cross-origin isolated).' : ''}`;
    }
  }

  async remove(id: string): Promise<void> {
    this.models = this.models.filter((m) => m.info.id !== id);
    if (this.open === id) this.open = null;
    await this.worker?.dispose(id);
  }

  cancel(): void {
    void this.worker?.cancelPredict();
  }

  /** Runs a model over the active dataset in batches; the results become columns of it. */
  async predict(
    ds: OpenDataset,
    modelId: string,
    rawSpec: unknown,
    batchSize: number,
    embeddingOutput: string | null = null,
  ): Promise<void> {
    const m = this.models.find((x) => x.info.id === modelId);
    if (!m || this.run) return;
    this.error = null;
    this.result = null;
    const name = modelName(m.info.name);
    this.run = {
      model: m.info.name,
      done: 0,
      total: ds.info.rows,
      startedAt: performance.now(),
      rowsPerSecond: null,
      secondsLeft: null,
    };
    try {
      const spec: PreprocessSpec = checkSpec(rawSpec, ds.info.columns);
      const roles = ds.roles ? ($state.snapshot(ds.roles) as NonNullable<OpenDataset['roles']>) : null;
      const datasetClasses = roles ? await this.wb.engine.labelClasses(ds.info.id, roles) : null;
      // The model worker pulls the features from the data worker itself: only progress comes here.
      const { port1, port2 } = new MessageChannel();
      await this.wb.engine.predictionPort(transfer(port1, [port1]));
      const onProgress = (done: number, total: number) => {
        if (!this.run) return;
        const s = (performance.now() - this.run.startedAt) / 1000;
        const rate = done / Math.max(1e-3, s);
        this.run = { ...this.run, done, total, rowsPerSecond: rate, secondsLeft: (total - done) / rate };
      };
      const r = await this.engine.predict(
        transfer(port2, [port2]),
        {
          datasetId: ds.info.id,
          rows: ds.info.rows,
          modelId,
          spec,
          name,
          batchSize,
          embeddingOutput,
          modelClasses: m.info.classes,
          datasetClasses,
        },
        proxy(onProgress),
      );
      this.wb.replaceInfo(ds.info.id, r.info);
      this.result = { ...r, model: m.info.name, name, backend: m.info.backend, fallback: m.info.fallback };
    } catch (e) {
      this.error = isCancelled(e) ? 'Cancelled: no predictions were added.' : messageOf(e);
    } finally {
      this.run = null;
    }
  }
}

/** Dropped files: models (.onnx, TF.js model.json and .bin weights, preprocessing specs) apart from datasets. */
export async function splitModelFiles(files: File[]): Promise<{ models: File[]; data: File[] }> {
  const models: File[] = [];
  const data: File[] = [];
  for (const f of files) {
    if (/\.(onnx|bin)$/i.test(f.name)) models.push(f);
    else if (/\.json$/i.test(f.name) && f.size < 10_000_000) {
      let j: unknown = null;
      try {
        j = JSON.parse(await f.text());
      } catch {
        /* a dataset, or a bad file the loader will explain */
      }
      (j && !Array.isArray(j) && (isTfjsModelJson(j) || 'features' in (j as object) || 'image' in (j as object))
        ? models
        : data
      ).push(f);
    } else data.push(f);
  }
  return { models, data };
}

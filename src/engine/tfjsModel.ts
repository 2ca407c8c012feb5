import type * as TF from '@tensorflow/tfjs';
import { weightPath } from '../core/models/weightPaths';
import { LoupeError, messageOf } from '../core/errors';
import { isTfjsModelJson } from '../core/models/names';
import type { TensorInfo } from './ModelEngine';

export type TfBackend = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
/** Where the TF.js WASM backend finds its binaries: a directory (Node) or a map of file URLs (the bundled app). */
export type TfWasmPaths = string | Record<string, string>;

let tfPromise: Promise<typeof TF> | null = null;

/** TF.js and its backends, loaded on first use (the app's bundle stays small until a TF.js model is opened). */
async function loadTf(wasmPaths?: TfWasmPaths): Promise<typeof TF> {
  tfPromise ??= (async () => {
    const tf = await import('@tensorflow/tfjs');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (wasmPaths) wasm.setWasmPaths(wasmPaths as never);
    if (typeof navigator !== 'undefined' && 'gpu' in navigator) await import('@tensorflow/tfjs-backend-webgpu');
    return tf;
  })();
  return tfPromise;
}

/** A TF.js model: model.json (layers or graph format) with its weight files, by base name. */
export interface TfjsFiles {
  json: unknown;
  weights: Record<string, Uint8Array>;
}

interface Manifest {
  format?: string;
  modelTopology?: { node?: unknown } & Record<string, unknown>;
  weightsManifest?: { paths: string[]; weights: TF.io.WeightsManifestEntry[] }[];
  userDefinedMetadata?: { classes?: unknown };
  [k: string]: unknown;
}

export interface LoadedTf {
  backend: TfBackend;
  fallback: string | null;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  classes: string[] | null;
  run(data: Float32Array, shape: number[]): Promise<{ values: Float32Array; k: number }>;
  dispose(): void;
}

/**
 * Loads a TF.js layers or graph model from memory, on the first backend that starts: WebGPU,
 * WebGL, WASM, then CPU (or the one asked for, falling back along the same order).
 */
export async function loadTfjs(
  name: string,
  files: TfjsFiles,
  want: 'auto' | TfBackend,
  wasmPaths?: TfWasmPaths,
): Promise<LoadedTf> {
  const tf = await loadTf(wasmPaths);
  const m = files.json as Manifest;
  if (!isTfjsModelJson(m))
    throw new LoupeError(
      'bad-model',
      `${name} is not a TensorFlow.js model.json (no modelTopology or weightsManifest).`,
    );
  const specs: TF.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const group of m.weightsManifest ?? []) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const base = weightPath(p, name).replace(/^.*\//, '');
      const bytes = files.weights[base];
      if (!bytes)
        throw new LoupeError(
          'bad-model',
          `${name} needs its weight file ${base}: choose it together with the model.json.`,
        );
      parts.push(bytes);
    }
  }
  const weightData = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) (weightData.set(p, at), (at += p.byteLength));
  const order: TfBackend[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
  const tries = want === 'auto' ? order : [want, ...order.filter((b) => b !== want)];
  let backend: TfBackend | null = null;
  const failed: string[] = [];
  for (const b of tries) {
    const ok = await tf.setBackend(b).catch(() => false);
    if (ok) {
      await tf.ready();
      backend = b;
      break;
    }
    failed.push(b);
  }
  if (!backend) throw new LoupeError('bad-model', 'No TensorFlow.js backend could start.');
  const handler = tf.io.fromMemory({
    ...(m as object),
    modelTopology: m.modelTopology,
    weightSpecs: specs,
    weightData: weightData.buffer,
  });
  const graph = m.format === 'graph-model' || !!m.modelTopology?.node;
  let model: TF.LayersModel | TF.GraphModel;
  try {
    model = graph ? await tf.loadGraphModel(handler) : await tf.loadLayersModel(handler);
  } catch (e) {
    throw new LoupeError('bad-model', `${name} could not be loaded by TensorFlow.js: ${messageOf(e)}`);
  }
  const info = (list: { name: string; shape?: (number | null)[] | number[]; dtype?: string }[]): TensorInfo[] =>
    list.map((t) => ({
      name: t.name,
      type: t.dtype ?? 'float32',
      shape: (t.shape ?? []).map((d) => (d === null || d === -1 ? 'batch' : d)),
    }));
  const inputs = graph
    ? info((model as TF.GraphModel).inputs as never)
    : info(
        (model as TF.LayersModel).inputs.map((t) => ({
          name: t.name,
          shape: t.shape as (number | null)[],
          dtype: t.dtype,
        })),
      );
  const outputs = graph
    ? info((model as TF.GraphModel).outputs as never)
    : info(
        (model as TF.LayersModel).outputs.map((t) => ({
          name: t.name,
          shape: t.shape as (number | null)[],
          dtype: t.dtype,
        })),
      );
  const classes = Array.isArray(m.userDefinedMetadata?.classes)
    ? (m.userDefinedMetadata!.classes as unknown[]).map(String)
    : null;
  return {
    backend,
    fallback:
      want !== 'auto' && backend !== want
        ? `${want} could not start`
        : want === 'auto' && failed.length
          ? `${failed.join(', ')} not available`
          : null,
    inputs,
    outputs,
    classes,
    async run(data, shape) {
      const x = tf.tensor(data, shape, 'float32');
      try {
        const y = model.predict(x) as TF.Tensor | TF.Tensor[];
        const t = Array.isArray(y) ? y[0] : y;
        const values = (await t.data()) as Float32Array;
        const k = t.shape.length === 1 ? 1 : (t.shape[1] as number);
        (Array.isArray(y) ? y : [y]).forEach((z) => z.dispose());
        return { values: values instanceof Float32Array ? values : Float32Array.from(values), k };
      } finally {
        x.dispose();
      }
    },
    dispose: () => model.dispose(),
  };
}

import * as ort from 'onnxruntime-web';
import { LoupeError, messageOf } from '../core/errors';
import { metadataClasses, readOnnxMetadata } from '../core/models/onnxMeta';
import { toProbabilities } from '../core/models/spec';
import { loadTfjs, type LoadedTf, type TfjsFiles, type TfWasmPaths } from './tfjsModel';

export type Backend = 'webgpu' | 'wasm' | 'webgl' | 'cpu';

export type OutputKind = 'auto' | 'probabilities' | 'logits';

/** A batch's results: `values` row-major [rows × k]; NaN rows counted; what was applied to the outputs. */
export interface ModelOutput {
  values: Float64Array;
  k: number;
  outputs: number;
  nan: number;
  applied: 'none' | 'softmax' | 'sigmoid';
  /** A second output asked for as an embedding: row-major [rows × width], as the model gives it. */
  embedding?: { values: Float32Array; width: number };
}

export interface TensorInfo {
  name: string;
  type: string;
  shape: (number | string)[];
}

export interface ModelInfo {
  id: string;
  name: string;
  kind: 'onnx' | 'tfjs';
  backend: Backend;
  /** Why the backend asked for was not used (no WebGPU adapter, an operator WebGPU lacks, …). */
  fallback: string | null;
  threads: number;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** Class names from the model's metadata property `classes`, if any. */
  classes: string[] | null;
  producer: string;
  bytes: number;
}

/** onnxruntime-web sessions: the same code in the browser's model worker and in Node (`loupe predict`, tests). */
type Entry = { info: ModelInfo } & (
  { session: ort.InferenceSession; tf?: undefined } | { session?: undefined; tf: LoadedTf }
);

export class ModelEngine {
  private readonly models = new Map<string, Entry>();
  private next = 1;

  /** `tfjsWasm`: where TF.js's WASM backend finds its binaries. */
  constructor(private readonly options: { tfjsWasm?: TfWasmPaths } = {}) {}

  /** Loads a TensorFlow.js model (model.json with its weight files) on WebGPU, WebGL, WASM or CPU, the first that starts. */
  async loadTfjs(name: string, files: TfjsFiles, want: 'auto' | Backend = 'auto'): Promise<ModelInfo> {
    const tf = await loadTfjs(name, files, want, this.options.tfjsWasm);
    const bytes = Object.values(files.weights).reduce((n, w) => n + w.byteLength, 0);
    const info: ModelInfo = {
      id: `model_${this.next++}`,
      name,
      kind: 'tfjs',
      backend: tf.backend,
      fallback: tf.fallback,
      threads: 0,
      inputs: tf.inputs,
      outputs: tf.outputs,
      classes: tf.classes,
      producer: 'TensorFlow.js',
      bytes,
    };
    this.models.set(info.id, { info, tf });
    return info;
  }

  /** Loads an ONNX model: WebGPU when asked (or 'auto' and an adapter exists), else WASM; falls back to WASM when WebGPU fails, and says why. */
  async load(name: string, bytes: Uint8Array, want: 'auto' | Backend = 'auto'): Promise<ModelInfo> {
    const meta = readOnnxMetadata(bytes, name);
    if (want === 'webgl' || want === 'cpu') want = 'wasm';
    const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
    const inBrowser = typeof navigator !== 'undefined' && 'gpu' in navigator;
    ort.env.wasm.numThreads = isolated
      ? Math.min(4, navigator.hardwareConcurrency || 1)
      : typeof window === 'undefined' && typeof process !== 'undefined'
        ? 0
        : 1;
    let fallback: string | null = null;
    let backend: Backend = 'wasm';
    if (want !== 'wasm') {
      const adapter = inBrowser
        ? await (navigator as Navigator & { gpu: { requestAdapter(): Promise<unknown> } }).gpu
            .requestAdapter()
            .catch(() => null)
        : null;
      if (adapter) backend = 'webgpu';
      else fallback = inBrowser ? 'no WebGPU adapter in this browser' : 'WebGPU is not available here';
    }
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        executionProviders: [backend],
        graphOptimizationLevel: 'all',
      });
    } catch (e) {
      if (backend !== 'webgpu') throw new LoupeError('bad-model', `${name} could not be loaded: ${messageOf(e)}`);
      fallback = `WebGPU could not run it (${messageOf(e)})`;
      backend = 'wasm';
      try {
        session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
      } catch (e2) {
        throw new LoupeError('bad-model', `${name} could not be loaded: ${messageOf(e2)}`);
      }
    }
    const io = (list: readonly ort.InferenceSession.ValueMetadata[]): TensorInfo[] =>
      list.map((m) => ({
        name: m.name,
        type: m.isTensor ? String(m.type) : 'non-tensor',
        shape: m.isTensor ? [...m.shape].map((d) => (typeof d === 'number' && d >= 0 ? d : String(d))) : [],
      }));
    const info: ModelInfo = {
      id: `model_${this.next++}`,
      name,
      kind: 'onnx',
      backend,
      fallback,
      threads: backend === 'wasm' ? Math.max(1, ort.env.wasm.numThreads ?? 1) : 0,
      inputs: io(session.inputMetadata),
      outputs: io(session.outputMetadata),
      classes: metadataClasses(meta.metadata),
      producer: meta.producer,
      bytes: bytes.byteLength,
    };
    this.models.set(info.id, { session, info });
    return info;
  }

  info(id: string): ModelInfo {
    return this.get(id).info;
  }

  private get(id: string) {
    const m = this.models.get(id);
    if (!m) throw new LoupeError('bad-model', `No loaded model ${id}.`);
    return m;
  }

  /**
   * Checks that a float32 [batch, width] input fits the model, naming both shapes when not.
   * Returns the input and output to use.
   */
  check(id: string, dims: number[], input?: string, columns: string[] = []): { input: string; output: string } {
    const { info } = this.get(id);
    const inp = input ? info.inputs.find((i) => i.name === input) : info.inputs[0];
    const gives = `float32 [batch, ${dims.join(', ')}]${columns.length ? ` (${columns.join(', ')})` : ''}`;
    if (!inp)
      throw new LoupeError(
        'bad-model-input',
        `${info.name} has no input ${JSON.stringify(input)} (inputs: ${info.inputs.map((i) => i.name).join(', ')}).`,
      );
    const expects = `${inp.name}: ${inp.type} [${inp.shape.join(', ')}]`;
    if (info.inputs.length > 1 && !input)
      throw new LoupeError(
        'bad-model-input',
        `${info.name} has ${info.inputs.length} inputs (${info.inputs.map((i) => i.name).join(', ')}); Loupe feeds one: name it in the spec ("input").`,
      );
    const fits =
      inp.shape.length === dims.length + 1 &&
      dims.every((d, i) => typeof inp.shape[i + 1] !== 'number' || inp.shape[i + 1] === d);
    if (inp.type !== 'float32' || !fits) {
      throw new LoupeError('bad-model-input', `The model expects ${expects}; the data gives ${gives}.`);
    }
    if (this.get(id).tf) return { input: inp.name, output: info.outputs[0]?.name ?? '' };
    const out =
      info.outputs.find((o) => /prob/i.test(o.name)) ??
      info.outputs.find((o) => o.type === 'float32') ??
      info.outputs[0];
    if (!out || out.type !== 'float32')
      throw new LoupeError(
        'bad-model-input',
        `${info.name} has no float32 output (outputs: ${info.outputs.map((o) => `${o.name}: ${o.type}`).join(', ')}).`,
      );
    return { input: inp.name, output: out.name };
  }

  /**
   * Runs one batch: row-major float32 [rows, ...dims] in. Out: the output as class probabilities
   * (`as` says what the outputs are; see toProbabilities) or, for 'values', as they are; `outputs`
   * is the model's own output width, `k` the width of `values`.
   */
  async run(
    id: string,
    data: Float32Array,
    rows: number,
    dims: number[],
    input: string,
    output: string,
    as: OutputKind | 'values',
    embedding?: string | null,
  ): Promise<ModelOutput> {
    const [{ values, k }, emb] = await this.raw(id, data, rows, dims, input, [
      output,
      ...(embedding ? [embedding] : []),
    ]);
    const more = emb ? { embedding: { values: emb.values, width: emb.k } } : {};
    if (as !== 'values') return { ...toProbabilities(values, rows, k, as), outputs: k, ...more };
    const out = Float64Array.from(values);
    return {
      values: out,
      k,
      outputs: k,
      nan: out.reduce((n, v) => n + (Number.isNaN(v) ? 1 : 0), 0),
      applied: 'none',
      ...more,
    };
  }

  private async raw(
    id: string,
    data: Float32Array,
    rows: number,
    dims: number[],
    input: string,
    outputs: string[],
  ): Promise<{ values: Float32Array; k: number }[]> {
    const { session, info, tf } = this.get(id);
    let result: ort.InferenceSession.OnnxValueMapType;
    if (tf && outputs.length > 1)
      throw new LoupeError(
        'bad-model',
        'An embedding output is read from ONNX models; a TF.js model gives one output here.',
      );
    for (const o of outputs)
      if (!tf && !info.outputs.some((x) => x.name === o))
        throw new LoupeError(
          'bad-model-input',
          `${info.name} has no output ${JSON.stringify(o)} (its outputs: ${info.outputs.map((x) => x.name).join(', ')}).`,
        );
    try {
      if (tf) return [await tf.run(data, [rows, ...dims])];
      result = await session.run({ [input]: new ort.Tensor('float32', data, [rows, ...dims]) }, outputs);
    } catch (e) {
      const m = messageOf(e);
      if (/memory|allocat|RangeError/i.test(m))
        throw new LoupeError(
          'out-of-memory',
          `${info.name} ran out of memory on a batch of ${rows} rows: choose a smaller batch size.`,
        );
      throw new LoupeError('model-failed', `${info.name} failed on a batch: ${m}`);
    }
    return outputs.map((output) => {
      const t = result[output] as ort.Tensor;
      const values = t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as ArrayLike<number>);
      const k = rows ? values.length / rows : 0;
      if (!Number.isInteger(k) || k < 1)
        throw new LoupeError(
          'model-failed',
          `${info.name}'s output ${output} has shape [${t.dims.join(', ')}], not [batch, k].`,
        );
      return { values, k };
    });
  }

  async dispose(id: string): Promise<void> {
    const m = this.models.get(id);
    this.models.delete(id);
    m?.tf?.dispose();
    await m?.session?.release();
  }
}

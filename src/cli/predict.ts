import path from 'node:path';
import { checkSpec, parseClassList, type PreprocessSpec } from '../core/models/spec';
import { createRequire } from 'node:module';
import { ModelEngine } from '../engine/ModelEngine';
import type { TfjsFiles } from '../engine/tfjsModel';
import { isTfjsModelJson } from '../core/models/names';
import { predictAll } from '../engine/predict';
import { modelName } from '../core/models/names';
import { weightPath } from '../core/models/weightPaths';
import { inFolder, number, openWithRoles, parse, readInput, writeOutput, USAGE, UsageError, type IO } from './main';

const read = readInput;

/** A TF.js model.json and the weight files its manifest names, from its directory. */
async function tfjsFiles(file: string): Promise<TfjsFiles> {
  let json: { weightsManifest?: { paths: string[] }[] };
  try {
    json = JSON.parse(new TextDecoder().decode(await read(file)));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!isTfjsModelJson(json))
    throw new UsageError(`${file} is not a TensorFlow.js model.json (no modelTopology or weightsManifest)`);
  const weights: Record<string, Uint8Array> = Object.create(null); // keyed by the manifest's file names
  for (const p of (json.weightsManifest ?? []).flatMap((g) => g.paths)) {
    const rel = weightPath(p, file);
    const real = await inFolder(path.dirname(path.resolve(file)), rel);
    if (real === null)
      throw new UsageError(
        `${file} names the weight file ${JSON.stringify(rel)}: it is a link to a file outside the model's folder`,
      );
    weights[rel.replace(/^.*\//, '')] = await read(real);
  }
  return { json, weights };
}

/** `loupe predict <data> --model FILE [--features a,b,c | --spec spec.json] [--name NAME] [--embedding OUTPUT] --out FILE`. */
export async function predictCommand(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(args, {
    model: { type: 'string' },
    features: { type: 'string' },
    spec: { type: 'string' },
    name: { type: 'string' },
    classes: { type: 'string' },
    batch: { type: 'string' },
    out: { type: 'string' },
    label: { type: 'string' },
    embedding: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return (io.out.write(USAGE + '\n'), 0);
  if (positionals.length !== 1)
    throw new UsageError('give one data file: loupe predict <data> --model FILE --features a,b,c --out FILE');
  if (typeof values.model !== 'string')
    throw new UsageError('give the model: --model FILE (.onnx, or a TensorFlow.js model.json)');
  if (typeof values.out !== 'string') throw new UsageError('give the output file: --out FILE (.csv or .parquet)');
  const format = /\.parquet$/i.test(values.out) ? 'parquet' : /\.csv$/i.test(values.out) ? 'csv' : null;
  if (!format) throw new UsageError(`--out ${JSON.stringify(values.out)}: the name must end in .csv or .parquet`);
  if ((values.features === undefined) === (values.spec === undefined))
    throw new UsageError('give either --features a,b,c or --spec preprocessing.json');
  const batchSize = number(values, 'batch', { min: 1, max: 1_000_000, integer: true }) ?? 4096;
  const { engine, info, roles } = await openWithRoles(positionals[0], { label: values.label });
  let raw: unknown;
  if (typeof values.spec === 'string') {
    try {
      raw = JSON.parse(new TextDecoder().decode(await read(values.spec)));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`${values.spec} is not valid JSON: ${(e as Error).message}`);
    }
  } else
    raw = {
      version: 1,
      features: String(values.features)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    };
  const spec: PreprocessSpec = checkSpec(raw, info.columns);
  // A labels file names the outputs (before the spec's and the model's names).
  if (typeof values.classes === 'string')
    spec.output = {
      ...spec.output,
      classes: parseClassList(new TextDecoder().decode(await read(values.classes)), values.classes),
    };
  const models = new ModelEngine({
    tfjsWasm: `${path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'))}/dist/`,
  });
  const model = /\.json$/i.test(values.model)
    ? await models.loadTfjs(path.basename(values.model), await tfjsFiles(values.model), 'wasm')
    : await models.load(path.basename(values.model), await read(values.model), 'wasm');
  const name = modelName(typeof values.name === 'string' ? values.name : values.model);
  const r = await predictAll(engine, models, {
    datasetId: info.id,
    rows: info.rows,
    modelId: model.id,
    spec,
    name,
    batchSize,
    embeddingOutput: typeof values.embedding === 'string' ? values.embedding : null,
    modelClasses: model.classes,
    datasetClasses: await engine.labelClasses(info.id, roles),
  });
  await writeOutput('out', values.out, await engine.exportTable(info.id, format));
  const perSecond = Math.round(info.rows / Math.max(1e-3, r.ms / 1000));
  io.err.write(
    `loupe: ${info.rows} rows through ${model.name} (${model.backend}) in ${(r.ms / 1000).toFixed(2)} s (${perSecond} rows/s); ` +
      `added ${r.classes ? `pred__${name} and ${r.classes.length} prob__${name}__<class> columns (${r.classes.join(', ')}; ${r.applied === 'none' ? 'outputs were probabilities' : `${r.applied} applied`})` : `pred__${name}`}` +
      `${r.embedding ? `; the ${r.embedding.width}-wide embedding as ${r.embedding.column}` : ''}` +
      `${r.nanRows ? `; ${r.nanRows} rows gave NaN outputs (their predictions are empty)` : ''} → ${values.out}\n`,
  );
  return 0;
}

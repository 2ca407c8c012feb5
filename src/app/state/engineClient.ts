import { wrap, type Remote } from 'comlink';
import type { DataEngine } from '../../engine/DataEngine';
import type { ModelEngine } from '../../engine/ModelEngine';
import { installErrorTransfer } from '../../engine/errorTransfer';

/** The one data worker of the page, typed by the engine class it exposes. */
export function startDataWorker(): Remote<DataEngine> {
  installErrorTransfer();
  const worker = new Worker(new URL('../../../workers/data.worker.ts', import.meta.url), { type: 'module', name: 'loupe-data' });
  return wrap<DataEngine>(worker);
}

/** The model worker (onnxruntime-web), started when the first model is loaded. */
export function startModelWorker(): Remote<ModelEngine> {
  installErrorTransfer();
  const worker = new Worker(new URL('../../../workers/model.worker.ts', import.meta.url), { type: 'module', name: 'loupe-model' });
  return wrap<ModelEngine>(worker);
}

import { wrap, type Remote } from 'comlink';
import type { DataService, ModelService } from '../../engine/protocol';
import { installErrorTransfer } from '../../engine/errorTransfer';

/** The one data worker of the page, typed by the service it exposes. */
export function startDataWorker(): Remote<DataService> {
  installErrorTransfer();
  const worker = new Worker(new URL('../../../workers/data.worker.ts', import.meta.url), {
    type: 'module',
    name: 'loupe-data',
  });
  return wrap<DataService>(worker);
}

/** The model worker (onnxruntime-web), started when the first model is loaded. */
export function startModelWorker(): Remote<ModelService> {
  installErrorTransfer();
  const worker = new Worker(new URL('../../../workers/model.worker.ts', import.meta.url), {
    type: 'module',
    name: 'loupe-model',
  });
  return wrap<ModelService>(worker);
}

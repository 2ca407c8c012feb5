// The model worker: onnxruntime-web sessions run here, never on the UI thread.
import { expose } from 'comlink';
import { ModelEngine } from '../src/engine/ModelEngine';
import { installErrorTransfer } from '../src/engine/errorTransfer';

installErrorTransfer();
expose(new ModelEngine());

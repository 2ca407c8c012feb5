// The model worker: onnxruntime-web and TensorFlow.js run here, never on the UI thread.
import { expose } from 'comlink';
import wasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { ModelEngine } from '../src/engine/ModelEngine';
import { installErrorTransfer } from '../src/engine/errorTransfer';
import { modelService } from '../src/engine/protocol';

installErrorTransfer();
expose(
  modelService(
    new ModelEngine({
      tfjsWasm: {
        'tfjs-backend-wasm.wasm': wasm,
        'tfjs-backend-wasm-simd.wasm': wasmSimd,
        'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
      },
    }),
  ),
);

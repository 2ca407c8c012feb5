// The data worker: DuckDB-wasm and every parser run here, never on the UI thread.
import { expose } from 'comlink';
import { DataEngine } from '../src/engine/DataEngine';
import { browserPlatform } from '../src/engine/browserPlatform';
import { installErrorTransfer } from '../src/engine/errorTransfer';

installErrorTransfer();
expose(new DataEngine(browserPlatform()));

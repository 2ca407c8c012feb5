// The data worker: DuckDB-wasm and every parser run here, never on the UI thread. It exposes the
// data service of src/engine/protocol.ts and nothing else of the engine.
import { expose } from 'comlink';
import { DataEngine } from '../src/engine/DataEngine';
import { browserPlatform } from '../src/engine/browserPlatform';
import { installErrorTransfer } from '../src/engine/errorTransfer';
import { dataService } from '../src/engine/protocol';

installErrorTransfer();
expose(dataService(new DataEngine(browserPlatform())));

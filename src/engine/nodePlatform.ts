import { createRequire } from 'node:module';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createDuckDB, NODE_RUNTIME, VoidLogger } from '@duckdb/duckdb-wasm/blocking';
import * as parquetWasm from 'parquet-wasm';
import { parquetReaderSync } from './parquet';
import type { Platform } from './DataEngine';

const require = createRequire(import.meta.url);

/** Every engine's sandbox folder, removed when the process exits. */
const sandboxes = new Set<string>();

/** The blocking duckdb-wasm build and parquet-wasm, in Node: for tests and the `loupe` command. */
export async function nodePlatform(): Promise<Platform> {
  const dist = path.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  const db = await createDuckDB(
    {
      mvp: { mainModule: path.join(dist, 'duckdb-mvp.wasm'), mainWorker: path.join(dist, 'duckdb-node-mvp.worker.cjs') },
      eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: path.join(dist, 'duckdb-node-eh.worker.cjs') },
    },
    new VoidLogger(),
    NODE_RUNTIME,
  );
  await db.instantiate();
  db.open({});
  // DuckDB's only readable and writable place: a private directory of this process, removed at exit.
  const sandbox = mkdtempSync(path.join(tmpdir(), 'loupe-')) + path.sep;
  if (!sandboxes.size) process.once('exit', () => sandboxes.forEach((d) => rmSync(d, { recursive: true, force: true })));
  sandboxes.add(sandbox);
  return {
    db,
    sandbox,
    readParquet: parquetReaderSync(parquetWasm),
    writeParquet: async (ipc) => parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(ipc)),
    removeScratch: (file) => rmSync(file, { force: true }),
  };
}

import { createRequire } from 'node:module';
import path from 'node:path';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parquetReaderSync } from './parquet';
import type { Platform } from './DataEngine';
import { LoupeError, messageOf } from '../core/errors';
import type { Connector } from './connector';
import type { DuckDBBindings } from '@duckdb/duckdb-wasm/blocking';

const require = createRequire(import.meta.url);

/** Every engine's sandbox folder, removed when the process exits. */
const sandboxes = new Set<string>();
let removedAtExit = false;

export type NodeEngineKind = 'native' | 'wasm';

/** The engine `LOUPE_ENGINE` names (native DuckDB unless it says wasm). */
export function engineKind(env = process.env.LOUPE_ENGINE): NodeEngineKind {
  return env === 'wasm' ? 'wasm' : 'native';
}

/**
 * DuckDB in Node, for the `loupe` command and tests: native DuckDB (`@duckdb/node-api`) by default,
 * or the blocking DuckDB-wasm build the browser runs. `files` are the paths the user named: native
 * DuckDB may read exactly those (and its sandbox) once locked, without copying them.
 */
export async function nodePlatform(opts: { kind?: NodeEngineKind; files?: string[] } = {}): Promise<Platform> {
  // DuckDB's only writable place: a private directory of this process, removed at exit.
  const sandbox = mkdtempSync(path.join(tmpdir(), 'loupe-')) + path.sep;
  if (!removedAtExit) {
    removedAtExit = true;
    process.once('exit', () => sandboxes.forEach((d) => rmSync(d, { recursive: true, force: true })));
  }
  sandboxes.add(sandbox);
  const kind = opts.kind ?? engineKind();
  const duckdb =
    kind === 'native'
      ? await nativeOrWasm(sandbox, opts.files ?? [], opts.kind === 'native' || process.env.LOUPE_ENGINE === 'native')
      : await wasm(sandbox);
  const connector: Connector = {
    ...duckdb,
    close() {
      duckdb.close();
      rmSync(sandbox, { recursive: true, force: true });
      sandboxes.delete(sandbox);
    },
  };
  // parquet-wasm is loaded on first use: native DuckDB reads Parquet itself.
  const pw = () => import('parquet-wasm');
  return {
    connector,
    readParquet: async (file) => parquetReaderSync(await pw())(file),
    writeParquet: async (ipc) => {
      const { writeParquet, Table } = await pw();
      return writeParquet(Table.fromIPCStream(ipc));
    },
  };
}

/**
 * Native DuckDB, or DuckDB-wasm where its binary cannot be loaded (a platform without one, or an
 * install that skipped optional packages), unless native was asked for by name.
 */
async function nativeOrWasm(sandbox: string, files: string[], required: boolean): Promise<Connector> {
  try {
    return await native(sandbox, files);
  } catch (e) {
    if (e instanceof LoupeError && e.code === 'bad-usage') throw e;
    const why = messageOf(e).split('\n')[0];
    if (required)
      throw new LoupeError(
        'bad-usage',
        `native DuckDB could not be loaded (${why}); unset LOUPE_ENGINE to use DuckDB-wasm`,
      );
    console.warn(`loupe: warning: native DuckDB could not be loaded (${why}); using DuckDB-wasm`);
    return wasm(sandbox);
  }
}

async function native(sandbox: string, files: string[]): Promise<Connector> {
  const { nativeConnector } = await import('./nativeConnector');
  // DuckDB checks a path after resolving links, so the allowed list holds the resolved paths.
  const real = files.flatMap((f) => {
    try {
      return [realpathSync(f)];
    } catch {
      return [];
    }
  });
  return nativeConnector(sandbox, real);
}

/**
 * DuckDB-wasm modules of closed connectors, reset to an empty database: starting one costs ~0.5 s
 * (its static constructors), a reset ~15 ms, which counts where one process runs `loupe` many
 * times (the engine tests).
 */
const idle: DuckDBBindings[] = [];

async function wasm(sandbox: string): Promise<Connector> {
  const { wasmConnector } = await import('./wasmConnector');
  const db = idle.pop() ?? (await startWasm());
  const connector = wasmConnector(db, sandbox, (file) => rmSync(file, { force: true }));
  return {
    ...connector,
    close() {
      connector.close();
      // A fresh database: no table, file or setting of this one remains.
      db.dropFiles();
      db.reset();
      idle.push(db);
    },
  };
}

async function startWasm(): Promise<DuckDBBindings> {
  const { createDuckDB, NODE_RUNTIME, VoidLogger } = await import('@duckdb/duckdb-wasm/blocking');
  const dist = path.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  const db = await createDuckDB(
    {
      mvp: {
        mainModule: path.join(dist, 'duckdb-mvp.wasm'),
        mainWorker: path.join(dist, 'duckdb-node-mvp.worker.cjs'),
      },
      eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: path.join(dist, 'duckdb-node-eh.worker.cjs') },
    },
    new VoidLogger(),
    NODE_RUNTIME,
  );
  await db.instantiate();
  db.open({});
  return db;
}

import { DataEngine } from '../../src/engine/DataEngine';
import { nodePlatform } from '../../src/engine/nodePlatform';
import { readFileSync } from 'node:fs';

export const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
/** An engine on the DuckDB that LOUPE_ENGINE names (the test project sets it: native or wasm). */
export const newEngine = () => new DataEngine(nodePlatform());
/** Such an engine that adds every statement it runs to `statements`. */
export const countingEngine = (statements: string[]) =>
  new DataEngine(
    nodePlatform().then((p) => ({
      ...p,
      connector: {
        ...p.connector,
        query: (sql: string, stop: () => boolean) => (statements.push(sql), p.connector.query(sql, stop)),
      },
    })),
  );

// The blocking browser build of duckdb-wasm is not in the package's export map; vite.config.ts
// aliases this name to its file. Only what browserPlatform.ts uses is typed.
declare module 'duckdb-browser-blocking' {
  import type { DuckDBBindings } from '@duckdb/duckdb-wasm/blocking';
  export const BROWSER_RUNTIME: unknown;
  export const DuckDBDataProtocol: { BROWSER_FILEREADER: number };
  export class VoidLogger {}
  export function createDuckDB(
    bundles: Record<'mvp' | 'eh', { mainModule: string; mainWorker: string | null }>,
    logger: VoidLogger,
    runtime: unknown,
  ): Promise<DuckDBBindings>;
}

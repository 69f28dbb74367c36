/**
 * Entry of dist/core.js (Node, CommonJS): src/core's public surface, plus a loadSyntax() whose default loader reads
 * the tree-sitter wasm files shipped next to the bundle — so `await require('./dist/core.js').loadSyntax()` works with
 * no arguments. The file reading lives here, outside src/core, which stays free of I/O.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { loadSyntax as loadWith, type LoadOptions, type WasmLoader } from '../core/edits/index';

export * from '../core/index';

/** Where the wasm files are: next to this bundle (dist/), or node_modules when run from source. */
function wasmDir(): string {
  return path.join(__dirname, 'tree-sitter');
}

export const nodeWasmLoader: WasmLoader = { load: async (name) => new Uint8Array(await readFile(path.join(wasmDir(), name))) };

export function loadSyntax(loader: WasmLoader = nodeWasmLoader, options?: LoadOptions): Promise<void> {
  return loadWith(loader, options);
}

/** The edit engine's parsers for tests: the wasm files straight from node_modules/@vscode/tree-sitter-wasm. */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { loadSyntax } from '../../src/core/edits/index';
import { repoRoot } from './paths';

export const testWasmLoader = {
  load: async (name: string): Promise<Uint8Array> => new Uint8Array(await readFile(path.join(repoRoot(), 'node_modules/@vscode/tree-sitter-wasm/wasm', name))),
};

export function loadTestSyntax(): Promise<void> {
  return loadSyntax(testWasmLoader);
}

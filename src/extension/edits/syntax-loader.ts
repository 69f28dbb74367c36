/**
 * Loads the edit engine's parsers (tree-sitter wasm files shipped in dist/tree-sitter/) on the first edit — never at
 * activation — through vscode.workspace.fs, once. If loading fails the engine still works line-based (with lower
 * confidence), so the failure is logged, not shown.
 */
import * as vscode from 'vscode';
import { loadSyntax } from '../../core/edits/engine';
import { log } from '../log';
import { errorMessage } from '../../core/result';

let loading: Promise<void> | undefined;

export function ensureSyntax(extensionUri: vscode.Uri): Promise<void> {
  loading ??= loadSyntax({
    load: async (name) => vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'dist', 'tree-sitter', name)),
  }).catch((e: unknown) => {
    log.warn(`Edit syntax checks unavailable (tree-sitter did not load): ${errorMessage(e)}`);
    loading = undefined;
  });
  return loading;
}

/** Ponder's API in the extension host, and a poll helper, for the repository-map suites. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PonderApi } from '../../../../src/extension/context';

export async function ponder(): Promise<PonderApi> {
  const ext = vscode.extensions.getExtension('ponder-dev.ponder');
  assert.ok(ext, 'Ponder is installed in this extension host');
  const exports: unknown = await ext.activate();
  assert.ok(typeof exports === 'object' && exports !== null && 'repoMapStats' in exports && 'panelMessage' in exports, 'activate() returned Ponder’s API');
  return exports as PonderApi;
}

export async function poll<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const fileUri = (rel: string) => {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is open');
  return vscode.Uri.joinPath(folder.uri, rel);
};

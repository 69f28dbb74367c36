/** The packaged extension, as users install it: it activates, answers from its bundled worker, and finds its binary. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PonderApi } from '../../../src/extension/context';
import type { TurnOutcome } from '../../../src/core/protocol/panel';

describe('Ponder from the packaged VSIX', () => {
  it('is the installed extension, not a development copy', () => {
    const ext = vscode.extensions.getExtension('ponder-dev.ponder');
    assert.ok(ext, 'installed');
    assert.match(ext.extensionPath, /extensions/, `installed under the extensions folder (${ext.extensionPath})`);
  });

  it('answers with the local model through the packaged worker and node-llama-cpp binary', async () => {
    const ext = vscode.extensions.getExtension('ponder-dev.ponder');
    const api = (await ext?.activate()) as PonderApi;
    const outcome = (await vscode.commands.executeCommand('ponder.ask', 'Say hello')) as TurnOutcome;
    assert.equal(outcome.stopReason, 'done', outcome.error);
    assert.ok(outcome.stats && outcome.stats.answerTokens > 0);
    assert.equal(api.nodeLlamaCppInHost(), false);
  });
});

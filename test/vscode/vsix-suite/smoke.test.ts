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

  it('a code action from the packaged extension applies the model’s edit', async () => {
    const model = process.env.PONDER_TEST_EDIT_MODEL;
    const fixed = process.env.PONDER_TEST_EDIT_FIXED;
    assert.ok(model && fixed, 'the runner passes the edit model and its fix');
    await vscode.workspace.getConfiguration('ponder').update('model', model, vscode.ConfigurationTarget.Global);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'src/math.ts'));
    await vscode.window.showTextDocument(doc);
    const lint = vscode.languages.createDiagnosticCollection('vsix-smoke');
    try {
      lint.set(doc.uri, [new vscode.Diagnostic(new vscode.Range(1, 2, 1, 15), 'add() must return the sum', vscode.DiagnosticSeverity.Warning)]);
      const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(1, 9, 1, 9))) ?? [];
      const fix = actions.find((a) => a.title === 'Fix with Ponder');
      assert.ok(fix?.command, 'the lightbulb offers Fix with Ponder');
      const made = (await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []))) as { ok: boolean; reason?: string };
      assert.ok(made.ok, made.reason);
      const apply = ((await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(1, 0, 1, 0))) ?? []).find((a) => a.title === "Apply Ponder's proposed change");
      assert.ok(apply?.command);
      await vscode.commands.executeCommand(apply.command.command, ...(apply.command.arguments ?? []));
      assert.equal(doc.getText(), fixed);
    } finally {
      lint.dispose();
    }
  });
});

/**
 * Runs in a real VS Code extension host with `ponder.engine=openai-compatible`, pointed by the runner at a REAL
 * llama-server (started with `--api-key`) serving the generated `edit` model. The same commands and code actions
 * as with the local engine; the key travels from SecretStorage per request.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { run } from '../commands';
import type { TurnOutcome } from '../../../../src/core/protocol/panel';
import type { PonderApi } from '../../../../src/extension/context';

const isApi = (v: unknown): v is PonderApi => typeof v === 'object' && v !== null && 'engineStarted' in v;

async function api(): Promise<PonderApi> {
  const exports: unknown = await vscode.extensions.getExtension('ponder-dev.ponder')?.activate();
  assert.ok(isApi(exports), 'activate() returned Ponder’s API');
  return exports;
}

/** Polls until probe gives a value; mocha's timeout bounds the wait. */
async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const key = process.env.PONDER_TEST_REMOTE_KEY;
const fixed = process.env.PONDER_TEST_EDIT_FIXED;

describe('Ponder with a remote OpenAI-compatible engine (real llama-server)', () => {
  before(() => assert.ok(key && fixed, 'the runner passes the server key and the scripted fix'));

  it('activates without starting an engine or contacting the server', async () => {
    const a = await api();
    assert.equal(vscode.workspace.getConfiguration('ponder').get('engine'), 'openai-compatible');
    assert.equal(a.engineStarted(), false);
  });

  it('without an API key the server refuses, and the turn says how to set one', async () => {
    const outcome = (await vscode.commands.executeCommand('ponder.ask', 'hello')) as TurnOutcome;
    assert.equal(outcome.stopReason, 'error');
    assert.match(outcome.error ?? '', /HTTP 401.*No API key is set.*Set API Key for Remote Engine/);
  });

  it('ponder.setApiKey stores the key in secret storage (not settings); the next turn is answered remotely', async () => {
    assert.equal(await vscode.commands.executeCommand('ponder.setApiKey', key), true);
    const settings = JSON.stringify(vscode.workspace.getConfiguration('ponder'));
    assert.ok(key && !settings.includes(key), 'the key is not in any setting');
    const outcome = (await vscode.commands.executeCommand('ponder.ask', 'hello')) as TurnOutcome;
    assert.equal(outcome.stopReason, 'done', outcome.error);
    assert.ok(outcome.stats && outcome.stats.thinkingTokens > 0 && outcome.stats.answerTokens > 0, JSON.stringify(outcome.stats));
    assert.equal(outcome.stats?.contextSize, 2048, 'the context size reported by llama-server');
    assert.equal((await api()).nodeLlamaCppInHost(), false);
  });

  it('Fix with Ponder (code action) → proposal from the remote model → Apply writes the exact fix', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'src/math.ts'));
    await vscode.window.showTextDocument(doc, { preview: false });
    const original = doc.getText();
    const lint = vscode.languages.createDiagnosticCollection('remote-lint');
    try {
      lint.set(doc.uri, [new vscode.Diagnostic(new vscode.Range(1, 2, 1, 15), 'add() must return the sum of a and b', vscode.DiagnosticSeverity.Warning)]);
      const fix = await until(async () => {
        // A freshly opened file's first code-action request can be cancelled while the editor settles: ask again.
        const actions = await Promise.resolve(vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(1, 9, 1, 9))).catch(() => []);
        return actions?.find((a) => a.title === 'Fix with Ponder');
      });
      assert.ok(fix?.command, 'the code action is offered');
      const made = await run(fix.command.command, ...(fix.command.arguments ?? []));
      assert.ok(made.ok && made.proposalId, made.reason);
      assert.equal(doc.getText(), original, 'a proposal writes nothing');
      assert.ok((await run('ponder.applyProposal', made.proposalId)).ok);
      assert.equal(doc.getText(), fixed, 'the file is exactly the remote model’s fix');
    } finally {
      lint.dispose();
      await vscode.window.showTextDocument(doc);
      if (doc.isDirty) await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });
});

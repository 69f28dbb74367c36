/** The per-request ceiling (`ponder.maxGeneratedTokens`) reaches the engine: a reply that never ends stops there. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TurnOutcome } from '../../../src/core/protocol/panel';

describe('generated-token ceiling in a real VS Code', function () {
  this.timeout(120_000);
  const cfg = () => vscode.workspace.getConfiguration('ponder');
  let previousModel: string | undefined;

  before(async () => {
    const model = process.env.PONDER_TEST_LOOP_MODEL;
    assert.ok(model, 'the runner passes the looping model');
    previousModel = cfg().get<string>('model');
    await cfg().update('model', model, vscode.ConfigurationTarget.Global);
    await cfg().update('maxGeneratedTokens', 300, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await cfg().update('maxGeneratedTokens', undefined, vscode.ConfigurationTarget.Global);
    await cfg().update('model', previousModel, vscode.ConfigurationTarget.Global);
  });

  it('a reply that loops forever stops at ponder.maxGeneratedTokens, marked as stopped at the limit', async () => {
    const outcome = (await vscode.commands.executeCommand('ponder.ask', 'List everything')) as TurnOutcome;
    assert.equal(outcome.stopReason, 'maxTokens', outcome.error);
    const generated = (outcome.stats?.thinkingTokens ?? 0) + (outcome.stats?.answerTokens ?? 0);
    assert.ok(generated > 0 && generated <= 300, `${generated} tokens generated for a ceiling of 300`);
  });
});

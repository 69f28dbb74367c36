/** Runs inside the real VS Code extension host (code-server), with a generated model configured by the runner. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PonderApi } from '../../../src/extension/context';
import type { TurnOutcome } from '../../../src/core/protocol/panel';

const EXTENSION_ID = 'ponder-dev.ponder';

function isApi(v: unknown): v is PonderApi {
  return typeof v === 'object' && v !== null && 'engineStarted' in v && 'nodeLlamaCppInHost' in v;
}

async function api(): Promise<PonderApi> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed in this extension host`);
  const exports: unknown = await ext.activate();
  assert.ok(isApi(exports), 'activate() returned Ponder’s API');
  return exports;
}

describe('Ponder in a real VS Code', () => {
  it('activates without starting the engine or loading node-llama-cpp into the host', async () => {
    const a = await api();
    assert.equal(a.engineStarted(), false, 'no engine process at activation');
    assert.equal(a.nodeLlamaCppInHost(), false, 'node-llama-cpp is not in the host process');
  });

  it('registers every command at activation, though the editor features load only on first use', async () => {
    const a = await api();
    assert.equal(a.featuresLoaded(), false, 'activation did not load the edit / verify / model features');
    const ponderCommands = async () => new Set((await vscode.commands.getCommands(true)).filter((c) => c.startsWith('ponder.')));
    const before = await ponderCommands();
    const declared = (vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: Array<{ command: string }> } }).contributes.commands.map((c) => c.command);
    for (const c of declared) assert.ok(before.has(c), `${c} (package.json) is registered at activation`);
    // A command of the features (no failed change to stop: does nothing) loads them, through its activation stub.
    await vscode.commands.executeCommand('ponder.stopVerification');
    assert.equal(a.featuresLoaded(), true, 'the first use loaded them');
    const after = await ponderCommands();
    // Every command the features register had its stub: a missing one would have been "not found" until now.
    assert.deepEqual([...after].filter((c) => !before.has(c)), [], 'commands registered only once the features loaded');
    assert.deepEqual([...before].filter((c) => !after.has(c)), [], 'commands lost when the stubs were replaced');
  });

  it('ponder.ask answers with the configured local model, in a worker process', async () => {
    const a = await api();
    const expected = process.env.PONDER_TEST_SHORT_ANSWER;
    assert.ok(expected, 'the runner passes the scripted answer');
    const outcome = (await vscode.commands.executeCommand('ponder.ask', 'Say hello')) as TurnOutcome;
    assert.equal(outcome.stopReason, 'done', outcome.error);
    assert.ok(outcome.stats && outcome.stats.thinkingTokens > 0 && outcome.stats.answerTokens > 0);
    assert.equal(a.engineStarted(), true, 'the engine process runs now');
    assert.equal(a.nodeLlamaCppInHost(), false, 'and node-llama-cpp is still not in the host');
    assert.equal(outcome.stats?.prediction, undefined, 'a question without code predicts nothing from the prompt');
  });

  it('ponder.speculative: a question with code uses prompt lookup; "off" turns it off', async () => {
    const question = 'What does this print?\n\n```js\nconsole.log(1 + 1);\n```';
    const withCode = (await vscode.commands.executeCommand('ponder.ask', question)) as TurnOutcome;
    assert.equal(withCode.stopReason, 'done', withCode.error);
    assert.equal(withCode.stats?.prediction?.mode, 'lookup', JSON.stringify(withCode.stats));
    const cfg = vscode.workspace.getConfiguration('ponder');
    await cfg.update('speculative', 'off', vscode.ConfigurationTarget.Global);
    try {
      const off = (await vscode.commands.executeCommand('ponder.ask', question)) as TurnOutcome;
      assert.equal(off.stopReason, 'done', off.error);
      assert.equal(off.stats?.prediction, undefined, JSON.stringify(off.stats));
    } finally {
      await cfg.update('speculative', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

/**
 * Runs last (files run in name order): deactivate() shuts the engine down. It asks the worker to exit
 * (`engine/shutdown`) and resolves only once it has — not just dropping the IPC channel when the host process ends.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PonderApi } from '../../../src/extension/context';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function isModule(v: unknown): v is { deactivate(): unknown } {
  return typeof v === 'object' && v !== null && 'deactivate' in v && typeof v.deactivate === 'function';
}

describe('deactivate', () => {
  it('awaits the engine: the worker has exited when deactivate() resolves', async () => {
    const ext = vscode.extensions.getExtension<PonderApi>('ponder-dev.ponder');
    assert.ok(ext);
    const api = await ext.activate();
    if (api.enginePid() === undefined) await vscode.commands.executeCommand('ponder.ask', 'Say hello');
    const pid = api.enginePid();
    assert.ok(pid !== undefined && alive(pid), 'the worker runs');
    // The module VS Code loaded (the same CommonJS cache): what it calls when the window closes.
    const mod: unknown = require(path.join(ext.extensionPath, 'dist', 'extension.js'));
    assert.ok(isModule(mod));
    await mod.deactivate();
    assert.equal(alive(pid), false, 'the worker exited before deactivate() resolved');
    assert.equal(api.enginePid(), undefined);
  });
});

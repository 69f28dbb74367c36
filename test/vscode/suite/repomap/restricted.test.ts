/** Restricted Mode (the fixture folder opened untrusted): @workspace is off, says so, and reads nothing. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fileUri, poll, ponder } from './api';

describe('@workspace in Restricted Mode', () => {
  it('is off: the chip says so, the prompt carries no map, nothing is indexed', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the runner opened the folder in Restricted Mode');
    const a = await ponder();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fileUri('src/billing/checkout.ts')));
    await a.panelMessage({ type: 'panel/addFile', path: '@workspace' });
    await poll(() => a.chips().find((c) => c.kind === 'workspace' && /off in Restricted Mode/.test(c.label)), 'the chip saying why');
    await a.panelMessage({ type: 'panel/send', sendId: 1, text: 'Where is formatInvoice used?' });
    const prompt = a.lastPrompt() ?? '';
    assert.match(prompt, /Where is formatInvoice used\?/, 'the question itself is sent');
    assert.ok(!prompt.includes('Repository map') && !prompt.includes('src/billing/invoice.ts'), prompt);
    assert.equal(a.repoMapStats(), undefined, 'no file was indexed');
  });
});

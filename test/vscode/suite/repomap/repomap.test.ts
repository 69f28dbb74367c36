/**
 * @workspace in a real VS Code on test/fixtures/repomap (TypeScript, Python and Go; a .gitignore'd folder and a
 * minified file): the chip's token count, what the model received, an incremental update after a save, the task slice.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PonderApi } from '../../../../src/extension/context';
import { fileUri, poll, ponder } from './api';

/** Names only the ignored folder and the minified file define. */
const HIDDEN = ['ignoredSecretHelper', 'ignored_python_secret', 'minifiedSecretFn', 'generated/', 'plotlib'];

describe('@workspace: the repository map in a real VS Code', () => {
  let a: PonderApi;

  before(async () => {
    a = await ponder();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fileUri('src/billing/checkout.ts')));
  });

  it('is not built at activation', () => {
    assert.equal(a.repoMapStats(), undefined);
  });

  it('@workspace adds a chip that shows the map\'s token count', async () => {
    await a.panelMessage({ type: 'panel/addFile', path: '@workspace' });
    const chip = await poll(() => a.chips().find((c) => c.kind === 'workspace' && /· [\d,]+ tokens/.test(c.label)), 'the @workspace chip with a token count', 80_000);
    const tokens = Number(/· ([\d,]+) tokens/.exec(chip.label)?.[1].replace(/,/g, ''));
    // ponder.contextSize is 2048 in these runs: the automatic budget is an eighth of it.
    assert.ok(tokens > 0 && tokens <= 256, chip.label);
    const stats = a.repoMapStats();
    assert.ok(stats, 'built on first use');
    assert.equal(stats.fullBuilds, 1);
    assert.equal(stats.skipped.minified, 1, `the minified file is skipped: ${JSON.stringify(stats)}`);
    assert.equal(stats.ignored, 2, 'both files of the .gitignore\'d folder');
  });

  it('the model receives the signature of a function defined in another file that the question names, and nothing ignored or minified', async () => {
    await a.panelMessage({ type: 'panel/send', sendId: 1, text: 'Where is formatInvoice used, and what does it return?' });
    const prompt = a.lastPrompt() ?? '';
    assert.match(prompt, /Repository map/);
    assert.match(prompt, /src\/billing\/invoice\.ts:\n(?: {2}.*\n)* {2}export function formatInvoice\(invoice: Invoice, locale: string\): string/);
    for (const h of HIDDEN) assert.ok(!prompt.includes(h), `nothing from ignored or minified files (${h})`);
    assert.ok(!a.chips().some((c) => c.kind === 'workspace'), 'the chip is used up by the send, like mentions');
  });

  it('clicking the chip shows the map the model received', async () => {
    const sent = a.lastPrompt() ?? '';
    await a.panelMessage({ type: 'panel/openChip', id: 'workspace' });
    const doc = await poll(() => vscode.window.activeTextEditor?.document.getText().startsWith('Repository map') && vscode.window.activeTextEditor.document, 'the map in an editor');
    assert.ok(sent.includes(doc.getText()), 'the same text as in the prompt');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('files left out stay out even when the question names what they define', async () => {
    await a.panelMessage({ type: 'panel/send', sendId: 1, text: '@workspace Where are ignoredSecretHelper, ignored_python_secret and minifiedSecretFn0 defined?' });
    const prompt = a.lastPrompt() ?? '';
    const map = prompt.slice(prompt.indexOf('Repository map'));
    assert.match(map, /^Repository map/);
    for (const h of HIDDEN) assert.ok(!map.includes(h), `the map has nothing from ignored or minified files (${h}):\n${map}`);
  });

  it('Go and Python files are mapped too', async () => {
    await a.panelMessage({ type: 'panel/send', sendId: 1, text: '@workspace What does NewServer return, and what does net_price compute?' });
    const prompt = a.lastPrompt() ?? '';
    assert.match(prompt, /server\/server\.go:\n(?: {2,4}.*\n)* {2}func NewServer\(port int\) \*Server/);
    assert.match(prompt, /tools\/pricing\.py:\n(?: {2,4}.*\n)* {2}def net_price\(gross_cents: int, rate: float = VAT_RATE\) -> int/);
  });

  it('after a save, the new function is in the next map without a full rebuild', async () => {
    const before = a.repoMapStats();
    assert.ok(before);
    const doc = await vscode.workspace.openTextDocument(fileUri('src/billing/tax.ts'));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(doc.lineCount, 0), '\nexport function freshlyAddedRate(region: string): number {\n  return region === "EU" ? 0.2 : 0.1;\n}\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
    await a.panelMessage({ type: 'panel/send', sendId: 1, text: '@workspace What does freshlyAddedRate compute?' });
    assert.match(a.lastPrompt() ?? '', /src\/billing\/tax\.ts:\n(?: {2}.*\n)* {2}export function freshlyAddedRate\(region: string\): number/);
    const after = a.repoMapStats();
    assert.ok(after);
    assert.equal(after.fullBuilds, before.fullBuilds, 'no full rebuild');
    assert.ok(after.fileUpdates > before.fileUpdates, `one file re-read (${before.fileUpdates} → ${after.fileUpdates})`);
  });

  it('a renamed file is found under its new path; its old path, shown before, is refused when an answer names it', async () => {
    await a.panelMessage({ type: 'panel/send', sendId: 1, text: '@workspace How is sendSms implemented?' });
    assert.match(a.lastPrompt() ?? '', /src\/notify\/sms\.ts:\n {2}export function sendSms/);
    const edit = new vscode.WorkspaceEdit(); // as the explorer renames: VS Code reports it to the map
    edit.renameFile(fileUri('src/notify/sms.ts'), fileUri('src/notify/text-message.ts'));
    assert.ok(await vscode.workspace.applyEdit(edit));
    await a.panelMessage({ type: 'panel/send', sendId: 1, text: '@workspace How is sendSms implemented?' });
    const prompt = a.lastPrompt() ?? '';
    assert.match(prompt, /src\/notify\/text-message\.ts:\n {2}export function sendSms\(to: string, text: string\): Promise<void>/);
    assert.ok(!prompt.includes('src/notify/sms.ts'), 'the old path is gone');
    assert.equal(a.repoMapStats()?.fullBuilds, 1);

    const answer = '```ts\nexport function sendSms(to: string, text: string): Promise<void> {\n  return Promise.resolve();\n}\n```';
    const gone = (await vscode.commands.executeCommand('ponder.proposeFromAnswer', { path: 'src/notify/sms.ts', answer })) as { ok: boolean; reason?: string };
    assert.equal(gone.ok, false);
    assert.match(gone.reason ?? '', /`src\/notify\/sms\.ts`, which the repository map showed, but that file does not exist/);
    // A map path, spelled as answers do, leads back to the same workspace file.
    const same = (await vscode.commands.executeCommand('ponder.proposeFromAnswer', { path: './src/notify/text-message.ts', answer })) as { ok: boolean; reason?: string; proposalId?: string };
    assert.ok(same.ok, same.reason);
    await vscode.commands.executeCommand('ponder.discardProposal', same.proposalId);
  });

  it('editor tasks get a map slice when the budget allows', async () => {
    // A Python target: no language server here, so no definitions compete with the slice in the 2048-token context.
    const doc = await vscode.workspace.openTextDocument(fileUri('tools/report.py'));
    await vscode.window.showTextDocument(doc);
    const r = (await vscode.commands.executeCommand('ponder.explain', { uri: doc.uri.toString(), range: { startLine: 3, startCharacter: 0, endLine: 4, endCharacter: 0 } })) as { ok: boolean; reason?: string };
    assert.ok(r.ok, r.reason);
    const prompt = a.lastPrompt() ?? '';
    const map = prompt.indexOf('Repository map');
    const target = prompt.indexOf('The code');
    assert.ok(map > 0 && map < target, `the slice comes before the target:\n${prompt}`);
    const slice = prompt.slice(map, target);
    assert.match(slice, /tools\/pricing\.py:\n(?: {2}.*\n)* {2}def net_price\(gross_cents: int, rate: float = VAT_RATE\) -> int/, 'what the target uses comes first');
    assert.ok(!slice.includes('tools/report.py:'), 'the target\'s own file is not repeated in the slice');
  });
});

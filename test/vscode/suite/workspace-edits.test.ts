/**
 * Issue 5 in a real VS Code: code actions → the generated `edit` model's proposal → apply / per-hunk reject /
 * re-anchor / refusals, and the context that reached the model. Named to run after extension.test (which checks
 * that activation alone starts no engine).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { run, type CommandResult } from './commands';
import type { PonderApi } from '../../../src/extension/context';

async function api(): Promise<PonderApi> {
  const ext = vscode.extensions.getExtension('ponder-dev.ponder');
  assert.ok(ext);
  const exports: unknown = await ext.activate();
  assert.ok(isApi(exports), 'activate() returned Ponder’s API');
  return exports;
}

function isApi(v: unknown): v is PonderApi {
  return typeof v === 'object' && v !== null && 'lastPrompt' in v && typeof v.lastPrompt === 'function';
}

function root(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite runs in the sample workspace');
  return folder.uri;
}

async function open(rel: string): Promise<{ doc: vscode.TextDocument; editor: vscode.TextEditor; original: string }> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root(), rel));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  return { doc, editor, original: doc.getText() };
}

/** Drops unsaved changes so each test starts from the file on disk. */
async function revert(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc);
  if (doc.isDirty) await vscode.commands.executeCommand('workbench.action.files.revert');
}

/** Waits for the TypeScript server (it starts with the first .ts file); mocha's timeout bounds the wait. */
async function until<T>(probe: () => Thenable<T | undefined> | T | undefined): Promise<T> {
  for (;;) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function actionsAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range)) ?? [];
}

async function runAction(a: vscode.CodeAction | undefined): Promise<CommandResult> {
  assert.ok(a?.command, 'the action exists and runs a command');
  return run(a.command.command, ...(a.command.arguments ?? []));
}

async function lenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
}

const fixed = process.env.PONDER_TEST_EDIT_FIXED;
const fence = (code: string) => `Here is the corrected file:\n\n\`\`\`ts\n${code}\`\`\`\n`;

describe('Ponder edits in a real VS Code', function () {
  const lint = vscode.languages.createDiagnosticCollection('sample-lint');
  let previousModel: string | undefined;

  before(async () => {
    await api();
    const model = process.env.PONDER_TEST_EDIT_MODEL;
    assert.ok(model && fixed, 'the runner passes the edit model and its scripted fix');
    previousModel = vscode.workspace.getConfiguration('ponder').get<string>('model');
    await vscode.workspace.getConfiguration('ponder').update('model', model, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    lint.dispose();
    await vscode.workspace.getConfiguration('ponder').update('model', previousModel, vscode.ConfigurationTarget.Global);
  });

  it('Fix with Ponder on a diagnostic → proposal → Apply writes the exact fix; one undo restores the file', async () => {
    const { doc, original } = await open('src/math.ts');
    lint.set(doc.uri, [new vscode.Diagnostic(new vscode.Range(1, 2, 1, 15), 'add() must return the sum of a and b', vscode.DiagnosticSeverity.Warning)]);
    const fix = (await actionsAt(doc.uri, new vscode.Range(1, 9, 1, 9))).find((a) => a.title === 'Fix with Ponder');
    assert.equal(fix?.kind?.value, 'quickfix.ponder');
    const made = await runAction(fix);
    assert.ok(made.ok && made.proposalId, made.reason);
    assert.equal(doc.getText(), original, 'a proposal writes nothing');

    // The change links to the reasoning sentence that names its code ("…return a + b instead.").
    const why = (await lenses(doc.uri)).find((l) => l.command?.title.includes('Why?'));
    assert.equal(why?.command?.command, 'ponder.showReasoning');
    assert.equal(await vscode.commands.executeCommand('ponder.showReasoning', ...(why?.command?.arguments ?? [])), true, 'the link opens the passage in the panel');

    const prompt = (await api()).lastPrompt() ?? '';
    assert.match(prompt, /add\(\) must return the sum of a and b/, 'the diagnostic reached the model');
    assert.ok(prompt.includes(original.trimEnd()), 'the enclosing function reached the model');

    const actions = await actionsAt(doc.uri, new vscode.Range(1, 0, 1, 0));
    const apply = actions.find((a) => a.title === "Apply Ponder's proposed change");
    assert.equal(apply?.isPreferred, true);
    assert.ok(actions.some((a) => a.title.startsWith('Preview')) && actions.some((a) => a.title.startsWith('Discard')));
    assert.ok((await runAction(apply)).ok);
    assert.equal(doc.getText(), fixed, 'the file is exactly the model’s fix (no prose, no reasoning)');
    assert.equal((await actionsAt(doc.uri, new vscode.Range(1, 0, 1, 0))).some((a) => a.title.startsWith('Apply')), false, 'the proposal is gone');

    await vscode.window.showTextDocument(doc); // Ctrl+Z goes to the focused editor
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), original, 'one undo restores the original');
    lint.clear();
    await revert(doc);
  });

  it('sends the diagnostic, the enclosing function and a definition from another file to the model', async () => {
    const { doc } = await open('src/stats.ts');
    const diag = await until(() => vscode.languages.getDiagnostics(doc.uri).find((d) => d.message.includes("'count'")));
    const at = doc.positionAt(doc.getText().indexOf('Pair)'));
    await until(async () => (await vscode.commands.executeCommand<unknown[]>('vscode.executeDefinitionProvider', doc.uri, at))?.length);
    const fix = (await actionsAt(doc.uri, diag.range)).find((a) => a.title.startsWith('Fix with Ponder'));
    await runAction(fix); // the scripted model answers about add(); whether that becomes a proposal does not matter here
    const prompt = (await api()).lastPrompt() ?? '';
    assert.ok(prompt.includes("Property 'count' does not exist on type 'Pair'."), 'the diagnostic');
    assert.ok(prompt.includes('export function mean(p: Pair): number {\n  return total(p) / p.count;\n}'), 'the enclosing function');
    assert.ok(prompt.includes('export interface Pair {\n  left: number;\n  right: number;\n}'), `the definition of Pair from src/pair.ts, in:\n${prompt}`);
    assert.ok(prompt.includes("import { Pair, total } from './pair';"), 'the file header');
    await vscode.commands.executeCommand('ponder.discardProposal', doc.uri);
  });

  it('per-hunk Reject drops one change; Apply writes only the other', async () => {
    const { doc, original } = await open('src/lists.ts');
    const both = original.replace('xs[1]', 'xs[0]').replace('xs[xs.length]', 'xs[xs.length - 1]');
    const made = await run('ponder.proposeFromAnswer', { uri: doc.uri.toString(), answer: fence(both) });
    assert.equal(made.hunks, 2, made.reason);
    const reject = (await lenses(doc.uri)).filter((l) => l.command?.title === 'Reject');
    assert.equal(reject.length, 2, 'one Reject per change');
    const cmd = reject[0].command;
    assert.ok(cmd);
    assert.ok((await run(cmd.command, ...(cmd.arguments ?? []))).ok);
    assert.equal(doc.getText(), original, 'rejecting writes nothing');
    const apply = (await lenses(doc.uri)).find((l) => l.command?.title.includes("Apply Ponder's change"));
    assert.ok(apply?.command);
    assert.ok((await run(apply.command.command, ...(apply.command.arguments ?? []))).ok);
    assert.equal(doc.getText(), original.replace('xs[xs.length]', 'xs[xs.length - 1]'));
    await revert(doc);
  });

  it('per-hunk Accept writes that change only and keeps the rest pending', async () => {
    const { doc, original } = await open('src/lists.ts');
    const both = original.replace('xs[1]', 'xs[0]').replace('xs[xs.length]', 'xs[xs.length - 1]');
    assert.equal((await run('ponder.proposeFromAnswer', { uri: doc.uri.toString(), answer: fence(both) })).hunks, 2);
    const accept = (await lenses(doc.uri)).find((l) => l.command?.title === 'Accept change 1/2')?.command;
    assert.ok(accept);
    assert.ok((await run(accept.command, ...(accept.arguments ?? []))).ok);
    assert.equal(doc.getText(), original.replace('xs[1]', 'xs[0]'));
    const rest = (await lenses(doc.uri)).map((l) => l.command?.title ?? '');
    assert.ok(rest.some((t) => t.includes("Apply Ponder's change")) && !rest.some((t) => t.startsWith('Accept change')), 'one change left, still pending');
    assert.ok((await run('ponder.discardProposal')).ok);
    assert.deepEqual(await lenses(doc.uri), []);
    await revert(doc);
  });

  it('re-anchors a proposal when the file changed elsewhere, and refuses (keeping it) when its lines changed', async () => {
    assert.ok(fixed);
    const { doc, editor, original } = await open('src/math.ts');
    const first = await run('ponder.proposeFromAnswer', { uri: doc.uri.toString(), answer: fence(fixed) });
    assert.ok(first.ok, first.reason);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// added meanwhile\n'));
    const applied = await run('ponder.applyProposal');
    assert.ok(applied.ok, applied.reason);
    assert.equal(doc.getText(), `// added meanwhile\n${fixed}`);
    await revert(doc);

    const second = await run('ponder.proposeFromAnswer', { uri: doc.uri.toString(), answer: fence(fixed) });
    assert.ok(second.ok, second.reason);
    await editor.edit((e) => e.replace(new vscode.Range(1, 0, 1, doc.lineAt(1).text.length), '  return a * b;'));
    const edited = doc.getText();
    const refused = await run('ponder.applyProposal');
    assert.equal(refused.ok, false);
    assert.match(refused.reason ?? '', /changed since .*was edited.*Nothing was written; the proposal is kept/);
    assert.equal(doc.getText(), edited, 'nothing written');
    const kept = await actionsAt(doc.uri, new vscode.Range(1, 0, 1, 0));
    assert.ok(kept.some((a) => a.title.startsWith('Preview')) && !kept.some((a) => a.title.startsWith('Apply')), 'still visible, no longer appliable');
    assert.match((await lenses(doc.uri))[0]?.command?.title ?? '', /no longer matches this file/);
    assert.ok((await run('ponder.discardProposal')).ok);
    await revert(doc);
    assert.equal(doc.getText(), original);
  });

  it('refuses to propose edits outside the workspace, before asking the model', async () => {
    assert.ok(fixed);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ponder-outside-'));
    try {
      const file = path.join(dir, 'math.ts');
      writeFileSync(file, fixed.replace('a + b', 'a - b'));
      const doc = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(doc);
      const before = (await api()).lastPrompt();
      const r = await run('ponder.fix', { uri: doc.uri.toString() });
      assert.equal(r.ok, false);
      assert.match(r.reason ?? '', /outside the open workspace/);
      assert.equal((await api()).lastPrompt(), before, 'the model was not asked');
      const fromChat = await run('ponder.proposeFromAnswer', { uri: doc.uri.toString(), answer: fence(fixed) });
      assert.match(fromChat.reason ?? '', /outside the open workspace/);
      assert.equal(readFileSync(file, 'utf8'), fixed.replace('a + b', 'a - b'));
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const { doc } = await open('src/math.ts');
    const escape = await run('ponder.proposeFromAnswer', { uri: doc.uri.toString(), answer: '```ts ../../outside/math.ts\nexport const x = 1;\n```\n' });
    assert.equal(escape.ok, false);
    assert.match(escape.reason ?? '', /outside the workspace/);
  });

  it('Generate Tests proposes a new file and previews it before anything is written', async () => {
    assert.ok(fixed);
    const { doc } = await open('src/math.ts');
    const made = await run('ponder.generateTests', { uri: doc.uri.toString() });
    assert.ok(made.ok, made.reason);
    const testFile = vscode.Uri.joinPath(root(), 'src/math.test.ts');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(testFile)), 'no file yet');
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(tab instanceof vscode.TabInputTextDiff && tab.modified.scheme === 'ponder-proposal', 'the diff preview is open');
    assert.ok((await run('ponder.applyProposal', made.proposalId)).ok);
    const created = await vscode.workspace.openTextDocument(testFile);
    assert.equal(created.getText(), fixed, 'the fenced block of the answer, nothing else');
    await vscode.window.showTextDocument(created);
    await vscode.commands.executeCommand('workbench.action.files.save');
    await vscode.workspace.fs.delete(testFile);
  });

  it('for a selection offers Rewrite and Explain; Explain answers in the panel and proposes nothing', async () => {
    const { doc } = await open('src/pair.ts');
    const selection = new vscode.Range(6, 0, 8, 1);
    const titles = (await actionsAt(doc.uri, selection)).map((a) => a.title);
    assert.ok(titles.includes('Rewrite with Ponder…') && titles.includes('Explain with Ponder'), titles.join(', '));
    const explained = await runAction((await actionsAt(doc.uri, selection)).find((a) => a.title === 'Explain with Ponder'));
    assert.deepEqual(explained, { ok: true });
    const prompt = (await api()).lastPrompt() ?? '';
    assert.match(prompt, /^Explain code from `src\/pair.ts`/);
    assert.ok(prompt.includes('The code — the selected code, lines 7–9 of src/pair.ts:\n```ts\nexport function total(p: Pair): number {'));
    assert.deepEqual(await lenses(doc.uri), [], 'no proposal');
  });

  it('this workspace is trusted, so nothing above asked for confirmation', () => {
    assert.equal(vscode.workspace.isTrusted, true);
  });
});

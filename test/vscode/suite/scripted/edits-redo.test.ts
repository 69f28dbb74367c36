/**
 * Runs in a real VS Code extension host with `ponder.engine=openai-compatible` pointed at the SCRIPTED STAND-IN
 * server (test/support/scripted-server.ts — not a model: reply N to request N, prompts recorded). The generated
 * GGUF models always answer the same, so a refused answer followed by a different, good one needs this.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { run } from '../commands';
import type { PonderApi, ProposalEventData } from '../../../../src/extension/context';
import { recordedRequests, scriptReplies, type ScriptedReply } from '../../../support/scripted-server';

const root = process.env.PONDER_TEST_SCRIPTED_ROOT ?? '';
const folder = () => {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the suite runs in the sample workspace');
  return f.uri;
};

const INVENTORY = `export function totalByKey(items: readonly { key: string; count: number }[], key: string): number {
  let total = 0;
  for (const item of items) {
    if (item.key === key) total += item.count;
  }
  return total;
}

export function describeStock(items: readonly { key: string; count: number }[]): string {
  return items.map((i) => \`\${i.key}: \${i.count}\`).join(', ');
}
`;
const FIXED_FN = `export function totalByKey(items: readonly { key: string; count: number }[], key: string): number {
  let total = 0;
  for (const item of items) {
    if (item.key === key) total += Math.max(0, item.count);
  }
  return total;
}`;
const FIXED = INVENTORY.replace('total += item.count;', 'total += Math.max(0, item.count);');
const good: ScriptedReply = { reasoning: 'Negative counts must not lower the total, so clamp each count at zero.', answer: `Clamp each count:\n\n\`\`\`ts\n${FIXED_FN}\n\`\`\`\n` };
const unclosed: ScriptedReply = { reasoning: 'I will clamp the counts.', answer: `Here is the fix:\n\n\`\`\`ts\n${FIXED_FN.split('\n').slice(0, 4).join('\n')}\n` };

/** A fresh file per test, so no test sees another's unsaved edits. */
async function inventory(name: string): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.joinPath(folder(), `src/${name}.ts`);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(INVENTORY));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

const fixArgs = (doc: vscode.TextDocument) => ({ uri: doc.uri.toString(), range: { startLine: 2, startCharacter: 4, endLine: 2, endCharacter: 4 } });

describe('Ask Ponder to redo it (scripted stand-in server)', () => {
  before(() => assert.ok(root, 'the runner passes the stand-in server'));
  afterEach(async () => {
    await vscode.commands.executeCommand('ponder.discardProposal');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('a refused answer offers a redo; the redo is one more turn in the same chat quoting the reason and the region, and its answer applies', async () => {
    await scriptReplies(root, [unclosed, good]);
    const doc = await inventory('inventory');
    const first = await run('ponder.fix', fixArgs(doc));
    assert.equal(first.ok, false);
    assert.match(first.reason ?? '', /never closed/);
    assert.ok(first.redo, 'a refused edit carries a redo ticket (the notification offers "Ask Ponder to redo it")');

    const second = await run('ponder.redoEdit', first.redo);
    assert.ok(second.ok && second.proposalId, second.reason);
    assert.equal(doc.getText(), INVENTORY, 'a proposal writes nothing');
    assert.ok((await run('ponder.applyProposal', second.proposalId)).ok);
    assert.equal(doc.getText(), FIXED, 'the second (scripted) answer is applied exactly');

    const [ask, redo] = await recordedRequests(root);
    assert.ok(redo, 'exactly one more request was made');
    assert.match(redo.prompt, /could not apply your previous answer to `src\/inventory\.ts`: the code block is never closed/, 'the refusal reason');
    assert.ok(redo.prompt.includes(`This is the current text of lines 1–7 of \`src/inventory.ts\`:\n\`\`\`ts\n${INVENTORY.split('\n').slice(0, 7).join('\n')}\n\`\`\``), `the current region, in:\n${redo.prompt}`);
    // The same chat: the first question and the refused answer come before the redo (the engine reuses its cache).
    assert.deepEqual(redo.messages.slice(-3).map((m) => m.role), ['user', 'assistant', 'user']);
    assert.equal(redo.messages[redo.messages.length - 3].content, ask.prompt);
    assert.equal(redo.messages[redo.messages.length - 2].content.trimEnd(), unclosed.answer.trimEnd(), 'the refused answer');

    const exported = await vscode.commands.executeCommand<string>('ponder.exportChat');
    assert.match(exported ?? '', /## You\n\nRedo: fix (totalByKey\(\)|`totalByKey`|lines 1–7) — the code block is never closed/, `the redo is its own turn in the panel:\n${exported}`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('a renamed function is refused with a redo; the second prompt quotes the refusal reason; the second reply applies', async () => {
    const renamed: ScriptedReply = { reasoning: 'A shorter name reads better.', answer: `\`\`\`ts\n${FIXED_FN.replace('totalByKey', 'totalBy')}\n\`\`\`\n` };
    await scriptReplies(root, [renamed, good]);
    const doc = await inventory('renamed');
    const first = await run('ponder.fix', fixArgs(doc));
    assert.equal(first.ok, false, 'not laid over totalByKey');
    assert.match(first.reason ?? '', /totalByKey/, 'the reason names the declaration');
    assert.ok(first.redo);
    const engineReason = /could not be turned into an edit of [^:]+: (.*)\. The answer is in the Ponder panel\.$/.exec(first.reason ?? '')?.[1];
    assert.ok(engineReason, first.reason);
    const second = await run('ponder.redoEdit', first.redo);
    assert.ok(second.ok && second.proposalId, second.reason);
    assert.ok((await run('ponder.applyProposal', second.proposalId)).ok);
    assert.equal(doc.getText(), FIXED);
    const [, redo] = await recordedRequests(root);
    assert.ok(redo?.prompt.includes(engineReason), `the refusal reason in the second prompt:\n${redo?.prompt}`);
  });

  it('is bounded by ponder.edits.redoRounds (default 1): a second refusal offers no further redo', async () => {
    await scriptReplies(root, [unclosed, unclosed]);
    const doc = await inventory('stock');
    const first = await run('ponder.fix', fixArgs(doc));
    assert.ok(first.redo);
    const second = await run('ponder.redoEdit', first.redo);
    assert.equal(second.ok, false);
    assert.match(second.reason ?? '', /never closed/);
    assert.equal(second.redo, undefined, 'no ticket after the last round');
    const again = await run('ponder.redoEdit', first.redo);
    assert.match(again.reason ?? '', /can no longer be asked again/, 'a ticket is used once');
    assert.equal((await recordedRequests(root)).length, 2, 'no third request');
    assert.equal(doc.getText(), INVENTORY);
  });

  it('a redo turn is cancellable: Stop while it streams ends it with no proposal', async () => {
    await scriptReplies(root, [unclosed, { ...good, reasoning: 'Thinking slowly about negative counts. '.repeat(20), delayMs: 100 }]);
    const doc = await inventory('slow');
    const first = await run('ponder.fix', fixArgs(doc));
    assert.ok(first.redo);
    const redoing = run('ponder.redoEdit', first.redo);
    for (;;) {
      if ((await recordedRequests(root)).length === 2) break; // the redo turn is streaming
      await new Promise((r) => setTimeout(r, 50));
    }
    await vscode.commands.executeCommand('ponder.stop');
    const stopped = await redoing;
    assert.equal(stopped.ok, false);
    assert.match(stopped.reason ?? '', /^Stopped: no proposal was made\./);
    assert.equal(doc.getText(), INVENTORY);
  });

  it('a warned edit is never the preferred action, shows its warning in a CodeLens, and redo asks again quoting it', async () => {
    const uri = vscode.Uri.joinPath(folder(), 'src/lists2.ts');
    const LISTS = '/** The first element. */\nexport function first(xs: readonly number[]): number {\n  return xs[1];\n}\n\n/** The last element. */\nexport function last(xs: readonly number[]): number {\n  return xs[xs.length];\n}\n';
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(LISTS));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    // A whole-file answer that renamed last() to final(): the edit engine applies it only with a warning.
    const warned = LISTS.replace('xs[1]', 'xs[0]').replace('function last', 'function final').replace('xs[xs.length]', 'xs[xs.length - 1]');
    const clean = LISTS.replace('xs[1]', 'xs[0]').replace('xs[xs.length]', 'xs[xs.length - 1]');
    await scriptReplies(root, [
      { reasoning: 'Both are off by one; final() is a clearer name.', answer: `\`\`\`ts\n${warned}\`\`\`\n` },
      { reasoning: 'Keep the name last.', answer: `\`\`\`ts\n${clean}\`\`\`\n` },
    ]);
    const first = await run('ponder.refactor', { uri: uri.toString(), range: { startLine: 2, startCharacter: 2, endLine: 2, endCharacter: 2 } });
    assert.ok(first.ok && first.proposalId && first.redo, first.reason);
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(2, 0, 2, 0))) ?? [];
    const apply = actions.find((a) => a.title.startsWith("Apply Ponder's proposed change"));
    assert.equal(apply?.title, "Apply Ponder's proposed change (uncertain: asks first)");
    assert.notEqual(apply?.isPreferred, true, 'a warned proposal is never the preferred quick fix');
    assert.ok(actions.some((a) => a.title === 'Ask Ponder to redo it'));
    const titles = ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? []).map((l) => l.command?.title ?? '');
    assert.ok(titles.some((t) => /^\$\(warning\) Uncertain: the answer's version of the file no longer has last \(line \d+\)/.test(t)), titles.join(' | '));
    assert.ok(titles.includes('$(refresh) Ask Ponder to redo it'));

    const second = await run('ponder.redoEdit', first.proposalId);
    assert.ok(second.ok && second.proposalId, second.reason);
    assert.equal(second.redo, undefined, 'no warnings, no redo');
    const [, redo] = await recordedRequests(root);
    assert.match(redo.prompt, /but only by guessing:\n- the answer's version of the file no longer has `last`/);
    const again = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(2, 0, 2, 0))) ?? [];
    assert.equal(again.find((a) => a.title === "Apply Ponder's proposed change")?.isPreferred, true, 'the clean answer is preferred again');
    assert.ok((await run('ponder.applyProposal', second.proposalId)).ok);
    assert.equal(doc.getText(), clean);
  });

  it('an answer for a selection that changes code outside it says so in the proposal title', async () => {
    const lists = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'src/lists.ts'));
    await vscode.window.showTextDocument(lists, { preview: false });
    const sr = (a: string, b: string) => `\`\`\`ts\n<<<<<<< SEARCH\n${a}\n=======\n${b}\n>>>>>>> REPLACE\n\`\`\``;
    await scriptReplies(root, [{ reasoning: 'Both functions index wrongly.', answer: `${sr('  return xs[1];', '  return xs[0];')}\n\n${sr('  return xs[xs.length];', '  return xs[xs.length - 1];')}\n` }]);
    const made = await run('ponder.editWithInstructions', { uri: lists.uri.toString(), range: { startLine: 6, startCharacter: 0, endLine: 8, endCharacter: 1 }, selection: true, instructions: 'return the last element' });
    assert.ok(made.ok && made.proposalId, made.reason);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', lists.uri, 100)) ?? [];
    const apply = lenses.find((l) => l.command?.title.startsWith("$(check) Apply Ponder's change"))?.command?.title ?? '';
    assert.match(apply, /\(also changes line 3 outside the selection\)$/, apply);
  });

  it('the proposal store reports typed events: proposed, applied (changed lines + text before), discarded (user / replaced)', async () => {
    const api: unknown = await vscode.extensions.getExtension('ponder-dev.ponder')?.activate();
    assert.ok(typeof api === 'object' && api !== null && 'onProposalEvent' in api);
    const events: ProposalEventData[] = [];
    const sub = (api as PonderApi).onProposalEvent((e) => events.push(e));
    try {
      const uri = vscode.Uri.joinPath(folder(), 'src/events.ts');
      const text = 'export const a = 1;\nexport const b = 2;\nexport const c = 3;\n';
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: false });
      const both = text.replace('a = 1', 'a = 10').replace('c = 3', 'c = 30');
      const fence = (t: string) => `\`\`\`ts\n${t}\`\`\`\n`;
      const first = await run('ponder.proposeFromAnswer', { uri: uri.toString(), answer: fence(both) });
      const second = await run('ponder.proposeFromAnswer', { uri: uri.toString(), answer: fence(both) });
      assert.ok(first.proposalId && second.proposalId);
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
      const accept = lenses.find((l) => l.command?.title === 'Accept change 2/2')?.command;
      assert.ok(accept);
      assert.ok((await run(accept.command, ...(accept.arguments ?? []))).ok);
      assert.ok((await run('ponder.discardProposal', uri)).ok);
      assert.deepEqual(events.map((e) => [e.type, e.proposalId === first.proposalId ? 1 : 2, e.why ?? e.partial ?? '']), [
        ['proposed', 1, ''],
        ['discarded', 1, 'replaced'],
        ['proposed', 2, ''],
        ['proposed', 2, ''], // the accepted hunk left the proposal
        ['applied', 2, true],
        ['discarded', 2, 'user'],
      ]);
      const applied = events.find((e) => e.type === 'applied');
      assert.deepEqual(applied?.files, [{ relPath: 'src/events.ts', before: text, after: text.replace('c = 3', 'c = 30'), lines: [{ startLine: 2, endLine: 2 }] }]);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    } finally {
      sub.dispose();
    }
  });
});

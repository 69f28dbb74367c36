/**
 * Verify → Repair in a real VS Code with its TypeScript service, the edits answered by the SCRIPTED STAND-IN server
 * (test/support/scripted-server.ts — not a model: reply N to request N, prompts recorded) through the real remote
 * engine. Fix with Ponder → Fixed; a new error → Repair (same chat, the diff and the error in the prompt) → Fixed;
 * automatic rounds are bounded and Stop ends them; the test output tail reaches the repair prompt; Undo after two
 * repair rounds restores the original bytes.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { run } from '../commands';
import type { PonderApi } from '../../../../src/extension/context';
import type { VerificationRecord } from '../../../../src/extension/verify';
import { recordedRequests, scriptReplies, type ScriptedReply } from '../../../support/scripted-server';

function isApi(v: unknown): v is PonderApi {
  return typeof v === 'object' && v !== null && 'verifications' in v && typeof v.verifications === 'function' && 'allowVerifyCommand' in v;
}

async function api(): Promise<PonderApi> {
  const exports: unknown = await vscode.extensions.getExtension('ponder-dev.ponder')?.activate();
  assert.ok(isApi(exports), 'activate() returned Ponder’s API');
  return exports;
}

async function until<T>(probe: () => T | undefined | Thenable<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const root = process.env.PONDER_TEST_SCRIPTED_ROOT ?? '';
const TOTALS = `/** Verification fixture: \`totl\` is a typo the TypeScript service reports. */
export function sum(xs: readonly number[]): number {
  let total = 0;
  for (const x of xs) total += x;
  return totl;
}

export function count(xs: readonly number[]): number {
  return xs.length;
}
`;
/** An answer rewriting \`sum\` so that it returns `expr`. */
const sumReturning = (expr: string, reasoning = `Return ${expr}.`, delayMs?: number): ScriptedReply => ({
  reasoning, delayMs,
  answer: `\`\`\`ts\nexport function sum(xs: readonly number[]): number {\n  let total = 0;\n  for (const x of xs) total += x;\n  return ${expr};\n}\n\`\`\`\n`,
});

/** A fresh copy of the fixture per test (code-server auto-saves: no test sees another's edits). */
async function totals(name: string): Promise<vscode.TextDocument> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder);
  const uri = vscode.Uri.joinPath(folder.uri, `verify/${name}.ts`);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(TOTALS));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  await until(() => vscode.languages.getDiagnostics(uri).some((d) => d.message.includes("'totl'")), 'the TypeScript diagnostic', 60_000);
  return doc;
}

/** Fix with Ponder on the typo (as the lightbulb runs it), then Apply. */
async function fixAndApply(doc: vscode.TextDocument): Promise<void> {
  const d = vscode.languages.getDiagnostics(doc.uri).find((x) => x.message.includes("'totl'"));
  assert.ok(d);
  const r = d.range;
  const made = await run('ponder.fix', { uri: doc.uri.toString(), range: { startLine: r.start.line, startCharacter: r.start.character, endLine: r.end.line, endCharacter: r.end.character }, focus: { line: r.start.line, message: d.message } });
  assert.ok(made.ok && made.proposalId, made.reason);
  assert.ok((await run('ponder.applyProposal', made.proposalId)).ok);
}

/** The newest session's record once it matches `done`. */
async function outcome(done: (r: VerificationRecord) => boolean, what: string, ms = 30_000): Promise<VerificationRecord> {
  const ponder = await api();
  return until(() => ponder.verifications().slice(-1).find(done), what, ms).catch((e: unknown) => {
    throw new Error(`${e instanceof Error ? e.message : String(e)}; the lines are: ${JSON.stringify(ponder.verifications().map((r) => [r.rounds, r.state, r.text]))}`);
  });
}

describe('Verify after Apply and Repair (scripted stand-in server)', function () {
  this.timeout(120_000);
  /**
   * In code-server, the first settings write from the extension host starts from a user-settings file without the
   * runner's values, so the engine settings are written again with every change (else the engine falls back to local).
   */
  const set = async (key: string, value: unknown) => {
    const ponder = vscode.workspace.getConfiguration('ponder');
    await ponder.update('engine', 'openai-compatible', vscode.ConfigurationTarget.Global);
    await ponder.update('remote.baseUrl', `${root}/v1`, vscode.ConfigurationTarget.Global);
    await ponder.update(key, value, vscode.ConfigurationTarget.Global);
  };
  before(async () => {
    assert.ok(root, 'the runner passes the stand-in server');
    await set('verify.quietPeriodMs', 800);
    await set('verify.timeoutSeconds', 25); // the TypeScript service is slow on a loaded 2-core test machine
  });
  afterEach(async () => {
    for (const k of ['autoRepairRounds', 'autoApplyRepairs', 'command']) await set(`verify.${k}`, undefined);
    await vscode.commands.executeCommand('ponder.discardProposal');
  });

  it('Fix with Ponder → the scripted answer applies → the TS diagnostic disappears → the turn says "Fixed"', async () => {
    await scriptReplies(root, [sumReturning('total', 'The variable is called total; totl is a typo.')]);
    const doc = await totals('fixed');
    await fixAndApply(doc);
    const r = await outcome((x) => x.state !== 'running', 'the verification');
    assert.equal(r.state, 'fixed', r.text);
    assert.match(r.text, /^✓ Fixed: `Cannot find name 'totl'\. Did you mean 'total'\?` is gone · no new problems$/);
    const [ask] = await recordedRequests(root);
    assert.equal(r.turnId !== undefined, true, 'the line is in the chat turn that produced the edit');
    const exported = await vscode.commands.executeCommand<string>('ponder.exportChat');
    assert.ok((exported ?? '').includes(`> **Verification:** ${r.text}`), 'history and export keep the verification line');
    assert.ok(ask);
  });

  it('a fix that changes the signature: "Fixed" stays, and the caller\'s new error in another file is reported as elsewhere', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const caller = vscode.Uri.joinPath(folder.uri, 'verify/caller.ts');
    await scriptReplies(root, [{
      reasoning: 'Start from a given value; the typo totl should be total.',
      answer: '```ts\nexport function sum(xs: readonly number[], start: number): number {\n  let total = start;\n  for (const x of xs) total += x;\n  return total;\n}\n```\n',
    }]);
    const doc = await totals('signature');
    await vscode.workspace.fs.writeFile(caller, new TextEncoder().encode("import { sum } from './signature';\nexport const three = sum([1, 2]);\n"));
    // TypeScript reports only on open files: the caller is open in a tab, as it would be when the user works on both.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(caller), { preview: false });
    await until(() => vscode.languages.getDiagnostics(caller).length === 0 || undefined, 'the caller to be clean before', 30_000);
    await vscode.window.showTextDocument(doc, { preview: false });
    await fixAndApply(doc);
    const r = await outcome((x) => x.state !== 'running', 'the verification');
    assert.equal(r.state, 'fixed', r.text);
    const callerNow = vscode.languages.getDiagnostics(caller).map((d) => d.message);
    assert.match(r.text, /^✓ Fixed: `Cannot find name 'totl'.*` is gone · no new problems · elsewhere: 1 new problem in other files: verify\/caller\.ts:2 `Expected 2 arguments, but got 1\.`$/, `caller now: ${JSON.stringify(callerNow)}`);
  });

  it('a new error → reported with its line → Repair: one more turn in the same chat with the diff and the error → Fixed', async () => {
    await scriptReplies(root, [sumReturning('totals'), sumReturning('total', 'totals does not exist either; the local is total.')]);
    const doc = await totals('repaired');
    await fixAndApply(doc);
    const failed = await outcome((x) => x.state !== 'running', 'the first verification');
    assert.equal(failed.state, 'failed', failed.text);
    assert.match(failed.text, /1 new problem: `Cannot find name 'totals'\. Did you mean 'total'\?` \(line 5\)/);

    const repaired = await run('ponder.repair', failed.sessionId);
    assert.ok(repaired.ok, repaired.reason);
    const [ask, repair] = await recordedRequests(root);
    assert.ok(repair, 'the repair is one more request');
    assert.match(repair.prompt, /-  return totl;\n\+  return totals;/, `the applied change as a diff, in:\n${repair.prompt}`);
    assert.match(repair.prompt, /- line 5: Cannot find name 'totals'\. Did you mean 'total'\?.*\n {4}5 \| {3}return totals;/, 'the new error with its line');
    assert.equal(repair.messages[repair.messages.length - 3]?.content, ask?.prompt, 'the same chat: the first question comes before the repair');

    await vscode.window.showTextDocument(doc, { preview: false }); // as the user would; TS reports on a hidden file late
    const applied = await run('ponder.applyProposal', doc.uri);
    assert.ok(applied.ok, `the repair is a normal (previewed) proposal: ${applied.reason}`);
    assert.equal(doc.getText(), TOTALS.replace('return totl;', 'return total;'), 'the repair’s answer is applied');
    // The TypeScript service may report after the quiet period: the line is revised then (within the time box).
    const fixed = await outcome((x) => x.sessionId === failed.sessionId && x.rounds === 1 && x.state === 'fixed', 'the repair’s verification to say Fixed', 45_000);
    assert.match(fixed.text, /^✓ Fixed: `Cannot find name 'totl'/);
    assert.equal(doc.getText(), TOTALS.replace('return totl;', 'return total;'));
  });

  it('autoRepairRounds 2 with answers that never fix it → exactly 2 repair turns, then it stops and lists the problems; Undo restores the original bytes', async () => {
    await set('verify.autoRepairRounds', 2);
    await set('verify.autoApplyRepairs', true);
    await scriptReplies(root, [sumReturning('totals'), sumReturning('totalz'), sumReturning('totl2'), sumReturning('total')]);
    const doc = await totals('rounds');
    await fixAndApply(doc);
    const r = await outcome((x) => x.rounds === 2 && x.state === 'failed', 'two failed repair rounds', 60_000);
    await sleep(3_000); // a third round would have started by now
    assert.equal((await recordedRequests(root)).length, 3, 'the fix and exactly 2 repair turns');
    const last = (await api()).verifications().find((x) => x.sessionId === r.sessionId);
    assert.equal(last?.rounds, 2);
    assert.match(last?.text ?? '', /^✗ 1 new problem: `Cannot find name 'totl2'.*\(line 5\)/);

    const undone = await run('ponder.undoChange', r.sessionId);
    assert.ok(undone.ok, undone.reason);
    assert.equal(doc.getText(), TOTALS, 'back to the bytes before the first Apply');
  });

  it('Stop during repair round 1 ends the loop', async () => {
    await set('verify.autoRepairRounds', 2);
    await set('verify.autoApplyRepairs', true);
    await scriptReplies(root, [sumReturning('totals'), sumReturning('totalz', 'Thinking slowly…', 1_000), sumReturning('total')]);
    const doc = await totals('stopped');
    await fixAndApply(doc);
    await until(async () => (await recordedRequests(root)).length === 2, 'repair round 1 to start');
    await vscode.commands.executeCommand('ponder.stop');
    const r = await outcome((x) => x.text.startsWith('Repair stopped'), 'the stopped line');
    await sleep(3_000);
    assert.equal((await recordedRequests(root)).length, 2, 'no further round after Stop');
    assert.equal((await api()).verifications().find((x) => x.sessionId === r.sessionId)?.rounds, 1);
    assert.equal(doc.getText(), TOTALS.replace('return totl;', 'return totals;'), 'nothing from the stopped turn was applied');
  });

  it('the failing test command’s output tail is in the repair prompt', async () => {
    const command = 'node verify/tests/fail.js {file}';
    await set('verify.command', command);
    await (await api()).allowVerifyCommand(command);
    await scriptReplies(root, [sumReturning('total'), sumReturning('total + 0')]);
    const doc = await totals('tested');
    await fixAndApply(doc);
    const r = await outcome((x) => x.state !== 'running', 'the verification');
    assert.equal(r.state, 'failed', r.text);
    assert.match(r.text, /tests failed \(exit 1\)/);
    const repaired = await run('ponder.repair', r.sessionId);
    assert.ok(repaired.ok, repaired.reason);
    const [, repair] = await recordedRequests(root);
    assert.match(repair?.prompt ?? '', /The test command `node verify\/tests\/fail\.js verify\/tested\.ts` failed \(exit code 1\)[\s\S]*AssertionError: expected sum\(\[1, 2\]\) to equal 3/);
  });
});

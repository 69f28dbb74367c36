/**
 * Models inside the real VS Code extension host: select a local file, download a catalogue model from a mock hub,
 * the status bar through its states, a corrupt file that leaves the previous model answering, the walkthrough.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TurnOutcome } from '../../../src/core/protocol/panel';
import type { SelectOutcome } from '../../../src/extension/models/switcher';
import { startMockHub, type MockHub } from '../../support/mock-hf';

const EXTENSION_ID = 'ponder-dev.ponder';

interface StatusBar { readonly text: string; readonly history: readonly string[]; readonly shown: number }

const status = async (): Promise<StatusBar> => (await vscode.commands.executeCommand('ponder.statusBarText')) as StatusBar;
const select = async (ref: string): Promise<SelectOutcome> => (await vscode.commands.executeCommand('ponder.selectModel', ref)) as SelectOutcome;
const ask = async (prompt: string): Promise<TurnOutcome> => (await vscode.commands.executeCommand('ponder.ask', prompt)) as TurnOutcome;
const modelSetting = () => vscode.workspace.getConfiguration('ponder').get<string>('model', '');
const setModel = (v: string) => vscode.workspace.getConfiguration('ponder').update('model', v, vscode.ConfigurationTarget.Global);

async function until<T>(f: () => Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Texts the status bar showed since `from`, in order. */
const since = (before: StatusBar, after: StatusBar) => after.history.slice(Math.max(0, after.history.length - (after.shown - before.shown)));

describe('models in a real VS Code', () => {
  let shortPath: string;
  let longPath: string;
  let tmp: string;
  let corrupt: string;
  let hub: MockHub;
  let shortAnswer: string;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    shortPath = vscode.workspace.getConfiguration('ponder').inspect<string>('model')?.globalValue ?? '';
    assert.ok(shortPath.endsWith('short.gguf'), 'the runner configures the short model');
    longPath = path.join(path.dirname(shortPath), 'long-thought.gguf');
    shortAnswer = process.env.PONDER_TEST_SHORT_ANSWER ?? '';
    tmp = mkdtempSync(path.join(os.tmpdir(), 'ponder-models-'));
    const bytes = readFileSync(shortPath);
    corrupt = path.join(tmp, 'truncated.gguf');
    writeFileSync(corrupt, bytes.subarray(0, Math.floor(bytes.length / 2)));
    // The hub's catalogue file is the short model: a download followed by a real load and a real answer.
    hub = await startMockHub([{ user: 'unsloth', repo: 'DeepSeek-R1-Distill-Qwen-1.5B-GGUF', files: [{ path: 'DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf', data: bytes }] }], { bytesPerSecond: 200_000 });
    process.env.HF_ENDPOINT = hub.url; // the downloader process inherits the host's environment
  });

  after(async () => {
    delete process.env.HF_ENDPOINT;
    await setModel(shortPath);
    await hub.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('contributes its commands, the download folder setting and a walkthrough whose step commands exist and run', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const c of ['ponder.selectModel', 'ponder.manageModels', 'ponder.gettingStarted']) assert.ok(all.includes(c), `${c} is registered`);
    const pkg: unknown = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON;
    const text = JSON.stringify(pkg);
    assert.ok(text.includes('"ponder.downloadFolder"'));
    const walkthrough = /"walkthroughs":\[\{"id":"ponder.gettingStarted".*?\]\}\]/.exec(text)?.[0] ?? '';
    const linked = [...walkthrough.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
    assert.ok(linked.length >= 5, `step commands: ${linked.join(', ')}`);
    for (const c of linked) assert.ok(all.includes(c), `walkthrough step command ${c} is registered`);
    await vscode.commands.executeCommand('ponder.gettingStarted');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  // code-server is a remote window: VS Code drops machine-scoped settings from the user settings.json whenever it
  // re-reads that file after Ponder registered its settings (seen as "Ponder: no model" after another setting changed).
  it('ponder.model in the user settings.json still holds after another user setting is written', async () => {
    assert.equal(modelSetting(), shortPath);
    const editor = vscode.workspace.getConfiguration('editor');
    const before = editor.inspect<number>('fontSize')?.globalValue;
    await editor.update('fontSize', (before ?? 14) + 1, vscode.ConfigurationTarget.Global);
    try {
      assert.equal(modelSetting(), shortPath, 'ponder.model is still read from the user settings');
      const r = await ask('hello?');
      assert.notEqual(r.stopReason, 'error', r.error);
    } finally {
      await editor.update('fontSize', before, vscode.ConfigurationTarget.Global);
    }
  });

  it('selecting a local file loads it, saves ponder.model, and the status bar goes loading → ready', async () => {
    const before = await status();
    const r = await select(shortPath);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.label, 'short');
    assert.ok(r.selectedToReadyMs >= 0);
    assert.equal(modelSetting(), shortPath);
    const after = await status();
    assert.equal(after.text, '$(lightbulb-sparkle) Ponder: short');
    const seen = since(before, after);
    const loading = seen.indexOf('$(loading~spin) Ponder: loading short…');
    assert.ok(loading >= 0 && seen.indexOf('$(lightbulb-sparkle) Ponder: short', loading) > loading, `loading then ready: ${JSON.stringify(seen)}`);
  });

  it('shows thinking with live tok/s while the model reasons, and ready again after Stop', async () => {
    assert.ok((await select(longPath)).ok);
    const turn = ask('Think about it');
    const thinking = await until(async () => {
      const s = await status();
      return /^\$\(loading~spin\) Ponder: thinking… · \d+(\.\d)? tok\/s$/.test(s.text) ? s.text : undefined;
    }, 'the thinking state with a rate');
    assert.ok(thinking);
    await vscode.commands.executeCommand('ponder.stop');
    assert.equal((await turn).stopReason, 'aborted');
    assert.equal((await status()).text, '$(lightbulb-sparkle) Ponder: long-thought');
  });

  it('downloads a catalogue model (status bar %), verifies it, switches to it, and it answers', async () => {
    const before = await status();
    const r = await select('qwen-1.5b');
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.label, 'R1 Qwen-1.5B Q4_K_M');
    assert.equal(path.basename(r.path), 'DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf');
    assert.equal(modelSetting(), 'qwen-1.5b', 'the setting names the catalogue entry');
    const after = await status();
    assert.equal(after.text, '$(lightbulb-sparkle) Ponder: R1 Qwen-1.5B Q4_K_M');
    const seen = since(before, after);
    assert.ok(seen.some((t) => /^\$\(cloud-download\) Ponder: downloading \d+%$/.test(t)), `a download percentage: ${JSON.stringify(seen)}`);
    assert.ok(seen.indexOf('$(loading~spin) Ponder: loading R1 Qwen-1.5B Q4_K_M…') > seen.findIndex((t) => t.includes('downloading')), 'loads after the download');
    const answer = await ask('Say hello');
    assert.equal(answer.stopReason, 'done', answer.error);
  });

  it('a corrupt file shows its error and the previous model keeps answering (picker and settings)', async () => {
    const r = await select(corrupt);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && /truncated/.test(r.message ?? '') && /keeps using R1 Qwen-1\.5B Q4_K_M/.test(r.message ?? ''), JSON.stringify(r));
    assert.equal(modelSetting(), 'qwen-1.5b', 'a model that failed to load is not saved');
    assert.equal((await status()).text, '$(lightbulb-sparkle) Ponder: R1 Qwen-1.5B Q4_K_M');
    const a = await ask('Still there?');
    assert.equal(a.stopReason, 'done', a.error);

    // Pointing the setting at the broken file directly: the error is shown, the previous model still answers.
    await setModel(corrupt);
    const b = await ask('And now?');
    assert.equal(b.stopReason, 'done', b.error);
    assert.equal((await status()).text, '$(lightbulb-sparkle) Ponder: R1 Qwen-1.5B Q4_K_M');
    await setModel('qwen-1.5b');
  });

  it('an unreachable hub fails fast with a clear error and changes nothing', async () => {
    process.env.HF_ENDPOINT = `http://127.0.0.1:${await closedPort()}/`;
    try {
      const r = await select('qwen-7b');
      assert.ok(!r.ok && /Cannot reach 127\.0\.0\.1/.test(r.message ?? ''), JSON.stringify(r));
      assert.equal(modelSetting(), 'qwen-1.5b');
      assert.equal((await status()).text, '$(lightbulb-sparkle) Ponder: R1 Qwen-1.5B Q4_K_M');
    } finally {
      process.env.HF_ENDPOINT = hub.url;
    }
  });

  it('the status bar says when the configured model is not downloaded, or when there is none', async () => {
    await setModel('qwen-14b');
    await until(async () => ((await status()).text === '$(cloud-download) Ponder: R1 Qwen-14B Q4_K_M not downloaded' ? true : undefined), 'not downloaded');
    const r = await ask('hello?');
    assert.equal(r.stopReason, 'error');
    assert.match(r.error ?? '', /not downloaded yet/);
    await setModel('');
    await until(async () => ((await status()).text === '$(lightbulb) Ponder: no model' ? true : undefined), 'no model');
    await setModel(shortPath);
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

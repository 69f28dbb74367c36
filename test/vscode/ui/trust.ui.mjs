// Workspace Trust and the model file: a repository that ships `models/x.gguf` and a `.vscode/settings.json` naming
// it must not get that model loaded in Restricted Mode (a GGUF is parsed by native code), and the user is told why;
// once the workspace is trusted, the same settings work. Driven like a user: status bar, the panel's input.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openActivityBarItem, poll, repoRoot, webviewFrame, withWorkbench } from '../harness/run-suite.mjs';

/** Asks in the panel and returns the finished turn's state, answer and error text. */
async function ask(page, question) {
  await openActivityBarItem(page, 'Ponder');
  const panel = webviewFrame(page);
  await panel.locator('#prompt').waitFor({ state: 'visible', timeout: 30_000 });
  const before = await panel.locator('.turn').count();
  await panel.locator('#prompt').fill(question);
  await panel.locator('#prompt').press('Enter');
  // A webview that just opened can miss the first key press: Send once more if the text is still in the box.
  if (!(await poll(async () => (await panel.locator('#prompt').inputValue()) === '', 'the prompt sent', 3_000).catch(() => false))) await panel.locator('#composer button[type="submit"]').click();
  await poll(async () => (await panel.locator('.turn').count()) > before, 'the new turn', 90_000);
  const turn = panel.locator('.turn').last();
  const state = await poll(async () => {
    const s = await turn.getAttribute('data-state');
    return s && s !== 'streaming' ? s : undefined;
  }, 'the turn to end', 60_000);
  const error = (await turn.locator('.error').count()) ? await turn.locator('.error').innerText() : '';
  return { state, answer: (await turn.locator('.answer').innerText()).trim(), error };
}

const statusItem = (page) => page.locator('.part.statusbar .statusbar-item', { hasText: 'Ponder:' }).first();

export const trustScenarios = [
  {
    name: 'Restricted Mode: the workspace ponder.model (file present) is not loaded and the user is told; trusted, it is used',
    async run({ models, baseSettings, workspace, scenarios }) {
      mkdirSync(path.join(workspace, 'models'), { recursive: true });
      copyFileSync(models.short, path.join(workspace, 'models', 'x.gguf'));
      mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
      // JSONC as people write it: a comment and a trailing comma.
      writeFileSync(path.join(workspace, '.vscode', 'settings.json'), '{\n  // the repo picks its model\n  "ponder.model": "models/x.gguf",\n}\n');
      const userSettings = { ...baseSettings }; // the user has chosen no model

      await withWorkbench({ label: 'ui-trust-restricted', trust: 'restricted', extensionPath: repoRoot, workspace, userSettings }, async ({ page }) => {
        const status = statusItem(page);
        await poll(async () => /workspace model ignored/.test(await status.innerText()), 'the status bar saying the workspace model is ignored', 60_000);
        assert.doesNotMatch(await status.innerText(), /Ponder: x\b/, 'the workspace model is not shown as the model in use');
        const label = (await status.getAttribute('aria-label')) ?? '';
        assert.match(label, /Restricted Mode: this workspace sets ponder\.model = "models\/x\.gguf"/, label);

        const turn = await ask(page, 'Are you there?');
        assert.equal(turn.state, 'error', `the workspace's model must not answer: ${JSON.stringify(turn)}`);
        assert.notEqual(turn.answer, scenarios.short.answer);
        assert.match(turn.error, /Restricted Mode/);
        assert.match(turn.error, /models\/x\.gguf/);
      });

      await withWorkbench({ label: 'ui-trust-trusted', trust: 'trusted', extensionPath: repoRoot, workspace, userSettings }, async ({ page }) => {
        const status = statusItem(page);
        await poll(async () => /Ponder: x$/.test((await status.innerText()).trim()), 'the workspace model in the status bar', 60_000);
        const turn = await ask(page, 'Are you there?');
        assert.equal(turn.state, 'done', JSON.stringify(turn));
        assert.equal(turn.answer, scenarios.short.answer);
      });
    },
  },
  {
    name: 'Restricted Mode: the workspace ponder.draftModel is not loaded (the model answers alone); trusted, the draft loads next to it',
    async run({ models, baseSettings, workspace, scenarios }) {
      mkdirSync(path.join(workspace, 'models'), { recursive: true });
      copyFileSync(models.short, path.join(workspace, 'models', 'd.gguf')); // a compatible draft: the same vocabulary
      mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
      writeFileSync(path.join(workspace, '.vscode', 'settings.json'), '{\n  "ponder.draftModel": "models/d.gguf",\n}\n');
      const userSettings = { ...baseSettings, 'ponder.model': models.short }; // the user's own model
      const panelStatus = (page) => webviewFrame(page).locator('#status').innerText();

      await withWorkbench({ label: 'ui-trust-draft-restricted', trust: 'restricted', extensionPath: repoRoot, workspace, userSettings }, async ({ page }) => {
        const status = statusItem(page);
        await poll(async () => /ponder\.draftModel = "models\/d\.gguf"/.test((await status.getAttribute('aria-label')) ?? ''), 'the status bar naming the ignored workspace setting', 60_000);
        const turn = await ask(page, 'Are you there?');
        assert.equal(turn.state, 'done', JSON.stringify(turn));
        assert.equal(turn.answer, scenarios.short.answer);
        const line = await poll(async () => { const t = await panelStatus(page); return /tokens context/.test(t) ? t : undefined; }, 'the panel status after the answer', 30_000);
        assert.doesNotMatch(line, /draft:/, `no draft model from an untrusted workspace: ${line}`);
      });

      await withWorkbench({ label: 'ui-trust-draft-trusted', trust: 'trusted', extensionPath: repoRoot, workspace, userSettings }, async ({ page }) => {
        const turn = await ask(page, 'Are you there?');
        assert.equal(turn.state, 'done', JSON.stringify(turn));
        assert.equal(turn.answer, scenarios.short.answer);
        const line = await poll(async () => { const t = await panelStatus(page); return /tokens context/.test(t) ? t : undefined; }, 'the panel status after the answer', 30_000);
        assert.match(line, /draft: /, `the trusted workspace's draft model is loaded: ${line}`);
      });
    },
  },
];

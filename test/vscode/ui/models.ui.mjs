// Models as a user meets them in a real workbench: the status bar from "no model" to ready, the quick pick (a local
// file typed into it, a catalogue download from a mock Hugging Face hub with its progress notification), a corrupt
// file's error while the previous model keeps answering, Manage Models, and the Getting Started walkthrough.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openActivityBarItem, poll, repoRoot, runCommand, webviewFrame, withWorkbench } from '../harness/run-suite.mjs';

const CATALOGUE_FILE = 'DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf';

/** Records every text Ponder's status bar item shows (transient states included), from now on. */
async function recordStatusBar(page) {
  await page.evaluate(() => {
    const seen = [];
    window.__ponderStatus = seen;
    const read = () => {
      for (const e of document.querySelectorAll('.part.statusbar .statusbar-item')) {
        const t = (e.textContent ?? '').trim();
        if (t.startsWith('Ponder:') && seen[seen.length - 1] !== t) seen.push(t);
      }
    };
    new MutationObserver(read).observe(document.querySelector('.part.statusbar'), { subtree: true, childList: true, characterData: true, attributes: true });
    read();
  });
  return {
    texts: () => page.evaluate(() => [...window.__ponderStatus]),
    current: () => page.evaluate(() => window.__ponderStatus[window.__ponderStatus.length - 1] ?? ''),
  };
}

/** The picker's items are final once the memory probe answered: its title no longer says it is checking. */
const pickerReady = async (page) => {
  await page.locator('.quick-input-widget input.input[placeholder^="Choose a model"]').waitFor({ state: 'visible', timeout: 30_000 });
  await poll(async () => (await page.locator('.quick-input-widget .quick-input-title').innerText()).trim() === 'Ponder: Select Model', 'the memory check to finish');
};

async function openPicker(page) {
  await runCommand(page, 'Ponder: Select Model');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await pickerReady(page);
  return input;
}

const toast = (page, re) => poll(async () => {
  for (const t of await page.locator('.notifications-toasts .notification-toast').allInnerTexts()) if (re.test(t)) return t;
  return undefined;
}, `a notification matching ${re}`);

export const modelScenarios = [
  {
    name: 'models: status bar no model → ready; quick pick: local file, catalogue download with progress; corrupt file keeps the previous; manage; walkthrough',
    async run({ models, baseSettings, workspace, scenarios }) {
      const { startMockHub } = await import(path.join(repoRoot, 'out/test/support/mock-hf.js'));
      const bytes = readFileSync(models.short);
      const hub = await startMockHub([
        { user: 'unsloth', repo: 'DeepSeek-R1-Distill-Qwen-1.5B-GGUF', files: [{ path: CATALOGUE_FILE, data: bytes }] },
        // Big enough to still be downloading when the user cancels.
        { user: 'unsloth', repo: 'DeepSeek-R1-Distill-Qwen-7B-GGUF', files: [{ path: 'DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf', data: Buffer.concat([bytes, Buffer.alloc(8 << 20)]) }] },
      ], { bytesPerSecond: 150_000 });
      const tmp = mkdtempSync(path.join(os.tmpdir(), 'ponder-ui-models-'));
      const corrupt = path.join(tmp, 'broken.gguf');
      writeFileSync(corrupt, bytes.subarray(0, Math.floor(bytes.length / 2)));
      try {
        await withWorkbench({ label: 'ui-models', extensionPath: repoRoot, workspace, userSettings: { ...baseSettings }, env: { HF_ENDPOINT: hub.url } }, async ({ page }) => {
          const status = page.locator('.part.statusbar .statusbar-item', { hasText: 'Ponder:' }).first();
          await poll(async () => (await status.innerText()).includes('Ponder: no model'), 'the status bar saying there is no model', 60_000);
          const bar = await recordStatusBar(page);

          // The status bar item opens the picker; a .gguf path typed into it is offered and loads.
          await status.click();
          let input = page.locator('.quick-input-widget input.input');
          await input.waitFor({ state: 'visible' });
          await pickerReady(page);
          const first = page.locator('.quick-input-list .monaco-list-row').first();
          assert.match(await first.innerText(), /recommended[\s\S]*Recommended for this machine: needs ≈[\d.]+ GB/, 'the recommendation comes first, with its memory figures');
          await input.fill(models.short);
          await page.locator('.quick-input-list .monaco-list-row', { hasText: `Use ${models.short}` }).first().click();
          await poll(async () => (await bar.current()) === 'Ponder: short', 'the local model ready');
          assert.ok((await bar.texts()).includes('Ponder: loading short…'), JSON.stringify(await bar.texts()));

          // A download cancelled from its notification is paused: the status bar returns to the model in use, and the
          // picker offers to resume it.
          input = await openPicker(page);
          await input.fill('Qwen-7B');
          await page.locator('.quick-input-list .monaco-list-row', { hasText: 'R1 Qwen-7B Q4_K_M' }).first().click();
          await toast(page, /Downloading R1 Qwen-7B Q4_K_M/);
          await poll(async () => /^Ponder: downloading \d+%$/.test(await bar.current()), 'the download percentage in the status bar');
          await page.locator('.notifications-toasts .notification-toast', { hasText: 'Downloading R1 Qwen-7B Q4_K_M' }).locator('.monaco-button', { hasText: 'Cancel' }).first().click();
          await toast(page, /download of R1 Qwen-7B Q4_K_M paused/);
          await poll(async () => (await bar.current()) === 'Ponder: short', 'the status bar back to the model in use');
          await openPicker(page);
          const resume = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Resume R1 Qwen-7B Q4_K_M' }).first();
          await resume.waitFor({ state: 'visible' });
          assert.match(await resume.innerText(), /\d+% of 8\.\d+ MB/);
          await page.keyboard.press('Escape');

          // A catalogue model: downloaded with a progress notification, verified, then loaded.
          input = await openPicker(page);
          await input.fill('Qwen-1.5B');
          await page.locator('.quick-input-list .monaco-list-row', { hasText: 'R1 Qwen-1.5B Q4_K_M' }).first().click();
          await toast(page, /Downloading R1 Qwen-1\.5B Q4_K_M/);
          await poll(async () => (await bar.current()) === 'Ponder: R1 Qwen-1.5B Q4_K_M', 'the downloaded model ready', 60_000);
          const texts = await bar.texts();
          assert.ok(texts.some((t) => /^Ponder: downloading \d+%$/.test(t)), `download progress in the status bar: ${JSON.stringify(texts)}`);
          assert.ok(texts.indexOf('Ponder: loading R1 Qwen-1.5B Q4_K_M…') > texts.findIndex((t) => t.startsWith('Ponder: downloading')));

          // A corrupt file: its error names the problem, and the previous model keeps answering.
          input = await openPicker(page);
          await input.fill(corrupt);
          await page.locator('.quick-input-list .monaco-list-row', { hasText: `Use ${corrupt}` }).first().click();
          const error = await toast(page, /truncated/);
          assert.match(error, /keeps using R1 Qwen-1\.5B Q4_K_M/);
          assert.equal(await bar.current(), 'Ponder: R1 Qwen-1.5B Q4_K_M');
          await openActivityBarItem(page, 'Ponder');
          const panel = webviewFrame(page);
          await panel.locator('#prompt').waitFor({ state: 'visible', timeout: 30_000 });
          await panel.locator('#prompt').fill('Are you still there?');
          await panel.locator('#prompt').press('Enter');
          const turn = panel.locator('.turn').last();
          await poll(async () => (await turn.getAttribute('data-state')) === 'done', 'the answer from the previous model');
          assert.equal((await turn.locator('.answer').innerText()).trim(), scenarios.short.answer);

          // Manage Models lists the download with its size, marked in use.
          await runCommand(page, 'Ponder: Manage Models');
          const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'R1 Qwen-1.5B Q4_K_M' }).first();
          await row.waitFor({ state: 'visible' });
          assert.match(await row.innerText(), /\d+ KB · in use/);
          await page.keyboard.press('Escape');

          // The walkthrough opens, and its "Choose a model" step runs the picker.
          await runCommand(page, 'Ponder: Get Started');
          await page.getByText('Get started with Ponder').first().waitFor({ state: 'visible', timeout: 30_000 });
          await page.locator('.getting-started-step', { hasText: 'Choose or download a model' }).first().click();
          await page.locator('.getting-started-step a, .getting-started-step button', { hasText: 'Choose a model' }).first().click();
          await pickerReady(page);
          await page.keyboard.press('Escape');
        });
      } finally {
        await hub.close();
        rmSync(tmp, { recursive: true, force: true });
      }
    },
  },
];

// Two pickers as a user meets them: Select Model lists the model in use (a local file that is not a download) and its
// input's tooltip is not left at "Checking this machine's memory…"; Apply to file… → Choose another file… offers no
// symlink that leads outside the workspace (Ponder would refuse it after the pick).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { editorText, openPanel, poll, repoRoot, runCommand, withWorkbench, openFileInEditor } from '../harness/run-suite.mjs';

const rows = (page) => page.locator('.quick-input-list .monaco-list-row');


export const pickerScenarios = [
  {
    name: 'pickers: Select Model lists the model in use, no stale memory tooltip; Choose another file… offers no symlink leading outside',
    async run({ models, baseSettings, workspace }) {
      const outside = mkdtempSync(path.join(os.tmpdir(), 'ponder-outside-'));
      writeFileSync(path.join(outside, 'secret.ts'), 'export const secret = 1;\n');
      symlinkSync(path.join(outside, 'secret.ts'), path.join(workspace, 'src', 'escape.ts'));
      try {
        await withWorkbench({ label: 'ui-pickers', extensionPath: repoRoot, workspace, userSettings: { ...baseSettings, 'ponder.model': models.edit } }, async ({ page }) => {
          // First, before anything measured memory: the picker's memory check really runs.
          // Select Model: once the memory check is done, the model in use is listed and the tooltip is current.
          await runCommand(page, 'Ponder: Select Model');
          const input = page.locator('.quick-input-widget input.input');
          await input.waitFor({ state: 'visible' });
          await poll(async () => (await page.locator('.quick-input-widget .quick-input-title').innerText()).trim() === 'Ponder: Select Model', 'the memory check to finish');
          await rows(page).filter({ hasText: 'recommended' }).first().waitFor({ state: 'visible' });
          const inUse = rows(page).filter({ hasText: 'in use' }).first();
          await inUse.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => {});
          assert.match(await rows(page).first().innerText().catch(() => ''), /edit[\s\S]*in use/, `the model in use comes first: ${JSON.stringify(await rows(page).allInnerTexts())}`);
          await input.hover();
          const hover = page.locator('.monaco-hover, .workbench-hover').filter({ visible: true }).first();
          await hover.waitFor({ state: 'visible', timeout: 5_000 });
          const tip = await hover.innerText();
          assert.doesNotMatch(tip, /Checking/i, `the input's tooltip: ${tip}`);
          await page.keyboard.press('Escape');

          // Apply to file… → Choose another file…: workspace files only, never the symlink to outside.
          await openFileInEditor(page, 'math.ts', /function add/);
          const panel = await openPanel(page);
          await panel.locator('#prompt').fill('How do I fix add?');
          await panel.locator('#prompt').press('Enter');
          // A webview that just opened can miss the first key press: Send once more if the text is still in the box.
          if (!(await poll(async () => (await panel.locator('#prompt').inputValue()) === '', 'the prompt sent', 3_000).catch(() => false))) await panel.locator('#composer button[type="submit"]').click();
          await poll(async () => (await panel.locator('.turn').count()) > 0, 'the new turn', 90_000);
          const turn = panel.locator('.turn').last();
          await poll(async () => (await turn.getAttribute('data-state')) === 'done', 'the answer', 90_000);
          await turn.locator('.code-block button[data-action="apply"]').first().click();
          await rows(page).filter({ hasText: 'Choose another file' }).first().click();
          await rows(page).filter({ hasText: 'math.ts' }).first().waitFor({ state: 'visible', timeout: 15_000 });
          const offered = await rows(page).allInnerTexts();
          assert.ok(offered.some((t) => t.includes('src/math.ts')), JSON.stringify(offered));
          assert.ok(!offered.some((t) => t.includes('escape.ts')), `a symlink leading outside is not offered: ${JSON.stringify(offered)}`);
          await page.keyboard.press('Escape');
        });
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
    },
  },
];

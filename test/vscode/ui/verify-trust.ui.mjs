// Verification in Restricted Mode: the user's own test command (user settings) must never run in an untrusted
// workspace — not even after the user allowed that exact command. Fix → Apply (the Restricted Mode modal) → the
// verification line says the tests were skipped because the workspace is not trusted, and the command's marker
// file does not exist. If Ponder ever asks to run the command here, the scenario answers "Allow and Run" like a
// consenting user would, so a missing trust check shows up as the marker file.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { editorText, openActivityBarItem, poll, repoRoot, runCommand, webviewFrame, withWorkbench, openFileInEditor } from '../harness/run-suite.mjs';

export const verifyTrustScenarios = [
  {
    name: 'Restricted Mode: verification after Apply never runs the test command (marker file absent, line says why)',
    async run({ models, baseSettings, workspace, editFixed }) {
      const marker = path.join(workspace, 'MARKER');
      const userSettings = {
        ...baseSettings,
        'ponder.model': models.edit,
        'ponder.verify.command': 'node -e "require(\'fs\').writeFileSync(\'MARKER\', \'ran\')"',
        'ponder.verify.quietPeriodMs': 500,
      };
      await withWorkbench({ label: 'ui-verify-restricted', trust: 'restricted', extensionPath: repoRoot, workspace, userSettings }, async ({ page }) => {
        await openFileInEditor(page, 'math.ts', /function add/);
        await page.locator('.monaco-editor .view-line').nth(1).click(); // cursor inside add()

        await runCommand(page, 'Ponder: Fix Code');
        await page.locator('.codelens-decoration a', { hasText: "Apply Ponder's change" }).waitFor({ state: 'visible', timeout: 60_000 });
        await runCommand(page, 'Ponder: Apply Proposed Change');
        const dialog = page.locator('.monaco-dialog-box');
        await dialog.waitFor({ state: 'visible', timeout: 15_000 });
        assert.match(await dialog.innerText(), /Restricted Mode/);
        await dialog.locator('.monaco-button', { hasText: /^Apply$/ }).click();
        await poll(async () => (await editorText(page)).includes('return a + b;'), 'the fix in the editor');
        assert.equal((await editorText(page)).trim(), editFixed.trim());

        // The verification line: in the turn that produced the edit (panel), or a notification when none did.
        await openActivityBarItem(page, 'Ponder');
        const panel = webviewFrame(page);
        const line = panel.locator('.verification').last();
        const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /Ponder: [✓✗?]/ }).first();
        const consent = page.locator('.notifications-toasts .notification-toast', { hasText: 'allow running your test command' }).first();
        const taskPrompt = page.locator('.monaco-dialog-box', { hasText: 'running tasks' });
        const text = await poll(async () => {
          // A consenting user: if Ponder asks to run the command, allow it (it must not ask here at all).
          if (await consent.isVisible().catch(() => false)) await consent.locator('.monaco-button', { hasText: 'Allow and Run' }).click().catch(() => undefined);
          // VS Code's own gate on tasks in Restricted Mode: seeing it means Ponder tried to start the command.
          if (await taskPrompt.isVisible().catch(() => false)) return 'TASK-TRUST-PROMPT';
          if (await line.count().catch(() => 0)) {
            const state = await line.getAttribute('data-state').catch(() => null);
            if (state && state !== 'running') return await line.innerText();
          }
          if (await toast.isVisible().catch(() => false)) return await toast.innerText();
          return undefined;
        }, 'the verification line', 60_000);
        assert.notEqual(text, 'TASK-TRUST-PROMPT', 'Ponder tried to run the test command in Restricted Mode (VS Code asked to trust the folder for tasks)');
        // Keep consenting for a while, and give a command that was (wrongly) started time to write its marker.
        for (const end = Date.now() + 8_000; Date.now() < end;) {
          if (await consent.isVisible().catch(() => false)) await consent.locator('.monaco-button', { hasText: 'Allow and Run' }).click().catch(() => undefined);
          await page.waitForTimeout(250);
        }
        assert.equal(existsSync(marker), false, `the test command ran in Restricted Mode (marker file exists); line: ${text}`);
        assert.match(text, /tests not run: this workspace is not trusted/, text);
      });
    },
  },
];

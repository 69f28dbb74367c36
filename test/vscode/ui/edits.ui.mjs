// Restricted Mode (an untrusted workspace, no --disable-workspace-trust): Ponder still explains and proposes, and
// Apply asks first — Cancel writes nothing, Apply writes the fix. Driven like a user: palette, CodeLens, the modal.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { editorText, poll, repoRoot, runCommand, withWorkbench, openFileInEditor } from '../harness/run-suite.mjs';

export const editScenarios = [
  {
    name: 'Restricted Mode: Fix proposes; Apply asks in a modal; Cancel writes nothing; Apply writes the fix',
    async run({ models, baseSettings, workspace, editFixed }) {
      const file = path.join(workspace, 'src/math.ts');
      const onDisk = readFileSync(file, 'utf8');
      await withWorkbench({ label: 'ui-edits-restricted', trust: 'restricted', extensionPath: repoRoot, workspace, userSettings: { ...baseSettings, 'ponder.model': models.edit } }, async ({ page }) => {
        await openFileInEditor(page, 'math.ts', /function add/);
        await page.locator('.monaco-editor .view-line').nth(1).click(); // cursor inside add()

        await runCommand(page, 'Ponder: Fix Code');
        const applyLens = page.locator('.codelens-decoration a', { hasText: "Apply Ponder's change" });
        await applyLens.waitFor({ state: 'visible', timeout: 60_000 });
        assert.match(await editorText(page), /return a - b;/, 'a proposal changes nothing');

        const dialog = page.locator('.monaco-dialog-box');
        await applyLens.click();
        await dialog.waitFor({ state: 'visible', timeout: 15_000 });
        assert.match(await dialog.innerText(), /Restricted Mode/);
        await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
        await dialog.waitFor({ state: 'hidden' });
        assert.match(await editorText(page), /return a - b;/, 'Cancel: nothing written');
        assert.equal(readFileSync(file, 'utf8'), onDisk);

        await runCommand(page, 'Ponder: Apply Proposed Change');
        await dialog.waitFor({ state: 'visible', timeout: 15_000 });
        await dialog.locator('.monaco-button', { hasText: /^Apply$/ }).click();
        await poll(async () => (await editorText(page)).includes('return a + b;'), 'the fix in the editor');
        assert.equal((await editorText(page)).trim(), editFixed.trim());
      });
    },
  },
];

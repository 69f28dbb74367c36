// Panel features a user sees: hostile replies rendered inert, code block actions, history across a reload,
// New chat, export, a dead worker with Retry, and screenshots in the three theme kinds.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { editorText, openActivityBarItem, openPanel, poll, repoRoot, runCommand, waitForWorkbench, webviewFrame, withWorkbench, openFileInEditor } from '../harness/run-suite.mjs';

export { openPanel };

/** Same rules as the renderer's unit test, applied to the live webview DOM. */
function dangersInPage(root) {
  const found = [];
  for (const e of root.querySelectorAll('*')) {
    const tag = e.tagName.toLowerCase();
    if (['script', 'iframe', 'object', 'embed', 'style', 'link', 'meta', 'form', 'img', 'svg', 'video', 'audio', 'base'].includes(tag)) found.push(`<${tag}>`);
    for (const a of e.attributes) {
      if (/^on/i.test(a.name)) found.push(`${tag}[${a.name}]`);
      if (['href', 'src', 'srcset', 'action', 'formaction', 'style'].includes(a.name.toLowerCase())) found.push(`${tag}[${a.name}]`);
      if (/javascript:|vbscript:|data:text\/html/i.test(a.value)) found.push(`${tag}[${a.name}=${a.value}]`);
    }
  }
  return found;
}


export async function ask(panel, text) {
  const before = await panel.locator('.turn').count();
  await panel.locator('#prompt').fill(text);
  await panel.locator('#prompt').press('Enter');
  try {
    await poll(async () => (await panel.locator('.turn').count()) > before, 'the new turn');
  } catch (e) {
    // Say what the user would see instead: the text still in the box, an error under it, the status line.
    const seen = async (sel, read) => (await read(panel.locator(sel)).catch(() => '?')) || '(empty)';
    e.message += ` (prompt box: ${await seen('#prompt', (l) => l.inputValue())}; error: ${await seen('#composerError', (l) => l.textContent())}; status: ${await seen('#status', (l) => l.textContent())})`;
    throw e;
  }
  return panel.locator('.turn').nth(before);
}

export const featureScenarios = [
  {
    name: 'hostile reply renders inert; code block Copy and Insert; reload restores the chat; New chat; reopen; export; themes',
    async run({ models, baseSettings, workspace, scenarios, hostileAnswer }) {
      const shots = path.join(repoRoot, 'test-results', 'screenshots');
      mkdirSync(shots, { recursive: true });
      await withWorkbench({ label: 'ui-panel-features', extensionPath: repoRoot, workspace, userSettings: { ...baseSettings, 'ponder.model': models.hostile } }, async ({ page, workbench }) => {
        await workbench.context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => {});
        // An editor to insert into: open src/math.ts through Quick Open.
        await openFileInEditor(page, 'math.ts', /function add/);

        let panel = await openPanel(page);
        // Context chips: the active file is offered; an @mention completes workspace files and adds a chip.
        await poll(async () => (await panel.locator('#chips .chip', { hasText: 'math.ts' }).count()) === 1, 'the active-file chip');
        await panel.locator('#prompt').fill('');
        await panel.locator('#prompt').pressSequentially('@mat');
        await poll(async () => (await panel.locator('#mentions li', { hasText: 'src/math.ts' }).count()) === 1, 'the @ completion list');
        await panel.locator('#prompt').press('Enter');
        await poll(async () => (await panel.locator('#chips .chip', { hasText: '@math.ts' }).count()) === 1, 'the mention chip');
        assert.equal(await panel.locator('#prompt').inputValue(), '', 'the @query is replaced by the chip');
        await panel.locator('#chips .chip', { hasText: '@math.ts' }).locator('button').click();
        await poll(async () => (await panel.locator('#chips .chip', { hasText: '@math.ts' }).count()) === 0, 'the removed chip');
        const turn = await ask(panel, 'Show me something');
        await poll(async () => (await turn.getAttribute('data-state')) === 'done', 'the hostile answer');
        const answer = turn.locator('.answer');
        const found = await answer.evaluate(dangersInPage);
        assert.deepEqual(found, [], 'nothing executable, loadable or navigable in the rendered answer');
        // Positive control: the benign parts rendered as elements.
        assert.equal(await answer.locator('h2').textContent(), 'Result');
        assert.ok((await answer.locator('li').count()) >= 2);
        assert.equal(await answer.locator('strong').first().textContent(), 'bold');
        assert.match(await answer.innerText(), /<script>alert\(1\)<\/script>/, 'raw HTML is shown as text');
        assert.equal(await answer.locator('.code-block code').textContent(), 'const x = 1;\nconsole.log(x);\n');
        assert.ok(hostileAnswer.includes('console.log(x);'));

        // Insert at cursor: the code lands in the last active editor.
        await answer.locator('.code-block button[data-action="insert"]').click();
        await poll(async () => /console\.log\(x\)/.test(await editorText(page)), 'inserted code in the editor');
        // Copy: the code reaches the clipboard (pasted back into the editor to check).
        await page.keyboard.press('Control+A');
        await page.keyboard.press('Delete');
        panel = webviewFrame(page);
        await panel.locator('.turn .code-block button[data-action="copy"]').first().click();
        await page.locator('.monaco-editor').first().click();
        await page.keyboard.press('Control+V');
        await poll(async () => /const x = 1;/.test(await editorText(page)), 'pasted code from Copy');

        for (const [theme, file] of [['Dark Modern', 'dark'], ['Light Modern', 'light'], ['Dark High Contrast', 'high-contrast']]) {
          await runCommand(page, 'Preferences: Color Theme');
          await page.keyboard.type(theme);
          await page.keyboard.press('Enter');
          await new Promise((r) => setTimeout(r, 800));
          await page.screenshot({ path: path.join(shots, `panel-${file}.png`) });
        }

        // Hide and show the panel: the chat is still there.
        await openActivityBarItem(page, 'Explorer');
        panel = await openPanel(page);
        await poll(async () => (await panel.locator('.turn .answer h2').count()) === 1, 'the chat after hide/show');

        // Window reload: the chat is restored from workspace storage.
        await page.reload({ waitUntil: 'domcontentloaded' });
        await waitForWorkbench(page);
        panel = await openPanel(page);
        await poll(async () => (await panel.locator('.turn').count()) === 1, 'the restored turn');
        assert.match(await panel.locator('.turn .thinking-header').textContent(), /^Thought for \d+\.\d s \(\d+ tokens\)$/);
        assert.equal(await panel.locator('.turn .answer h2').textContent(), 'Result');

        // Export as Markdown: reasoning folded into <details>.
        await runCommand(page, 'Ponder: Export Chat as Markdown');
        await poll(async () => /<details><summary>Reasoning<\/summary>/.test(await editorText(page, 'last')), 'the exported markdown');

        // New chat empties the panel; the old chat can be reopened from history.
        panel = await openPanel(page);
        await panel.locator('#newChat').click();
        await poll(async () => (await panel.locator('.turn').count()) === 0, 'an empty chat');
        // The empty chat introduces Ponder with the model in use (from the host) and what to try.
        await poll(async () => /Model: hostile\b/.test(await panel.locator('#welcome').innerText()), 'the introduction naming the model');
        assert.equal(await panel.locator('#welcome li').count(), 3);
        await runCommand(page, 'Ponder: Open Chat…');
        await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Show me something' }).first().waitFor({ state: 'visible' });
        await page.keyboard.press('Enter');
        await poll(async () => (await webviewFrame(page).locator('.turn').count()) === 1, 'the reopened chat');
        void scenarios;
      });
    },
  },
  {
    name: 'the engine process dies mid-answer: the turn shows the error with Retry, and Retry answers',
    async run({ models, baseSettings, workspace, scenarios }) {
      await withWorkbench({ label: 'ui-worker-crash', extensionPath: repoRoot, workspace, userSettings: { ...baseSettings, 'ponder.contextSize': 16384, 'ponder.model': models['long-thought'] } }, async ({ page }) => {
        const panel = await openPanel(page);
        const turn = await ask(panel, 'Think, then crash');
        await poll(async () => (await turn.locator('.thinking-text').textContent())?.length > 40, 'reasoning before the crash');
        execFileSync('pkill', ['-9', '-f', path.join(repoRoot, 'dist', 'worker.mjs')]);
        await poll(async () => (await turn.getAttribute('data-state')) === 'error', 'the turn marked failed');
        assert.match(await turn.locator('.error').textContent(), /stopped unexpectedly/);
        // The notification names Ponder once ("Ponder: Ponder's engine…" before).
        const toast = page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'stopped unexpectedly' }).first();
        await toast.waitFor({ state: 'visible', timeout: 15_000 });
        assert.match(await toast.innerText(), /^Ponder’s engine process stopped unexpectedly/);
        assert.ok((await turn.locator('.thinking-text').textContent()).length > 40, 'what was already streamed is kept');
        await turn.getByRole('button', { name: 'Retry' }).click();
        const retried = panel.locator('.turn').nth(1);
        await poll(async () => (await retried.locator('.thinking-text').textContent())?.length > 40, 'the retried turn thinking');
        await panel.locator('#answerNow').click();
        await poll(async () => (await retried.getAttribute('data-state')) === 'done', 'the retried turn answered');
        assert.equal((await retried.locator('.answer').innerText()).trim(), scenarios['long-thought'].answer);
      });
    },
  },
  {
    name: 'Apply to file… turns a code block from the chat into a previewed proposal that applies',
    async run({ models, baseSettings, workspace }) {
      await withWorkbench({ label: 'ui-apply-code-block', extensionPath: repoRoot, workspace, userSettings: { ...baseSettings, 'ponder.model': models.edit } }, async ({ page }) => {
        await openFileInEditor(page, 'math.ts', /return a - b;/);
        const panel = await openPanel(page);
        const turn = await ask(panel, 'How do I fix add?');
        await poll(async () => (await turn.getAttribute('data-state')) === 'done', 'the answer');
        await turn.locator('.code-block button[data-action="apply"]').click();
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'src/math.ts' }).first().click();
        const applyLens = page.locator('.codelens-decoration a', { hasText: "Apply Ponder's change" });
        await applyLens.first().waitFor({ state: 'visible', timeout: 30_000 });
        assert.match(await editorText(page), /return a - b;/, 'nothing is written before the user applies');
        // The change links back to the reasoning that names it; following the link highlights it in the panel.
        await page.locator('.codelens-decoration a', { hasText: 'Why? (reasoning)' }).first().click();
        await poll(async () => /return a \+ b/.test((await webviewFrame(page).locator('.turn mark.reasoning-highlight').textContent()) ?? ''), 'the highlighted reasoning passage');
        await applyLens.first().click();
        await poll(async () => /return a \+ b;/.test(await editorText(page)), 'the applied fix');
      });
    },
  },
];

// The demo as a new user meets it: `npm start` (scripts/start.mjs, code-server mode, no model given), the printed URL
// opened in a browser, then every lightbulb in the demo workspace tried: each proposes the fix for its own problem
// (never a change elsewhere), the proposal's lens reads plainly, Apply fixes the file and the type error goes away.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, openWorkbench, poll, repoRoot, screenshot, waitForWorkbench } from '../harness/run-suite.mjs';
import { DEMO_PROBLEMS } from '../../../scripts/demo/problems.mjs';

/** Runs `npm start`'s script like a user (no PONDER_MODEL), until its URL is printed. */
async function npmStart(port, stateDir) {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: repoRoot,
    env: { ...process.env, PONDER_START_MODE: 'code-server', PONDER_PORT: String(port), PONDER_START_DIR: stateDir, PONDER_SKIP_BUILD: '1', PONDER_MODEL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', (b) => (out += b));
  const exited = new Promise((r) => child.on('exit', r));
  await poll(async () => out.includes('Open this URL') || (child.exitCode !== null && Promise.reject(new Error(out))), 'npm start to print its URL', 120_000);
  return { out: () => out, async stop() { child.kill('SIGINT'); await exited; } };
}

/** The editor's visible lines in screen order (Monaco reuses line elements, so DOM order can differ after an edit). */
const editorLines = (page) => page.evaluate(() => {
  const lines = [...document.querySelector('.monaco-editor .view-lines').querySelectorAll('.view-line')];
  return lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top)).map((l) => l.textContent.replace(/\u00a0/g, ' ')).join('\n');
});

/** Opens a file with Quick Open and waits for its red squiggle. */
async function openWithProblem(page, file) {
  await page.keyboard.press('Control+P');
  await page.keyboard.type(path.basename(file));
  await page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(file) }).first().click();
  const squiggle = page.locator('.monaco-editor .squiggly-error').first();
  await squiggle.waitFor({ state: 'attached', timeout: 60_000 });
  return squiggle;
}

export const demoScenarios = [
  {
    name: 'demo: npm start, then every lightbulb in the demo workspace proposes the fix for its own problem',
    async run() {
      const port = await freePort();
      const stateDir = mkdtempSync(path.join(os.tmpdir(), 'ponder-demo-'));
      const started = await npmStart(port, stateDir);
      const workspace = path.join(stateDir, 'demo-workspace');
      const wb = await openWorkbench({ origin: `http://127.0.0.1:${port}`, port }, { extensionDevelopmentPath: repoRoot, folder: workspace, echo: false });
      const { page } = wb;
      try {
        assert.match(started.out(), /DEMO engine/);
        await waitForWorkbench(page);
        const status = page.locator('.part.statusbar .statusbar-item', { hasText: 'Ponder:' }).first();
        // The demo engine chosen by npm start is shown (not "no model"): the extension is up with its settings.
        await poll(async () => /^Ponder: (?!no model)\S/.test((await status.innerText()).trim()), 'the demo engine in the status bar', 60_000);
        for (const problem of DEMO_PROBLEMS) {
          const squiggle = await openWithProblem(page, problem.file);
          const before = await editorLines(page);
          assert.ok(before.includes(problem.find.trim()), `${problem.file} holds its deliberate problem`);
          // The lightbulb: cursor on the problem, Ctrl+. , "Fix with Ponder".
          await squiggle.click({ force: true });
          await page.keyboard.press('Control+.');
          const actions = page.locator('.action-widget .monaco-list-row.action');
          await actions.first().waitFor({ state: 'visible', timeout: 15_000 });
          const titles = await actions.allInnerTexts();
          const index = titles.findIndex((t) => t.includes('Fix with Ponder'));
          assert.ok(index >= 0, `"Fix with Ponder" in the lightbulb menu: ${JSON.stringify(titles)}`);
          // The menu is keyboard driven (a pointer block covers it for synthetic clicks).
          for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
          await page.keyboard.press('Enter');
          const applyLens = page.locator('.codelens-decoration a', { hasText: "Apply Ponder's change" }).first();
          await applyLens.waitFor({ state: 'visible', timeout: 60_000 });
          const lens = await applyLens.innerText();
          assert.doesNotMatch(lens, /`/, `the lens reads plainly: ${lens}`);
          assert.match(lens, /fix \w+/);
          await screenshot(page, `demo-${path.basename(problem.file, '.ts')}-proposal`);
          await applyLens.click();
          // The fix, and only the fix: the rest of the file is as it was.
          const expected = before.replace(problem.find.trim(), problem.replace.trim());
          await poll(async () => (await editorLines(page)) === expected, `exactly the fix applied in ${problem.file}`).catch(async (e) => {
            assert.equal(await editorLines(page), expected, e.message);
          });
          await poll(async () => (await page.locator('.monaco-editor .squiggly-error').count()) === 0, `no type error left in ${problem.file}`, 30_000);
          await page.keyboard.press('Control+W');
        }
      } catch (e) {
        await screenshot(page, 'ui-demo');
        throw e;
      } finally {
        await wb.close();
        await started.stop();
        rmSync(stateDir, { recursive: true, force: true });
      }
    },
  },
];

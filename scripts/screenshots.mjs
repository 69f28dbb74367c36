// README screenshots from a real code-server workbench (1400×900, the harness default), driven like a user:
// the panel mid-thought, a proposal with its CodeLenses, and the model picker — in Light Modern and Dark Modern
// (written to media/screenshots/) and in High Contrast (test-results/screenshots/, to look at, not shipped).
// The model is Ponder's scripted demo model (generated, no weights) with a longer thought; for the mid-thought
// picture the engine process is run in short steps and then paused (SIGSTOP), so it does not depend on timing.
//   node esbuild.mjs && node scripts/screenshots.mjs        (PONDER_SHOTS=thinking,proposal,picker: only those)
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureScenarioModel } from './gguf/generate-model.mjs';
import { editorText, openActivityBarItem, poll, repoRoot, runCommand, webviewFrame, withWorkbench } from '../test/vscode/harness/run-suite.mjs';

const THOUGHT = 'The user says add(2, 3) returns -1 instead of 5. Let me look at the function in src/math.ts. ' +
  'It takes two numbers, a and b, and is declared to return a number. The body is a single line: return a - b. ' +
  'So for a = 2 and b = 3 it computes 2 - 3, which is -1. That matches what the user sees. ' +
  'The name add and the type signature both say the function should return the sum of its arguments, ' +
  'so the subtraction is the bug, not the call site. Is there any reason it could be intentional? ' +
  'Nothing else in the file calls add with swapped arguments, and there is no comment explaining a difference. ' +
  'Let me also check the edge cases: add(0, 0) is 0 either way, add(-1, 1) should be 0 but gives -2 now. ' +
  'With a + b all of these come out right, and the types stay the same, so no caller has to change. ' +
  'I should keep the signature exactly as it is and change only the operator. ' +
  'Before writing it, let me make sure the tests agree. The file has no tests yet, so I cannot rely on them; ' +
  'a quick mental check will do: add(2, 3) becomes 2 + 3 = 5, add(10, -4) becomes 6, add(0.1, 0.2) is the usual ' +
  'floating point 0.30000000000000004, which is fine for this function. Could the user want integer-only input? ' +
  'The signature says number, so no. Could this be a merge mistake where another function subtract() was meant? ' +
  'There is no subtract in the file, and the user clearly calls add. So the answer is short: explain the bug in ' +
  'one sentence, then show the corrected function. ' +
  'I will give the whole corrected function in one code block so it can be applied as an edit.';

const out = path.join(repoRoot, 'media', 'screenshots');
const look = path.join(repoRoot, 'test-results', 'screenshots');
// [file suffix, label in the theme picker, settings id, folder]
const THEMES = [['light', 'Light Modern', 'Default Light Modern', out], ['dark', 'Dark Modern', 'Default Dark Modern', out], ['high-contrast', 'Dark High Contrast', 'Default High Contrast', look]];

async function setTheme(page, theme) {
  await runCommand(page, 'Preferences: Color Theme');
  await page.keyboard.type(theme);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(800); // the webview gets the new colours a moment after the workbench
}

/** Shoots `clip()` (a box in page pixels) in every theme as `<name>-<theme>.png`. */
async function shootAllThemes(page, name, clip, before = async () => {}) {
  for (const [file, theme, , dir] of THEMES) {
    await setTheme(page, theme);
    await before();
    await page.mouse.move(900, 700); // no hover tooltips in the picture
    await page.waitForTimeout(300);
    const target = path.join(dir, `${name}-${file}.png`);
    await page.screenshot({ path: target, clip: await clip() });
    console.log(`${path.relative(repoRoot, target)} ${(statSync(target).size / 1024).toFixed(0)} KB`);
  }
}

const box = async (locator, pad = 0) => {
  const b = await locator.boundingBox();
  if (!b) throw new Error(`${locator} is not visible`);
  return { x: Math.max(0, b.x - pad), y: Math.max(0, b.y - pad), width: b.width + 2 * pad, height: b.height + 2 * pad };
};

/** This workbench's engine process: only processes in the code-server's own process group. */
function workerPids(serverPid) {
  const ps = execFileSync('ps', ['-e', '-o', 'pid=,pgid=,args='], { encoding: 'utf8' });
  return ps.split('\n').map((l) => l.trim().split(/\s+/)).filter(([, pgid, ...args]) => Number(pgid) === serverPid && args.join(' ').includes(path.join(repoRoot, 'dist', 'worker.mjs'))).map(([pid]) => Number(pid));
}

/**
 * Runs the engine in short steps (SIGCONT, 1 ms, SIGSTOP) until `enough()` says the panel shows enough reasoning,
 * letting the tokens in flight land between steps; the engine stays paused afterwards. Returns resume().
 */
async function stepUntil(serverPid, enough) {
  const pids = workerPids(serverPid);
  if (!pids.length) throw new Error('no engine process found to pause');
  const send = (sig) => pids.forEach((pid) => { try { process.kill(pid, sig); } catch { /* exited */ } });
  const exactly = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); // timers are too coarse
  send('SIGSTOP');
  for (let step = 0; !(await enough()); step++) {
    if (step > 2000) throw new Error('the panel never showed enough reasoning');
    send('SIGCONT');
    exactly(1);
    send('SIGSTOP');
    await new Promise((r) => setTimeout(r, 150));
  }
  return () => send('SIGCONT');
}

mkdirSync(out, { recursive: true });
mkdirSync(look, { recursive: true });
const models = path.join(os.tmpdir(), 'ponder-demo'); // a short path: the picker shows it
rmSync(models, { recursive: true, force: true });
const workspace = mkdtempSync(path.join(os.tmpdir(), 'ponder-shots-ws-'));
try {
  const dir = path.join(repoRoot, '.cache', 'test-models', 'screenshots');
  // The file name is what the panel and the picker show (same scripted model in two folders: one per window).
  const thinking = path.join(models, 'thinking', 'r1-demo.gguf');
  const fixing = path.join(models, 'r1-demo.gguf');
  mkdirSync(path.dirname(thinking), { recursive: true });
  copyFileSync(await ensureScenarioModel('edit', dir, { thought: THOUGHT, name: 'R1 demo (scripted)' }), thinking);
  copyFileSync(await ensureScenarioModel('edit', dir, { thought: THOUGHT, name: 'R1 demo (scripted)' }), fixing);
  cpSync(path.join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  /** One workbench per picture, with math.ts open (a fresh window, as a user would see it). */
  const only = process.env.PONDER_SHOTS?.split(','); // e.g. PONDER_SHOTS=thinking,picker
  const scene = async (label, model, fn, theme = 'Default Light Modern') => (only && !only.includes(label)) || withWorkbench({
    label: `screenshots-${label}`, extensionPath: repoRoot, workspace,
    userSettings: { 'ponder.model': model, 'ponder.threads': 1, 'ponder.contextSize': 4096, 'workbench.startupEditor': 'none', 'workbench.colorTheme': theme },
  }, async ({ page, server }) => {
    await page.keyboard.press('Control+P');
    await page.keyboard.type('math.ts');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'math.ts' }).first().click();
    await poll(async () => /function add/.test(await editorText(page)), 'math.ts open');
    // The activity bar item toggles and its state can lag a view switch (as in the UI tests' openPanel): retry.
    for (let attempt = 1; ; attempt++) {
      await openActivityBarItem(page, 'Ponder');
      try {
        await webviewFrame(page).locator('#prompt').waitFor({ state: 'visible', timeout: 10_000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
    await fn({ page, server, panel: webviewFrame(page) });
  });

  // 1. The panel mid-thought: the engine stepped until the thought fills part of the panel, then paused.
  await scene('thinking', thinking, async ({ page, server, panel }) => {
    // A warm-up question loads the model (the engine process exists from then on), then a clean chat.
    await panel.locator('#prompt').fill('warm up');
    await panel.locator('#send').click();
    await poll(async () => (await panel.locator('.turn .thinking-text').first().textContent())?.length > 0, 'the model loaded', 60_000);
    await panel.locator('#stop').click();
    await poll(async () => (await panel.locator('.turn').first().getAttribute('data-state')) === 'aborted', 'the warm-up stopped');
    await panel.locator('#newChat').click();
    await poll(async () => (await panel.locator('.turn').count()) === 0, 'a new chat');
    await panel.locator('#prompt').fill('Why does add(2, 3) return -1?');
    const started = panel.locator('#send').click();
    const resume = await stepUntil(server.pid, async () => (await panel.locator('.turn .thinking-text').first().textContent().catch(() => ''))?.length > 500);
    try {
      await started;
      await page.waitForTimeout(1500);
      if ((await panel.locator('.turn .answer').first().textContent()) !== '') throw new Error('the thought ended before the picture: run again'); // the live header moves on: "Thinking… 9.8 s · …"
      await shootAllThemes(page, 'panel-thinking', () => box(page.locator('.part.sidebar')));
      await panel.locator('#answerNow').click(); // acted on when the engine resumes
    } finally {
      resume();
    }
  });

  // 2. A proposal with its lenses: Fix Code on add(), the top of the editor.
  await scene('proposal', fixing, async ({ page }) => {
    await page.locator('.monaco-editor .view-line').nth(1).click();
    await runCommand(page, 'Ponder: Fix Code');
    await page.locator('.codelens-decoration a', { hasText: "Apply Ponder's change" }).first().waitFor({ state: 'visible', timeout: 60_000 });
    await shootAllThemes(page, 'proposal', async () => {
      const b = await box(page.locator('.part.editor'));
      return { x: b.x, y: b.y, width: Math.min(b.width, 640), height: 190 };
    });
  });

  // 3. The model picker, after its memory check finished. One window per theme: the picker is shot on its first
  // opening (a second opening in the same window does not list the model in use: reported to the picker's owner).
  for (const [file, , themeId, dir] of THEMES) {
    await scene('picker', fixing, async ({ page }) => {
      await runCommand(page, 'Ponder: Select Model');
      await page.locator('.quick-input-widget input.input[placeholder^="Choose a model"]').waitFor({ state: 'visible', timeout: 30_000 });
      await poll(async () => !/checking/i.test(await page.locator('.quick-input-widget').innerText()), 'the memory check', 30_000);
      await page.waitForTimeout(1000); // the items are replaced (and the list scrolled) once the check answered
      // The list opens scrolled to the recommended entry; show its top ("In use") as a user scrolling up would.
      const list = await box(page.locator('.quick-input-list'));
      await page.mouse.move(list.x + list.width / 2, list.y + 40);
      await poll(async () => {
        await page.mouse.wheel(0, -2000);
        await page.waitForTimeout(400);
        return page.locator('.quick-input-list .monaco-list-row', { hasText: 'in use' }).first().isVisible();
      }, 'the model in use at the top of the picker');
      await page.mouse.move(900, 700);
      await page.waitForTimeout(300);
      const target = path.join(dir, `model-picker-${file}.png`);
      await page.screenshot({ path: target, clip: await box(page.locator('.quick-input-widget')) });
      console.log(`${path.relative(repoRoot, target)} ${(statSync(target).size / 1024).toFixed(0)} KB`);
      await page.keyboard.press('Escape');
    }, themeId);
  }
} finally {
  rmSync(models, { recursive: true, force: true });
  rmSync(workspace, { recursive: true, force: true });
}

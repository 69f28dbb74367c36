// A generation never outlives everyone who could see it: closing the browser page mid-thought (the extension host
// lives on, with no dispose) stops the turn — checked from outside, in the extension host's log file — and a
// window opened afterwards shows that turn stopped, with Retry, instead of an empty chat.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { openActivityBarItem, poll, repoRoot, waitForWorkbench, withWorkbench } from '../harness/run-suite.mjs';
import { ask, openPanel } from './panel-features.ui.mjs';

/** Every Ponder output-channel log file the server's extension hosts wrote, oldest host first. */
export function ponderLogs(userDataDir) {
  const found = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/Ponder\.log$/.test(name)) found.push(p);
    }
  };
  walk(path.join(userDataDir, 'logs'));
  return found.sort().map((f) => readFileSync(f, 'utf8'));
}

/** The wall-clock time of a log line ("2026-12-02 09:10:11.123 [info] …"), ms since the epoch. */
export function lineTime(line) {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})/.exec(line);
  return m ? new Date(`${m[1]}T${m[2]}`).getTime() : NaN;
}

/**
 * Loses `page` while a long thought streams; resolves with the "Turn ended" line and the ms from the loss to it.
 * Playwright's page.close() says goodbye to the server (the extension host then exits by itself), so the page's
 * renderer is crashed instead: like a closed laptop or a killed browser, the server hears nothing and keeps the
 * extension host for its reconnection grace time — the case where the generation used to run on.
 */
export async function closeMidThought({ page, userDataDir, hideFirstMs = 0 }) {
  let panel = await openPanel(page);
  let turn = await ask(panel, 'Think about everything, for as long as it takes');
  await poll(async () => (await turn.locator('.thinking-text').textContent())?.length > 40, 'reasoning streaming before the page closes');
  if (hideFirstMs) {
    // Hidden is not gone: another view in the sidebar for longer than the liveness check waits; the turn runs on,
    // and the panel comes back as it was (a half-written next question included), while the model works at full CPU.
    await panel.locator('#prompt').fill('and then, half-written');
    const thoughtBefore = (await turn.locator('.thinking-text').textContent()).length;
    await openActivityBarItem(page, 'Explorer');
    await page.waitForTimeout(hideFirstMs);
    panel = await openPanel(page);
    turn = panel.locator('.turn').first();
    await poll(async () => (await turn.getAttribute('data-state')) === 'streaming', 'the turn still running after the panel was hidden');
    assert.equal(await panel.locator('#prompt').inputValue(), 'and then, half-written', 'hiding the panel kept the unsent text');
    // What streamed while it was hidden is there too (sent as one state when it showed again), and streaming goes on.
    const thoughtAfter = (await turn.locator('.thinking-text').textContent()).length;
    assert.ok(thoughtAfter > thoughtBefore + 1000, `the thought caught up after the panel showed again (${thoughtBefore} → ${thoughtAfter} characters)`);
    const logs = ponderLogs(userDataDir).join('\n');
    assert.doesNotMatch(logs, /Turn ended|No window shows Ponder/, `hiding the panel stopped nothing; the log:\n${logs.split('\n').slice(-12).join('\n')}`);
  }
  const before = ponderLogs(userDataDir).join('\n').split('\n').filter((l) => l.includes('Turn ended:')).length;
  const cdp = await page.context().newCDPSession(page);
  const closedAt = Date.now();
  void cdp.send('Page.crash').catch(() => {}); // never answers: the renderer is gone
  await page.waitForEvent('crash', { timeout: 10_000 }).catch(() => {});
  const line = await poll(async () => ponderLogs(userDataDir).join('\n').split('\n').filter((l) => l.includes('Turn ended:'))[before], 'the turn to end after the page closed', 90_000);
  return { line, delayMs: lineTime(line) - closedAt };
}

export const livenessScenarios = [
  {
    name: 'closing the page mid-thought stops the generation (aborted, not a budget; hiding the panel does not); a window opened later shows it stopped, with Retry',
    async run({ models, baseSettings, workspace }) {
      // No generated-token ceiling and a large context: only the liveness check can end this thought soon.
      const userSettings = { ...baseSettings, 'ponder.contextSize': 16384, 'ponder.maxGeneratedTokens': 0, 'ponder.model': models['long-thought'] };
      await withWorkbench({ label: 'ui-page-closed', extensionPath: repoRoot, workspace, userSettings }, async ({ page, server, workbench }) => {
        const url = page.url();
        const { line, delayMs } = await closeMidThought({ page, userDataDir: server.userDataDir, hideFirstMs: 10_000 });
        console.log(`  page closed → turn ended after ${delayMs} ms: ${line.replace(/^.*Turn ended: /, '')}`);
        assert.match(line, /Turn ended: aborted/, 'stopped by the liveness check, not by reaching a budget');
        assert.match(ponderLogs(server.userDataDir).join('\n'), /No window shows Ponder any more/);

        // A new window (its own extension host): the turn saved when it started is there, stopped, with Retry.
        const again = await workbench.context.newPage();
        await again.goto(url, { waitUntil: 'domcontentloaded' });
        await waitForWorkbench(again);
        const panel = await openPanel(again);
        const restored = panel.locator('.turn').first();
        await poll(async () => (await restored.getAttribute('data-state')) === 'aborted', 'the restored turn, marked stopped');
        assert.match(await restored.locator('.user').textContent(), /Think about everything/);
        assert.match(await restored.locator('.note').textContent(), /window closed before this answer finished/);
        await restored.locator('button[data-action="retry"]').click();
        const retried = panel.locator('.turn').nth(1);
        await poll(async () => (await retried.locator('.thinking-text').textContent())?.length > 40, 'the retried turn thinking');
        await panel.locator('#stop').click();
        await poll(async () => (await retried.getAttribute('data-state')) === 'aborted', 'the retried turn stopped');
      });
    },
  },
];

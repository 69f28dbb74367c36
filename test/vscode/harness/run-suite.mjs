// Runs a mocha suite inside the real VS Code extension host (code-server + headless Chromium), or hands a
// live workbench page to a Playwright scenario. Always cleans up; screenshots failures to test-results/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCodeServer, openWorkbench, repoRoot } from './code-server.mjs';

export { ensureCodeServer, ensureChromium, freePort, startCodeServer, openWorkbench, workbenchUrl, repoRoot } from './code-server.mjs';

const log = (msg) => console.log(`[harness] ${msg}`);

/** Saves a PNG of the page to test-results/ (failures, or a picture a scenario wants to keep); returns its path. */
export async function screenshot(page, label) {
  // Best effort: a failing run is much easier to diagnose with a picture of the workbench.
  if (!page || page.isClosed()) return undefined;
  const dir = path.join(repoRoot, 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${label.replace(/[^\w.-]+/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}.png`);
  try {
    await page.screenshot({ path: file, timeout: 10_000 });
    log(`screenshot saved: ${file}`);
    return file;
  } catch (err) {
    log(`screenshot failed: ${err.message}`);
    return undefined;
  }
}

/**
 * Runs `testsPath` (a CommonJS module exporting run(): Promise) in the extension host.
 * opts: { extensionPath?, testsPath, workspace?, userSettings?, env?, trust?, timeoutMs?, extensionsToInstall?, label? }
 * → exit code (0 pass, 1 fail/timeout/crash)
 */
export async function runExtensionTests(opts) {
  const { extensionPath, testsPath, workspace, timeoutMs = 120_000 } = opts;
  if (!testsPath) throw new Error('runExtensionTests: testsPath is required');
  const label = opts.label ?? path.basename(path.dirname(path.resolve(testsPath)));
  const t0 = Date.now();
  let server, wb, code = 1, timer, emptyDev;
  try {
    server = await startCodeServer({ ...opts, workspace });
    log(`code-server up at ${server.url} (${Date.now() - t0} ms); running ${testsPath}`);
    // The workbench only runs extensionTestsPath in extension-development mode, so a packaged (.vsix) run gets an
    // empty dev folder. Dev-path extensions stay enabled in Restricted Mode; test trust capabilities via a .vsix.
    if (!extensionPath) emptyDev = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-nodev-'));
    wb = await openWorkbench(server, { extensionDevelopmentPath: extensionPath ?? emptyDev, extensionTestsPath: testsPath, folder: workspace });
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`extension tests did not finish within ${timeoutMs} ms`)), timeoutMs);
    });
    code = await Promise.race([wb.exitCode, timeout]);
  } catch (err) {
    console.error(`[harness] ${err.stack || err.message}`);
    if (server) console.error(`[harness] last code-server log lines:\n${server.logs.slice(-20).join('\n')}`);
    code = 1;
  } finally {
    clearTimeout(timer);
    if (code !== 0) await screenshot(wb?.page, label);
    await wb?.close();
    await server?.stop();
    if (emptyDev) fs.rmSync(emptyDev, { recursive: true, force: true });
  }
  log(`${label}: exit code ${code} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return code;
}

/**
 * Opens a workbench with the dev extension loaded and calls fn({ page, server, workbench }).
 * opts: { extensionPath?, workspace?, userSettings?, env?, trust?, extensionsToInstall?, label?, readyTimeoutMs? }
 * Returns fn's result; on error saves a screenshot and rethrows.
 */
export async function withWorkbench(opts, fn) {
  const label = opts.label ?? 'workbench';
  let server, wb;
  try {
    server = await startCodeServer(opts);
    wb = await openWorkbench(server, { extensionDevelopmentPath: opts.extensionPath, folder: opts.workspace });
    await waitForWorkbench(wb.page, opts.readyTimeoutMs);
    return await fn({ page: wb.page, server, workbench: wb });
  } catch (err) {
    await screenshot(wb?.page, label);
    if (server) console.error(`[harness] last code-server log lines:\n${server.logs.slice(-20).join('\n')}`);
    throw err;
  } finally {
    await wb?.close();
    await server?.stop();
  }
}

/** Waits until the workbench is rendered and its extension host connection is up. */
export async function waitForWorkbench(page, timeoutMs = 60_000) {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.activitybar').waitFor({ state: 'visible', timeout: timeoutMs });
  // The remote status entry shows the host name once the extension host connection is established.
  await page.locator('#status\\.host, .statusbar-item.remote-kind').first().waitFor({ state: 'attached', timeout: Math.min(timeoutMs, 15_000) }).catch(() => {});
}

/** Runs a command by its palette title: F1, type, pick the matching row (retries until contributions load). */
export async function runCommand(page, title, { timeoutMs = 20_000 } = {}) {
  const input = page.locator('.quick-input-widget input.input');
  const rows = page.locator('.quick-input-list .monaco-list-row');
  const exactRe = new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  const deadline = Date.now() + timeoutMs;
  while (true) {
    if (!(await input.isVisible())) {
      await page.locator('.monaco-workbench').focus().catch(() => {}); // F1 needs keyboard focus in the workbench
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => {});
    }
    if (await input.isVisible()) {
      await input.fill(`>${title}`);
      // Exact label first, so "Ponder: Ask" does not pick "Ponder: Ask About Selection".
      const exact = rows.filter({ has: page.locator('.label-name', { hasText: exactRe }) }).first();
      const loose = rows.filter({ hasText: title }).first();
      try {
        await loose.waitFor({ state: 'visible', timeout: 2_000 });
        await ((await exact.count()) ? exact : loose).click();
        await input.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
        return;
      } catch { /* extension contributions not registered yet: the palette does not refresh, so reopen it */ }
    }
    if (Date.now() > deadline) throw new Error(`runCommand: no command titled "${title}" in the palette after ${timeoutMs} ms`);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(500);
  }
}

/** The content frame of a webview (view or panel); pass extensionId to pick one when several exist. */
export function webviewFrame(page, { extensionId } = {}) {
  const outer = extensionId ? `iframe.webview[src*="extensionId=${extensionId}"]` : 'iframe.webview';
  // After a hide/show the old webview iframe can linger hidden: take the visible one.
  return page.locator(outer).filter({ visible: true }).first().contentFrame().frameLocator('#active-frame');
}

/** Clicks an activity-bar item by its title, unless it is already the open one (a click would close it). */
export async function openActivityBarItem(page, title, { timeoutMs = 15_000 } = {}) {
  const item = page.locator(`.activitybar [aria-label^="${title.replace(/"/g, '\\"')}"]`).first();
  await item.waitFor({ state: 'visible', timeout: timeoutMs });
  const li = item.locator('xpath=ancestor-or-self::li[contains(@class,"action-item")][1]');
  const checked = (await li.count()) ? /\bchecked\b/.test((await li.getAttribute('class')) ?? '') : false;
  if (!checked) await item.click();
}

/** Polls `fn` (errors count as "not yet") until it returns something truthy; fails naming `what`. */
export async function poll(fn, what, ms = 30_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Visible text of the first (or last) editor; Monaco renders spaces as no-break spaces. */
export async function editorText(page, which = 'first') {
  return (await page.locator('.monaco-editor .view-lines')[which]().innerText()).replace(/\u00a0/g, ' ');
}

/** Shows the Ponder view. The activity bar item toggles, and its "open" state can lag a view switch, so retry. */
export async function openPanel(page) {
  for (let attempt = 1; ; attempt++) {
    await openActivityBarItem(page, 'Ponder');
    const panel = webviewFrame(page);
    try {
      await panel.locator('#prompt').waitFor({ state: 'visible', timeout: 10_000 });
      // Visible is not live: the prompt box shows before the panel script runs, and a key pressed then is lost.
      // The status line is filled from the host's first state message, so the script and the host are both there.
      await poll(async () => ((await panel.locator('#status').textContent()) ?? '').trim() !== '', 'the panel to receive its state', 10_000);
      return panel;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

/** Opens a workspace file through Quick Open (as a user would) and waits until the editor shows `expect`. */
export async function openFileInEditor(page, name, expect) {
  await page.keyboard.press('Control+P');
  await page.keyboard.type(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click();
  await poll(async () => expect.test(await editorText(page)), `${name} open in an editor`);
}

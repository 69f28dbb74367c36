// Captures what VS Code injects into a webview for each built-in theme kind (the --vscode-* variables on <html>,
// the body classes and the default stylesheet), from the Ponder panel in a real code-server workbench, into
// test/webview/themes/*.json. The layout test replays them in plain Chromium. Re-run after a code-server upgrade:
//   node esbuild.mjs && node test/webview/capture-themes.mjs
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CODE_SERVER_VERSION } from '../vscode/harness/code-server.mjs';
import { openActivityBarItem, repoRoot, webviewFrame, withWorkbench } from '../vscode/harness/run-suite.mjs';

export const THEMES = [
  ['dark-modern', 'Default Dark Modern'],
  ['light-modern', 'Default Light Modern'],
  ['high-contrast', 'Default High Contrast'],
];

const out = path.join(repoRoot, 'test', 'webview', 'themes');
mkdirSync(out, { recursive: true });
for (const [file, theme] of THEMES) {
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'ponder-theme-ws-'));
  try {
    await withWorkbench({ label: `capture-${file}`, extensionPath: repoRoot, workspace, userSettings: { 'workbench.colorTheme': theme, 'workbench.startupEditor': 'none' } }, async ({ page }) => {
      await openActivityBarItem(page, 'Ponder');
      const panel = webviewFrame(page);
      await panel.locator('#prompt').waitFor({ state: 'visible', timeout: 30_000 });
      const captured = await panel.locator('html').evaluate((html) => ({
        variables: Object.fromEntries(Array.from(html.style).filter((p) => p.startsWith('--')).map((p) => [p, html.style.getPropertyValue(p).trim()])),
        bodyClasses: Array.from(document.body.classList),
        bodyData: { ...document.body.dataset },
        defaultStyles: document.getElementById('_defaultStyles')?.textContent ?? '',
      }));
      if (Object.keys(captured.variables).length < 100) throw new Error(`only ${Object.keys(captured.variables).length} --vscode-* variables captured for ${theme}`);
      writeFileSync(path.join(out, `${file}.json`), JSON.stringify({ theme, codeServer: CODE_SERVER_VERSION, ...captured }, null, 1) + '\n');
      console.log(`${theme}: ${Object.keys(captured.variables).length} variables, body ${captured.bodyClasses.join(' ')}`);
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

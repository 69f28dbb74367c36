// The side panel as VS Code shows it, in plain Chromium: the BUILT dist/webview (main.js, panel.css, codicons) in
// the real markup from src/extension/panel/panel-view.ts, a stubbed acquireVsCodeApi, and one theme's --vscode-*
// variables, body classes and default stylesheet as captured from code-server (test/webview/themes, see
// capture-themes.mjs). Used by the webview tests; no VS Code involved, so widths can be set exactly.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ensureChromium, repoRoot } from '../vscode/harness/code-server.mjs';

const webviewDir = path.join(repoRoot, 'dist', 'webview');
const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html' };
export const THEME_FILES = ['dark-modern', 'light-modern', 'high-contrast'];

export function loadTheme(name) {
  return JSON.parse(readFileSync(path.join(repoRoot, 'test', 'webview', 'themes', `${name}.json`), 'utf8'));
}

/** The panel's HTML exactly as PanelView builds it, with the webview URIs pointing at this server. */
function panelHtml(origin, nonce) {
  const src = readFileSync(path.join(repoRoot, 'src', 'extension', 'panel', 'panel-view.ts'), 'utf8');
  const m = /return `(<!DOCTYPE html>[\s\S]*?<\/html>)`;/.exec(src);
  if (!m) throw new Error('cannot find the panel markup in src/extension/panel/panel-view.ts');
  const csp = ["default-src 'none'", `style-src ${origin}`, `font-src ${origin}`, `img-src ${origin}`, `script-src 'nonce-${nonce}'`].join('; ');
  const html = m[1]
    .replace(/\$\{csp\}/g, csp)
    .replace(/\$\{nonce\}/g, nonce)
    .replace(/\$\{uri\('([^']+)'\)\}/g, (_, f) => `${origin}/${f}`);
  if (html.includes('${')) throw new Error(`unknown placeholder in the panel markup: ${/\$\{[^}]*\}/.exec(html)[0]}`);
  // VS Code puts its default styles first in <head>; the sidebar's colour shows through the transparent webview.
  return html.replace('<head>', `<head>\n<link rel="stylesheet" href="${origin}/__vscode-defaults.css">\n<link rel="stylesheet" href="${origin}/__sidebar.css">`);
}

/** Serves the panel; `open(width, theme)` → a page with the panel ready (panel/ready posted). */
export async function startPanelServer() {
  if (!existsSync(path.join(webviewDir, 'main.js'))) throw new Error('dist/webview/main.js is missing: run `node esbuild.mjs` first');
  const nonce = randomBytes(16).toString('base64');
  let defaults = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const origin = `http://127.0.0.1:${server.address().port}`;
    if (url.pathname === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(panelHtml(origin, nonce));
    if (url.pathname === '/favicon.ico') return res.writeHead(204).end();
    if (url.pathname === '/__vscode-defaults.css') return res.writeHead(200, { 'content-type': 'text/css' }).end(defaults);
    if (url.pathname === '/__sidebar.css') return res.writeHead(200, { 'content-type': 'text/css' }).end('html { background: var(--vscode-sideBar-background); }');
    const file = path.join(webviewDir, path.basename(url.pathname));
    if (!existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: ensureChromium(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    /** A fresh page at `width`×`height` CSS px in `themeName` (one of THEME_FILES). */
    async open({ width, height = 700, themeName = 'dark-modern' }) {
      const theme = loadTheme(themeName);
      defaults = theme.defaultStyles;
      const page = await browser.newPage({ viewport: { width, height } });
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.addInitScript((t) => {
        window.__posted = [];
        window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => {} });
        // What VS Code's webview host does on load and on every theme change (CSSOM, so the CSP allows it).
        document.addEventListener('DOMContentLoaded', () => {
          for (const [k, v] of Object.entries(t.variables)) document.documentElement.style.setProperty(k, v);
          document.body.classList.add(...t.bodyClasses);
          for (const [k, v] of Object.entries(t.bodyData)) if (k.startsWith('vscode')) document.body.dataset[k] = v;
        });
      }, theme);
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => window.__posted.some((m) => m.type === 'panel/ready'));
      if (errors.length) throw new Error(`webview errors: ${errors.join('; ')}`);
      return { page, errors, theme };
    },
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/** Posts host messages into the page, `perFrame` per animation frame (as a stream arrives), then lets layout settle. */
export function post(page, messages, perFrame = 1) {
  return page.evaluate(async ([ms, n]) => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    for (let i = 0; i < ms.length; i++) {
      window.postMessage(ms[i], '*');
      if ((i + 1) % n === 0) await frame();
    }
    await frame();
    await frame();
  }, [messages, perFrame]);
}

/** What the panel posted to the host so far. */
export function posted(page) {
  return page.evaluate(() => window.__posted);
}

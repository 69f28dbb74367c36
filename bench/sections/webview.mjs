// Figure 1c (reported, no target): the side panel's own cost per streamed token in headless Chromium. The real
// dist/webview/main.js runs in the panel's real markup (taken from src/extension/panel/panel-view.ts) with a stubbed
// acquireVsCodeApi; a real R1 trace is posted as panel/chunk messages, one per animation frame (a fast model: every
// frame renders one token). Cost = main-thread task time (CDP Performance.getMetrics) ÷ tokens, against a baseline
// page that only appends each chunk's text to a <div>.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ensureChromium } from '../../test/vscode/harness/run-suite.mjs';
import { log, repoRoot } from '../lib/util.mjs';

const webviewDir = path.join(repoRoot, 'dist', 'webview');
const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html' };

/** The panel's HTML exactly as PanelView builds it, with the webview URIs pointing at this server. */
function panelHtml(origin, nonce) {
  const src = readFileSync(path.join(repoRoot, 'src', 'extension', 'panel', 'panel-view.ts'), 'utf8');
  const m = /return `(<!DOCTYPE html>[\s\S]*?<\/html>)`;/.exec(src);
  if (!m) throw new Error('webview bench: cannot find the panel markup in src/extension/panel/panel-view.ts');
  const csp = ["default-src 'none'", `style-src ${origin}`, `font-src ${origin}`, `img-src ${origin}`, `script-src 'nonce-${nonce}'`].join('; ');
  const html = m[1]
    .replace(/\$\{csp\}/g, csp)
    .replace(/\$\{nonce\}/g, nonce)
    .replace(/\$\{uri\('([^']+)'\)\}/g, (_, f) => `${origin}/${f}`);
  if (html.includes('${')) throw new Error(`webview bench: unknown placeholder in the panel markup: ${/\$\{[^}]*\}/.exec(html)[0]}`);
  return html;
}

function baselineHtml(origin, nonce) {
  return `<!DOCTYPE html><html><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${origin}; font-src ${origin}; script-src 'nonce-${nonce}'">
<link rel="stylesheet" href="${origin}/codicon.css"><link rel="stylesheet" href="${origin}/panel.css"></head>
<body><main class="turns"><div id="out" class="answer" style="white-space: pre-wrap"></div></main>
<script nonce="${nonce}">
const out = document.getElementById('out');
addEventListener('message', (e) => { if (e.data.type === 'panel/chunk') out.append(document.createTextNode(e.data.text)); });
</script></body></html>`;
}

/** A real R1 reply (reasoning + markdown answer with code) cut into word-sized tokens. */
function traceTokens() {
  const corpus = [process.env.PONDER_CORPUS, path.resolve(repoRoot, '../shared/corpus'), '/work/shared/corpus']
    .map((d) => d && path.join(d, 'r1_traces.jsonl')).find((f) => f && existsSync(f));
  let reasoning = 'Let me think about this step by step. '.repeat(60);
  let answer = `Here is the fix:\n\n\`\`\`ts\n${'export function add(a: number, b: number): number {\n  return a + b;\n}\n'.repeat(20)}\`\`\`\n\nThat is all.`;
  let source = 'synthetic';
  if (corpus) {
    const traces = readFileSync(corpus, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const best = traces.filter((t) => t.reasoning && t.answer?.includes('```')).sort((a, b) => b.answer.length + b.reasoning.length - a.answer.length - a.reasoning.length)[0];
    if (best) ({ reasoning, answer, id: source } = best);
  }
  const cut = (s) => s.match(/\s*\S+|\s+/g) ?? [];
  return { source, reasoning: cut(reasoning), answer: cut(answer) };
}

async function withServer(fn) {
  const nonce = randomBytes(16).toString('base64');
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const origin = `http://127.0.0.1:${server.address().port}`;
    if (url.pathname === '/' || url.pathname === '/baseline') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(url.pathname === '/' ? panelHtml(origin, nonce) : baselineHtml(origin, nonce));
    }
    const file = path.join(webviewDir, path.basename(url.pathname));
    if (!existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await fn(`http://127.0.0.1:${server.address().port}`);
  } finally {
    server.close();
  }
}

/** Posts `messages` one per animation frame from inside the page. */
function stream(page, messages) {
  return page.evaluate(async (ms) => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    for (const m of ms) {
      window.postMessage(m, '*');
      await frame();
    }
    await frame();
    await frame();
  }, messages);
}

async function taskMs(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (n) => (metrics.find((x) => x.name === n)?.value ?? 0) * 1000;
  return { task: get('TaskDuration'), script: get('ScriptDuration'), layout: get('LayoutDuration'), style: get('RecalcStyleDuration') };
}

const diff = (a, b) => Object.fromEntries(Object.keys(a).map((k) => [k, b[k] - a[k]]));

async function measure(browser, url, tokens, { panel }) {
  const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const posted = [];
  await page.exposeFunction('__benchPosted', (m) => posted.push(m));
  await page.addInitScript(() => {
    // The webview API VS Code injects; main.js calls it once.
    window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__benchPosted(m), getState: () => undefined, setState: () => {} });
  });
  await page.goto(url);
  if (panel) {
    const t0 = Date.now();
    while (!posted.some((m) => m.type === 'panel/ready')) {
      if (Date.now() - t0 > 10_000) throw new Error(`webview never posted panel/ready (errors: ${errors.join('; ') || 'none'})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const turnId = 'bench-turn';
  await stream(page, [
    { type: 'panel/state', turns: [], status: 'Bench model · ready', busy: false, reasoningDisplay: 'collapseWhenDone', chips: [] },
    { type: 'panel/turnStarted', turnId, prompt: 'Explain this function and fix its bug.' },
  ]);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const chunk = (kind) => (text) => ({ type: 'panel/chunk', turnId, kind, text });
  const m0 = await taskMs(cdp);
  await stream(page, tokens.reasoning.map(chunk('reasoning')));
  const m1 = await taskMs(cdp);
  await stream(page, tokens.answer.map(chunk('answer')));
  const m2 = await taskMs(cdp);
  await stream(page, [{ type: 'panel/turnEnded', turnId, outcome: { stopReason: 'done', thoughtCutShort: false } }]);
  const m3 = await taskMs(cdp);
  const rendered = await page.evaluate(() => document.body.innerText.length);
  await page.close();
  if (errors.length) throw new Error(`webview errors: ${errors.join('; ')}`);
  const per = (d, n) => Object.fromEntries(Object.entries(d).map(([k, v]) => [k, v / n]));
  return {
    reasoning: per(diff(m0, m1), tokens.reasoning.length),
    answer: per(diff(m1, m2), tokens.answer.length),
    all: per(diff(m0, m2), tokens.reasoning.length + tokens.answer.length),
    endMs: diff(m2, m3).task,
    renderedChars: rendered,
  };
}

export async function webviewBench({ reps, maxTokens }) {
  const { chromium } = await import('playwright-core');
  const tokens = traceTokens();
  if (maxTokens) {
    const keep = maxTokens / (tokens.reasoning.length + tokens.answer.length);
    if (keep < 1) {
      tokens.reasoning = tokens.reasoning.slice(0, Math.ceil(tokens.reasoning.length * keep));
      tokens.answer = tokens.answer.slice(0, Math.ceil(tokens.answer.length * keep));
    }
  }
  log(`webview: ${tokens.reasoning.length} reasoning + ${tokens.answer.length} answer tokens (${tokens.source}), ${reps} run(s) each…`);
  const browser = await chromium.launch({
    executablePath: ensureChromium(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    return await withServer(async (origin) => {
      const runs = { panel: [], baseline: [] };
      for (let i = 0; i < reps; i++) {
        runs.panel.push(await measure(browser, `${origin}/`, tokens, { panel: true }));
        runs.baseline.push(await measure(browser, `${origin}/baseline`, tokens, { panel: false }));
      }
      return { tokens: { reasoning: tokens.reasoning.length, answer: tokens.answer.length, source: tokens.source }, runs };
    });
  } finally {
    await browser.close();
  }
}

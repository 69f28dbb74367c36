// Figure 8: the repository map (@workspace) on a large real codebase available offline: source files from the
// project's own node_modules, copied into a scratch workspace (so one file can be edited). Measured through the
// product's own MapClient and dist/repomap-worker.js: cold build (new thread, no cache), warm build (new thread,
// the disk cache of the cold one: what the next VS Code session does), one-file update, the longest stall of this
// (host) thread's event loop during the build, memory, and the rendered map against its budget. The baseline for
// the stall is what parsing in the host thread would cost: the slowest single file, tagged in this thread.
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance as perf } from 'node:perf_hooks';
import { benchOut, log, median, repoRoot, round } from '../lib/util.mjs';

const require = createRequire(import.meta.url);
const EXT = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx|py|go|java|rs)$/;
const MAX_BYTES = 256 * 1024;
/** Packages with plenty of hand-written source (TypeScript's own lib is mostly a few huge files, skipped by size). */
const PACKAGES = ['typescript', 'playwright-core', 'node-llama-cpp', 'jsdom', '@vscode/vsce', 'mocha', 'markdown-it', 'highlight.js', 'esbuild', 'undici', 'tar', 'semver', 'yargs', 'diff', 'dompurify', 'ignore', 'minimatch', 'glob', 'ws', 'cheerio', 'parse5', 'zod'];

function walk(dir, out, limit) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return;
  }
  for (const e of entries) {
    if (out.length >= limit) return;
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    if (e.isDirectory()) walk(p, out, limit);
    else if (EXT.test(e.name) && statSync(p).size <= MAX_BYTES) out.push(p);
  }
}

/** ~`count` source files from node_modules, copied into a scratch folder (relative paths kept). */
function corpus(count) {
  const nm = path.join(repoRoot, 'node_modules');
  const files = [];
  for (const pkg of PACKAGES) walk(path.join(nm, pkg), files, count);
  if (files.length < count) walk(nm, files, count); // top up from the rest, deterministic order
  const root = mkdtempSync(path.join(os.tmpdir(), 'ponder-bench-map-'));
  const rel = [...new Set(files)].slice(0, count).map((f) => path.relative(nm, f).split(path.sep).join('/'));
  for (const r of rel) {
    mkdirSync(path.join(root, path.dirname(r)), { recursive: true });
    cpSync(path.join(nm, r), path.join(root, r));
  }
  const bytes = rel.reduce((n, r) => n + statSync(path.join(root, r)).size, 0);
  return { root, rel, bytes };
}

/** Runs `fn` while watching this thread's event loop (max delay) and the process RSS (the worker thread counts). */
async function watched(fn) {
  const h = monitorEventLoopDelay({ resolution: 5 });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  h.enable();
  const elu0 = perf.eventLoopUtilization();
  const t0 = performance.now();
  try {
    const value = await fn();
    // Event-loop utilisation: how long this (host) thread was actually busy, whatever else the machine was doing.
    const elu = perf.eventLoopUtilization(elu0);
    return { value, ms: performance.now() - t0, maxStallMs: h.max / 1e6, p99StallMs: h.percentile(99) / 1e6, peakRss, busyMs: elu.active, utilization: elu.utilization };
  } finally {
    h.disable();
    clearInterval(sampler);
  }
}

export async function repomapBench({ files: wanted = 2400, updates = 7 }) {
  const { MapClient, Tagger, grammarFor, estimateTokens } = require(path.join(benchOut, 'repomap.cjs'));
  const script = path.join(repoRoot, 'dist', 'repomap-worker.js');
  const { root, rel, bytes } = corpus(wanted);
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'ponder-bench-map-cache-'));
  const request = { root, files: rel, gitignores: [], cacheFile: path.join(cacheDir, 'cache-v1.json'), maxFiles: 5000 };
  log(`repomap: ${rel.length} files (${(bytes / 1e6).toFixed(1)} MB) copied to ${root}`);
  try {
    // The machine is shared: how much this thread's event loop stalls with nothing to do, for comparison.
    const idle = await watched(() => new Promise((r) => setTimeout(r, 3000)));
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const cold = new MapClient(script);
    const c = await watched(() => cold.build(request));
    const rssAfterCold = process.memoryUsage().rss;
    const inMemory = await watched(() => cold.build(request)); // same thread: entries in memory, files re-stat'ed
    // Render for the 1.5B model's default context (8192 → 1024-token budget), personalised to one file.
    const focusFile = rel.find((r) => r.startsWith('typescript/')) ?? rel[0];
    const r0 = performance.now();
    const map = await cold.render({ files: [focusFile], identifiers: ['createProgram', 'parse'] }, 1024);
    const renderMs = performance.now() - r0;
    // One-file updates: append a function to a mid-sized file, then ask the thread to re-read it.
    const targets = rel.filter((r) => grammarFor(r) === 'typescript' || grammarFor(r) === 'javascript').filter((r) => {
      const s = statSync(path.join(root, r)).size;
      return s > 2000 && s < 40_000;
    }).slice(0, updates);
    const updateMs = [];
    for (const [i, t] of targets.entries()) {
      appendFileSync(path.join(root, t), `\nfunction benchAddedFunction${i}(a, b) {\n  return a + b;\n}\n`);
      const u0 = performance.now();
      await cold.update([t], [], []);
      updateMs.push(performance.now() - u0);
    }
    const after = await cold.render({ files: [], identifiers: [`benchAddedFunction${targets.length - 1}`] }, 1024);
    const updateSeen = after.text.includes(`benchAddedFunction${targets.length - 1}`);
    cold.dispose();
    await new Promise((r) => setTimeout(r, 200));
    // Warm: a new thread (as in a new VS Code session), the cold build's disk cache; the updated files re-parse.
    const warmClient = new MapClient(script);
    const w = await watched(() => warmClient.build(request));
    warmClient.dispose();
    const w2Client = new MapClient(script);
    const w2 = await watched(() => w2Client.build(request)); // nothing changed since: all from cache
    w2Client.dispose();

    // Baseline for the stall: parse + tag in THIS thread (what the host would do without the worker thread).
    const tagger = new Tagger({ load: async (n) => readFileSync(path.join(repoRoot, 'dist', 'tree-sitter', n)) });
    const biggest = [...rel].sort((a, b) => statSync(path.join(root, b)).size - statSync(path.join(root, a)).size).slice(0, 8);
    const inThread = [];
    for (const f of biggest) {
      const text = readFileSync(path.join(root, f), 'utf8');
      await tagger.tag(grammarFor(f), text); // warm the grammar
      const t0 = performance.now();
      await tagger.tag(grammarFor(f), text);
      inThread.push({ file: f, bytes: Buffer.byteLength(text), ms: round(performance.now() - t0, 1) });
    }
    const worstInThread = inThread.reduce((m, x) => (x.ms > m.ms ? x : m), inThread[0]);
    return {
      files: rel.length,
      bytes,
      idleStall: { maxStallMs: round(idle.maxStallMs, 1), p99StallMs: round(idle.p99StallMs, 1), busyMs: round(idle.busyMs, 1) },
      cold: { ms: round(c.ms, 0), hostBusyMs: round(c.busyMs, 1), hostUtilization: round(c.utilization, 4), maxStallMs: round(c.maxStallMs, 1), p99StallMs: round(c.p99StallMs, 1), stats: c.value, rssAddedMB: round((rssAfterCold - rssBefore) / 1e6, 1), peakRssAddedMB: round((c.peakRss - rssBefore) / 1e6, 1) },
      inMemoryRebuild: { ms: round(inMemory.ms, 0), maxStallMs: round(inMemory.maxStallMs, 1) },
      warm: { ms: round(w.ms, 0), maxStallMs: round(w.maxStallMs, 1), parsed: w.value.parsed, fromCache: w.value.fromCache },
      warmUnchanged: { ms: round(w2.ms, 0), cpuMs: w2.value.cpuMs, maxStallMs: round(w2.maxStallMs, 1), parsed: w2.value.parsed, fromCache: w2.value.fromCache },
      update: { ms: round(median(updateMs), 1), maxMs: round(Math.max(...updateMs), 1), perRep: updateMs.map((x) => round(x, 1)), seenInNextMap: updateSeen },
      render: { ms: round(renderMs, 0), tokens: map.tokens, estimateCheck: estimateTokens(map.text), budget: 1024, contextSize: 8192, shownDefinitions: map.shownDefinitions, totalDefinitions: map.totalDefinitions, files: map.files.length },
      inThreadBaseline: { worst: worstInThread, perFile: inThread },
      cacheBytes: statSync(request.cacheFile).size,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

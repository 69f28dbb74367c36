/**
 * Benchmark probe for the real extension host (bench/sections/ext-host.mjs loads it as `extensionTestsPath`). Not a
 * test: it measures and writes JSON to $PONDER_BENCH_OUT.
 * - figure 4: activate() time of Ponder vs an empty extension, host memory added, node-llama-cpp not in the host;
 * - figure 6b: context gathering (the product's gatherEditorContext, warm language providers) + packing
 *   (buildTaskPrompt) on a 10,000-line file, vs one warm document-symbol request.
 */
import { copyFileSync, appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildTaskPrompt, estimateTokens, identifiersIn, promptBudget } from '../../../src/core/context';
import type { PonderApi } from '../../../src/extension/context';
import { gatherEditorContext } from '../../../src/extension/edits/editor-context';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MB = 1024 * 1024;

function memory() {
  const m = process.memoryUsage();
  return { rss: m.rss / MB, heapUsed: m.heapUsed / MB, external: m.external / MB };
}

/** The native addon would be mapped into this process if node-llama-cpp were loaded (Linux). */
function llamaMapped(): boolean {
  try {
    return /node-llama-cpp|llama-addon|libllama/.test(readFileSync('/proc/self/maps', 'utf8'));
  } catch {
    return Object.keys(require.cache).some((k) => k.includes('node-llama-cpp'));
  }
}

/** Waits until this host's event loop has been idle for a while (start-up work of other extensions done). */
async function settle(minMs: number, maxMs = 20_000): Promise<number> {
  const t0 = performance.now();
  await sleep(minMs);
  for (let idle = 0; idle < 5 && performance.now() - t0 < maxMs;) {
    const s = performance.now();
    await sleep(100);
    idle = performance.now() - s < 106 ? idle + 1 : 0;
  }
  return performance.now() - t0;
}

/**
 * What loading Ponder's bundle costs by itself (compile + evaluate, no activate()): a uniquely commented copy inside
 * the extension's folder (so `require('vscode')` resolves to its API), required once after activation.
 */
function moduleLoadMs(extensionPath: string): number {
  const dir = path.join(extensionPath, 'bench-copy');
  mkdirSync(dir, { recursive: true });
  const copy = path.join(dir, 'extension.js');
  copyFileSync(path.join(extensionPath, 'dist', 'extension.js'), copy);
  appendFileSync(copy, `\n// ${Date.now()} ${Math.random()}\n`); // a new source: no compilation cache hit
  const t0 = performance.now();
  require(copy);
  return performance.now() - t0;
}

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** CPU profile of `f` (diagnostic runs only: the profiler itself costs time), summarised by where the time went. */
async function profiled<T>(f: () => Thenable<T>): Promise<[T, Record<string, unknown>]> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  const value = await f();
  const { profile } = (await post('Profiler.stop')) as { profile: Profile };
  session.disconnect();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const where = (n: ProfileNode) => {
    const u = n.callFrame.url;
    if (u.includes('/dist/extension.js')) return 'ponder bundle';
    if (u.includes('/vs/') || u.includes('vscode')) return 'VS Code extension host';
    if (u.startsWith('node:') || u === '') return n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : 'node (module loading, compile)';
    return 'other';
  };
  const byArea: Record<string, number> = {};
  const byFunction = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    if (!n) return;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    if (n.callFrame.functionName === 'dispatch' && n.callFrame.url === '') return; // the profiler's own start-up
    byArea[where(n)] = (byArea[where(n)] ?? 0) + ms;
    const k = `${where(n)}: ${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
    byFunction.set(k, (byFunction.get(k) ?? 0) + ms);
  });
  const top = [...byFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `${k} ${v.toFixed(1)} ms`);
  return [value, { msByArea: Object.fromEntries(Object.entries(byArea).map(([k, v]) => [k, Math.round(v * 10) / 10])), topFunctions: top }];
}

async function timed<T>(f: () => Thenable<T> | Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await f();
  return [v, performance.now() - t0];
}

async function activation() {
  const ponder = vscode.extensions.getExtension<PonderApi>(process.env.PONDER_BENCH_PONDER_ID ?? 'ponder-dev.ponder');
  const empty = vscode.extensions.getExtension(process.env.PONDER_BENCH_EMPTY_ID ?? 'ponder-bench.empty');
  if (!ponder || !empty) {
    const dev = vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id);
    throw new Error(`extensions not found (ponder: ${!!ponder}, empty: ${!!empty}; non-builtin: ${dev.join(', ')})`);
  }
  const activeBefore = ponder.isActive;
  const settledMs = await settle(Number(process.env.PONDER_BENCH_SETTLE_MS ?? 2000)); // let start-up work in this host finish
  const m0 = memory();
  const [, emptyMs] = await timed(() => empty.activate());
  const m1 = memory();
  let profile: Record<string, unknown> | undefined;
  const [api, ponderMs] = await timed(async () => {
    if (!process.env.PONDER_BENCH_PROFILE) return ponder.activate();
    const [v, p] = await profiled(() => ponder.activate());
    profile = p;
    return v;
  });
  const m2 = memory();
  await sleep(1000);
  const m3 = memory();
  return {
    activeBefore,
    settledMs,
    profiled: !!profile,
    profile,
    moduleLoadMs: moduleLoadMs(ponder.extensionPath),
    emptyMs,
    ponderMs,
    memory: { beforeEmpty: m0, before: m1, after: m2, settled: m3 },
    rssAddedMB: m2.rss - m1.rss,
    rssAddedSettledMB: m3.rss - m1.rss,
    heapAddedMB: m2.heapUsed - m1.heapUsed,
    engineStarted: api?.engineStarted() ?? null,
    nodeLlamaCppInHost: api?.nodeLlamaCppInHost() ?? null,
    llamaMapped: llamaMapped(),
    api,
  };
}

async function gathering() {
  const file = process.env.PONDER_BENCH_BIG;
  const line = Number(process.env.PONDER_BENCH_LINE);
  const reps = Number(process.env.PONDER_BENCH_REPS ?? 10);
  if (!file || !Number.isFinite(line)) throw new Error('PONDER_BENCH_BIG / PONDER_BENCH_LINE not set');
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(doc);
  const position = new vscode.Position(line, 4);
  const relPath = vscode.workspace.asRelativePath(doc.uri, false);
  const symbols = () => vscode.commands.executeCommand<unknown[] | undefined>('vscode.executeDocumentSymbolProvider', doc.uri);
  // Warm the providers: the TypeScript server starts on first use and reads the file.
  const warmStart = performance.now();
  for (let i = 0; i < 120 && !(await symbols())?.length; i++) await sleep(500);
  for (let i = 0; i < 3; i++) await gatherEditorContext({ doc, position, relPath });
  const warmMs = performance.now() - warmStart;
  // The provider requests the gatherer cannot avoid: the document's symbols, then a definition per identifier (in parallel).
  const target = (await gatherEditorContext({ doc, position, relPath })).context.target;
  const base = doc.offsetAt(new vscode.Position(target.startLine, 0));
  const ids = identifiersIn(target.text);
  const providers = async () => {
    await symbols();
    await Promise.all(ids.map((id) => vscode.commands.executeCommand('vscode.executeDefinitionProvider', doc.uri, doc.positionAt(base + id.offset))));
  };
  const runs: { gatherMs: number; packMs: number; totalMs: number; symbolsMs: number; providersMs: number }[] = [];
  let summary: Record<string, unknown> = {};
  for (let i = 0; i < reps; i++) {
    const [, symbolsMs] = await timed(symbols);
    const [, providersMs] = await timed(providers);
    const t0 = performance.now();
    const g = await gatherEditorContext({ doc, position, relPath });
    const t1 = performance.now();
    const c = g.context;
    const budget = promptBudget({ contextSize: 4096, targetTokens: estimateTokens(c.target.text), task: 'fix' });
    const built = buildTaskPrompt({ task: 'fix', context: c }, budget, estimateTokens);
    const t2 = performance.now();
    runs.push({ gatherMs: t1 - t0, packMs: t2 - t1, totalMs: t2 - t0, symbolsMs, providersMs });
    summary = {
      lines: doc.lineCount,
      identifiers: ids.length,
      target: `${c.target.kind} ${c.target.symbolName ?? ''} lines ${c.target.startLine + 1}-${c.target.endLine + 1}`,
      definitions: c.definitions.map((d) => `${d.name} (${d.path}:${d.line + 1})`),
      diagnostics: c.diagnostics.length,
      header: !!c.header,
      promptOk: built.ok,
      promptTokens: built.ok ? built.tokens : undefined,
      budget,
    };
  }
  return { warmMs, runs, summary };
}

/** One chat with the generated tiny model through the real command: the worker starts, the host must stay free of it; what it adds to the host's memory. */
async function firstChat(api: PonderApi | undefined) {
  const before = memory();
  const [outcome, ms] = await timed(() => vscode.commands.executeCommand<{ stopReason?: string } | undefined>('ponder.ask', 'Hello from the benchmark'));
  await sleep(500);
  const m = memory();
  return {
    ms,
    stopReason: outcome?.stopReason,
    rssAddedMB: m.rss - before.rss,
    heapAddedMB: m.heapUsed - before.heapUsed,
    engineStarted: api?.engineStarted() ?? null,
    nodeLlamaCppInHost: api?.nodeLlamaCppInHost() ?? null,
    llamaMapped: llamaMapped(),
  };
}

export async function run(): Promise<void> {
  const out = process.env.PONDER_BENCH_OUT;
  if (!out) throw new Error('PONDER_BENCH_OUT not set');
  const result: Record<string, unknown> = { node: process.version, vscode: vscode.version };
  try {
    const a = await activation();
    const { api, ...rest } = a;
    result.activation = rest;
    result.gathering = await gathering();
    result.chat = await firstChat(api);
  } catch (e) {
    result.error = e instanceof Error ? e.stack ?? e.message : String(e);
  }
  writeFileSync(out, JSON.stringify(result, null, 2));
  if (result.error) throw new Error(String(result.error));
}

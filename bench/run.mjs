#!/usr/bin/env node
// `npm run bench`: Ponder's performance figures (issue 8), each against a baseline measured in the same run.
//   npm run bench                 all figures; the 1.5B-shaped Q4_K_M model is generated on first use (~5 min)
//   npm run bench -- --quick      tiny model only (about a minute)
//   npm run bench -- --only=engine,edits   some sections: engine (with llama-bench), load, runtime, edits, webview,
//                                          ext-host, lost-window, repomap, verify, spec (= spec-batch, spec-lookup,
//                                          spec-draft, spec-worker, spec-llama: speculative decoding on big scripted
//                                          models, issue 13)
// A full run writes bench/out/results.json and bench/RESULTS.md; --quick/--only write results-partial.json and
// RESULTS-partial.md in bench/out/. Both print the table.
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildAll } from './lib/build.mjs';
import { measuredEnv } from './lib/host-pipeline.mjs';
import { editFigures, engineFigures, extHostFigures, loadFigure, lostWindowFigure, repomapFigures, webviewFigure } from './lib/figures.mjs';
import { busiest, describeMachine } from './lib/machine.mjs';
import { verifyFigures } from './lib/verify-figures.mjs';
import { r15bModel, tinyModels } from './lib/models.mjs';
import { writeReport } from './lib/report.mjs';
import { benchOut, loadAvg, log, repoRoot } from './lib/util.mjs';
import { editsBench } from './sections/edits.mjs';
import { engineBench } from './sections/engine.mjs';
import { extHostBench } from './sections/ext-host.mjs';
import { llamaBenchAvailable, llamaBenchTg } from './sections/llama-bench.mjs';
import { loadBench } from './sections/load.mjs';
import { runtimeGapBench } from './sections/runtime.mjs';
import { deliveredFigure, runtimeFigures } from './lib/runtime-figures.mjs';
import { lostWindowBench } from './sections/lost-window.mjs';
import { repomapBench } from './sections/repomap.mjs';
import { webviewBench } from './sections/webview.mjs';
import { applyToLineBench, repairKvBench } from './sections/verify.mjs';
import { specBatchBench, specDraftBench, specLookupBench } from './sections/speculative.mjs';
import { specLlamaBench } from './sections/spec-llama.mjs';
import { specWorkerBench } from './sections/spec-worker.mjs';
import { specBatchFigures, specDraftFigures, specLookupFigures, specLlamaFigures, specWorkerFigures } from './lib/spec-figures.mjs';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const wanted = (s) => !only || only.includes(s) || (s.startsWith('spec-') && only.includes('spec'));

const started = Date.now();
mkdirSync(benchOut, { recursive: true });
const results = { startedAt: new Date().toISOString(), quick, only, machine: describeMachine(), models: {}, sections: {}, figures: [], errors: [] };

/** Runs one section, recording its duration, the load average around it, and any failure (the others still run). */
async function section(name, fn) {
  const others = busiest();
  const t0 = Date.now();
  const before = loadAvg();
  try {
    const value = await fn();
    results.sections[name] = { seconds: (Date.now() - t0) / 1000, loadAverage: [before[0], loadAvg()[0]], othersAtStart: others, value };
    return value;
  } catch (e) {
    const message = e instanceof Error ? e.stack ?? e.message : String(e);
    log(`✖ ${name} failed: ${message}`);
    results.errors.push({ section: name, message });
    results.sections[name] = { seconds: (Date.now() - t0) / 1000, error: message };
    return undefined;
  }
}

// Ponder's engine worker runs in its own environment (src/core/runtime/worker-env.ts: one libuv pool thread, huge
// pages). node-llama-cpp run in this process (the engine section's baseline) gets the same, so that comparison stays
// like for like; both are read at process start, hence the re-run once the bundles are built. Sections that compare
// environments set their children's.
if (!process.env.PONDER_BENCH_REEXEC) {
  log(`building (esbuild.mjs + bench bundles)…`);
  await buildAll();
  const env = { ...measuredEnv(true), PONDER_BENCH_REEXEC: '1' };
  process.exit(spawnSync(process.execPath, process.argv.slice(1), { stdio: 'inherit', env }).status ?? 1);
}
const tiny = await tinyModels();
results.models.tiny = tiny.stream;

/** Engine configurations: the 1.5B shape carries the targets; the tiny model shows the per-token overhead magnified. */
const configs = [];
if (!quick && (wanted('engine') || wanted('load') || wanted('runtime'))) { // only these sections use it (generating it takes minutes)
  const big = await r15bModel();
  results.models.r15b = big;
  configs.push({ key: 'r1-1.5b', label: 'R1-1.5B-shape Q4_K_M', modelPath: big, threads: 2, contextSize: 4096, reps: 9, streamTokens: 48, ttftReps: 11, stopReps: 9, loadReps: 5, primary: true });
}
configs.push({ key: 'tiny', label: 'tiny', modelPath: tiny.stream, threads: 1, contextSize: 2048, reps: 5, streamTokens: 400, ttftReps: 11, stopReps: 9, loadReps: 3, primary: quick });

const tgAvailable = llamaBenchAvailable();
for (const c of configs) {
  // llama-bench runs inside the streaming section, after each host/in-process pair.
  const tg = tgAvailable ? ({ n, depth }) => llamaBenchTg({ modelPath: c.modelPath, threads: c.threads, n, depth }) : undefined;
  const e = wanted('engine') ? await section(`engine:${c.key}`, () => engineBench({ ...c, tg })) : undefined;
  if (e) results.figures.push(...engineFigures(c.label, e, c), ...deliveredFigure(c.label, e, c));
  if (e) results.machine.nodeLlamaCppBackend = e.systemInfo;
  const l = wanted('load') ? await section(`load:${c.key}`, () => loadBench(c, { reps: c.loadReps })) : undefined;
  if (l) results.figures.push(...loadFigure(c.label, l, c));
  // Start-up with a draft model too (issue 13): the 1.5B-shaped file again, hard-linked under another name, stands in
  // for the draft — same vocabulary, so the worker pairs them; only start-up is measured here, not drafting.
  if (l && c.key === 'r1-1.5b') {
    const draftModelPath = path.join(benchOut, 'load-draft-stand-in.gguf');
    if (!existsSync(draftModelPath)) linkSync(c.modelPath, draftModelPath);
    const ld = await section(`load:${c.key}+draft`, () => loadBench({ ...c, draftModelPath }, { reps: c.loadReps }));
    if (ld) results.figures.push(...loadFigure(`${c.label} + a 1.5B-shaped draft`, ld, { primary: false }));
  }
  // The runtime gap's candidate causes, one controlled pair each (1.5B shape only: the tiny model is overhead-bound).
  const rounds = Number(process.env.PONDER_BENCH_RUNTIME_ROUNDS) || 3;
  const g = wanted('runtime') && c.key === 'r1-1.5b' && tgAvailable ? await section(`runtime:${c.key}`, () => runtimeGapBench({ modelPath: c.modelPath, threads: c.threads, n: 32, depth: 185, rounds, reps: 2 })) : undefined;
  if (g) results.figures.push(...runtimeFigures(c.label, g, c));
}
if (!tgAvailable) log('llama-bench not built (node scripts/llama-cpp/build.mjs): figure 1 has no llama.cpp ceiling this run');

if (wanted('edits')) {
  const ed = await section('edits', () => editsBench({ reps: quick ? 10 : 25 }));
  if (ed) results.figures.push(...editFigures(ed));
}
if (wanted('repomap')) {
  const m = await section('repomap', () => repomapBench({ files: 2400, updates: quick ? 3 : 7 }));
  if (m) results.figures.push(...repomapFigures(m));
}
if (wanted('webview')) {
  const w = await section('webview', () => webviewBench({ reps: 1, maxTokens: quick ? 300 : undefined }));
  if (w) results.figures.push(...webviewFigure(w));
}
if (wanted('ext-host')) {
  const host = await section('ext-host', () => extHostBench({ reps: quick ? 1 : 5, gatherReps: 10, chatModel: tiny.short, profile: !quick }));
  if (host) results.figures.push(...extHostFigures(host.runs));
}

if (wanted('verify')) {
  const a = await section('verify:apply', () => applyToLineBench({ reps: quick ? 3 : 7, quietMs: 1000 }));
  // The repair turn on the 1.5B shape (cached after its first generation); --quick uses the tiny model.
  const model = quick ? { modelPath: tiny.stream, label: 'tiny', threads: 1, contextSize: 2048 } : { modelPath: await r15bModel(), label: 'R1-1.5B-shape Q4_K_M', threads: 2, contextSize: 4096 };
  const k = await section('verify:repair-kv', () => repairKvBench({ ...model, reps: 3 }));
  results.figures.push(...verifyFigures(a, k));
}
if (wanted('lost-window')) {
  const lw = await section('lost-window', () => lostWindowBench({ reps: quick ? 1 : 3, model: tiny.stream }));
  if (lw) results.figures.push(...lostWindowFigure(lw));
}

// Speculative decoding (issue 13): big scripted models only (generated once into the model cache; ~30 min the first time).
if (!quick) {
  const batch = wanted('spec-batch') ? await section('spec-batch', () => specBatchBench({ reps: 3 })) : undefined;
  if (batch) results.figures.push(...specBatchFigures(batch));
  const l = wanted('spec-lookup') ? await section('spec-lookup', () => specLookupBench({ reps: 3 })) : undefined;
  if (l) results.figures.push(...specLookupFigures(l, batch));
  const d = wanted('spec-draft') ? await section('spec-draft', () => specDraftBench({ reps: 2, maxTokens: 64 })) : undefined;
  if (d) results.figures.push(...specDraftFigures(d, batch));
  // spec-worker-draft: the draft rows alone (the lookup model is not needed then).
  const w = wanted('spec-worker') || wanted('spec-worker-draft') ? await section('spec-worker', () => specWorkerBench({ reps: 2, lookup: wanted('spec-worker'), draftMaxTokens: 192 })) : undefined;
  if (w) results.figures.push(...specWorkerFigures(w));
  // llama.cpp's own speculative decoding on the same files (builds its example once, 1-3 min).
  const sl = wanted('spec-llama') ? await section('spec-llama', () => specLlamaBench({ reps: 2 })) : undefined;
  if (sl) results.figures.push(...specLlamaFigures(sl, batch));
}

results.seconds = (Date.now() - started) / 1000;
results.machine.loadAverageAtEnd = loadAvg();
results.figures.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
const partial = quick || !!only; // a partial run never replaces the full run's record
writeFileSync(path.join(benchOut, partial ? 'results-partial.json' : 'results.json'), JSON.stringify(results, null, 2));
const md = writeReport(results, { file: partial ? path.join(benchOut, 'RESULTS-partial.md') : path.join(repoRoot, 'bench', 'RESULTS.md') });
console.log(`\n${md.table}\n`);
const missed = results.figures.filter((f) => f.met === false);
log(`${results.figures.length} figures, ${missed.length} target(s) missed, ${results.errors.length} section error(s); ${results.seconds.toFixed(0)} s; ${md.file}`);
process.exit(results.errors.length ? 1 : 0);

#!/usr/bin/env node
// Speculative-decoding measurements with node-llama-cpp used directly (issue 13, the installed package with
// patches/node-llama-cpp+3.21.1.patch), in a child process: PONDER_NLC=<a node-llama-cpp package dir> runs another
// copy (e.g. an unpatched one, for comparison).
//   node bench/lib/spec-runner.mjs <job.json>   → prints one JSON line: the job's result
// Jobs: batch (cost of a k-token batch vs 1 token), lookup (InputLookupTokenPredictor on/off, interleaved),
// draft (DraftSequenceTokenPredictor with drafts of scripted acceptance vs none, interleaved).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const nlcDir = process.env.PONDER_NLC;
const nlc = await import(nlcDir ? pathToFileURL(path.join(nlcDir, 'dist', 'index.js')).href : 'node-llama-cpp');
const { getLlama, LlamaChat, LlamaLogLevel, InputLookupTokenPredictor, DraftSequenceTokenPredictor } = nlc;

/** Same sampling as the worker (R1 defaults); the scripted models' margin makes it greedy in effect. */
const SAMPLING = { temperature: 0.6, topP: 0.95 };
const median = (xs) => {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : NaN;
};

const llama = await getLlama({ build: 'never', progressLogs: false, logLevel: LlamaLogLevel.error });

/** ms to evaluate k tokens (logits + sampling at every position, as validating k predictions needs) at `depth`. */
async function batch({ modelPath, threads, ks, reps, depth }) {
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: depth + 64, threads, sequences: 1, batchSize: 512 });
  const seq = context.getSequence();
  const filler = model.tokenize('The quick brown fox jumps over the lazy dog. '.repeat(Math.ceil(depth / 8))).slice(0, depth);
  await seq.evaluateWithoutGeneratingNewTokens(filler);
  const probe = filler.slice(0, 16);
  const one = async (k) => {
    const items = probe.slice(0, k).map((t) => [t, { generateNext: { token: true } }]);
    const t0 = performance.now();
    await seq.controlledEvaluate(items);
    const ms = performance.now() - t0;
    await seq.eraseContextTokenRanges([{ start: seq.nextTokenIndex - k, end: seq.nextTokenIndex }]);
    return ms;
  };
  await one(1);
  await one(8); // warm-up
  const perK = Object.fromEntries(ks.map((k) => [k, []]));
  for (let r = 0; r < reps; r++) {
    const order = r % 2 ? [...ks].reverse() : ks; // interleaved: slow drifts hit every k alike
    for (const k of order) perK[k].push(await one(k));
  }
  await context.dispose();
  await model.dispose();
  const t1 = median(perK[1]);
  // min: the least disturbed repetition (the machine is shared; ggml's spinning threads suffer most from contention).
  const m1 = Math.min(...perK[1]);
  return { depth, threads, perK: ks.map((k) => ({ k, ms: median(perK[k]), ratio: median(perK[k]) / t1, minMs: Math.min(...perK[k]), minRatio: Math.min(...perK[k]) / m1, reps: perK[k] })) };
}

/** One reply on a cleared sequence: thought/answer token counts and rates, the text, prediction counter deltas. */
async function reply(chat, prompt, { maxTokens, budget } = {}) {
  const seq = chat.sequence;
  await seq.clearHistory();
  const p0 = { ...seq.tokenPredictions };
  const seg = { thought: { n: 0, first: NaN, last: NaN }, answer: { n: 0, first: NaN, last: NaN } };
  let answer = '';
  const t0 = performance.now();
  await chat.generateResponse([{ type: 'user', text: prompt }, { type: 'model', response: [] }], {
    ...SAMPLING, maxTokens, ...(budget != null ? { budgets: { thoughtTokens: budget } } : {}),
    onResponseChunk: (chunk) => {
      const t = performance.now();
      const s = chunk.type === 'segment' ? (chunk.segmentType === 'thought' ? seg.thought : undefined) : seg.answer;
      if (!s) return;
      if (s.n === 0) s.first = t;
      s.n += chunk.tokens.length;
      s.last = t;
      if (s === seg.answer) answer += chunk.text;
    },
  });
  const p1 = seq.tokenPredictions;
  const all = seg.thought.n + seg.answer.n;
  const firstT = Number.isFinite(seg.thought.first) ? seg.thought.first : seg.answer.first;
  const lastT = Number.isFinite(seg.answer.last) ? seg.answer.last : seg.thought.last;
  return {
    answer,
    thoughtTokens: seg.thought.n, answerTokens: seg.answer.n,
    // Rates exclude the first token (it carries the prompt evaluation). Answer: from the thought's last token.
    thoughtTps: (seg.thought.n - 1) / ((seg.thought.last - seg.thought.first) / 1000),
    answerTps: seg.answer.n / ((seg.answer.last - (Number.isFinite(seg.thought.last) ? seg.thought.last : seg.answer.first)) / 1000),
    tps: (all - 1) / ((lastT - firstT) / 1000),
    ttftMs: firstT - t0,
    validated: p1.validated - p0.validated, refuted: p1.refuted - p0.refuted,
  };
}

/** One line per run on stderr (the bench shows progress; a wrong script shows at once). */
function progress(name, r) {
  process.stderr.write(`[spec-runner] ${name}: ${r.thoughtTokens}+${r.answerTokens} tokens, ${r.tps.toFixed(2)} tok/s (answer ${r.answerTps.toFixed(2)}), validated ${r.validated}, refuted ${r.refuted}\n`);
  return r;
}

/**
 * The engine's own predictor (src/worker/token-predictor.ts, bundled by bench/lib/build.mjs into bench/out/) in prompt
 * lookup mode: the length per step it picks from the step costs it measures, as in the product.
 */
async function productPredictor() {
  const { SwitchingTokenPredictor } = await import(pathToFileURL(path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'out', 'token-predictor.mjs')).href);
  const p = new SwitchingTokenPredictor();
  p.setMode('lookup');
  return p;
}

/** InputLookupTokenPredictor on/off (each config interleaved with the plain run); `expected` checks the script. */
async function lookup({ modelPath, threads, contextSize, reps, configs, prompt, expected, maxTokens = 1000 }) {
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize, threads, sequences: 1 + configs.length });
  const plain = new LlamaChat({ contextSequence: context.getSequence(), chatWrapper: 'auto' });
  const predictors = [];
  for (const c of configs) predictors.push(c.product ? await productPredictor() : new InputLookupTokenPredictor({ patternLength: c.pattern, predictionLength: c.prediction }));
  const chats = configs.map((c, i) => new LlamaChat({ contextSequence: context.getSequence({ tokenPredictor: predictors[i] }), chatWrapper: 'auto' }));
  const promptTokens = model.tokenize(prompt).length;
  await reply(plain, 'Warm-up.', { maxTokens: 4 });
  const runs = { plain: [], ...Object.fromEntries(configs.map((c) => [c.name, []])) };
  for (let r = 0; r < reps; r++) {
    const order = [['plain', plain], ...configs.map((c, i) => [c.name, chats[i]])];
    if (r % 2) order.reverse();
    for (const [name, chat] of order) runs[name].push(progress(name, await reply(chat, prompt, { maxTokens })));
  }
  // What the engine's predictor measured on this machine: the cost model it chose its lengths from.
  const measured = Object.fromEntries(configs.flatMap((c, i) => c.product ? [[c.name, { singleStepMs: predictors[i].stepCost.singleStepMs(), extraTokenCost: predictors[i].stepCost.extraTokenCost(), checkCost: predictors[i].stepCost.measuredCheckCost() }]] : []));
  await context.dispose();
  await model.dispose();
  return summarize(runs, expected, { promptTokens, measured });
}

/**
 * A target alone vs with each draft (DraftSequenceTokenPredictor), interleaved.
 * `drafts`: [{ name, path, acceptance, predictor: DraftSequenceTokenPredictor options }].
 */
async function draft({ targetPath, drafts, threads, contextSize, reps, maxTokens, prompt, expectedPrefix }) {
  const model = await llama.loadModel({ modelPath: targetPath });
  const context = await model.createContext({ contextSize, threads, sequences: 1 + drafts.length });
  const plain = new LlamaChat({ contextSequence: context.getSequence(), chatWrapper: 'auto' });
  const loaded = [];
  const draftModels = new Map(); // one load per file: several settings of one draft share its weights
  for (const d of drafts) {
    if (!draftModels.has(d.path)) draftModels.set(d.path, await llama.loadModel({ modelPath: d.path }));
    const dm = draftModels.get(d.path);
    const dc = await dm.createContext({ contextSize, threads, sequences: 1 });
    const tokenPredictor = new DraftSequenceTokenPredictor(dc.getSequence(), d.predictor);
    loaded.push({ ...d, dm, dc, chat: new LlamaChat({ contextSequence: context.getSequence({ tokenPredictor }), chatWrapper: 'auto' }) });
  }
  await reply(plain, 'Warm-up.', { maxTokens: 4 });
  for (const d of loaded) await reply(d.chat, 'Warm-up.', { maxTokens: 4 });
  const runs = { plain: [], ...Object.fromEntries(drafts.map((d) => [d.name, []])) };
  for (let r = 0; r < reps; r++) {
    const order = [['plain', plain], ...loaded.map((d) => [d.name, d.chat])];
    if (r % 2) order.reverse();
    for (const [name, chat] of order) runs[name].push(progress(name, await reply(chat, prompt, { maxTokens })));
  }
  for (const d of loaded) await d.dc.dispose();
  for (const dm of draftModels.values()) await dm.dispose();
  await context.dispose();
  await model.dispose();
  return summarize(runs, expectedPrefix, { prefix: true, threads });
}

/** Medians per variant and per-pair ratios against the plain run of the same repetition. */
function summarize(runs, expected, extra) {
  const out = { ...extra, variants: {} };
  for (const [name, rs] of Object.entries(runs)) {
    const ratio = (key) => median(rs.map((r, i) => r[key] / runs.plain[i][key]));
    out.variants[name] = {
      tps: median(rs.map((r) => r.tps)), thoughtTps: median(rs.map((r) => r.thoughtTps)), answerTps: median(rs.map((r) => r.answerTps)),
      ratio: ratio('tps'), thoughtRatio: ratio('thoughtTps'), answerRatio: ratio('answerTps'),
      validated: median(rs.map((r) => r.validated)), refuted: median(rs.map((r) => r.refuted)),
      thoughtTokens: rs[0].thoughtTokens, answerTokens: rs[0].answerTokens,
      scripted: rs.every((r) => (extra.prefix ? r.answer.length > 0 && expected.startsWith(r.answer) : r.answer === expected)),
      sameAsPlain: rs.every((r, i) => r.answer === runs.plain[i].answer),
      perRep: rs.map(({ answer, ...r }) => r),
    };
  }
  return out;
}

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const started = Date.now();
const result = await ({ batch, lookup, draft })[job.kind](job);
process.stdout.write(`${JSON.stringify({ ...result, seconds: (Date.now() - started) / 1000, load: os.loadavg(), nlc: nlcDir ?? 'installed' })}\n`);
process.exit(0);

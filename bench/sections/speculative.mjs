// Speculative decoding (issue 13), measured with node-llama-cpp directly on big scripted models (real per-token cost,
// scripted greedy output, so prediction on/off must give the same text):
//   spec-batch   the cost of evaluating a k-token batch vs 1 token (k = 1..16) on the 1.5B and 7B shapes → bounds;
//   spec-lookup  InputLookupTokenPredictor, 1.5B shape: an edit answer (60-line function, 3 lines changed) and the
//                prose thought before it (nothing to copy), each vs the same run without prediction;
//   spec-draft   DraftSequenceTokenPredictor, 7B-shaped Q4_K_M target + 1.5B-shaped drafts scripted to agree 0/50/70/90 %.
// Each measurement runs in a child process (bench/lib/spec-runner.mjs) with the installed node-llama-cpp, which carries
// patches/node-llama-cpp+3.21.1.patch (without it only the first predicted token of a batch can be accepted).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expectedOutput } from '../../scripts/gguf/generate-model.mjs';
import { r15bModel } from '../lib/models.mjs';
import { DRAFT_PROMPT, LOOKUP_PROMPT } from '../lib/spec-scripts.mjs';
import { draftModel, lookupModel, lookupSpec, targetModel, targetSpec } from '../lib/spec-models.mjs';
import { benchOut, log, repoRoot } from '../lib/util.mjs';

/**
 * Prompt-lookup settings. The first carries the targets: the engine's own predictor (src/worker/token-predictor.ts),
 * which picks the length per step from the cost of checking it measures (src/core/speculation/step-cost.ts). The
 * others are fixed lengths for comparison: ≤ 10 is what the engine used until 2026-12-03, ≤ 4 the earlier bench pick.
 */
export const LOOKUP_CONFIGS = [
  { name: 'engine', product: true, pattern: { min: 2 }, prediction: { min: 1, max: 16 } },
  { name: 'p2k10', pattern: { min: 2 }, prediction: { min: 1, max: 10 } },
  { name: 'p2k4', pattern: { min: 2 }, prediction: { min: 1, max: 4 } },
];
/**
 * Draft settings, the first the engine's (src/core/speculation/tuning.ts): draft k tokens, then let the target check
 * them. Shorter drafts for comparison: on 2 cores checking a batch costs more per token, so fewer may pay better.
 */
export const DRAFT_CONFIGS = [
  { name: 'k4', minTokens: 4, maxTokens: 4, minConfidence: 0.6 },
  { name: 'k2', minTokens: 2, maxTokens: 2, minConfidence: 0.6 },
  { name: 'k1', minTokens: 1, maxTokens: 1, minConfidence: 0.6 },
];

function run(job) {
  const file = path.join(benchOut, `spec-job-${job.kind}.json`);
  writeFileSync(file, JSON.stringify(job));
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'bench', 'lib', 'spec-runner.mjs'), file], {
    encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`spec-runner ${job.kind} failed (${r.status ?? r.signal}); its output is above`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

const range = (n) => Array.from({ length: n }, (_, i) => i + 1);

export async function specBatchBench({ reps = 3, shapes = ['r1-1.5b', 'r1-7b'] } = {}) {
  const out = {};
  for (const shape of shapes) {
    const modelPath = shape === 'r1-7b' ? await targetModel() : await r15bModel();
    log(`spec-batch: ${shape}: k = 1..16, ${reps} interleaved repetitions…`);
    out[shape] = run({ kind: 'batch', modelPath, threads: 2, ks: range(16), reps, depth: 512 });
  }
  return out;
}

export async function specLookupBench({ reps = 3, configs = LOOKUP_CONFIGS } = {}) {
  const modelPath = await lookupModel();
  const expected = expectedOutput(lookupSpec()).answer;
  log(`spec-lookup: ${configs.length} setting(s) + no prediction, ${reps} interleaved repetitions…`);
  // maxTokens: a broken script (e.g. lost in quantization) ends at 1000 tokens instead of filling the context.
  const res = run({ kind: 'lookup', modelPath, threads: 2, contextSize: 4096, reps, prompt: LOOKUP_PROMPT, expected, configs, maxTokens: 1000 });
  return { ...res, configs };
}

export async function specDraftBench({ reps = 2, maxTokens = 64, acceptances = [0, 0.5, 0.7, 0.9], configs = DRAFT_CONFIGS } = {}) {
  const targetPath = await targetModel();
  const drafts = [];
  for (const a of acceptances) {
    const file = await draftModel(a);
    for (const c of configs) drafts.push({ name: `a${Math.round(a * 100)}-${c.name}`, acceptance: a, path: file, predictor: c, config: c.name });
  }
  const expectedPrefix = expectedOutput(targetSpec()).answer + targetSpec().answer.repeat(4);
  log(`spec-draft: 7B-shaped target + ${drafts.length} draft configurations, ${reps} interleaved repetitions…`);
  const res = run({ kind: 'draft', targetPath, drafts: drafts.map(({ config, ...d }) => d), threads: 2, contextSize: 2048, reps, maxTokens, prompt: DRAFT_PROMPT, expectedPrefix });
  return { ...res, drafts: drafts.map(({ name, acceptance, config }) => ({ name, acceptance, config })), configs };
}

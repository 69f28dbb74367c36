// Speculative decoding (issue 13), measured with node-llama-cpp directly on big scripted models (real per-token cost,
// scripted greedy output, so prediction on/off must give the same text):
//   spec-batch   the cost of evaluating a k-token batch vs 1 token (k = 1..16) on the 1.5B and 7B shapes → bounds;
//   spec-lookup  InputLookupTokenPredictor, 1.5B shape: an edit answer (60-line function, 3 lines changed) and the
//                prose thought before it (nothing to copy), each vs the same run without prediction;
//   spec-draft   DraftSequenceTokenPredictor, 7B-shaped Q4_K_M target + 1.5B-shaped drafts scripted to agree 0/50/70/90 %.
// Each measurement runs in a child process (bench/lib/spec-runner.mjs), once with the installed node-llama-cpp and
// once with a copy carrying the one-line fix of its prediction validation (see patchedNodeLlamaCpp).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expectedOutput } from '../../scripts/gguf/generate-model.mjs';
import { r15bModel } from '../lib/models.mjs';
import { DRAFT_PROMPT, LOOKUP_PROMPT } from '../lib/spec-scripts.mjs';
import { draftModel, lookupModel, lookupSpec, targetModel, targetSpec } from '../lib/spec-models.mjs';
import { benchOut, log, repoRoot } from '../lib/util.mjs';

/** Prompt-lookup settings chosen by measurement (bench/README.md): stock node-llama-cpp validates one prediction per batch. */
export const LOOKUP_STOCK = { name: 'lookup', pattern: { min: 2 }, prediction: { min: 1, max: 1 } };
export const LOOKUP_PATCHED = { name: 'lookup', pattern: { min: 2 }, prediction: { min: 1, max: 8 } };
export const DRAFT_STOCK = { minTokens: 1, maxTokens: 1, minConfidence: 0 };
export const DRAFT_PATCHED = { minTokens: 4, maxTokens: 4, minConfidence: 0 };

const BUG = 'const lastValidatedTokenOutput = i === logitsStartIndex + 1\n                                    ? nextToken\n                                    : validatedTokens.at(-1)?.[1];';
const FIX = 'const lastValidatedTokenOutput = i === logitsStartIndex + 1\n                                    ? nextToken\n                                    : this._loadedTokenPredictions.at(-1)?.[1]?.[0];';

/**
 * node-llama-cpp 3.21.1 validates at most one predicted token per target batch: for the 2nd+ prediction it compares
 * with `validatedTokens.at(-1)`, an array that is never filled, so every further prediction counts as refuted. This
 * copies the installed package to bench/out (its dependencies still resolve to the repository's node_modules) with
 * that comparison reading the last validated prediction's output instead. Undefined if the line is not there.
 */
export function patchedNodeLlamaCpp() {
  const src = path.join(repoRoot, 'node_modules', 'node-llama-cpp');
  const dst = path.join(benchOut, 'nlc-patched', 'node_modules', 'node-llama-cpp');
  const file = path.join('dist', 'evaluator', 'LlamaContext', 'LlamaContext.js');
  const original = readFileSync(path.join(src, file), 'utf8');
  if (!original.includes(BUG)) return undefined;
  if (!existsSync(path.join(dst, 'package.json')) || !readFileSync(path.join(dst, file), 'utf8').includes(FIX)) {
    rmSync(dst, { recursive: true, force: true });
    mkdirSync(path.dirname(dst), { recursive: true });
    cpSync(src, dst, { recursive: true, dereference: true });
    writeFileSync(path.join(dst, file), original.replace(BUG, FIX));
  }
  return dst;
}

function run(job, nlc) {
  const file = path.join(benchOut, `spec-job-${job.kind}.json`);
  writeFileSync(file, JSON.stringify(job));
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'bench', 'lib', 'spec-runner.mjs'), file], {
    encoding: 'utf8', env: { ...process.env, ...(nlc ? { PONDER_NLC: nlc } : {}) }, maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`spec-runner ${job.kind} failed (${r.status ?? r.signal}):\n${(r.stderr ?? '').split('\n').slice(-15).join('\n')}`);
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

export async function specLookupBench({ reps = 3, patched = true } = {}) {
  const modelPath = await lookupModel();
  const expected = expectedOutput(lookupSpec()).answer;
  const job = { kind: 'lookup', modelPath, threads: 2, contextSize: 4096, reps, prompt: LOOKUP_PROMPT, expected };
  log(`spec-lookup: stock node-llama-cpp, ${reps} interleaved pairs…`);
  const stock = run({ ...job, configs: [LOOKUP_STOCK] });
  const nlc = patched ? patchedNodeLlamaCpp() : undefined;
  if (nlc) log(`spec-lookup: node-llama-cpp with the validation fix, ${reps} interleaved pairs…`);
  return { stock, patched: nlc ? run({ ...job, configs: [LOOKUP_PATCHED] }, nlc) : undefined, settings: { stock: LOOKUP_STOCK, patched: LOOKUP_PATCHED } };
}

export async function specDraftBench({ reps = 2, maxTokens = 64, acceptances = [0, 0.5, 0.7, 0.9], patched = true } = {}) {
  const targetPath = await targetModel();
  const drafts = [];
  for (const a of acceptances) drafts.push({ name: `a${Math.round(a * 100)}`, acceptance: a, path: await draftModel(a) });
  const exp = expectedOutput(targetSpec());
  const expectedPrefix = exp.answer + targetSpec().answer.repeat(4);
  const job = { kind: 'draft', targetPath, drafts, threads: 2, contextSize: 2048, reps, maxTokens, prompt: DRAFT_PROMPT, expectedPrefix };
  log(`spec-draft: stock node-llama-cpp, target + ${drafts.length} drafts, ${reps} interleaved repetitions…`);
  const stock = run({ ...job, predictor: DRAFT_STOCK });
  const nlc = patched ? patchedNodeLlamaCpp() : undefined;
  if (nlc) log('spec-draft: node-llama-cpp with the validation fix…');
  return { stock, patched: nlc ? run({ ...job, predictor: DRAFT_PATCHED }, nlc) : undefined, settings: { stock: DRAFT_STOCK, patched: DRAFT_PATCHED } };
}

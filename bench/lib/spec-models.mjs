// The big scripted models of the speculative-decoding bench (issue 13), generated + quantized once into the model
// cache (~/.cache/ponder-bench), never committed and never used by CI:
// - lookup: 1.5B shape, USER_DEFINED chain (prompt lookup can predict the edit answer);
// - draft target: 7B shape (vocabulary 152,064); drafts: 1.5B shape (151,936) with the same script, successor table
//   perturbed so that one-token drafts agree at 0 / 50 / 70 / 90 %. A draft differs from the others only in
//   token_embd, so one base is quantized (token_embd kept as Q8_0) and each draft is a copy with its token_embd
//   rewritten (seconds instead of one llama-quantize run each).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { draftSpec, GENERATOR_VERSION, tokenEmbeddingTensor } from '../../scripts/gguf/generate-model.mjs';
import { rewriteTensor } from '../../scripts/gguf/gguf-patch.mjs';
import { quantizedModel } from './models.mjs';
import { DRAFT_SPEC, LOOKUP_SPEC } from './spec-scripts.mjs';
import { log } from './util.mjs';

export const lookupSpec = () => ({ ...LOOKUP_SPEC, shape: 'r1-1.5b' });
export const lookupModel = () => quantizedModel({ spec: lookupSpec(), fileBase: 'spec-lookup-r1-1.5b' });

export const targetSpec = () => ({ ...DRAFT_SPEC, shape: 'r1-7b' });
export const targetModel = () => quantizedModel({ spec: targetSpec(), fileBase: 'spec-target-r1-7b' });

/** Acceptance a (0..1) → the draft's perturbation rate 1 − a. */
export const draftForAcceptance = (acceptance) => draftSpec(targetSpec(), { rate: Math.round((1 - acceptance) * 100) / 100, seed: 7, shape: 'r1-1.5b' });

const draftBase = () => quantizedModel({ spec: draftForAcceptance(1), fileBase: 'spec-draft-r1-1.5b-base', quantizeArgs: ['--token-embedding-type', 'q8_0'] });

export async function draftModel(acceptance) {
  const base = await draftBase();
  const spec = draftForAcceptance(acceptance);
  const file = base.replace('-base-', `-a${Math.round(acceptance * 100)}-`);
  const sidecar = `${file}.json`;
  const key = createHash('sha256').update(JSON.stringify({ v: GENERATOR_VERSION, spec, base: JSON.parse(readFileSync(`${base}.json`, 'utf8')).key })).digest('hex').slice(0, 16);
  try {
    const meta = JSON.parse(readFileSync(sidecar, 'utf8'));
    if (meta.key === key && existsSync(file) && statSync(file).size === meta.bytes) return file;
  } catch { /* absent or stale */ }
  const t0 = Date.now();
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    copyFileSync(base, tmp);
    await rewriteTensor(tmp, tokenEmbeddingTensor(spec, 'q8_0'));
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  writeFileSync(sidecar, JSON.stringify({ key, bytes: statSync(file).size, base: path.basename(base), createdAt: new Date().toISOString(), seconds: (Date.now() - t0) / 1000 }, null, 2));
  log(`draft ${path.basename(file)} (token_embd rewritten) ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return file;
}

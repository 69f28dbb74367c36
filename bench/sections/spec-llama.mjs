// llama.cpp's own speculative decoding as a reference (issue 13): examples/speculative-simple, built from the source
// node-llama-cpp bundles (scripts/llama-cpp/build.mjs --speculative), on the same 7B-shaped target and scripted
// 1.5B-shaped drafts as spec-draft (node-llama-cpp's predictor) and spec-worker (Ponder's worker with its draft gate),
// against llama-bench tg on the same file and thread count, interleaved. Neither Ponder's code nor node-llama-cpp's
// runs here, so these rows say what the hardware allows, whoever implements drafting.
import { spawnSync } from 'node:child_process';
import { binaryPath, ensureSpeculativeExample } from '../../scripts/llama-cpp/build.mjs';
import { draftModel, targetModel, targetSpec } from '../lib/spec-models.mjs';
import { llamaBenchTg } from './llama-bench.mjs';
import { DRAFT_PROMPT } from '../lib/spec-scripts.mjs';
import { log, median } from '../lib/util.mjs';

/** The prompt as the target's r1-prefill chat template renders it (the example applies no template; BOS is added). */
const RENDERED_PROMPT = `<｜User｜>${DRAFT_PROMPT}<｜Assistant｜><think>\n`;

/** llama-bench tg: the target alone, on the same file and threads. */
const tg = ({ modelPath, threads, n, depth }) => llamaBenchTg({ modelPath, threads, n, depth }).tps;

/** One run of the example: its own "decoded N tokens in T s" rate and draft counters; the text checked against the script. */
function speculate({ targetPath, draftPath, threads, n, k }) {
  const args = ['-m', targetPath, '-md', draftPath, '--spec-type', 'draft-simple', '--spec-draft-n-max', String(k), '-t', String(threads), '-td', String(threads),
    '--temp', '0', '--top-k', '1', '-n', String(n), '-c', '2048', '-p', RENDERED_PROMPT];
  const r = spawnSync(binaryPath('llama-speculative-simple'), args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) throw new Error(`llama-speculative-simple exited ${r.status ?? r.signal}: ${out.slice(-800)}`);
  const num = (re) => Number(out.match(re)?.[1]);
  const tps = num(/decoded\s+\d+ tokens in\s+[\d.]+ seconds, speed:\s+([\d.]+) t\/s/);
  const drafted = num(/n_drafted\s*=\s*(\d+)/);
  const accepted = num(/n_accept\s*=\s*(\d+)/);
  if (!Number.isFinite(tps) || !Number.isFinite(drafted)) throw new Error(`llama-speculative-simple: no speed/counters in its output: ${out.slice(-800)}`);
  return { tps, drafted, accepted, scripted: out.includes(targetSpec().answer.slice(0, 80)) };
}

/**
 * Each acceptance's draft with k drafted tokens per step, and llama-bench tg between them (the target alone), `reps`
 * rounds. Depth 40 ≈ the rendered prompt, so the plain rate is taken where the speculative run starts.
 */
export async function specLlamaBench({ reps = 1, acceptances = [0, 0.5, 0.7, 0.9], k = 4, n = 128, threads = 2 } = {}) {
  ensureSpeculativeExample({ log });
  const targetPath = await targetModel();
  const drafts = [];
  for (const a of acceptances) drafts.push({ acceptance: a, path: await draftModel(a), runs: [] });
  const plain = [tg({ modelPath: targetPath, threads, n, depth: 40 })];
  for (let r = 0; r < reps; r++) {
    for (const d of r % 2 ? [...drafts].reverse() : drafts) {
      log(`spec-llama: llama-speculative-simple, ${Math.round(d.acceptance * 100)} % draft, k = ${k}, ${n} tokens (round ${r + 1}/${reps})…`);
      d.runs.push(speculate({ targetPath, draftPath: d.path, threads, n, k }));
    }
    plain.push(tg({ modelPath: targetPath, threads, n, depth: 40 }));
  }
  const plainTps = median(plain);
  return {
    k, n, threads, plainTps, plain,
    drafts: drafts.map((d) => ({
      acceptance: d.acceptance, ratio: median(d.runs.map((x) => x.tps)) / plainTps, tps: median(d.runs.map((x) => x.tps)),
      drafted: d.runs.map((x) => x.drafted), accepted: d.runs.map((x) => x.accepted), scripted: d.runs.every((x) => x.scripted),
    })),
  };
}

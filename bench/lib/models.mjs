// Models for the benchmarks, generated on demand (no weights can be downloaded here):
// - tiny: the test suite's scripted qwen2 models (.cache/test-models), ~0.5 MB;
// - r1-1.5b: the same scripted chain at DeepSeek-R1-Distill-Qwen-1.5B's shape, generated as f16 (3.5 GB) and
//   quantized to Q4_K_M (1.1 GB) with llama.cpp's llama-quantize, cached OUTSIDE the repository
//   (~/.cache/ponder-bench or $PONDER_BENCH_MODELS). The f16 intermediate is deleted after quantizing.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureModel, ensureScenarioModel, GENERATOR_VERSION, SCENARIOS } from '../../scripts/gguf/generate-model.mjs';
import { binaryPath, ensureLlamaCppBuild } from '../../scripts/llama-cpp/build.mjs';
import { log, repoRoot } from './util.mjs';

/** The looping-thought scenario: a thinking budget decides how many tokens a reply has (exactly, on both paths). */
export const BENCH_SCENARIO = 'long-thought';

export const modelCacheDir = () => process.env.PONDER_BENCH_MODELS || path.join(os.homedir(), '.cache', 'ponder-bench');

export async function tinyModels() {
  const dir = path.join(repoRoot, '.cache', 'test-models');
  return {
    stream: await ensureScenarioModel(BENCH_SCENARIO, dir),
    short: await ensureScenarioModel('short', dir),
  };
}

/** The 1.5B-shaped Q4_K_M model: generated and quantized once (a few minutes), then reused. */
export async function r15bModel({ quant = 'Q4_K_M' } = {}) {
  return quantizedModel({ spec: { ...SCENARIOS[BENCH_SCENARIO], shape: 'r1-1.5b' }, fileBase: `${BENCH_SCENARIO}-r1-1.5b`, quant });
}

/**
 * Any big scripted spec as a quantized file in the model cache: the f16 file is generated (scripts/gguf), quantized
 * with llama-quantize and deleted; a sidecar JSON records the key (generator version + spec + quant), the size and
 * how long each step took. Returns the path.
 */
export async function quantizedModel({ spec, fileBase, quant = 'Q4_K_M', quantizeArgs = [] }) {
  const dir = modelCacheDir();
  mkdirSync(dir, { recursive: true });
  const key = createHash('sha256').update(JSON.stringify({ v: GENERATOR_VERSION, spec, quant, ...(quantizeArgs.length ? { quantizeArgs } : {}) })).digest('hex').slice(0, 16);
  const file = path.join(dir, `${fileBase}-${quant}.gguf`);
  const sidecar = `${file}.json`;
  try {
    const meta = JSON.parse(readFileSync(sidecar, 'utf8'));
    if (meta.key === key && existsSync(file) && statSync(file).size === meta.bytes) return file;
  } catch { /* absent or stale: regenerate */ }

  const bin = ensureLlamaCppBuild({ log });
  const f16Dir = path.join(dir, `f16-${fileBase}`);
  const t0 = Date.now();
  log(`generating ${fileBase} as f16 in ${f16Dir} (${spec.shape}; 1.5B: 3.5 GB, about a minute; 7B: 15 GB)…`);
  const f16 = await ensureModel(spec, f16Dir, fileBase);
  const generateSeconds = (Date.now() - t0) / 1000;
  const f16Bytes = statSync(f16).size;
  log(`quantizing to ${quant} with ${path.join(bin, 'llama-quantize')} (minutes on 2 cores)…`);
  const tmp = `${file}.${process.pid}.tmp`;
  const t1 = Date.now();
  const r = spawnSync(binaryPath('llama-quantize'), [...quantizeArgs, f16, tmp, quant, String(Math.max(1, os.cpus().length))], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(tmp, { force: true });
    throw new Error(`llama-quantize failed (${r.status ?? r.signal}):\n${(r.stderr ?? '').split('\n').slice(-20).join('\n')}`);
  }
  renameSync(tmp, file);
  const quantizeSeconds = (Date.now() - t1) / 1000;
  writeFileSync(sidecar, JSON.stringify({ key, bytes: statSync(file).size, quant, createdAt: new Date().toISOString(), f16Bytes, generateSeconds, quantizeSeconds, loadAverage: os.loadavg() }, null, 2));
  rmSync(f16Dir, { recursive: true, force: true }); // the f16 intermediate (3.5 / 15 GB)
  log(`${fileBase} ${quant} ready in ${((Date.now() - t0) / 1000).toFixed(0)} s (generate ${generateSeconds.toFixed(0)} s, quantize ${quantizeSeconds.toFixed(0)} s): ${file}`);
  return file;
}

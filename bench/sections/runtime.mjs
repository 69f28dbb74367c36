// Figure 1r: why node-llama-cpp's bare decode loop is slower (or not) than llama-bench on the same file. Each candidate
// cause is one controlled pair, measured in fresh processes, interleaved over rounds, at the bench's thread count and at
// 1 thread (1 thread separates code generation from threading); medians per configuration.
import { fork, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { binaryPath, NATIVE_BENCH, NO_OPENMP_BENCH } from '../../scripts/llama-cpp/build.mjs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { shippedVariants, stageVariant } from '../lib/nlc-variants.mjs';
import { measuredEnv } from '../lib/host-pipeline.mjs';
import { benchOut, loadAvg, log, median, repoRoot, round } from '../lib/util.mjs';

/** llama-bench built without OpenMP (ggml's own thread pool, as node-llama-cpp's prebuilt binaries run), if built. */
const noOpenMpBench = () => process.env.PONDER_BENCH_NO_OPENMP ?? NO_OPENMP_BENCH;

/** `env` below: false, true (the worker's whole environment) or { hugePages, onePoolThread } (see measuredEnv). */
const envNote = (e) => (e === true ? ', worker environment (huge pages, one libuv thread)' : e ? `${e.hugePages ? ', huge pages' : ''}${e.onePoolThread ? ', one libuv thread' : ''}` : '');

function probe({ cwd = repoRoot, modelPath, threads, n, depth, reps, sampling = 'greedy', flash = 'auto', contextSize = 4096, cmakeOptions, env = false }) {
  const args = ['--preserve-symlinks', '--preserve-symlinks-main', 'bench/lib/decode-probe.mjs', modelPath, threads, n, depth, reps, sampling, flash, contextSize, ...(cmakeOptions ? [JSON.stringify(cmakeOptions)] : [])].map(String);
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', maxBuffer: 16 << 20, env: measuredEnv(env) });
  const line = r.stdout?.trim().split('\n').at(-1);
  if (r.status !== 0 || !line) throw new Error(`decode probe exited ${r.status ?? r.signal}: ${(r.stderr ?? '').slice(-600)}`);
  const j = JSON.parse(line);
  return { tps: median(j.tps), info: `${j.buildType === 'localBuild' ? 'built for this machine' : j.cpuBackend}, context ${contextSize}, flash attention ${j.flashAttention}${envNote(env)}` };
}

function llamaBench(bin, what, { modelPath, threads, n, depth, reps, env = false }) {
  const args = ['-m', modelPath, '-p', '0', '-n', n, '-d', depth, '-t', threads, '-r', reps, '-o', 'json'].map(String);
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 16 << 20, env: measuredEnv(env) });
  if (r.status !== 0) throw new Error(`${bin} exited ${r.status ?? r.signal}: ${(r.stderr ?? '').slice(-600)}`);
  const tg = JSON.parse(r.stdout).find((x) => x.n_gen > 0);
  return { tps: median(tg.samples_ts), info: `${what}, context ${tg.n_prompt + tg.n_gen + tg.n_depth}, flash attention ${tg.flash_attn === -1 ? 'auto' : tg.flash_attn}${envNote(env)}` };
}

/**
 * The variant ggml picks here (the prebuilt's best-scoring libggml-cpu-*.so), the AVX2 one (haswell: what llama-bench
 * is built for) and, when the pick uses AMX, the AVX-512 one without it; run as `nlc:<variant>`.
 */
function variantsToTry(picked) {
  const shipped = shippedVariants();
  const out = ['haswell'];
  if (picked === 'sapphirerapids') out.push(shipped.includes('zen4') ? 'zen4' : 'icelake');
  return out.filter((v) => v !== picked && shipped.includes(v));
}

/**
 * The runtime "Ponder: Build Runtime for This Machine" makes, built once by the real builder (dist/runtime-build.mjs)
 * into node-llama-cpp's localBuilds with its copy under bench-out; 5–15 min on 2 cores the first time.
 */
export async function runtimeBuild() {
  const savedDir = path.join(benchOut, 'runtime-build');
  const recordFile = path.join(savedDir, 'build.json');
  if (existsSync(recordFile)) {
    const record = JSON.parse(readFileSync(recordFile, 'utf8'));
    if (existsSync(path.join(repoRoot, 'node_modules/node-llama-cpp/llama/localBuilds', record.folder, 'buildDone.status'))) return record;
  }
  log('runtime: building node-llama-cpp for this machine (Ponder: Build Runtime for This Machine; 5–15 min on 2 cores)…');
  const child = fork(path.join(repoRoot, 'dist', 'runtime-build.mjs'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const record = await new Promise((resolve) => {
    child.on('message', (m) => {
      if (m.type === 'runtime/done') resolve(m.record);
      if (m.type === 'runtime/failed') { log(`runtime: the build failed (${m.code}): ${m.message.split('\n')[0]}`); resolve(undefined); }
    });
    child.on('exit', () => resolve(undefined));
    child.send({ type: 'runtime/start', params: { savedDir } });
  });
  if (record) writeFileSync(recordFile, JSON.stringify(record, null, 2));
  return record;
}

/** cfg: { modelPath, threads, n, depth, rounds, reps }. Returns { configs: {name: {threads: {tps, perRound, info}}}, pairs }. */
export async function runtimeGapBench(cfg) {
  const { modelPath, n, depth, rounds, reps } = cfg;
  const threadList = [...new Set([cfg.threads, 1])];
  const first = probe({ modelPath, threads: cfg.threads, n: 8, depth: 8, reps: 1 });
  const picked = /libggml-cpu-(.+?)\.so/.exec(first.info)?.[1] ?? 'unknown';
  log(`runtime: ggml picked ${picked}; staging variants ${variantsToTry(picked).join(', ') || '(none)'}…`);
  const configs = {
    nlc: (t) => probe({ modelPath, threads: t, n, depth, reps }),
    // What Ponder's worker runs: the same prebuilt in the worker's environment; and each half of it alone.
    'nlc:worker-env': (t) => probe({ modelPath, threads: t, n, depth, reps, env: true }),
    'nlc:huge-pages': (t) => probe({ modelPath, threads: t, n, depth, reps, env: { hugePages: true } }),
    'nlc:one-pool-thread': (t) => probe({ modelPath, threads: t, n, depth, reps, env: { onePoolThread: true } }),
    ...(process.env.PONDER_BENCH_RUNTIME_ALL ? {
      // Measured on 2026-12-01/02 and found not to be causes (bench/RESULTS.md); PONDER_BENCH_RUNTIME_ALL=1 re-measures.
      'nlc:r1-sampling': (t) => probe({ modelPath, threads: t, n, depth, reps, sampling: 'r1' }),
      'nlc:flash-off': (t) => probe({ modelPath, threads: t, n, depth, reps, flash: 'off' }),
      // llama-bench's context is just depth + n tokens; Ponder's (and this probe's) is 4096.
      'nlc:context-256': (t) => probe({ modelPath, threads: t, n, depth, reps, contextSize: 256 }),
    } : {}),
    'llama-bench': (t) => llamaBench(binaryPath('llama-bench'), 'AVX2 + OpenMP build', { modelPath, threads: t, n, depth, reps }),
  };
  for (const v of variantsToTry(picked)) {
    const cwd = stageVariant(v);
    configs[`nlc:${v}`] = (t) => probe({ cwd, modelPath, threads: t, n, depth, reps });
  }
  const built = process.env.PONDER_BENCH_NO_RUNTIME_BUILD ? undefined : await runtimeBuild();
  if (built) {
    configs['nlc:built'] = (t) => probe({ modelPath, threads: t, n, depth, reps, cmakeOptions: built.cmakeOptions });
    configs['nlc:built:worker-env'] = (t) => probe({ modelPath, threads: t, n, depth, reps, cmakeOptions: built.cmakeOptions, env: true });
  }
  const fastestBench = existsSync(NATIVE_BENCH) ? [NATIVE_BENCH, 'native build (GGML_NATIVE=ON) + OpenMP'] : [binaryPath('llama-bench'), 'AVX2 + OpenMP build'];
  configs['llama-bench:huge-pages'] = (t) => llamaBench(fastestBench[0], fastestBench[1], { modelPath, threads: t, n, depth, reps, env: { hugePages: true } });
  if (existsSync(NATIVE_BENCH)) configs['llama-bench:native'] = (t) => llamaBench(NATIVE_BENCH, 'native build (GGML_NATIVE=ON) + OpenMP', { modelPath, threads: t, n, depth, reps });
  else log(`runtime: no native llama-bench (node scripts/llama-cpp/build.mjs --native builds it; not on AMX CPUs): compared with the AVX2 one only`);
  if (existsSync(noOpenMpBench())) configs['llama-bench:no-openmp'] = (t) => llamaBench(noOpenMpBench(), 'AVX2 build without OpenMP', { modelPath, threads: t, n, depth, reps });
  else log(`runtime: no llama-bench without OpenMP (node scripts/llama-cpp/build.mjs --no-openmp builds it): that pair is skipped`);

  const names = Object.keys(configs);
  const raw = {};
  const loads = [];
  for (let r = 0; r < rounds; r++) {
    for (const t of threadList) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + r) % names.length]; // rotate the order each round
        // The 1-thread pass needs only the codegen comparisons (sampling and flash attention do not depend on threads).
        if (t === 1 && t !== cfg.threads && /r1-sampling|flash-off|context-256/.test(name)) continue;
        loads.push(os.loadavg()[0]);
        const x = configs[name](t);
        ((raw[name] ??= {})[t] ??= { perRound: [], info: x.info }).perRound.push(round(x.tps, 2));
      }
    }
    log(`runtime: round ${r + 1}/${rounds} done (load ${loadAvg()[0]})`);
  }
  for (const byThreads of Object.values(raw)) for (const v of Object.values(byThreads)) v.tps = median(v.perRound);
  return { picked, builtWhat: built ? Object.entries(built.cmakeOptions).map(([k, v]) => `${k}=${v}`).join(' ') : undefined, threads: cfg.threads, threadList, n, depth, rounds, reps, configs: raw, loadAverage: { min: round(Math.min(...loads)), max: round(Math.max(...loads)), median: round(median(loads)) } };
}

// Figure 7: worker start + model load as the host does it (EngineClient.load: fork dist/worker.mjs, import
// node-llama-cpp, check the file, load the model, create the context and chat) vs a fresh Node process that only
// does getLlama() + loadModel on the same file; and, to show where a difference comes from, a fresh process doing the
// worker's steps itself, timed phase by phase.
import { fork } from 'node:child_process';
import path from 'node:path';
import { HostPipeline, measuredEnv } from '../lib/host-pipeline.mjs';
import { existsSync, readFileSync } from 'node:fs';
import { benchOut, log, median, repoRoot, round } from '../lib/util.mjs';

const baselineScript = path.join(repoRoot, 'bench', 'lib', 'load-baseline.mjs');

async function hostLoad(settings) {
  const p = new HostPipeline();
  const t0 = performance.now();
  const status = await p.load(settings);
  const ms = performance.now() - t0;
  await p.dispose();
  if (settings.runtime && status.engine?.runtime !== 'built for this machine') throw new Error('the worker did not load the runtime built for this machine');
  if (settings.draftModelPath && !status.engine?.draft) throw new Error(`the worker did not attach the draft: ${status.warnings.join(' ')}`);
  return { ms, workerLoadMs: status.engine?.loadMs };
}

/** The runtime "Ponder: Build Runtime for This Machine" made for bench/sections/runtime.mjs, if it is there. */
function builtRuntime() {
  const savedDir = path.join(benchOut, 'runtime-build');
  const file = path.join(savedDir, 'build.json');
  if (!existsSync(file)) return undefined;
  const record = JSON.parse(readFileSync(file, 'utf8'));
  return { savedDir, folder: record.folder, cmakeOptions: record.cmakeOptions };
}

async function baselineLoad(settings, what, workerEnv = false) {
  const t0 = performance.now();
  const args = [settings.modelPath, what, String(settings.threads), String(settings.contextSize), ...(settings.draftModelPath ? [settings.draftModelPath] : [])];
  const child = fork(baselineScript, args, {
    env: measuredEnv(workerEnv),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((r) => child.once('exit', r));
  const [ms, phases] = await new Promise((resolve, reject) => {
    child.once('message', (m) => resolve([performance.now() - t0, m.phases]));
    child.once('exit', (code) => reject(new Error(`baseline load exited ${code}: ${stderr.slice(-500)}`)));
  });
  child.kill();
  await exited;
  return { ms, phases };
}

export async function loadBench(settings, { reps }) {
  log(`load: warming the page cache…`);
  await hostLoad(settings);
  const runs = { host: [], model: [], modelHuge: [], steps: [], built: [] };
  const runtime = settings.draftModelPath ? undefined : builtRuntime();
  const steps = [
    async () => runs.host.push(await hostLoad(settings)),
    ...(runtime ? [async () => runs.built.push(await hostLoad({ ...settings, runtime }))] : []),
    async () => runs.model.push(await baselineLoad(settings, 'model')),
    // Like for like: the baseline in the worker's environment (huge pages, one libuv thread); the worker's steps likewise.
    async () => runs.modelHuge.push(await baselineLoad(settings, 'model', true)),
    async () => runs.steps.push(await baselineLoad(settings, 'worker-steps', true)),
  ];
  for (let i = 0; i < reps; i++) {
    for (let j = 0; j < steps.length; j++) await steps[(i + j) % steps.length](); // rotate the order
  }
  const ratios = runs.host.map((h, i) => h.ms / runs.model[i].ms);
  const ratiosSteps = runs.host.map((h, i) => h.ms / runs.steps[i].ms);
  const phase = (name) => round(median(runs.steps.map((x) => x.phases[name])), 1);
  return {
    ratio: median(ratios),
    ratioWorkerSteps: median(ratiosSteps),
    ratioHugePages: median(runs.host.map((h, i) => h.ms / runs.modelHuge[i].ms)),
    baselineModelHugeMs: median(runs.modelHuge.map((x) => x.ms)),
    hostMs: median(runs.host.map((x) => x.ms)),
    workerLoadMs: median(runs.host.map((x) => x.workerLoadMs)),
    baselineModelMs: median(runs.model.map((x) => x.ms)),
    baselineStepsMs: median(runs.steps.map((x) => x.ms)),
    stepPhasesMs: Object.fromEntries(['getLlama', 'loadModel', 'createContext', 'llamaChat', ...(settings.draftModelPath ? ['draft'] : [])].map((p) => [p, phase(p)])),
    draft: settings.draftModelPath,
    // The worker on the runtime built for this machine (node-llama-cpp test-loads a prebuilt binary in a child process on
    // Linux at every start, a local build not), against the same prebuilt baseline.
    ...(runs.built.length ? { builtRatio: median(runs.built.map((b, i) => b.ms / runs.model[i].ms)), builtMs: median(runs.built.map((x) => x.ms)) } : {}),
    perRep: ratios.map((x) => round(x, 3)),
  };
}

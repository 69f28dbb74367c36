// Figure 1r rows (bench/sections/runtime.mjs): node-llama-cpp's bare decode loop against llama-bench, then one row per
// candidate cause of a gap, each a ratio of two configurations that differ in that one thing; and delivered ÷ bare.
import { round } from './util.mjs';

const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : String(x));
const f3 = (x) => (Number.isFinite(x) ? x.toFixed(3) : String(x));
const row = (figure, model, value, display, baseline, target, met) => ({ id: '1r', figure, model, value: round(value, 4), display, baseline, target, met });

export function runtimeFigures(label, g, { primary }) {
  const c = g.configs;
  const tps = (name, t) => c[name]?.[t]?.tps;
  const rows = [];
  const pair = (figure, a, b, t, baseline, target = 'info', met = null) => {
    const x = tps(a, t);
    const y = tps(b, t);
    if (x === undefined || y === undefined) return;
    rows.push(row(`${figure} (${t} thread${t > 1 ? 's' : ''})`, label, x / y, `${f3(x / y)} (${f1(x)} vs ${f1(y)} tok/s)`,
      `${baseline}; ${a}: ${c[a][t].info}; ${b}: ${c[b][t].info}; medians of ${g.rounds} interleaved rounds × ${g.reps}, ${g.n} tokens at depth ${g.depth}; load ${g.loadAverage.min}–${g.loadAverage.max}`,
      target, met));
  };
  for (const t of g.threadList) {
    const main = t === g.threads && primary;
    // The target applies to the runtime Ponder's worker runs — the build for this machine once there is one, else the
    // prebuilt, with the huge-pages tunable the worker sets — against the faster llama-bench here, as llama.cpp ships
    // it (4 KB pages): the AVX2 build, or the native one where it was built (not on AMX CPUs). Also like for like:
    // against llama-bench given the same tunable.
    const ponder = c['nlc:built:worker-env'] ? 'nlc:built:worker-env' : 'nlc:worker-env';
    const benches = ['llama-bench', 'llama-bench:native'].filter((b) => tps(b, g.threads) !== undefined);
    const fastest = benches.reduce((a, b) => (tps(b, g.threads) > tps(a, g.threads) ? b : a), benches[0]);
    const what = c['nlc:built'] ? `"Ponder: Build Runtime for This Machine" (${g.builtWhat ?? 'its plan for this CPU'})` : `the prebuilt (ggml picked ${g.picked})`;
    const ratio = tps(ponder, t) / tps(fastest, t);
    pair(`Runtime gap: node-llama-cpp bare decode as Ponder's worker runs it ÷ ${fastest} tg`, ponder, fastest, t, `${what}, in the worker's environment (glibc.malloc.hugetlb=1, UV_THREADPOOL_SIZE=1); greedy, no chat layer`, main ? '≥ 0.98' : 'info', main ? ratio >= 0.98 : null);
    pair(`… like for like: ÷ llama-bench with huge pages too`, ponder, 'llama-bench:huge-pages', t, 'both with glibc.malloc.hugetlb=1 (llama-bench decodes from one thread already)');
    for (const b of benches) {
      pair(`node-llama-cpp bare decode (prebuilt, 4 KB pages) ÷ ${b} tg`, 'nlc', b, t, `ggml picked ${g.picked}; greedy, no chat layer`);
      if (c['nlc:built']) pair(`node-llama-cpp bare decode (built for this machine, 4 KB pages) ÷ ${b} tg`, 'nlc:built', b, t, `${what}; greedy, no chat layer`);
    }
    pair('Cause? threads: one libuv pool thread ÷ Node\'s default 4 (node-llama-cpp prebuilt, 4 KB pages)', 'nlc:one-pool-thread', 'nlc', t, 'UV_THREADPOOL_SIZE=1: every llama_decode from the same thread, so one team of ggml threads');
    pair('Cause? pages: huge ÷ 4 KB (node-llama-cpp prebuilt)', 'nlc:huge-pages', 'nlc', t, 'glibc.malloc.hugetlb=1: ggml\'s repacked weights, KV cache and compute buffer in transparent huge pages');
    pair('Cause? pages: huge ÷ 4 KB (llama-bench)', 'llama-bench:huge-pages', benches.includes('llama-bench:native') ? 'llama-bench:native' : 'llama-bench', t, 'the same tunable');
    if (c['nlc:built']) pair('Build for this machine ÷ prebuilt (node-llama-cpp bare decode, worker environment)', 'nlc:built:worker-env', 'nlc:worker-env', t, `${what} vs the prebuilt: ggml picked ${g.picked}`);
    pair('llama-bench: native ÷ AVX2 build', 'llama-bench:native', 'llama-bench', t, 'both with OpenMP');
    for (const v of Object.keys(c).filter((k) => k.startsWith('nlc:') && !/sampling|flash|context|built|huge|pool|worker-env/.test(k))) {
      pair(`Cause? CPU variant: ${v.slice(4)} ÷ ${g.picked} (node-llama-cpp)`, v, 'nlc', t, 'the same prebuilt package with only that libggml-cpu variant present');
    }
    pair('Cause? threading: ggml thread pool ÷ OpenMP (llama-bench, AVX2)', 'llama-bench:no-openmp', 'llama-bench', t, 'the prebuilt is built without OpenMP');
    pair('Cause? sampling: R1 sampling (temperature 0.6, top-p 0.95) ÷ greedy (node-llama-cpp)', 'nlc:r1-sampling', 'nlc', t, 'llama-bench samples nothing');
    pair('Cause? flash attention off ÷ auto (node-llama-cpp)', 'nlc:flash-off', 'nlc', t, 'llama-bench: auto');
    pair('Cause? context size: 256 ÷ 4096 tokens (node-llama-cpp)', 'nlc:context-256', 'nlc', t, 'llama-bench allocates depth + n tokens');
  }
  return rows;
}

/** Delivered to the webview ÷ node-llama-cpp's bare decode loop (engine section: host pipeline vs LlamaContextSequence.evaluate). */
export function deliveredFigure(label, e, { primary }) {
  const s = e.streaming;
  const ratio = s.hostTps / s.decodeTps;
  return [{
    id: '1r', figure: 'Streaming: tok/s delivered to the webview ÷ node-llama-cpp bare decode loop', model: label, value: round(ratio, 4),
    display: `${f3(ratio)} (${f1(s.hostTps)} vs ${f1(s.decodeTps)} tok/s)`, baseline: 'same sampling (R1), same model and threads; bare loop: LlamaContextSequence.evaluate, no chat layer',
    target: primary ? '≥ 0.95' : 'info', met: primary ? ratio >= 0.95 : null,
  }];
}

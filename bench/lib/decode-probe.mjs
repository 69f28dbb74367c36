// Forked by bench/sections/runtime.mjs: node-llama-cpp's bare decode loop measured the way llama-bench measures tg —
// `depth` tokens in the context, then `n` generated tokens, one sequence, no chat layer — so the two compare directly.
// argv: <modelPath> <threads> <n> <depth> <reps> <sampling: greedy|r1> <flash: auto|on|off> <contextSize> [cmakeOptions JSON:
// load the local build "Ponder: Build Runtime for This Machine" made with them]. Prints a JSON line:
// { cpuBackend (the libggml-cpu-*.so ggml picked), buildType, flashAttention, tps: [per repetition] }.
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';

const [modelPath, threads, n, depth, reps, sampling, flash, contextSize, cmakeOptions] = process.argv.slice(2);
let cpuBackend = 'unknown';
const llama = await getLlama({
  build: 'never', progressLogs: false, logLevel: LlamaLogLevel.debug, ...(cmakeOptions ? { cmakeOptions: JSON.parse(cmakeOptions) } : {}),
  logger: (_level, message) => {
    const m = /loaded CPU backend from (\S+)/.exec(message);
    if (m) cpuBackend = m[1].split('/').pop();
  },
});
const model = await llama.loadModel({ modelPath });
llama.logLevel = LlamaLogLevel.warn; // the backend line has arrived by now (logs are delivered asynchronously); none while timing
const context = await model.createContext({
  contextSize: Number(contextSize), threads: Number(threads), sequences: 1, flashAttention: flash === 'auto' ? 'auto' : flash === 'on',
});
const seq = context.getSequence();
const options = sampling === 'greedy' ? { temperature: 0 } : { temperature: 0.6, topP: 0.95 }; // r1: the worker's defaults
// Fixed pseudo-random prompt tokens (llama-bench also fills its context with arbitrary tokens).
const prompt = Array.from({ length: Number(depth) }, (_, i) => 1000 + ((i * 7919) % 50_000));
const tps = [];
for (let r = 0; r <= Number(reps); r++) { // repetition 0 (8 tokens) warms up, as llama-bench's warm-up run does
  await seq.clearHistory();
  await seq.evaluateWithoutGeneratingNewTokens(prompt.slice(0, -1));
  const times = [];
  for await (const _token of seq.evaluate(prompt.slice(-1), options)) {
    times.push(performance.now());
    if (times.length >= (r === 0 ? 8 : Number(n))) break;
  }
  if (r > 0) tps.push(((times.length - 1) * 1000) / (times[times.length - 1] - times[0]));
}
if (cmakeOptions && llama.buildType !== 'localBuild') throw new Error('the runtime build did not load');
console.log(JSON.stringify({ cpuBackend, buildType: llama.buildType, flashAttention: context.flashAttention, threads: Number(threads), tps }));
process.exit(0);

// Forked by bench/sections/load.mjs: a fresh Node process that loads a model with node-llama-cpp and nothing else.
// argv: <modelPath> <'model' | 'worker-steps'> <threads> <contextSize>. Reports { phases: { name: ms } } when done.
// - model: getLlama() + loadModel (the baseline of figure 7);
// - worker-steps: the same work src/worker/local-engine.ts does, phase by phase: getLlama, the file check of
//   src/worker/model-file.ts (GGUF header + insights), loadModel, createContext, LlamaChat.
import { stat } from 'node:fs/promises';
import { getLlama, GgufInsights, LlamaChat, readGgufFileInfo } from 'node-llama-cpp';
import { LLAMA_OPTIONS } from './raw-engine.mjs';

const [modelPath, what, threads, contextSize] = process.argv.slice(2);
const phases = {};
let t = performance.now();
const lap = (name) => {
  const now = performance.now();
  phases[name] = now - t;
  t = now;
};
const llama = await getLlama(LLAMA_OPTIONS);
lap('getLlama');
if (what === 'worker-steps') {
  await stat(modelPath);
  const info = await readGgufFileInfo(modelPath, { readTensorInfo: true, ignoreKeys: ['tokenizer.ggml.tokens', 'tokenizer.ggml.merges', 'tokenizer.ggml.token_type', 'tokenizer.ggml.scores'] });
  await GgufInsights.from(info, llama);
  lap('fileCheck');
}
const model = await llama.loadModel({ modelPath });
lap('loadModel');
if (what === 'worker-steps') {
  const context = await model.createContext({ contextSize: Number(contextSize), threads: Number(threads), sequences: 1 });
  lap('createContext');
  void new LlamaChat({ contextSequence: context.getSequence(), chatWrapper: 'auto' });
  lap('llamaChat');
}
process.send?.({ phases });
process.on('disconnect', () => process.exit(0));

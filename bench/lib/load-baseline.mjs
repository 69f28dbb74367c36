// Forked by bench/sections/load.mjs: a fresh Node process that loads a model with node-llama-cpp and nothing else.
// argv: <modelPath> <'model' | 'worker-steps'> <threads> <contextSize> [draftModelPath]. Reports { phases: { name: ms } }.
// - model: getLlama() + loadModel (the baseline of figure 7), and loadModel of the draft when one is given;
// - worker-steps: the same work src/worker/local-engine.ts does, in its order, phase by phase: getLlama with the
//   quick file check beside it, loadModel, createContext with the chat template resolved while llama.cpp allocates
//   it ("createContext" covers both), LlamaChat.
import { open, stat } from 'node:fs/promises';
import { getLlama, LlamaChat, resolveChatWrapper } from 'node-llama-cpp';
import { LLAMA_OPTIONS } from './raw-engine.mjs';

const [modelPath, what, threads, contextSize, draftModelPath] = process.argv.slice(2);
const phases = {};
let t = performance.now();
const lap = (name) => {
  const now = performance.now();
  phases[name] = now - t;
  t = now;
};

/** src/worker/model-file.ts quickCheck: a stat and the 4-byte GGUF magic. */
async function quickCheck(file) {
  await stat(file);
  const fh = await open(file, 'r');
  try {
    await fh.read(Buffer.alloc(4), 0, 4, 0);
  } finally {
    await fh.close();
  }
}

const [llama] = await Promise.all([getLlama(LLAMA_OPTIONS), what === 'worker-steps' ? quickCheck(modelPath) : undefined]);
lap('getLlama');
const model = await llama.loadModel({ modelPath });
lap('loadModel');
if (what === 'worker-steps') {
  const creating = model.createContext({ contextSize: Number(contextSize), threads: Number(threads), sequences: 1 });
  await new Promise((r) => setImmediate(r));
  const chatWrapper = resolveChatWrapper(model);
  const context = await creating;
  lap('createContext');
  void new LlamaChat({ contextSequence: context.getSequence(), chatWrapper });
  lap('llamaChat');
}
if (draftModelPath) {
  await llama.loadModel({ modelPath: draftModelPath });
  lap('draft');
}
process.send?.({ phases });
process.on('disconnect', () => process.exit(0));

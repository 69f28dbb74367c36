// The baseline: node-llama-cpp used directly in this (bench) process, the way its documentation shows, with the
// same model file and settings as the worker (threads, context size, temperature/top-p, thinking budget).
import { getLlama, LlamaChat, LlamaLogLevel } from 'node-llama-cpp';

/** Same getLlama options as src/worker/local-engine.ts: prebuilt binaries only, warnings and errors only. */
export const LLAMA_OPTIONS = { build: 'never', progressLogs: false, logLevel: LlamaLogLevel.warn };

/** Same sampling as the worker's defaults (R1: temperature 0.6, top-p 0.95). */
export const SAMPLING = { temperature: 0.6, topP: 0.95 };

export class RawEngine {
  constructor(llama, model, context, chat) {
    this.llama = llama;
    this.model = model;
    this.context = context;
    this.chat = chat;
  }

  static async load({ modelPath, threads, contextSize }) {
    const llama = await getLlama(LLAMA_OPTIONS);
    const model = await llama.loadModel({ modelPath });
    const context = await model.createContext({ contextSize, threads, sequences: 1 });
    const chat = new LlamaChat({ contextSequence: context.getSequence(), chatWrapper: 'auto' });
    return new RawEngine(llama, model, context, chat);
  }

  get sequence() {
    return this.chat.sequence;
  }

  /** ChatTurn[] (as the host sends them) → node-llama-cpp history with an empty model response to fill. */
  static history(turns) {
    return [...turns.map((t) => (t.role === 'user' ? { type: 'user', text: t.text } : { type: 'model', response: [t.text] })), { type: 'model', response: [] }];
  }

  /** Prompt tokens of a history, as the chat wrapper renders it (for the turn-2 bound, computed independently). */
  promptTokens(turns) {
    return this.chat.chatWrapper.generateContextState({ chatHistory: RawEngine.history(turns) }).contextText.tokenize(this.model.tokenizer);
  }

  /**
   * One reply. `onChunk(kind, text, t)` gets the pieces the worker would stream (thought → reasoning, text → answer),
   * timestamped with performance.now(). Returns timings and token-meter deltas.
   */
  async reply(turns, { budget, signal, onChunk }) {
    const seq = this.sequence;
    const inputAtStart = seq.tokenMeter.usedInputTokens;
    const outputAtStart = seq.tokenMeter.usedOutputTokens;
    const before = seq.contextTokens.slice();
    let evaluated;
    let promptTokens;
    let reused;
    let answer = '';
    const times = [];
    const started = performance.now();
    await this.chat.generateResponse(RawEngine.history(turns), {
      ...SAMPLING,
      budgets: { thoughtTokens: budget },
      signal,
      stopOnAbortSignal: true,
      onResponseChunk: (chunk) => {
        const t = performance.now();
        if (evaluated === undefined) {
          const now = seq.contextTokens;
          promptTokens = now.length;
          evaluated = seq.tokenMeter.usedInputTokens - inputAtStart + (seq.tokenMeter.usedOutputTokens - outputAtStart);
          reused = commonPrefix(before, now);
        }
        const kind = chunk.type === 'segment' ? (chunk.segmentType === 'thought' ? 'reasoning' : undefined) : 'answer';
        if (!kind || !chunk.text || signal?.aborted) return;
        if (kind === 'answer') answer += chunk.text;
        times.push(t);
        onChunk?.(kind, chunk.text, t);
      },
    });
    return { started, ended: performance.now(), times, answer, promptTokens, evaluated, reused, contextTokens: seq.contextTokens.slice() };
  }

  /**
   * node-llama-cpp's bare decode loop (LlamaContextSequence.evaluate, same sampling), without the chat layer: the
   * chat-formatted prompt, then `n` generated tokens. Returns the token timestamps. Clears the sequence first.
   */
  async decode(turns, n) {
    const seq = this.sequence;
    await seq.clearHistory();
    const times = [];
    for await (const _token of seq.evaluate(this.promptTokens(turns), SAMPLING)) {
      times.push(performance.now());
      if (times.length >= n) break;
    }
    return times;
  }

  async dispose() {
    this.chat.dispose({ disposeSequence: true });
    await this.context.dispose();
    await this.model.dispose();
  }
}

export function commonPrefix(a, b) {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** The local engine: a GGUF model run by node-llama-cpp in this (worker) process. One chat = one context sequence. */
import {
  DeepSeekChatWrapper,
  InsufficientMemoryError,
  LlamaChat,
  getLlama,
  LlamaLogLevel,
  resolveChatWrapper,
  type ChatHistoryItem,
  type ChatModelResponse,
  type Llama,
  type LlamaChatResponseChunk,
  type LlamaContext,
  type LlamaModel,
} from 'node-llama-cpp';
import { basename } from 'node:path';
import type { ChatResult, ChatTurn, EngineSpec, EngineStatus, GenerationOptions } from '../core/protocol/engine';
import { EngineFailure, type ChatControl, type Engine } from './engine';
import { diagnoseDamage, quickCheck } from './model-file';
import { errorMessage } from '../core/result';
import { SwitchingTokenPredictor } from './token-predictor';
import { loadDraft, type LoadedDraft } from './draft-model';
import { PredictionTurn } from './prediction-turn';
import type { RuntimeSpec } from '../core/runtime/build-plan';
import { restoreRuntimeBuild } from './runtime';
import { autoDraftVerdict } from '../core/speculation/pairing';

type LocalSpec = Extract<EngineSpec, { kind: 'local' }>;
type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

let llamaPromise: Promise<RuntimeLoad> | undefined;

interface RuntimeLoad {
  readonly llama: Llama;
  /** Which binary answers, and the warning to show when the build made for this machine could not be used. */
  readonly runtime: 'prebuilt' | 'built for this machine';
  readonly warning?: string;
}

/**
 * One llama.cpp backend per process. Never compiles inside the engine: the prebuilt binary, or the build "Ponder:
 * Build Runtime for This Machine" made (node-llama-cpp falls back to the prebuilt one when that fails to load).
 * The runtime is fixed for the process's life: the host restarts the worker after a build.
 */
function llamaInstance(log: Log, runtime: RuntimeSpec | undefined): Promise<RuntimeLoad> {
  llamaPromise ??= (async () => {
    let problem: string | undefined;
    if (runtime) {
      const restored = restoreRuntimeBuild(runtime);
      if (restored === 'restored') log('info', `Put back the runtime built for this machine (${runtime.folder}) after an update.`);
      else if (typeof restored === 'object') problem = restored.problem;
    }
    const llama = await getLlama({
      build: 'never',
      ...(runtime && !problem ? { cmakeOptions: { ...runtime.cmakeOptions } } : {}),
      progressLogs: false,
      logLevel: LlamaLogLevel.warn,
      logger: (level, message) => {
        const text = message.trim();
        if (text) log(level === LlamaLogLevel.error || level === LlamaLogLevel.fatal ? 'error' : 'warn', `llama.cpp: ${text}`);
      },
    });
    const local = llama.buildType === 'localBuild';
    if (runtime && !local) problem ??= 'it did not load on this machine';
    const warning = problem ? `The llama.cpp runtime built for this machine is not used (${problem}); Ponder runs the prebuilt one. Run "Ponder: Build Runtime for This Machine" again, or remove the build there.` : undefined;
    if (warning) log('warn', warning);
    return { llama, runtime: local ? 'built for this machine' : 'prebuilt', ...(warning ? { warning } : {}) };
  })();
  return llamaPromise;
}

export class LocalEngine implements Engine {
  private lastContextShiftMetadata: object | null | undefined;
  private lastChatId: string | undefined;

  private constructor(
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    private readonly llamaChat: LlamaChat,
    readonly status: EngineStatus,
    private readonly predictor: SwitchingTokenPredictor,
    private readonly draft: LoadedDraft | undefined,
    private readonly log: Log,
  ) {}

  /** Per-chat draft gates (a draft that loses is paused, then tried again later). */
  private readonly prediction = new PredictionTurn();

  static async load(spec: LocalSpec, log: Log): Promise<LocalEngine> {
    const started = performance.now();
    // The file check (a stat and 4 bytes) runs while getLlama() loads and tests the native binary.
    const [runtime, problem] = await Promise.all([llamaInstance(log, spec.runtime), quickCheck(spec.modelPath)]);
    if (problem) throw new EngineFailure(problem);
    const llama = runtime.llama;
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: spec.modelPath, gpuLayers: spec.gpuLayers ?? 'auto' });
    } catch (e) {
      if (e instanceof InsufficientMemoryError) {
        throw new EngineFailure({ code: 'MODEL_TOO_LARGE', message: `Not enough memory to load ${spec.modelPath}. Choose a smaller model or quantization (e.g. Qwen-1.5B or 7B Q4_K_M), or lower \`ponder.gpuLayers\`.` });
      }
      const damage = await diagnoseDamage(spec.modelPath, llama).catch(() => undefined);
      if (damage) throw new EngineFailure(damage);
      throw new EngineFailure({ code: 'MODEL_INVALID', message: `llama.cpp could not load ${spec.modelPath}: ${errorMessage(e)}. The file may be damaged or of an unsupported architecture; download it again or choose another model.` });
    }
    const creating = model.createContext({
      contextSize: spec.contextSize ?? { max: 8192 },
      threads: spec.threads ?? 0,
      sequences: 1,
    }).then((c) => ({ ok: true as const, context: c }), (e: unknown) => ({ ok: false as const, error: e }));
    const warnings: string[] = runtime.warning ? [runtime.warning] : [];
    const hasTemplate = typeof model.fileInfo.metadata.tokenizer?.chat_template === 'string';
    // R1 convention: the model's own template; with none, the R1 format rather than a generic one. Resolving the
    // template (~100 ms of JavaScript on a 1.5B model) runs while llama.cpp allocates the context on its own thread.
    await new Promise((r) => setImmediate(r));
    const chatWrapper = hasTemplate ? resolveChatWrapper(model) : new DeepSeekChatWrapper();
    if (!hasTemplate) warnings.push(`${basename(spec.modelPath)} has no chat template: Ponder uses the DeepSeek-R1 chat format.`);
    const created = await creating;
    if (!created.ok) {
      await model.dispose();
      const e = created.error;
      const tooBig = e instanceof InsufficientMemoryError;
      throw new EngineFailure({
        code: tooBig ? 'MODEL_TOO_LARGE' : 'INTERNAL',
        message: tooBig ? `Not enough memory for a ${spec.contextSize ?? 'default'}-token context with ${spec.modelPath}. Lower \`ponder.contextSize\` or choose a smaller model.` : `Could not create a context: ${errorMessage(e)}`,
      });
    }
    const context = created.context;
    // The predictor is fixed for the sequence's life; it switches per turn (see token-predictor.ts).
    const predictor = new SwitchingTokenPredictor();
    const sequence = context.getSequence({ tokenPredictor: predictor });
    const llamaChat = new LlamaChat({ contextSequence: sequence, chatWrapper });
    const name = String(model.fileInfo.metadata.general?.name || basename(spec.modelPath));
    const loadMs = Math.round(performance.now() - started);
    let draft: LoadedDraft | undefined;
    let draftSkipped: string | undefined;
    if (spec.draftModelPath) {
      // A draft `auto` chose is loaded only where drafting pays off; an explicit one always.
      const verdict = spec.draftAuto ? autoDraftVerdict({ gpu: llama.gpu, gpuLayers: model.gpuLayers, threads: context.currentThreads }) : undefined;
      if (verdict && !verdict.use) {
        draftSkipped = verdict.short;
        log('info', `Draft model ${basename(spec.draftModelPath)} not loaded: ${verdict.why}`);
      } else {
        const loaded = await loadDraft(llama, spec.draftModelPath, { model, context, sequence, name, threads: spec.threads }, predictor, log);
        if ('warning' in loaded) warnings.push(loaded.warning);
        else draft = loaded;
      }
    }
    const status: EngineStatus = {
      state: 'ready',
      engine: {
        kind: 'local', name, contextSize: context.contextSize, chatFormat: llamaChat.chatWrapper.constructor.name, loadMs, runtime: runtime.runtime,
        ...(draft ? { draft: { name: draft.name, loadMs: draft.loadMs } } : {}),
        ...(draftSkipped ? { draftSkipped } : {}),
      },
      warnings,
    };
    for (const w of warnings) log('warn', w);
    return new LocalEngine(model, context, llamaChat, status, predictor, draft, log);
  }

  async countTokens(text: string): Promise<{ tokens: number; estimated: boolean }> {
    return { tokens: this.model.tokenize(text).length, estimated: false };
  }

  async chat(chatId: string, turns: readonly ChatTurn[], options: GenerationOptions, control: ChatControl): Promise<ChatResult> {
    const received = performance.now();
    const sequence = this.llamaChat.sequence;
    if (chatId !== this.lastChatId) this.lastContextShiftMetadata = undefined;
    this.lastChatId = chatId;

    const history: ChatHistoryItem[] = turns.map((t): ChatHistoryItem => (t.role === 'user' ? { type: 'user', text: t.text } : { type: 'model', response: [t.text] }));
    history.push({ type: 'model', response: [] });

    const turnPrediction = this.prediction.begin(chatId, options.prediction, this.predictor, sequence, this.draft);
    const previousTokens = sequence.contextTokens.slice();
    const inputAtStart = sequence.tokenMeter.usedInputTokens;
    const outputAtStart = sequence.tokenMeter.usedOutputTokens;
    let firstAt: number | undefined;
    let promptTokens = 0;
    let evaluatedTokens = 0;
    let reusedTokens = 0;
    let thinkingTokens = 0;
    let answerTokens = 0;
    let reasoning = '';
    let answer = '';
    let inThought = false;
    let thoughtEnded = false;

    const inner = new AbortController();
    const onOuterAbort = () => inner.abort();
    control.signal.addEventListener('abort', onOuterAbort);
    let endThinkingRequested = false;
    let silenced = false; // between "answer now" and the continuation, stray thought chunks are dropped
    control.onEndThinking(() => {
      if (inThought && !thoughtEnded && !endThinkingRequested) {
        endThinkingRequested = true;
        silenced = true;
        inner.abort();
      }
    });

    const onResponseChunk = (chunk: LlamaChatResponseChunk) => {
      if (firstAt === undefined) {
        // First chunk: the prompt is in the context and the first token sampled but not yet fed back. The meter
        // counts the prompt's last token (the one producing logits) as output, hence input + output.
        firstAt = performance.now();
        const now = sequence.contextTokens;
        promptTokens = now.length;
        // Predictions checked with the prompt's last batch are metered as input too: they are not prompt tokens.
        evaluatedTokens = sequence.tokenMeter.usedInputTokens - inputAtStart + (sequence.tokenMeter.usedOutputTokens - outputAtStart) - turnPrediction.checkedSoFar();
        reusedTokens = commonPrefix(previousTokens, now);
      }
      const kind = chunk.type === 'segment' ? (chunk.segmentType === 'thought' ? 'reasoning' : undefined) : 'answer';
      if (chunk.type === 'segment' && chunk.segmentType === 'thought') {
        inThought = chunk.segmentEndTime === undefined;
        if (chunk.segmentEndTime !== undefined) thoughtEnded = true;
      } else if (chunk.type === undefined && chunk.text) {
        inThought = false;
      }
      if (kind === 'reasoning') thinkingTokens += chunk.tokens.length;
      if (kind === 'answer') answerTokens += chunk.tokens.length;
      if (kind === undefined || !chunk.text || control.signal.aborted || silenced) return;
      if (kind === 'reasoning') reasoning += chunk.text;
      else answer += chunk.text;
      control.onChunk(kind, chunk.text);
    };

    const common = {
      onResponseChunk,
      stopOnAbortSignal: true,
      temperature: options.temperature ?? 0.6,
      topP: options.topP ?? 0.95,
      maxTokens: options.maxAnswerTokens === undefined ? undefined : (options.maxThinkingTokens ?? this.context.contextSize) + options.maxAnswerTokens,
    };
    const budget = this.thinkingBudget(history, options);
    try {
      let result = await this.llamaChat.generateResponse(history, {
        ...common,
        signal: inner.signal,
        budgets: { thoughtTokens: budget },
        lastEvaluationContextWindow: { history, minimumOverlapPercentageToPreventContextShift: 0.5 },
        contextShift: { lastEvaluationMetadata: this.lastContextShiftMetadata },
      });
      if (endThinkingRequested && !control.signal.aborted) {
        // "Answer now": continue the same model response with its thought closed and no further thinking allowed.
        const closed: ChatModelResponse['response'] = [{ type: 'segment', segmentType: 'thought', text: reasoning, ended: true }];
        const continued: ChatHistoryItem[] = [...history.slice(0, -1), { type: 'model', response: closed }];
        silenced = false;
        result = await this.llamaChat.generateResponse(continued, {
          ...common,
          // The ceiling covers the whole reply: the continuation gets what the thought left of it.
          maxTokens: common.maxTokens === undefined ? undefined : Math.max(1, common.maxTokens - thinkingTokens - answerTokens),
          signal: control.signal,
          budgets: { thoughtTokens: 0, includeCurrentResponse: false },
          lastEvaluationContextWindow: { history: continued, minimumOverlapPercentageToPreventContextShift: 0.5 },
        });
      }
      this.lastContextShiftMetadata = result.lastEvaluation.contextShiftMetadata;
      const end = performance.now();
      const generated = thinkingTokens + answerTokens;
      const genSeconds = firstAt === undefined ? 0 : (end - firstAt) / 1000;
      const stopReason = control.signal.aborted ? 'aborted' : result.metadata.stopReason === 'maxTokens' ? 'maxTokens' : 'done';
      const budgetHit = thinkingTokens >= budget;
      const prediction = turnPrediction.end(generated, this.log);
      return {
        stopReason,
        reasoning: reasoning.trim(),
        answer: answer.trim(),
        thoughtCutShort: endThinkingRequested || (budgetHit && answer.length > 0),
        stats: {
          promptTokens,
          evaluatedTokens,
          reusedTokens,
          thinkingTokens,
          answerTokens,
          timeToFirstTokenMs: firstAt === undefined ? 0 : Math.round((firstAt - received) * 10) / 10,
          tokensPerSecond: genSeconds > 0 ? Math.round((generated / genSeconds) * 10) / 10 : 0,
          durationMs: Math.round(end - received),
          contextTokens: sequence.contextTokens.length,
          contextSize: this.context.contextSize,
          ...(prediction ? { prediction } : {}),
        },
      };
    } catch (e) {
      if (/context shift|compress chat history/i.test(errorMessage(e))) {
        throw new EngineFailure({ code: 'CONTEXT_FULL', message: `The conversation no longer fits in the model's ${this.context.contextSize}-token context. Start a new chat, shorten the prompt, or raise \`ponder.contextSize\`.` });
      }
      throw e;
    } finally {
      control.signal.removeEventListener('abort', onOuterAbort);
    }
  }

  /**
   * The user's budget, capped so a thought never fills the context: room stays for the answer
   * (otherwise a long thought ends in a context-shift failure instead of an answer).
   */
  private thinkingBudget(history: ChatHistoryItem[], options: GenerationOptions): number {
    const prompt = this.llamaChat.chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(this.model.tokenizer).length;
    const size = this.context.contextSize;
    const answerReserve = Math.min(options.maxAnswerTokens ?? 1024, Math.floor(size / 4));
    const room = Math.max(0, size - prompt - answerReserve);
    return Math.min(options.maxThinkingTokens ?? room, room);
  }

  async dispose(): Promise<void> {
    // The draft goes with its target (unload, idle unload, switch); a reload loads both again from the same spec.
    await this.draft?.dispose();
    this.llamaChat.dispose({ disposeSequence: true });
    await this.context.dispose();
    await this.model.dispose();
  }
}

function commonPrefix(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

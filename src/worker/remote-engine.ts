/**
 * The remote engine: an OpenAI-compatible chat-completions server (vLLM, SGLang, llama.cpp's llama-server, Ollama,
 * DeepSeek's API) over HTTP, behind the same Engine seam as the local one. Makes no request before `load`, which is
 * only called when the user configured this engine. The API key arrives per request and is never stored or logged.
 */
import { estimateTokens } from '../core/context/tokens';
import type { ChatResult, ChatTurn, EngineSpec, EngineStatus, GenerationOptions } from '../core/protocol/engine';
import { isFiniteNumber, isObject, isString } from '../core/protocol/validate';
import { parseStreamEvent, parseUsage, type ServerTimings, type Usage } from '../core/remote/chat-stream';
import { chatCompletionsUrl, displayServer, isLoopback, modelsUrl, serverRoot } from '../core/remote/endpoints';
import { ReplyAssembler } from '../core/remote/reply-assembler';
import { remoteStats } from '../core/remote/stats';
import { EngineFailure, type ChatControl, type Engine } from './engine';
import { CallerAborted, getJson, readEvents, send, type RemoteTarget } from './remote-http';
import { errorMessage } from '../core/result';

type RemoteSpec = Extract<EngineSpec, { kind: 'openai-compatible' }>;
type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

/** llama-server takes extra request fields (a thinking budget, "end reasoning now"); other servers get only the standard ones. */
type Flavor = 'llama.cpp' | 'standard';

const DEFAULT_TIMEOUT_MS = 120_000;
const FALLBACK_CONTEXT = 8192;

interface StreamOutcome {
  finishReason?: string;
  usage?: Usage;
  timings?: ServerTimings;
}

export class RemoteEngine implements Engine {
  private constructor(
    private readonly spec: RemoteSpec,
    private readonly model: string,
    private readonly flavor: Flavor,
    private readonly tokenizer: 'server' | 'estimate',
    readonly status: EngineStatus,
    private readonly log: Log,
  ) {}

  /** Checks the server answers (and the key works), learns its model, context size and whether it can tokenize. */
  static async load(spec: RemoteSpec, log: Log, apiKey?: string): Promise<RemoteEngine> {
    const started = performance.now();
    const signal = new AbortController().signal;
    const probe = targetFor(spec, spec.model, apiKey);
    const models = await getJson(modelsUrl(spec.baseUrl), { method: 'GET' }, probe, signal);
    const listed = isObject(models) && Array.isArray(models.data) ? models.data.filter(isObject) : [];
    const model = spec.model || listed.map((m) => m.id).find(isString) || '';
    const entry = listed.find((m) => m.id === model);
    const target = targetFor(spec, model, apiKey);
    // llama-server's /props: its real context size, and the sign that its extensions are available.
    const props = await getJson(`${serverRoot(spec.baseUrl)}/props`, { method: 'GET' }, target, signal).catch(() => undefined);
    const settings = isObject(props) && isObject(props.default_generation_settings) ? props.default_generation_settings : undefined;
    const flavor: Flavor = settings ? 'llama.cpp' : 'standard';
    const served = [settings?.n_ctx, entry?.max_model_len].find((n): n is number => isFiniteNumber(n) && n > 0);
    const warnings: string[] = [];
    const contextSize = spec.contextSize ?? served ?? FALLBACK_CONTEXT;
    if (spec.contextSize === undefined && served === undefined) {
      warnings.push(`${displayServer(spec.baseUrl)} does not report its context size: Ponder assumes ${FALLBACK_CONTEXT} tokens. Set \`ponder.remote.contextSize\` to the real one.`);
    }
    if (apiKey && !isLoopback(spec.baseUrl) && new URL(spec.baseUrl).protocol === 'http:') {
      warnings.push(`The API key goes to ${displayServer(spec.baseUrl)} over plain http, readable on the network. Use an https URL.`);
    }
    const tokens = await tokenizeOnServer(spec.baseUrl, model, 'Hello', target, signal).catch(() => undefined);
    const tokenizer = tokens === undefined ? 'estimate' : 'server';
    const status: EngineStatus = {
      state: 'ready',
      engine: {
        kind: 'openai-compatible',
        name: model || 'server default model',
        contextSize,
        chatFormat: `OpenAI chat completions (${flavor === 'llama.cpp' ? 'llama.cpp server' : 'remote'})`,
        loadMs: Math.round(performance.now() - started),
        tokenCounts: tokenizer === 'server' ? 'exact' : 'estimated',
      },
      warnings,
    };
    for (const w of warnings) log('warn', w);
    return new RemoteEngine(spec, model, flavor, tokenizer, status, log);
  }

  async countTokens(text: string, apiKey?: string): Promise<{ tokens: number; estimated: boolean }> {
    if (this.tokenizer === 'server') {
      try {
        const n = await tokenizeOnServer(this.spec.baseUrl, this.model, text, targetFor(this.spec, this.model, apiKey), new AbortController().signal);
        if (n !== undefined) return { tokens: n, estimated: false };
      } catch (e) {
        this.log('warn', `Token counting on the server failed (${errorMessage(e)}); estimating instead.`);
      }
    }
    return { tokens: estimateTokens(text), estimated: true };
  }

  async chat(_chatId: string, turns: readonly ChatTurn[], options: GenerationOptions, control: ChatControl): Promise<ChatResult> {
    const receivedAt = performance.now();
    const target = targetFor(this.spec, this.model, control.apiKey);
    let firstAt: number | undefined;
    const reply = new ReplyAssembler((kind, text) => {
      firstAt ??= performance.now();
      if (!control.signal.aborted) control.onChunk(kind, text);
    });
    const messages = turns.map((t) => ({ role: t.role, content: t.text }));
    const budget = options.maxThinkingTokens;
    const body: Record<string, unknown> = {
      model: this.model || undefined,
      messages,
      stream: true,
      stream_options: { include_usage: true },
      temperature: options.temperature ?? 0.6,
      top_p: options.topP ?? 0.95,
      max_tokens: options.maxAnswerTokens === undefined ? undefined : (budget ?? this.status.engine!.contextSize) + options.maxAnswerTokens,
      // llama-server: enforce the thinking budget itself and accept "end reasoning now" for this completion.
      ...(this.flavor === 'llama.cpp' ? { reasoning_control: true, reasoning_budget_tokens: budget ?? -1 } : {}),
    };

    // "Answer now" (or a thinking budget on a standard server): llama-server ends the thought in the same stream;
    // elsewhere the stream is stopped and a continuation of the assistant message asks for the answer.
    const first = new AbortController();
    const onOuterAbort = () => first.abort();
    control.signal.addEventListener('abort', onOuterAbort);
    let completionId: string | undefined;
    let cutRequested = false;
    let continueWithAnswer = false;
    const endThinking = () => {
      if (cutRequested || !reply.inThought || control.signal.aborted) return;
      cutRequested = true;
      const viaServer = this.flavor === 'llama.cpp' && completionId !== undefined ? this.endReasoningOnServer(completionId, target) : Promise.resolve(false);
      void viaServer.then((ok) => {
        if (ok || !reply.inThought) return;
        continueWithAnswer = true;
        first.abort();
      });
    };
    control.onEndThinking(endThinking);

    let outcome: StreamOutcome = {};
    let earlierCompletionTokens = 0;
    try {
      try {
        outcome = await this.stream(body, target, first.signal, reply, (e) => {
          completionId ??= e.id;
          if (this.flavor !== 'llama.cpp' && budget !== undefined && reply.reasoningDeltas >= budget) endThinking();
        });
      } catch (e) {
        if (!(e instanceof CallerAborted) || !continueWithAnswer || control.signal.aborted) throw e;
      }
      if (continueWithAnswer && !control.signal.aborted) {
        earlierCompletionTokens = reply.reasoningDeltas + reply.answerDeltas;
        reply.answerFromHere();
        const prefix = `<think>\n${reply.reasoning}\n</think>\n\n`;
        const continued = { ...body, messages: [...messages, { role: 'assistant', content: prefix }], continue_final_message: true, add_generation_prompt: false };
        outcome = await this.stream(continued, target, control.signal, reply, () => undefined);
      }
    } catch (e) {
      if (!(e instanceof CallerAborted)) throw e;
    } finally {
      control.signal.removeEventListener('abort', onOuterAbort);
    }
    if (!control.signal.aborted) reply.flush();

    const stats = remoteStats({
      receivedAt, firstAt, endAt: performance.now(),
      reasoningDeltas: reply.reasoningDeltas, answerDeltas: reply.answerDeltas, earlierCompletionTokens,
      usage: outcome.usage, timings: outcome.timings,
      estimatedPromptTokens: estimateTokens(turns.map((t) => t.text).join('\n')) + 8,
      contextSize: this.status.engine!.contextSize,
    });
    const aborted = control.signal.aborted;
    // A server-enforced budget counts the closing tag it forces, so a cut thought shows budget - 1 tokens.
    const budgetHit = budget !== undefined && stats.thinkingTokens + 1 >= budget && reply.answer.length > 0;
    return {
      stopReason: aborted ? 'aborted' : outcome.finishReason === 'length' ? 'maxTokens' : 'done',
      reasoning: reply.reasoning.trim(),
      answer: reply.answer.trim(),
      thoughtCutShort: (cutRequested && reply.answer.length > 0) || budgetHit,
      stats,
    };
  }

  /** One streamed request: feeds the assembler; returns how it finished. Throws CallerAborted on abort. */
  private async stream(body: Record<string, unknown>, target: RemoteTarget, signal: AbortSignal, reply: ReplyAssembler, onDelta: (e: { id?: string }) => void): Promise<StreamOutcome> {
    const { res, watchdog } = await send(chatCompletionsUrl(this.spec.baseUrl), { method: 'POST', body }, target, signal);
    const out: StreamOutcome = {};
    try {
      if (!(res.headers.get('content-type') ?? '').includes('text/event-stream')) return await this.wholeReply(res, target, reply);
      let ended = false;
      for await (const event of readEvents(res, watchdog, target, signal)) {
        const e = parseStreamEvent(event.data);
        if (e.type === 'done') {
          ended = true;
          break;
        }
        if (e.type === 'error') {
          const full = /context|too long|exceed/i.test(e.message);
          throw new EngineFailure({ code: full ? 'CONTEXT_FULL' : 'REMOTE_ERROR', message: `${target.server} reported an error mid-answer: “${e.message}”.${full ? ' Start a new chat or shorten the prompt.' : ' Try again.'}` });
        }
        if (e.type === 'malformed') {
          watchdog.cancel(); // close the connection: the server stops generating for a reader that gave up
          throw new EngineFailure({ code: 'REMOTE_ERROR', message: `${target.server} sent a malformed stream (${e.reason}). Is \`ponder.remote.baseUrl\` an OpenAI-compatible server?` });
        }
        reply.push(e.reasoning, e.content);
        onDelta(e);
        if (e.usage) out.usage = e.usage;
        if (e.timings) out.timings = e.timings;
        if (e.finishReason) {
          out.finishReason = e.finishReason;
          ended = true; // [DONE] (and a usage event) may still follow
        }
      }
      if (signal.aborted) throw new CallerAborted();
      if (!ended) {
        throw new EngineFailure({ code: 'REMOTE_ERROR', message: `${target.server} closed the stream before the reply finished (after ${reply.reasoningDeltas + reply.answerDeltas} pieces): the reply is incomplete. Try again.` });
      }
      return out;
    } finally {
      watchdog.stop();
      await res.body?.cancel().catch(() => undefined);
    }
  }

  /** A server that ignored `stream: true` and sent one JSON completion. */
  private async wholeReply(res: Response, target: RemoteTarget, reply: ReplyAssembler): Promise<StreamOutcome> {
    let v: unknown;
    try {
      v = JSON.parse(await res.text());
    } catch {
      throw new EngineFailure({ code: 'REMOTE_ERROR', message: `${target.server} answered with something other than a chat completion (content-type ${res.headers.get('content-type') ?? 'none'}). Check \`ponder.remote.baseUrl\`.` });
    }
    const choice: unknown = isObject(v) && Array.isArray(v.choices) ? v.choices[0] : undefined;
    const message = isObject(choice) && isObject(choice.message) ? choice.message : undefined;
    if (!message) throw new EngineFailure({ code: 'REMOTE_ERROR', message: `${target.server} sent a reply without a message. Check \`ponder.remote.baseUrl\`.` });
    const str = (x: unknown) => (isString(x) ? x : '');
    reply.push(str(message.reasoning_content) || str(message.reasoning), str(message.content));
    return { finishReason: isObject(choice) ? str(choice.finish_reason) || undefined : undefined, usage: isObject(v) ? parseUsage(v.usage) : undefined };
  }

  /** llama-server: POST /v1/chat/completions/control {id, action: reasoning_end}. False if it cannot. */
  private async endReasoningOnServer(completionId: string, target: RemoteTarget): Promise<boolean> {
    try {
      const v = await getJson(`${chatCompletionsUrl(this.spec.baseUrl)}/control`, { method: 'POST', body: { id: completionId, action: 'reasoning_end' } }, target, new AbortController().signal);
      return isObject(v) && v.success !== false;
    } catch (e) {
      this.log('warn', `The server could not end the reasoning in place (${errorMessage(e)}); continuing the answer in a new request.`);
      return false;
    }
  }

  async dispose(): Promise<void> {
    // Nothing held: each request closes its own connection.
  }
}

/** llama-server and vLLM serve POST /tokenize at the server root: `{tokens:[…]}` or `{count}`; undefined if absent. */
async function tokenizeOnServer(baseUrl: string, model: string, text: string, target: RemoteTarget, signal: AbortSignal): Promise<number | undefined> {
  const v = await getJson(`${serverRoot(baseUrl)}/tokenize`, { method: 'POST', body: { model: model || undefined, content: text, prompt: text } }, target, signal);
  if (!isObject(v)) return undefined;
  if (Array.isArray(v.tokens)) return v.tokens.length;
  return isFiniteNumber(v.count) ? v.count : undefined;
}

function targetFor(spec: RemoteSpec, model: string, apiKey: string | undefined): RemoteTarget {
  const headers: Record<string, string> = { ...spec.headers };
  if (apiKey) {
    // The stored key wins over an Authorization header in settings (which would otherwise be merged with it).
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
    headers.authorization = `Bearer ${apiKey}`;
  }
  return { server: displayServer(spec.baseUrl), model, timeoutMs: spec.timeoutMs ?? DEFAULT_TIMEOUT_MS, headers, sentKey: !!apiKey };
}

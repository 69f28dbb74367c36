/**
 * Host ↔ engine-worker protocol. Imported by both sides (src/extension and src/worker); the only place where
 * these messages are declared. Every request carries an id; its stream chunks, stats and final reply reuse it,
 * and so do `engine/abort` and `engine/endThinking`, which name the request they act on.
 */
import { isObject, isString, isFiniteNumber, optional, fail, type Result } from './validate';

/** Which engine answers. The worker hosts either kind behind the same messages. */
export type EngineSpec =
  | {
      readonly kind: 'local';
      /** Absolute path of a .gguf file. */
      readonly modelPath: string;
      /** Context size in tokens; undefined = the model's own, capped by memory. */
      readonly contextSize?: number;
      /** CPU threads; undefined = auto. Tests on tiny models use 1 (see notes). */
      readonly threads?: number;
      /** GPU layers; undefined = auto. */
      readonly gpuLayers?: number;
      /** A small model of the same family that drafts tokens for this one (speculative decoding); loaded after it. */
      readonly draftModelPath?: string;
    }
  | {
      readonly kind: 'openai-compatible';
      /** The server's OpenAI base URL, e.g. `http://127.0.0.1:8080/v1` (http or https). */
      readonly baseUrl: string;
      /** Model id sent with each request; '' = the server's first listed model. */
      readonly model: string;
      /** Context size in tokens; undefined = what the server reports (or 8192, with a warning). */
      readonly contextSize?: number;
      /** Extra request headers from settings (never the API key, which travels per request). */
      readonly headers?: Readonly<Record<string, string>>;
      /** Longest silence (waiting for headers or between stream events) before a request fails, ms. */
      readonly timeoutMs?: number;
    };

/** One turn of a chat as the host keeps it. Assistant turns carry the answer only: reasoning is never resent. */
export interface ChatTurn {
  readonly role: 'user' | 'assistant';
  readonly text: string;
}

export interface GenerationOptions {
  /** Thinking budget in tokens (node-llama-cpp `budgets.thoughtTokens`). */
  readonly maxThinkingTokens?: number;
  /** Cap on answer tokens. */
  readonly maxAnswerTokens?: number;
  /** R1 defaults: 0.6 / 0.95. */
  readonly temperature?: number;
  readonly topP?: number;
  /** Token prediction for this request (speculative decoding; the output is the same, only faster). Absent = none. */
  readonly prediction?: PredictionRequest;
}

/** Which predictors a request may use (the host decides per request; `ponder.speculative: off` sends none). */
export interface PredictionRequest {
  /** Prompt lookup: the answer will copy text of the last user message (edits of code given in the prompt). */
  readonly promptLookup: boolean;
  /** The draft model, when one is loaded (the worker also turns it off for a chat whose drafts keep failing). */
  readonly draft: boolean;
}

/** What prediction did in one turn. Counts are this turn's only. */
export interface PredictionStats {
  readonly mode: 'lookup' | 'draft' | 'lookup+draft';
  /** Predicted tokens the model checked. */
  readonly predicted: number;
  /** Of those, the ones it agreed with (each saves one decode step). */
  readonly accepted: number;
  /** Estimated speed-up from the counts (not measured: the stats line says "est."). */
  readonly estimatedSpeedup: number;
}

export interface ChatStats {
  /** Tokens in the context when generation started (the whole prompt, reused or not). */
  readonly promptTokens: number;
  /** Prompt tokens actually evaluated for this request (the rest came from the KV cache). */
  readonly evaluatedTokens: number;
  /** Leading prompt tokens that matched what was already in the context sequence. */
  readonly reusedTokens: number;
  readonly thinkingTokens: number;
  readonly answerTokens: number;
  /** Request received → first generated chunk, ms. */
  readonly timeToFirstTokenMs: number;
  /** Generated tokens ÷ generation time (first chunk → end). */
  readonly tokensPerSecond: number;
  readonly durationMs: number;
  /** Tokens in the context after the reply, and the context size, for the context meter. */
  readonly contextTokens: number;
  readonly contextSize: number;
  /** Present when token prediction ran for this turn. */
  readonly prediction?: PredictionStats;
}

export type StopReason = 'done' | 'aborted' | 'maxTokens';

export interface ChatResult {
  readonly stopReason: StopReason;
  readonly reasoning: string;
  readonly answer: string;
  /** True when `engine/endThinking` or the thinking budget closed the thought early. */
  readonly thoughtCutShort: boolean;
  readonly stats: ChatStats;
}

export type EngineState = 'idle' | 'loading' | 'ready';

export interface EngineStatus {
  readonly state: EngineState;
  readonly engine?: {
    readonly kind: EngineSpec['kind'];
    readonly name: string;
    readonly contextSize: number;
    /** The chat format in use, e.g. "DeepSeekChatWrapper". */
    readonly chatFormat: string;
    readonly loadMs: number;
    /** 'estimated' when the engine has no tokenizer to ask (a remote server without /tokenize). Default exact. */
    readonly tokenCounts?: 'exact' | 'estimated';
    /** The draft model attached for speculative decoding, if any. */
    readonly draft?: { readonly name: string; readonly loadMs: number };
  };
  /** Things the user should know, e.g. "no chat template: using the R1 format". */
  readonly warnings: readonly string[];
}

export type EngineErrorCode =
  | 'MODEL_NOT_FOUND'
  | 'MODEL_UNREADABLE'
  | 'MODEL_INVALID'
  | 'MODEL_TOO_LARGE'
  | 'NOT_LOADED'
  | 'BUSY'
  | 'CONTEXT_FULL'
  | 'BAD_REQUEST'
  | 'WORKER_DIED'
  /** Remote engines: the key was refused (401/403). */
  | 'REMOTE_AUTH'
  /** Remote engines: 429 after the one automatic retry, or with a long Retry-After. */
  | 'REMOTE_RATE_LIMITED'
  /** Remote engines: connection refused, DNS failure, TLS failure. */
  | 'REMOTE_UNREACHABLE'
  /** Remote engines: no headers or no stream event within the timeout. */
  | 'REMOTE_TIMEOUT'
  /** Remote engines: 404/5xx, a malformed or cut stream. */
  | 'REMOTE_ERROR'
  | 'INTERNAL';

export interface EngineError {
  readonly code: EngineErrorCode;
  /** Names the problem and the fix; shown to the user as is. */
  readonly message: string;
}

/**
 * A remote engine's API key, from the host's SecretStorage, sent with each request that may reach the server.
 * Never part of EngineSpec (which is compared, stored and logged) and never logged by the worker.
 */
export interface RequestAuth {
  readonly apiKey?: string;
}

/** Request name → [params, result]. One place to read the whole API. */
export interface EngineMethods {
  /** Host → worker: load (or switch to) an engine. */
  'engine/load': [{ readonly engine: EngineSpec; readonly idleUnloadMs?: number } & RequestAuth, EngineStatus];
  /** Host → worker: what is loaded. */
  'engine/status': [Record<string, never>, EngineStatus];
  /** Host → worker: generate a reply to the last user turn; streams `engine/chunk` then `engine/stats`. */
  'engine/chat': [{ readonly chatId: string; readonly turns: readonly ChatTurn[]; readonly options: GenerationOptions } & RequestAuth, ChatResult];
  /** Host → worker: count tokens with the engine's tokenizer. */
  'engine/countTokens': [{ readonly text: string } & RequestAuth, { readonly tokens: number; readonly estimated: boolean }];
  /** Host → worker: free the model. */
  'engine/unload': [Record<string, never>, EngineStatus];
  /** Host → worker: free everything and exit. */
  'engine/shutdown': [Record<string, never>, null];
}

export type EngineMethod = keyof EngineMethods;
export type ParamsOf<M extends EngineMethod> = EngineMethods[M][0];
export type ResultOf<M extends EngineMethod> = EngineMethods[M][1];

export type EngineRequest = { [M in EngineMethod]: { readonly type: M; readonly id: number; readonly params: ParamsOf<M> } }[EngineMethod];

/** Host → worker, no reply: stop request `id` (its reply still arrives, with stopReason 'aborted'). */
export interface AbortMessage { readonly type: 'engine/abort'; readonly id: number }
/** Host → worker, no reply: make request `id` stop thinking and answer now, in the same turn. */
export interface EndThinkingMessage { readonly type: 'engine/endThinking'; readonly id: number }

export type HostToWorker = EngineRequest | AbortMessage | EndThinkingMessage;

/** Worker → host: a streamed piece of request `id`'s reply, typed as reasoning or answer. */
export interface ChunkMessage { readonly type: 'engine/chunk'; readonly id: number; readonly kind: 'reasoning' | 'answer'; readonly text: string }
/** Worker → host: the final reply to request `id`. */
export type ReplyMessage =
  | { readonly type: 'engine/reply'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly type: 'engine/reply'; readonly id: number; readonly ok: false; readonly error: EngineError };
/** Worker → host: a log line for the host's output channel. */
export interface LogMessage { readonly type: 'engine/log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string }
/** Worker → host: engine state changed (loading, ready, idle after idle-unload). */
export interface StatusMessage { readonly type: 'engine/status-changed'; readonly status: EngineStatus }

export type WorkerToHost = ChunkMessage | ReplyMessage | LogMessage | StatusMessage;

const ERROR_CODES: readonly EngineErrorCode[] = [
  'MODEL_NOT_FOUND', 'MODEL_UNREADABLE', 'MODEL_INVALID', 'MODEL_TOO_LARGE', 'NOT_LOADED', 'BUSY', 'CONTEXT_FULL', 'BAD_REQUEST', 'WORKER_DIED',
  'REMOTE_AUTH', 'REMOTE_RATE_LIMITED', 'REMOTE_UNREACHABLE', 'REMOTE_TIMEOUT', 'REMOTE_ERROR', 'INTERNAL',
];

function parseEngineSpec(v: unknown): Result<EngineSpec> {
  if (!isObject(v)) return fail('engine must be an object');
  const optNum = (k: string) => optional(v[k], isFiniteNumber);
  if (!optNum('contextSize')) return fail('engine.contextSize must be a number');
  if (v.kind === 'local') {
    if (!isString(v.modelPath) || v.modelPath === '') return fail('engine.modelPath must be a non-empty string');
    if (!optNum('threads') || !optNum('gpuLayers')) return fail('engine.threads/gpuLayers must be numbers');
    if (v.draftModelPath !== undefined && (!isString(v.draftModelPath) || v.draftModelPath === '')) return fail('engine.draftModelPath must be a non-empty string');
    const draft = isString(v.draftModelPath) ? { draftModelPath: v.draftModelPath } : {};
    return { ok: true, value: { kind: 'local', modelPath: v.modelPath, contextSize: num(v.contextSize), threads: num(v.threads), gpuLayers: num(v.gpuLayers), ...draft } };
  }
  if (v.kind === 'openai-compatible') {
    if (!isString(v.baseUrl) || !isHttpUrl(v.baseUrl)) return fail('engine.baseUrl must be an http(s) URL');
    if (!isString(v.model) || v.model.length > 256) return fail('engine.model must be a string');
    if (!optNum('timeoutMs') || (v.timeoutMs !== undefined && !(Number(v.timeoutMs) > 0))) return fail('engine.timeoutMs must be a positive number');
    const headers = parseHeaders(v.headers);
    if (!headers.ok) return headers;
    return { ok: true, value: { kind: 'openai-compatible', baseUrl: v.baseUrl, model: v.model, contextSize: num(v.contextSize), headers: headers.value, timeoutMs: num(v.timeoutMs) } };
  }
  return fail(`unknown engine kind ${JSON.stringify(v.kind)}`);
}

const num = (v: unknown): number | undefined => (isFiniteNumber(v) ? v : undefined);

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** RFC 9110 token characters for a header name. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
/** Visible ASCII, space and tab: no CR/LF (header injection), no control characters. */
const HEADER_VALUE = /^[\t\x20-\x7e]{0,8192}$/;
/** Headers the HTTP engine sets itself. */
const RESERVED_HEADERS = new Set(['content-type', 'content-length', 'accept', 'host', 'connection', 'transfer-encoding']);

function parseHeaders(v: unknown): Result<Readonly<Record<string, string>> | undefined> {
  if (v === undefined) return { ok: true, value: undefined };
  if (!isObject(v)) return fail('engine.headers must be an object of strings');
  const out: Record<string, string> = {};
  const entries = Object.entries(v);
  if (entries.length > 32) return fail('engine.headers: at most 32 headers');
  for (const [name, value] of entries) {
    if (!HEADER_NAME.test(name) || RESERVED_HEADERS.has(name.toLowerCase())) return fail(`engine.headers: ${JSON.stringify(name.slice(0, 40))} is not an allowed header name`);
    if (!isString(value) || !HEADER_VALUE.test(value)) return fail(`engine.headers: the value of ${name} must be a single-line string`);
    out[name] = value;
  }
  return { ok: true, value: out };
}

/** An API key: one line of visible ASCII (it becomes an Authorization header). */
function parseAuth(params: Record<string, unknown>): Result<RequestAuth> {
  const k = params.apiKey;
  if (k === undefined) return { ok: true, value: {} };
  if (!isString(k) || !/^[\x21-\x7e]{1,4096}$/.test(k)) return fail('apiKey must be a single-line string of visible ASCII characters');
  return { ok: true, value: { apiKey: k } };
}

function parseTurns(v: unknown): Result<ChatTurn[]> {
  if (!Array.isArray(v) || v.length === 0) return fail('turns must be a non-empty array');
  const turns: ChatTurn[] = [];
  for (const t of v) {
    if (!isObject(t) || (t.role !== 'user' && t.role !== 'assistant') || !isString(t.text)) return fail('each turn needs role user|assistant and text');
    turns.push({ role: t.role, text: t.text });
  }
  if (turns[turns.length - 1].role !== 'user') return fail('the last turn must be the user’s');
  return { ok: true, value: turns };
}

function parseOptions(v: unknown): Result<GenerationOptions> {
  if (v === undefined) return { ok: true, value: {} };
  if (!isObject(v)) return fail('options must be an object');
  for (const k of ['maxThinkingTokens', 'maxAnswerTokens', 'temperature', 'topP']) {
    if (!optional(v[k], isFiniteNumber)) return fail(`options.${k} must be a number`);
  }
  let prediction: PredictionRequest | undefined;
  if (v.prediction !== undefined) {
    const p = v.prediction;
    if (!isObject(p) || typeof p.promptLookup !== 'boolean' || typeof p.draft !== 'boolean') return fail('options.prediction needs boolean promptLookup and draft');
    prediction = { promptLookup: p.promptLookup, draft: p.draft };
  }
  return { ok: true, value: { maxThinkingTokens: num(v.maxThinkingTokens), maxAnswerTokens: num(v.maxAnswerTokens), temperature: num(v.temperature), topP: num(v.topP), ...(prediction ? { prediction } : {}) } };
}

/** Validates a message arriving at the worker (untrusted until checked). */
export function parseHostMessage(m: unknown): Result<HostToWorker> {
  if (!isObject(m) || !isString(m.type) || !isFiniteNumber(m.id)) return fail('message needs a string type and a numeric id');
  const id = m.id;
  const params = isObject(m.params) ? m.params : {};
  switch (m.type) {
    case 'engine/abort':
    case 'engine/endThinking':
      return { ok: true, value: { type: m.type, id } };
    case 'engine/status':
    case 'engine/unload':
    case 'engine/shutdown':
      return { ok: true, value: { type: m.type, id, params: {} } };
    case 'engine/load': {
      const engine = parseEngineSpec(params.engine);
      if (!optional(params.idleUnloadMs, isFiniteNumber)) return fail('idleUnloadMs must be a number');
      const auth = parseAuth(params);
      if (!auth.ok) return auth;
      return engine.ok ? { ok: true, value: { type: m.type, id, params: { engine: engine.value, idleUnloadMs: num(params.idleUnloadMs), ...auth.value } } } : engine;
    }
    case 'engine/countTokens': {
      const auth = parseAuth(params);
      if (!auth.ok) return auth;
      return isString(params.text) ? { ok: true, value: { type: m.type, id, params: { text: params.text, ...auth.value } } } : fail('countTokens needs text');
    }
    case 'engine/chat': {
      if (!isString(params.chatId)) return fail('chat needs a chatId');
      const turns = parseTurns(params.turns);
      if (!turns.ok) return turns;
      const options = parseOptions(params.options);
      if (!options.ok) return options;
      const auth = parseAuth(params);
      if (!auth.ok) return auth;
      return { ok: true, value: { type: m.type, id, params: { chatId: params.chatId, turns: turns.value, options: options.value, ...auth.value } } };
    }
    default:
      return fail(`unknown message type ${JSON.stringify(m.type)}`);
  }
}

/** Validates a message arriving at the host from the worker. Results are checked per method by the client. */
export function parseWorkerMessage(m: unknown): Result<WorkerToHost> {
  if (!isObject(m) || !isString(m.type)) return fail('message needs a string type');
  switch (m.type) {
    case 'engine/chunk':
      if (!isFiniteNumber(m.id) || (m.kind !== 'reasoning' && m.kind !== 'answer') || !isString(m.text)) return fail('bad chunk');
      return { ok: true, value: { type: m.type, id: m.id, kind: m.kind, text: m.text } };
    case 'engine/reply':
      if (!isFiniteNumber(m.id)) return fail('reply needs an id');
      if (m.ok === true) return { ok: true, value: { type: m.type, id: m.id, ok: true, result: m.result } };
      if (isObject(m.error) && isString(m.error.message) && ERROR_CODES.includes(m.error.code as EngineErrorCode)) {
        return { ok: true, value: { type: m.type, id: m.id, ok: false, error: { code: m.error.code as EngineErrorCode, message: m.error.message } } };
      }
      return fail('bad reply');
    case 'engine/log':
      if ((m.level !== 'info' && m.level !== 'warn' && m.level !== 'error') || !isString(m.message)) return fail('bad log');
      return { ok: true, value: { type: m.type, level: m.level, message: m.message } };
    case 'engine/status-changed': {
      const status = parseEngineStatus(m.status);
      return status.ok ? { ok: true, value: { type: m.type, status: status.value } } : status;
    }
    default:
      return fail(`unknown message type ${JSON.stringify(m.type)}`);
  }
}

export function parseEngineStatus(v: unknown): Result<EngineStatus> {
  if (!isObject(v) || (v.state !== 'idle' && v.state !== 'loading' && v.state !== 'ready')) return fail('bad status');
  const warnings = Array.isArray(v.warnings) ? v.warnings.filter(isString) : [];
  let engine: EngineStatus['engine'];
  if (isObject(v.engine)) {
    const e = v.engine;
    if ((e.kind !== 'local' && e.kind !== 'openai-compatible') || !isString(e.name) || !isFiniteNumber(e.contextSize) || !isString(e.chatFormat) || !isFiniteNumber(e.loadMs)) {
      return fail('bad status.engine');
    }
    if (e.tokenCounts !== undefined && e.tokenCounts !== 'exact' && e.tokenCounts !== 'estimated') return fail('bad status.engine.tokenCounts');
    let draft: { name: string; loadMs: number } | undefined;
    if (e.draft !== undefined) {
      if (!isObject(e.draft) || !isString(e.draft.name) || !isFiniteNumber(e.draft.loadMs)) return fail('bad status.engine.draft');
      draft = { name: e.draft.name, loadMs: e.draft.loadMs };
    }
    engine = { kind: e.kind, name: e.name, contextSize: e.contextSize, chatFormat: e.chatFormat, loadMs: e.loadMs, ...(e.tokenCounts ? { tokenCounts: e.tokenCounts } : {}), ...(draft ? { draft } : {}) };
  }
  return { ok: true, value: { state: v.state, engine, warnings } };
}

const STAT_KEYS: readonly (keyof ChatStats)[] = [
  'promptTokens', 'evaluatedTokens', 'reusedTokens', 'thinkingTokens', 'answerTokens', 'timeToFirstTokenMs', 'tokensPerSecond', 'durationMs', 'contextTokens', 'contextSize',
];

export function parseChatResult(v: unknown): Result<ChatResult> {
  if (!isObject(v) || !isString(v.reasoning) || !isString(v.answer) || typeof v.thoughtCutShort !== 'boolean') return fail('bad chat result');
  if (v.stopReason !== 'done' && v.stopReason !== 'aborted' && v.stopReason !== 'maxTokens') return fail('bad stopReason');
  const s = v.stats;
  if (!isObject(s)) return fail('bad stats');
  const n = (k: keyof ChatStats): number => (isFiniteNumber(s[k]) ? s[k] : NaN);
  const stats: ChatStats = {
    promptTokens: n('promptTokens'), evaluatedTokens: n('evaluatedTokens'), reusedTokens: n('reusedTokens'),
    thinkingTokens: n('thinkingTokens'), answerTokens: n('answerTokens'), timeToFirstTokenMs: n('timeToFirstTokenMs'),
    tokensPerSecond: n('tokensPerSecond'), durationMs: n('durationMs'), contextTokens: n('contextTokens'), contextSize: n('contextSize'),
  };
  if (!STAT_KEYS.every((k) => Number.isFinite(stats[k]))) return fail('bad stats');
  const prediction = parsePredictionStats(s.prediction);
  if (!prediction.ok) return prediction;
  const withPrediction = prediction.value ? { ...stats, prediction: prediction.value } : stats;
  return { ok: true, value: { stopReason: v.stopReason, reasoning: v.reasoning, answer: v.answer, thoughtCutShort: v.thoughtCutShort, stats: withPrediction } };
}

export function parsePredictionStats(v: unknown): Result<PredictionStats | undefined> {
  if (v === undefined) return { ok: true, value: undefined };
  if (!isObject(v) || (v.mode !== 'lookup' && v.mode !== 'draft' && v.mode !== 'lookup+draft')) return fail('bad stats.prediction');
  if (!isFiniteNumber(v.predicted) || !isFiniteNumber(v.accepted) || !isFiniteNumber(v.estimatedSpeedup)) return fail('bad stats.prediction');
  return { ok: true, value: { mode: v.mode, predicted: v.predicted, accepted: v.accepted, estimatedSpeedup: v.estimatedSpeedup } };
}

export function parseCountResult(v: unknown): Result<ResultOf<'engine/countTokens'>> {
  if (!isObject(v) || !isFiniteNumber(v.tokens) || typeof v.estimated !== 'boolean') return fail('bad countTokens result');
  return { ok: true, value: { tokens: v.tokens, estimated: v.estimated } };
}

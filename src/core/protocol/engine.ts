/**
 * Host ↔ engine-worker protocol. Imported by both sides (src/extension and src/worker); the only place where
 * these messages are declared. Every request carries an id; its stream chunks, stats and final reply reuse it,
 * and so do `engine/abort` and `engine/endThinking`, which name the request they act on.
 *
 * `ENGINE_METHODS` is the one table of requests: per method, the parser the worker applies to the params and the
 * one the host applies to the result. The request/handler types below are derived from it, so adding a method
 * (or a field) is: write its parsers, add a row; both sides then fail to compile until they handle it.
 */
import { isObject, isString, isFiniteNumber, optional, fail, type Result } from './validate';
import { num, parseAuth, parseEngineSpec, type EngineSpec, type RequestAuth } from './engine-spec';
import {
  parseChatFit, parseChatResult, parseExchanges, parseFitPolicy, parseNextMessage, parseOptions, parseTurns,
  type ChatExchange, type ChatTurn, type FitPolicy, type GenerationOptions, type NextMessage,
} from './engine-chat';

export * from './engine-spec';
export * from './engine-chat';

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
    /** Why the downloaded draft `auto` chose is not loaded on this hardware, e.g. "not used on 2 CPU threads". */
    readonly draftSkipped?: string;
    /** Local engines: which llama.cpp binary runs (see "Ponder: Build Runtime for This Machine"). */
    readonly runtime?: 'prebuilt' | 'built for this machine';
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
  /** Host only: the worker's result did not pass the method's result parser (never sent by the worker). */
  | 'MALFORMED_RESULT'
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

export type LoadParams = { readonly engine: EngineSpec; readonly idleUnloadMs?: number } & RequestAuth;
export type ChatParams = { readonly chatId: string; readonly turns: readonly ChatTurn[]; readonly options: GenerationOptions } & RequestAuth;
export type CountParams = { readonly text: string } & RequestAuth;
export type FitParams = {
  /** Past exchanges, oldest first; whole exchanges are dropped, oldest first. */
  readonly exchanges: readonly ChatExchange[];
  readonly next: NextMessage;
  readonly policy: FitPolicy;
} & RequestAuth;
export type NoParams = Record<string, never>;

/** A method's two parsers: the worker's for the params, the host's for the result (both untrusted on arrival). */
export interface MethodParsers<P, R> {
  readonly params: (raw: Record<string, unknown>) => Result<P>;
  readonly result: (raw: unknown) => Result<R>;
}

const method = <P, R>(params: (raw: Record<string, unknown>) => Result<P>, result: (raw: unknown) => Result<R>): MethodParsers<P, R> => ({ params, result });

/** Request name → parsers. One place to read (and extend) the whole request API. */
export const ENGINE_METHODS = {
  /** Host → worker: load (or switch to) an engine. */
  'engine/load': method(parseLoadParams, parseEngineStatus),
  /** Host → worker: what is loaded. */
  'engine/status': method(noParams, parseEngineStatus),
  /** Host → worker: generate a reply to the last user turn; streams `engine/chunk` then replies. */
  'engine/chat': method(parseChatParams, parseChatResult),
  /** Host → worker: count tokens with the engine's tokenizer. */
  'engine/countTokens': method(parseCountParams, parseCountResult),
  /** Host → worker: which oldest exchanges to drop so the chat fits (counted by the worker's tokenizer). */
  'engine/fitChat': method(parseFitParams, parseChatFit),
  /** Host → worker: free the model. */
  'engine/unload': method(noParams, parseEngineStatus),
  /** Host → worker: free everything and exit. */
  'engine/shutdown': method(noParams, parseNull),
};

type Table = typeof ENGINE_METHODS;
/** Method name → { params, result } types, derived from the parsers. */
export type EngineMethods = { [M in keyof Table]: Table[M] extends MethodParsers<infer P, infer R> ? { readonly params: P; readonly result: R } : never };
export type EngineMethod = keyof EngineMethods;
export type ParamsOf<M extends EngineMethod> = EngineMethods[M]['params'];
export type ResultOf<M extends EngineMethod> = EngineMethods[M]['result'];

/** The table seen per method: indexing it with a generic M keeps M's own params and result types. */
const TYPED_METHODS: { readonly [M in EngineMethod]: MethodParsers<ParamsOf<M>, ResultOf<M>> } = ENGINE_METHODS;

export const isEngineMethod = (s: string): s is EngineMethod => Object.hasOwn(ENGINE_METHODS, s);

/** The host's check of a result on arrival. */
export function parseResult<M extends EngineMethod>(m: M, raw: unknown): Result<ResultOf<M>> {
  return TYPED_METHODS[m].result(raw);
}

/** What the worker implements: one handler per method, typed from the table. */
export type EngineHandlers = { readonly [M in EngineMethod]: (params: ParamsOf<M>, id: number) => Promise<ResultOf<M>> };

export type EngineRequest<M extends EngineMethod = EngineMethod> = { [K in M]: { readonly type: K; readonly id: number; readonly params: ParamsOf<K> } }[M];

export function engineRequest<M extends EngineMethod>(type: M, id: number, params: ParamsOf<M>): EngineRequest<M> {
  return { type, id, params };
}

/**
 * The same request as one member of the outgoing union. TypeScript cannot see that `EngineRequest<M>` for a generic
 * M is one of the union's members, so this overload states it (outgoing only; what arrives is always parsed).
 */
export function wireRequest<M extends EngineMethod>(request: EngineRequest<M>): HostToWorker;
export function wireRequest(request: EngineRequest): HostToWorker {
  return request;
}

/** Hands a request to its handler (the types line up per method, without a cast). */
export function dispatch<M extends EngineMethod>(handlers: EngineHandlers, req: EngineRequest<M>): Promise<ResultOf<M>> {
  return handlers[req.type](req.params, req.id);
}

/** Host → worker, no reply: stop request `id` (its reply still arrives, with stopReason 'aborted'). */
export interface AbortMessage { readonly type: 'engine/abort'; readonly id: number }
/** Host → worker, no reply: make request `id` stop thinking and answer now, in the same turn. */
export interface EndThinkingMessage { readonly type: 'engine/endThinking'; readonly id: number }

export type HostToWorker = EngineRequest | AbortMessage | EndThinkingMessage;

/** Worker → host: a streamed piece of request `id`'s reply, typed as reasoning or answer. */
export interface ChunkMessage { readonly type: 'engine/chunk'; readonly id: number; readonly kind: 'reasoning' | 'answer'; readonly text: string }
/**
 * Worker → host: the final reply to request `id`. `result` is checked by the host with the method's result parser
 * (parseResult) as soon as it arrives; only the client knows which method an id belongs to.
 */
export type ReplyMessage =
  | { readonly type: 'engine/reply'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly type: 'engine/reply'; readonly id: number; readonly ok: false; readonly error: EngineError };
/** Worker → host: a log line for the host's output channel. */
export interface LogMessage { readonly type: 'engine/log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string }
/** Worker → host: engine state changed (loading, ready, idle after idle-unload). */
export interface StatusMessage { readonly type: 'engine/status-changed'; readonly status: EngineStatus }

export type WorkerToHost = ChunkMessage | ReplyMessage | LogMessage | StatusMessage;

/** Codes the worker may send (MALFORMED_RESULT is the host's own). */
const ERROR_CODES: readonly EngineErrorCode[] = [
  'MODEL_NOT_FOUND', 'MODEL_UNREADABLE', 'MODEL_INVALID', 'MODEL_TOO_LARGE', 'NOT_LOADED', 'BUSY', 'CONTEXT_FULL', 'BAD_REQUEST', 'WORKER_DIED',
  'REMOTE_AUTH', 'REMOTE_RATE_LIMITED', 'REMOTE_UNREACHABLE', 'REMOTE_TIMEOUT', 'REMOTE_ERROR', 'INTERNAL',
];
const isErrorCode = (v: unknown): v is EngineErrorCode => ERROR_CODES.some((c) => c === v);

function noParams(): Result<NoParams> {
  return { ok: true, value: {} };
}

function parseNull(v: unknown): Result<null> {
  return v === null ? { ok: true, value: null } : fail('the result must be null');
}

function parseLoadParams(params: Record<string, unknown>): Result<LoadParams> {
  const engine = parseEngineSpec(params.engine);
  if (!engine.ok) return engine;
  if (!optional(params.idleUnloadMs, isFiniteNumber)) return fail('idleUnloadMs must be a number');
  const auth = parseAuth(params);
  if (!auth.ok) return auth;
  return { ok: true, value: { engine: engine.value, idleUnloadMs: num(params.idleUnloadMs), ...auth.value } };
}

function parseCountParams(params: Record<string, unknown>): Result<CountParams> {
  const auth = parseAuth(params);
  if (!auth.ok) return auth;
  return isString(params.text) ? { ok: true, value: { text: params.text, ...auth.value } } : fail('countTokens needs text');
}

function parseChatParams(params: Record<string, unknown>): Result<ChatParams> {
  if (!isString(params.chatId)) return fail('chat needs a chatId');
  const turns = parseTurns(params.turns);
  if (!turns.ok) return turns;
  const options = parseOptions(params.options);
  if (!options.ok) return options;
  const auth = parseAuth(params);
  if (!auth.ok) return auth;
  return { ok: true, value: { chatId: params.chatId, turns: turns.value, options: options.value, ...auth.value } };
}

function parseFitParams(params: Record<string, unknown>): Result<FitParams> {
  const exchanges = parseExchanges(params.exchanges);
  if (!exchanges.ok) return exchanges;
  const next = parseNextMessage(params.next);
  if (!next.ok) return next;
  const policy = parseFitPolicy(params.policy);
  if (!policy.ok) return policy;
  const auth = parseAuth(params);
  if (!auth.ok) return auth;
  return { ok: true, value: { exchanges: exchanges.value, next: next.value, policy: policy.value, ...auth.value } };
}

export function parseCountResult(v: unknown): Result<{ readonly tokens: number; readonly estimated: boolean }> {
  if (!isObject(v)) return fail('the result must be an object');
  if (!isFiniteNumber(v.tokens) || v.tokens < 0) return fail('tokens must be a number ≥ 0');
  if (typeof v.estimated !== 'boolean') return fail('estimated must be a boolean');
  return { ok: true, value: { tokens: v.tokens, estimated: v.estimated } };
}

/** Validates a message arriving at the worker (untrusted until checked). */
export function parseHostMessage(m: unknown): Result<HostToWorker> {
  if (!isObject(m) || !isString(m.type) || !isFiniteNumber(m.id)) return fail('message needs a string type and a numeric id');
  const { type, id } = m;
  if (type === 'engine/abort' || type === 'engine/endThinking') return { ok: true, value: { type, id } };
  if (!isEngineMethod(type)) return fail(`unknown message type ${JSON.stringify(type)}`);
  return parseRequest(type, id, isObject(m.params) ? m.params : {});
}

function parseRequest<M extends EngineMethod>(type: M, id: number, raw: Record<string, unknown>): Result<EngineRequest<M>> {
  const params = TYPED_METHODS[type].params(raw);
  return params.ok ? { ok: true, value: engineRequest(type, id, params.value) } : params;
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
      if (isObject(m.error) && isString(m.error.message) && isErrorCode(m.error.code)) {
        return { ok: true, value: { type: m.type, id: m.id, ok: false, error: { code: m.error.code, message: m.error.message } } };
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
  if (!isObject(v)) return fail('the status must be an object');
  if (v.state !== 'idle' && v.state !== 'loading' && v.state !== 'ready') return fail(`unknown state ${JSON.stringify(v.state)}`);
  const warnings = Array.isArray(v.warnings) ? v.warnings.filter(isString) : [];
  let engine: EngineStatus['engine'];
  if (isObject(v.engine)) {
    const e = v.engine;
    if (e.kind !== 'local' && e.kind !== 'openai-compatible') return fail(`unknown engine.kind ${JSON.stringify(e.kind)}`);
    if (!isString(e.name) || !isString(e.chatFormat)) return fail('engine.name and engine.chatFormat must be strings');
    if (!isFiniteNumber(e.contextSize) || !isFiniteNumber(e.loadMs)) return fail('engine.contextSize and engine.loadMs must be numbers');
    if (e.tokenCounts !== undefined && e.tokenCounts !== 'exact' && e.tokenCounts !== 'estimated') return fail('engine.tokenCounts must be exact or estimated');
    let draft: { name: string; loadMs: number } | undefined;
    if (e.draft !== undefined) {
      if (!isObject(e.draft) || !isString(e.draft.name) || !isFiniteNumber(e.draft.loadMs)) return fail('engine.draft needs a name and loadMs');
      draft = { name: e.draft.name, loadMs: e.draft.loadMs };
    }
    if (e.draftSkipped !== undefined && (!isString(e.draftSkipped) || e.draftSkipped.length > 200)) return fail('engine.draftSkipped must be a short string');
    if (e.runtime !== undefined && e.runtime !== 'prebuilt' && e.runtime !== 'built for this machine') return fail('engine.runtime must be prebuilt or built for this machine');
    const kinds = ['prebuilt', 'built for this machine'] as const;
    const found = kinds.find((k) => k === e.runtime);
    const runtime = found ? { runtime: found } : {};
    engine = { kind: e.kind, name: e.name, contextSize: e.contextSize, chatFormat: e.chatFormat, loadMs: e.loadMs, ...(e.tokenCounts ? { tokenCounts: e.tokenCounts } : {}), ...(draft ? { draft } : {}), ...(isString(e.draftSkipped) ? { draftSkipped: e.draftSkipped } : {}), ...runtime };
  }
  return { ok: true, value: { state: v.state, engine, warnings } };
}

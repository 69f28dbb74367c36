/**
 * The chat part of the host ↔ worker protocol: turns, generation options, the reply and its stats, and fitting a
 * chat into the context (done by the worker, which owns the tokenizer). Re-exported by src/core/protocol/engine.ts.
 */
import { isObject, isString, isFiniteNumber, optional, fail, type Result } from './validate';
import { num } from './engine-spec';

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
  /** The draft model, when one is loaded (the worker pauses it in a chat whose drafts keep failing). */
  readonly draft: boolean;
}

/** What prediction did in one turn. Counts are this turn's only. */
export interface PredictionStats {
  readonly mode: 'lookup' | 'draft' | 'lookup+draft';
  /** Predicted tokens the model checked. */
  readonly predicted: number;
  /** Of those, the ones it agreed with (each saves one decode step). */
  readonly accepted: number;
  /** Estimated speed-up from the counts (not measured: the stats line says "est." when it shows this one). */
  readonly estimatedSpeedup: number;
  /** This turn's decoding timed against the model's plain steps on this machine, once enough was timed (TurnClock). */
  readonly measuredSpeedup?: number;
  /** The turn ended with the chat's draft paused: drafting was measured not to pay (it is tried again later). */
  readonly draftPaused?: boolean;
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
  /** Tokens in the context after the reply, and the context size. */
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

/** One past exchange of a chat: the prompt as sent and the answer (never the reasoning). */
export interface ChatExchange {
  readonly prompt: string;
  readonly answer: string;
}

/** What must be kept when fitting: the host's policy; the worker only counts and applies it. */
export interface FitPolicy {
  /** Tokens kept free for the reasoning and the answer; undefined = core's default for the context size (chatReserve). */
  readonly reserveTokens?: number;
}

/** The next message is always kept: its text, or (for the meter) the size of a typical one. */
export type NextMessage = { readonly text: string } | { readonly tokens: number };

/** Worker → host: how a chat fits the loaded engine's context. */
export interface ChatFit {
  readonly contextSize: number;
  /** Tokens kept free for the reply. */
  readonly reserve: number;
  /** Tokens of each exchange (chat-template overhead included), in the order sent. */
  readonly exchangeTokens: readonly number[];
  readonly nextTokens: number;
  /** How many leading (oldest) exchanges are dropped so the rest, the next message and the reserve fit. */
  readonly dropped: number;
  /** True when the counts are estimates (a remote engine) rather than the model's tokenizer's. */
  readonly estimated: boolean;
}

export function parseTurns(v: unknown): Result<ChatTurn[]> {
  if (!Array.isArray(v) || v.length === 0) return fail('turns must be a non-empty array');
  const turns: ChatTurn[] = [];
  for (const t of v) {
    if (!isObject(t) || (t.role !== 'user' && t.role !== 'assistant') || !isString(t.text)) return fail('each turn needs role user|assistant and text');
    turns.push({ role: t.role, text: t.text });
  }
  if (turns[turns.length - 1].role !== 'user') return fail('the last turn must be the user’s');
  return { ok: true, value: turns };
}

export function parseOptions(v: unknown): Result<GenerationOptions> {
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

const STAT_KEYS: readonly (keyof ChatStats)[] = [
  'promptTokens', 'evaluatedTokens', 'reusedTokens', 'thinkingTokens', 'answerTokens', 'timeToFirstTokenMs', 'tokensPerSecond', 'durationMs', 'contextTokens', 'contextSize',
];

export function parseChatResult(v: unknown): Result<ChatResult> {
  if (!isObject(v)) return fail('the result must be an object');
  if (!isString(v.reasoning) || !isString(v.answer)) return fail('reasoning and answer must be strings');
  if (typeof v.thoughtCutShort !== 'boolean') return fail('thoughtCutShort must be a boolean');
  if (v.stopReason !== 'done' && v.stopReason !== 'aborted' && v.stopReason !== 'maxTokens') return fail(`unknown stopReason ${JSON.stringify(v.stopReason)}`);
  const s = v.stats;
  if (!isObject(s)) return fail('stats must be an object');
  const missing = STAT_KEYS.find((k) => !isFiniteNumber(s[k]));
  if (missing) return fail(`stats.${missing} must be a number`);
  const n = (k: keyof ChatStats): number => num(s[k]) ?? NaN;
  const stats: ChatStats = {
    promptTokens: n('promptTokens'), evaluatedTokens: n('evaluatedTokens'), reusedTokens: n('reusedTokens'),
    thinkingTokens: n('thinkingTokens'), answerTokens: n('answerTokens'), timeToFirstTokenMs: n('timeToFirstTokenMs'),
    tokensPerSecond: n('tokensPerSecond'), durationMs: n('durationMs'), contextTokens: n('contextTokens'), contextSize: n('contextSize'),
  };
  const prediction = parsePredictionStats(s.prediction);
  if (!prediction.ok) return prediction;
  const all = prediction.value ? { ...stats, prediction: prediction.value } : stats;
  return { ok: true, value: { stopReason: v.stopReason, reasoning: v.reasoning, answer: v.answer, thoughtCutShort: v.thoughtCutShort, stats: all } };
}

export function parsePredictionStats(v: unknown): Result<PredictionStats | undefined> {
  if (v === undefined) return { ok: true, value: undefined };
  if (!isObject(v) || (v.mode !== 'lookup' && v.mode !== 'draft' && v.mode !== 'lookup+draft')) return fail('stats.prediction.mode must be lookup, draft or lookup+draft');
  if (!isFiniteNumber(v.predicted) || !isFiniteNumber(v.accepted) || !isFiniteNumber(v.estimatedSpeedup)) return fail('stats.prediction counts must be numbers');
  if (v.draftPaused !== undefined && v.draftPaused !== true) return fail('stats.prediction.draftPaused must be true when present');
  if (v.measuredSpeedup !== undefined && !(isFiniteNumber(v.measuredSpeedup) && v.measuredSpeedup > 0)) return fail('stats.prediction.measuredSpeedup must be a positive number when present');
  const value: PredictionStats = {
    mode: v.mode, predicted: v.predicted, accepted: v.accepted, estimatedSpeedup: v.estimatedSpeedup,
    ...(v.measuredSpeedup !== undefined ? { measuredSpeedup: v.measuredSpeedup } : {}),
  };
  return { ok: true, value: v.draftPaused ? { ...value, draftPaused: true } : value };
}

const count = (v: unknown): v is number => isFiniteNumber(v) && v >= 0 && Number.isInteger(v);

export function parseExchanges(v: unknown): Result<ChatExchange[]> {
  if (!Array.isArray(v)) return fail('exchanges must be an array');
  const out: ChatExchange[] = [];
  for (const e of v) {
    if (!isObject(e) || !isString(e.prompt) || !isString(e.answer)) return fail('each exchange needs a prompt and an answer string');
    out.push({ prompt: e.prompt, answer: e.answer });
  }
  return { ok: true, value: out };
}

export function parseNextMessage(v: unknown): Result<NextMessage> {
  if (isObject(v) && isString(v.text)) return { ok: true, value: { text: v.text } };
  if (isObject(v) && count(v.tokens)) return { ok: true, value: { tokens: v.tokens } };
  return fail('next must be { text } or { tokens }');
}

export function parseFitPolicy(v: unknown): Result<FitPolicy> {
  if (v === undefined) return { ok: true, value: {} };
  if (!isObject(v) || !optional(v.reserveTokens, count)) return fail('policy.reserveTokens must be a whole number ≥ 0');
  return { ok: true, value: { reserveTokens: num(v.reserveTokens) } };
}

/** Checks the numbers agree with each other too: a meter built from them must not contradict itself. */
export function parseChatFit(v: unknown): Result<ChatFit> {
  if (!isObject(v)) return fail('the result must be an object');
  for (const k of ['contextSize', 'reserve', 'nextTokens', 'dropped']) if (!count(v[k])) return fail(`${k} must be a whole number ≥ 0`);
  const tokens = v.exchangeTokens;
  if (!Array.isArray(tokens) || !tokens.every(count)) return fail('exchangeTokens must be an array of whole numbers ≥ 0');
  if (typeof v.estimated !== 'boolean') return fail('estimated must be a boolean');
  const [contextSize, reserve, nextTokens, dropped] = [num(v.contextSize) ?? 0, num(v.reserve) ?? 0, num(v.nextTokens) ?? 0, num(v.dropped) ?? 0];
  if (dropped > tokens.length) return fail(`dropped (${dropped}) exceeds the ${tokens.length} exchanges sent`);
  if (reserve > contextSize) return fail(`reserve (${reserve}) exceeds contextSize (${contextSize})`);
  return { ok: true, value: { contextSize, reserve, exchangeTokens: tokens.filter(count), nextTokens, dropped, estimated: v.estimated } };
}

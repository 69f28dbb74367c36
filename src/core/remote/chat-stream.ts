/**
 * One event of an OpenAI-compatible streaming chat completion, validated (the server is untrusted input).
 * Reasoning arrives as `delta.reasoning_content` (llama-server, SGLang, DeepSeek) or `delta.reasoning` (current
 * vLLM, Ollama); servers without a reasoning parser leave `<think>` inline in `delta.content` for the splitter.
 */
import { isFiniteNumber, isObject, isString } from '../protocol/validate';

export interface Usage {
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  /** `completion_tokens_details.reasoning_tokens` (DeepSeek, vLLM). */
  readonly reasoningTokens?: number;
  /** `prompt_tokens_details.cached_tokens` (DeepSeek as `prompt_cache_hit_tokens`, vLLM, SGLang). */
  readonly cachedTokens?: number;
}

/** llama-server's own measurements, sent with its last event(s). */
export interface ServerTimings {
  readonly promptN?: number;
  readonly cacheN?: number;
  readonly predictedN?: number;
  readonly predictedPerSecond?: number;
}

export type StreamEvent =
  | {
      readonly type: 'delta';
      /** Completion id (llama-server needs it to end reasoning mid-stream). */
      readonly id?: string;
      readonly reasoning: string;
      readonly content: string;
      readonly finishReason?: string;
      readonly usage?: Usage;
      readonly timings?: ServerTimings;
    }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly message: string; readonly status?: number }
  | { readonly type: 'malformed'; readonly reason: string };

const MAX_PREVIEW = 120;

/** Parses the `data:` of one event. `[DONE]` ends the stream. */
export function parseStreamEvent(data: string): StreamEvent {
  if (data.trim() === '[DONE]') return { type: 'done' };
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return { type: 'malformed', reason: `an event that is not JSON: ${JSON.stringify(data.slice(0, MAX_PREVIEW))}` };
  }
  if (!isObject(v)) return { type: 'malformed', reason: 'an event that is not a JSON object' };
  if (v.error !== undefined) {
    const e = v.error;
    const message = isString(e) ? e : isObject(e) && isString(e.message) ? e.message : 'unknown error';
    const status = isObject(e) && isFiniteNumber(e.code) ? e.code : undefined;
    return { type: 'error', message: message.slice(0, 500), status };
  }
  const choices = v.choices;
  if (choices !== undefined && !Array.isArray(choices)) return { type: 'malformed', reason: '`choices` is not an array' };
  const choice: unknown = Array.isArray(choices) ? choices[0] : undefined;
  let reasoning = '';
  let content = '';
  let finishReason: string | undefined;
  if (choice !== undefined) {
    if (!isObject(choice)) return { type: 'malformed', reason: 'a choice that is not an object' };
    const delta = choice.delta ?? {};
    if (!isObject(delta)) return { type: 'malformed', reason: '`delta` is not an object' };
    const text = (k: string): string | null => (delta[k] === undefined || delta[k] === null ? '' : isString(delta[k]) ? delta[k] : null);
    const rc = text('reasoning_content');
    const r = text('reasoning');
    const c = text('content');
    if (rc === null || r === null || c === null) return { type: 'malformed', reason: 'a delta field that is not a string' };
    reasoning = rc || r;
    content = c;
    if (isString(choice.finish_reason)) finishReason = choice.finish_reason;
  }
  return {
    type: 'delta',
    id: isString(v.id) ? v.id : undefined,
    reasoning,
    content,
    finishReason,
    usage: parseUsage(v.usage),
    timings: parseTimings(v.timings),
  };
}

const count = (v: unknown): number | undefined => (isFiniteNumber(v) && v >= 0 ? Math.floor(v) : undefined);

export function parseUsage(v: unknown): Usage | undefined {
  if (!isObject(v)) return undefined;
  const details = isObject(v.completion_tokens_details) ? v.completion_tokens_details : {};
  const promptDetails = isObject(v.prompt_tokens_details) ? v.prompt_tokens_details : {};
  return {
    promptTokens: count(v.prompt_tokens),
    completionTokens: count(v.completion_tokens),
    reasoningTokens: count(details.reasoning_tokens),
    cachedTokens: count(promptDetails.cached_tokens) ?? count(v.prompt_cache_hit_tokens),
  };
}

function parseTimings(v: unknown): ServerTimings | undefined {
  if (!isObject(v)) return undefined;
  const rate = isFiniteNumber(v.predicted_per_second) && v.predicted_per_second >= 0 ? v.predicted_per_second : undefined;
  return { promptN: count(v.prompt_n), cacheN: count(v.cache_n), predictedN: count(v.predicted_n), predictedPerSecond: rate };
}

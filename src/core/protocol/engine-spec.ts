/**
 * What the host asks the engine worker to load (`EngineSpec`) and the per-request API key, with their validators.
 * Part of the host ↔ worker protocol (src/core/protocol/engine.ts re-exports everything here).
 */
import { isObject, isString, isFiniteNumber, optional, fail, type Result } from './validate';
import { parseRuntimeSpec, type RuntimeSpec } from '../runtime/build-plan';

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
      /**
       * The draft came from `ponder.draftModel: auto`: the worker loads it only where drafting pays off (a GPU, or
       * enough CPU threads; see autoDraftVerdict) and says why not otherwise. An explicit draft is always loaded.
       */
      readonly draftAuto?: boolean;
      /** The llama.cpp build made by "Ponder: Build Runtime for This Machine"; undefined = the prebuilt binary. */
      readonly runtime?: RuntimeSpec;
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

/**
 * A remote engine's API key, from the host's SecretStorage, sent with each request that may reach the server.
 * Never part of EngineSpec (which is compared, stored and logged) and never logged by the worker.
 */
export interface RequestAuth {
  readonly apiKey?: string;
}

export const num = (v: unknown): number | undefined => (isFiniteNumber(v) ? v : undefined);

export function parseEngineSpec(v: unknown): Result<EngineSpec> {
  if (!isObject(v)) return fail('engine must be an object');
  const optNum = (k: string) => optional(v[k], isFiniteNumber);
  if (!optNum('contextSize')) return fail('engine.contextSize must be a number');
  if (v.kind === 'local') {
    if (!isString(v.modelPath) || v.modelPath === '') return fail('engine.modelPath must be a non-empty string');
    if (!optNum('threads') || !optNum('gpuLayers')) return fail('engine.threads/gpuLayers must be numbers');
    if (v.draftModelPath !== undefined && (!isString(v.draftModelPath) || v.draftModelPath === '')) return fail('engine.draftModelPath must be a non-empty string');
    if (v.draftAuto !== undefined && typeof v.draftAuto !== 'boolean') return fail('engine.draftAuto must be a boolean');
    const draft = isString(v.draftModelPath) ? { draftModelPath: v.draftModelPath, ...(v.draftAuto === true ? { draftAuto: true } : {}) } : {};
    let runtime: { runtime: RuntimeSpec } | Record<string, never> = {};
    if (v.runtime !== undefined) {
      const r = parseRuntimeSpec(v.runtime);
      if (!r.ok) return fail(r.error);
      runtime = { runtime: r.value };
    }
    return { ok: true, value: { kind: 'local', modelPath: v.modelPath, contextSize: num(v.contextSize), threads: num(v.threads), gpuLayers: num(v.gpuLayers), ...draft, ...runtime } };
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
export function parseAuth(params: Record<string, unknown>): Result<RequestAuth> {
  const k = params.apiKey;
  if (k === undefined) return { ok: true, value: {} };
  if (!isString(k) || !/^[\x21-\x7e]{1,4096}$/.test(k)) return fail('apiKey must be a single-line string of visible ASCII characters');
  return { ok: true, value: { apiKey: k } };
}

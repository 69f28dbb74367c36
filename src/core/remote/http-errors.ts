/** What an HTTP failure of an OpenAI-compatible server means for the user: an error code and a message naming the fix. */
import type { EngineErrorCode } from '../protocol/engine';
import { isObject, isString } from '../protocol/validate';

/** 429s are retried once, automatically, when the server asks for at most this long a wait. */
export const MAX_AUTO_RETRY_SECONDS = 10;

/** `Retry-After` as seconds (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** The server's own error text from a JSON or plain body (OpenAI `{error:{message}}`, FastAPI `{detail}`, …). */
export function serverMessage(body: string): string {
  let text = body.trim();
  try {
    const v: unknown = JSON.parse(body);
    if (isObject(v)) {
      const e = v.error;
      if (isObject(e) && isString(e.message)) text = e.message;
      else if (isString(e)) text = e;
      else if (isString(v.message)) text = v.message;
      else if (isString(v.detail)) text = v.detail;
    }
  } catch { /* not JSON: keep the text */ }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

export interface HttpFailureContext {
  /** Where the request went, e.g. "http://gpu-box:8000/v1" (never with credentials). */
  readonly server: string;
  readonly model: string;
  /** Seconds the server asked to wait (429, 503). */
  readonly retryAfterSeconds?: number;
  /** Whether an API key was sent. */
  readonly sentKey: boolean;
}

export function describeHttpFailure(status: number, body: string, ctx: HttpFailureContext): { code: EngineErrorCode; message: string } {
  const said = serverMessage(body);
  const detail = said ? ` The server said: “${said}”` : '';
  const at = ctx.server;
  if (status === 401 || status === 403) {
    const fix = ctx.sentKey
      ? 'Check the key with "Ponder: Set API Key for Remote Engine", and that it may use this model.'
      : 'No API key is set: add one with "Ponder: Set API Key for Remote Engine".';
    return { code: 'REMOTE_AUTH', message: `${at} refused the request (HTTP ${status} ${status === 401 ? 'unauthorized' : 'forbidden'}). ${fix}${detail}` };
  }
  if (status === 429) {
    const wait = ctx.retryAfterSeconds === undefined ? 'Wait a little and try again' : `It asks to wait ${formatWait(ctx.retryAfterSeconds)}; try again then`;
    return { code: 'REMOTE_RATE_LIMITED', message: `${at} is rate-limiting requests (HTTP 429). ${wait}.${detail}` };
  }
  if (status === 404) {
    return { code: 'REMOTE_ERROR', message: `${at} answered HTTP 404 for the chat endpoint or model "${ctx.model}". Check \`ponder.remote.baseUrl\` (it usually ends in /v1) and \`ponder.remote.model\`.${detail}` };
  }
  if ((status === 400 || status === 413) && /context|too long|too many tokens|maximum.*length|exceed/i.test(said)) {
    return { code: 'CONTEXT_FULL', message: `The conversation does not fit in the model's context on ${at}. Start a new chat or shorten the prompt.${detail}` };
  }
  if (status >= 500) {
    const retry = ctx.retryAfterSeconds === undefined ? '' : ` It asks to retry in ${formatWait(ctx.retryAfterSeconds)}.`;
    return { code: 'REMOTE_ERROR', message: `${at} failed with HTTP ${status}: a problem on the server (overloaded, out of memory, or restarting).${retry} Try again, or check the server's log.${detail}` };
  }
  return { code: 'REMOTE_ERROR', message: `${at} rejected the request with HTTP ${status}.${detail}` };
}

export function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/** A message for a failure before any HTTP status (fetch's TypeError with a `cause` code). */
export function describeNetworkFailure(causeCode: string | undefined, causeMessage: string, server: string): { code: EngineErrorCode; message: string } {
  const why: Record<string, string> = {
    ECONNREFUSED: 'nothing is listening there (is the server running, and on that port?)',
    ENOTFOUND: 'the host name does not resolve',
    EAI_AGAIN: 'the host name could not be resolved (DNS is unreachable)',
    ECONNRESET: 'the connection was reset',
    EHOSTUNREACH: 'the host is unreachable',
    ENETUNREACH: 'the network is unreachable',
    UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  };
  const reason = (causeCode && why[causeCode]) ?? (/certificate|tls|ssl/i.test(causeMessage) ? `a TLS problem (${causeMessage})` : causeMessage || 'a network error');
  return { code: 'REMOTE_UNREACHABLE', message: `Cannot reach ${server}: ${reason}. Check \`ponder.remote.baseUrl\` and that the server is up.` };
}

/**
 * HTTP for remote engines on Node's own fetch: one silence timeout covering connect, headers and every gap between
 * stream events; the caller's AbortSignal closes the connection at once (servers cancel the generation on close);
 * 429 retried once when the server asks for a short wait; every failure becomes an EngineFailure with a clear message.
 */
import { describeHttpFailure, describeNetworkFailure, MAX_AUTO_RETRY_SECONDS, parseRetryAfter } from '../core/remote/http-errors';
import { SseParser, type SseEvent } from '../core/remote/sse';
import { EngineFailure } from './engine';
import { errorMessage } from '../core/result';

export interface RemoteTarget {
  /** Shown in messages: origin + path, no credentials. */
  readonly server: string;
  readonly model: string;
  readonly timeoutMs: number;
  /** Settings headers plus Authorization when a key was handed over for this request. */
  readonly headers: Readonly<Record<string, string>>;
  readonly sentKey: boolean;
}

/** Aborts `signal` after `ms` without a `kick()`, or when the caller's signal aborts. */
export class Watchdog {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  timedOut = false;
  readonly signal = this.controller.signal;

  constructor(private readonly ms: number, private readonly outer: AbortSignal) {
    if (outer.aborted) this.controller.abort();
    outer.addEventListener('abort', this.onOuter);
    this.kick();
  }

  private readonly onOuter = () => this.controller.abort();

  kick(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, this.ms);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.outer.removeEventListener('abort', this.onOuter);
  }

  /** Closes the connection (used after a malformed event, so the server stops generating). */
  cancel(): void {
    this.controller.abort();
    this.stop();
  }
}

/** A non-OK HTTP status, already described for the user; `status` lets callers treat "no such endpoint" as absent. */
export class HttpFailure extends EngineFailure {
  constructor(error: ConstructorParameters<typeof EngineFailure>[0], readonly status: number) {
    super(error);
  }
}

/** Thrown when the caller's own signal aborted: not an error, the caller returns a partial reply. */
export class CallerAborted extends Error {
  constructor() {
    super('aborted by the caller');
  }
}

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  const t = setTimeout(done, ms);
  function done() {
    clearTimeout(t);
    signal.removeEventListener('abort', done);
    resolve();
  }
  signal.addEventListener('abort', done, { once: true });
});

/**
 * Sends a request and returns the response once its status is OK, with the watchdog that keeps guarding its body.
 * Stop the watchdog when done with the response.
 */
export async function send(url: string, init: { readonly method: 'GET' | 'POST'; readonly body?: unknown }, target: RemoteTarget, signal: AbortSignal): Promise<{ res: Response; watchdog: Watchdog }> {
  for (let attempt = 0; ; attempt++) {
    const watchdog = new Watchdog(target.timeoutMs, signal);
    let res: Response;
    try {
      res = await fetch(url, {
        method: init.method,
        headers: { ...target.headers, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), accept: 'application/json, text/event-stream' },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: watchdog.signal,
        redirect: 'error', // never carry the key to another origin
      });
    } catch (e) {
      watchdog.stop();
      throw failureOf(e, watchdog, signal, target, 'waiting for the server to answer');
    }
    if (res.ok) return { res, watchdog };
    const body = await res.text().catch(() => '');
    watchdog.stop();
    const retryAfterSeconds = parseRetryAfter(res.headers.get('retry-after'), Date.now());
    if (res.status === 429 && attempt === 0 && retryAfterSeconds !== undefined && retryAfterSeconds <= MAX_AUTO_RETRY_SECONDS) {
      await sleep(retryAfterSeconds * 1000, signal);
      if (signal.aborted) throw new CallerAborted();
      continue;
    }
    const failure = describeHttpFailure(res.status, body, { server: target.server, model: target.model, retryAfterSeconds, sentKey: target.sentKey });
    // Some servers echo the key they refused: it must not reach the user's screen or the logs through us.
    const key = target.sentKey ? target.headers.authorization?.replace(/^Bearer /, '') : undefined;
    throw new HttpFailure(key ? { ...failure, message: failure.message.split(key).join('[API key]') } : failure, res.status);
  }
}

/** GET or POST returning parsed JSON, or undefined when the server has no such endpoint (404/405/501). */
export async function getJson(url: string, init: { readonly method: 'GET' | 'POST'; readonly body?: unknown }, target: RemoteTarget, signal: AbortSignal): Promise<unknown> {
  let opened: Awaited<ReturnType<typeof send>>;
  try {
    opened = await send(url, init, target, signal);
  } catch (e) {
    if (e instanceof HttpFailure && (e.status === 404 || e.status === 405 || e.status === 501)) return undefined;
    throw e;
  }
  const { res, watchdog } = opened;
  try {
    return JSON.parse(await res.text()) as unknown;
  } catch (e) {
    if (signal.aborted || watchdog.timedOut) throw failureOf(e, watchdog, signal, target, 'reading the answer');
    return undefined; // not JSON: treat as "no such endpoint"
  } finally {
    watchdog.stop();
  }
}

/** The response body as server-sent events; each event (and each byte) resets the silence timeout. */
export async function* readEvents(res: Response, watchdog: Watchdog, target: RemoteTarget, signal: AbortSignal): AsyncGenerator<SseEvent> {
  if (!res.body) return;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (e) {
        throw failureOf(e, watchdog, signal, target, 'streaming the reply');
      }
      if (chunk.done) break;
      watchdog.kick();
      let events: SseEvent[];
      try {
        events = parser.push(decoder.decode(chunk.value, { stream: true }));
      } catch (e) {
        throw new EngineFailure({ code: 'REMOTE_ERROR', message: `${target.server} sent a malformed event stream (${errorMessage(e)}).` });
      }
      yield* events;
    }
    yield* parser.push(decoder.decode());
    parser.end();
  } finally {
    reader.releaseLock();
  }
}

/** Maps a fetch/read failure: the caller's abort, our timeout, or the network. */
export function failureOf(e: unknown, watchdog: Watchdog, signal: AbortSignal, target: RemoteTarget, while_: string): Error {
  if (signal.aborted) return new CallerAborted();
  if (watchdog.timedOut) {
    return new EngineFailure({ code: 'REMOTE_TIMEOUT', message: `${target.server} sent nothing for ${formatSeconds(target.timeoutMs)} while ${while_}. The server may be overloaded or stuck; try again, or raise \`ponder.remote.timeoutSeconds\`.` });
  }
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : undefined;
  const code = cause && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  if (while_ === 'streaming the reply' || while_ === 'reading the answer') {
    return new EngineFailure({ code: 'REMOTE_ERROR', message: `The connection to ${target.server} broke while ${while_}${code ? ` (${code})` : ''}: the reply is incomplete. Try again.` });
  }
  return new EngineFailure(describeNetworkFailure(code, cause?.message ?? (errorMessage(e)), target.server));
}

const formatSeconds = (ms: number): string => `${ms < 10_000 ? (ms / 1000).toFixed(1) : Math.round(ms / 1000)} s`;

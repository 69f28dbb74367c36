/**
 * Engine worker entry (ESM, started by the host with child_process.fork). Owns the model; talks to the host only
 * through the messages of src/core/protocol/engine.ts, validating everything it receives.
 */
import {
  dispatch,
  parseHostMessage,
  type ChatResult,
  type EngineError,
  type EngineHandlers,
  type EngineSpec,
  type EngineStatus,
  type WorkerToHost,
} from '../core/protocol/engine';
import { EngineFailure, type Engine } from './engine';
import { fitChatOn } from './fit-chat';
import { LocalEngine } from './local-engine';
import { RemoteEngine } from './remote-engine';
import { errorMessage } from '../core/result';

const IDLE: EngineStatus = { state: 'idle', warnings: [] };

let engine: Engine | undefined;
let lastSpec: EngineSpec | undefined;
let loading: Promise<Engine> | undefined;
let idleUnloadMs = 0;
let idleTimer: NodeJS.Timeout | undefined;
let busy = false;
let chatTail: Promise<void> = Promise.resolve();
const running = new Map<number, { abort: AbortController; endThinking?: () => void }>();

function send(message: WorkerToHost): void {
  process.send?.(message);
}

function log(level: 'info' | 'warn' | 'error', message: string): void {
  send({ type: 'engine/log', level, message });
}

async function loadEngine(spec: EngineSpec, apiKey?: string): Promise<Engine> {
  send({ type: 'engine/status-changed', status: { state: 'loading', warnings: [] } });
  try {
    // A remote engine is only ever loaded because the user configured one: the local engine makes no request.
    const next = spec.kind === 'local' ? await LocalEngine.load(spec, log) : await RemoteEngine.load(spec, log, apiKey);
    // Swap only after the new model loaded: a failed switch keeps the previous one answering.
    const previous = engine;
    engine = next;
    lastSpec = spec;
    await previous?.dispose();
    log('info', `Loaded ${next.status.engine?.name} (${next.status.engine?.chatFormat}, ${next.status.engine?.contextSize} tokens) in ${next.status.engine?.loadMs} ms`);
    return next;
  } finally {
    send({ type: 'engine/status-changed', status: engine?.status ?? IDLE });
  }
}

/** The engine for a chat: the loaded one, or the last one again after an idle unload. */
async function requireEngine(apiKey?: string): Promise<Engine> {
  if (engine) return engine;
  if (loading) return loading;
  if (!lastSpec) throw new EngineFailure({ code: 'NOT_LOADED', message: 'No model is loaded. Choose one with "Ponder: Select Model" or set `ponder.model`.' });
  loading = loadEngine(lastSpec, apiKey).finally(() => (loading = undefined));
  return loading;
}

function armIdleUnload(): void {
  clearTimeout(idleTimer);
  if (idleUnloadMs <= 0 || !engine || engine.status.engine?.kind !== 'local') return; // a remote engine holds no memory
  idleTimer = setTimeout(() => {
    if (busy || !engine) return;
    const e = engine;
    engine = undefined;
    void e.dispose().then(() => {
      log('info', `Unloaded the model after ${Math.round(idleUnloadMs / 1000)} s idle; it reloads on the next request.`);
      send({ type: 'engine/status-changed', status: IDLE });
    });
  }, idleUnloadMs);
  idleTimer.unref();
}

/** One handler per request method; params and result types come from the protocol table (ENGINE_METHODS). */
const handlers: EngineHandlers = {
  'engine/load': async (params) => {
    idleUnloadMs = params.idleUnloadMs ?? 0;
    loading = loadEngine(params.engine, params.apiKey).finally(() => (loading = undefined));
    return (await loading).status;
  },
  'engine/status': async () => engine?.status ?? IDLE,
  'engine/countTokens': async (params) => (await requireEngine(params.apiKey)).countTokens(params.text, params.apiKey),
  'engine/fitChat': async (params) => fitChatOn(await requireEngine(params.apiKey), params),
  'engine/unload': async () => {
    const e = engine;
    engine = undefined;
    await e?.dispose();
    send({ type: 'engine/status-changed', status: IDLE });
    return IDLE;
  },
  'engine/shutdown': async () => {
    await engine?.dispose();
    engine = undefined;
    setImmediate(() => process.exit(0));
    return null;
  },
  'engine/chat': async (params, id) => {
    const abort = new AbortController();
    const entry: { abort: AbortController; endThinking?: () => void } = { abort };
    running.set(id, entry); // abortable while it waits its turn
    // One generation at a time: a new chat waits for the one being stopped instead of failing.
    const previous = chatTail;
    let release = () => {};
    chatTail = new Promise<void>((r) => (release = r));
    try {
      await previous;
      if (abort.signal.aborted) return stoppedBeforeStart();
      busy = true;
      const e = await requireEngine(params.apiKey);
      return await e.chat(params.chatId, params.turns, params.options, {
        apiKey: params.apiKey,
        signal: abort.signal,
        onChunk: (kind, text) => send({ type: 'engine/chunk', id, kind, text }),
        onEndThinking: (handler) => (entry.endThinking = handler),
      });
    } finally {
      release();
      running.delete(id);
      busy = false;
    }
  },
};

/** The reply to a chat that was stopped while it still waited for the previous one. */
function stoppedBeforeStart(): ChatResult {
  const stats = { promptTokens: 0, evaluatedTokens: 0, reusedTokens: 0, thinkingTokens: 0, answerTokens: 0, timeToFirstTokenMs: 0, tokensPerSecond: 0, durationMs: 0, contextTokens: 0, contextSize: engine?.status.engine?.contextSize ?? 0 };
  return { stopReason: 'aborted', reasoning: '', answer: '', thoughtCutShort: false, stats };
}

function toEngineError(e: unknown): EngineError {
  if (e instanceof EngineFailure) return e.error;
  return { code: 'INTERNAL', message: `The engine failed: ${errorMessage(e)}` };
}

process.on('message', (raw: unknown) => {
  const parsed = parseHostMessage(raw);
  if (!parsed.ok) {
    log('warn', `Dropped a malformed message: ${parsed.error}`);
    const id = typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'number' ? raw.id : undefined;
    if (id !== undefined) send({ type: 'engine/reply', id, ok: false, error: { code: 'BAD_REQUEST', message: parsed.error } });
    return;
  }
  const msg = parsed.value;
  if (msg.type === 'engine/abort') {
    running.get(msg.id)?.abort.abort();
    return;
  }
  if (msg.type === 'engine/endThinking') {
    running.get(msg.id)?.endThinking?.();
    return;
  }
  clearTimeout(idleTimer);
  dispatch(handlers, msg).then(
    (result) => send({ type: 'engine/reply', id: msg.id, ok: true, result }),
    (e: unknown) => send({ type: 'engine/reply', id: msg.id, ok: false, error: toEngineError(e) }),
  ).finally(armIdleUnload);
});

// The host went away (closed, crashed, killed): never outlive it.
process.on('disconnect', () => process.exit(0));

/**
 * Host side of the engine protocol: forks the worker on first use (over a ChildChannel), keeps a map of pending
 * requests, checks each result with its method's parser on arrival, rejects them all when the worker dies, and
 * restarts it (with backoff, reloading the last model) on the next request.
 * Free of `vscode` so engine tests can drive it from plain Node.
 */
import {
  engineRequest,
  wireRequest,
  parseResult,
  parseWorkerMessage,
  type ChatExchange,
  type ChatFit,
  type ChatResult,
  type ChatTurn,
  type EngineErrorCode,
  type EngineMethod,
  type EngineSpec,
  type EngineStatus,
  type FitPolicy,
  type GenerationOptions,
  type HostToWorker,
  type NextMessage,
  type ParamsOf,
  type RequestAuth,
  type ResultOf,
  type WorkerToHost,
} from '../../core/protocol/engine';
import { ChildChannel } from '../child-process/child-channel';
import { engineWorkerEnv } from '../../core/runtime/worker-env';

export class EngineRequestError extends Error {
  constructor(readonly code: EngineErrorCode, message: string) {
    super(message);
    this.name = 'EngineRequestError';
  }
}

/** The worker answered `method` with a result its parser refused: a bug or a worker from another build. */
export class MalformedResultError extends EngineRequestError {
  constructor(readonly method: EngineMethod, readonly problem: string) {
    super('MALFORMED_RESULT', `Ponder’s engine sent a malformed result for ${method}: ${problem}. The engine process and the extension may come from different builds: reload the window; if it happens again, report it with the log from "Ponder: Show Logs".`);
    this.name = 'MalformedResultError';
  }
}

export interface EngineClientOptions {
  /** The built worker entry (dist/worker.mjs). */
  readonly workerPath: string;
  /** Environment for the worker; the host's own by default (desktop VS Code needs ELECTRON_RUN_AS_NODE passed on). */
  readonly env?: NodeJS.ProcessEnv;
  readonly log: (level: 'info' | 'warn' | 'error', message: string) => void;
  readonly onStatus?: (status: EngineStatus) => void;
  /** Backoff before restart number n (0-based) after a crash. */
  readonly restartDelayMs?: (attempt: number) => number;
  /** The API key for a remote engine, read fresh for every request that may reach it (never kept here). */
  readonly apiKey?: (engine: EngineSpec) => Promise<string | undefined>;
}

export interface ChatCallbacks {
  readonly signal?: AbortSignal;
  readonly onChunk?: (kind: 'reasoning' | 'answer', text: string) => void;
}

export interface ChatHandle {
  readonly result: Promise<ChatResult>;
  /** "Answer now": ask the engine to end the thought and answer in the same turn. */
  endThinking(): void;
}

interface Pending {
  /** Checks the raw result with the method's parser and settles the caller's promise either way. */
  readonly settle: (raw: unknown) => void;
  readonly reject: (e: Error) => void;
  readonly onChunk?: (kind: 'reasoning' | 'answer', text: string) => void;
  aborted: boolean;
}

export class EngineClient {
  private child: ChildChannel<HostToWorker, WorkerToHost> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private lastLoad: ParamsOf<'engine/load'> | undefined;
  private crashes = 0;
  private lastCrashAt = 0;
  private disposed = false;

  constructor(private readonly options: EngineClientOptions) {}

  /** Process id of the running worker, if any (for tests and diagnostics). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  async load(engine: EngineSpec, idleUnloadMs?: number): Promise<EngineStatus> {
    const params = { engine, idleUnloadMs };
    const status = await this.request('engine/load', await this.withKey(params, engine));
    this.lastLoad = params;
    return status;
  }

  async status(): Promise<EngineStatus> {
    if (!this.child) return { state: 'idle', warnings: [] };
    return this.request('engine/status', {});
  }

  async countTokens(text: string): Promise<ResultOf<'engine/countTokens'>> {
    return this.request('engine/countTokens', await this.withKey({ text }));
  }

  /** Which oldest exchanges to drop so `next` fits, counted by the loaded engine's tokenizer (one round trip). */
  async fitChat(exchanges: readonly ChatExchange[], next: NextMessage, policy: FitPolicy = {}): Promise<ChatFit> {
    return this.request('engine/fitChat', await this.withKey({ exchanges, next, policy }));
  }

  async unload(): Promise<void> {
    if (this.child) await this.request('engine/unload', {});
  }

  chat(chatId: string, turns: readonly ChatTurn[], options: GenerationOptions, callbacks: ChatCallbacks = {}): ChatHandle {
    let id: number | undefined;
    let endRequested = false;
    const result = (async () =>
      this.request('engine/chat', await this.withKey({ chatId, turns, options }), callbacks, (assigned) => {
        id = assigned;
        if (endRequested) this.post({ type: 'engine/endThinking', id: assigned });
      }))();
    return {
      result,
      endThinking: () => {
        endRequested = true;
        if (id !== undefined) this.post({ type: 'engine/endThinking', id });
      },
    };
  }

  /** Asks the worker to exit; kills it if it does not within a second. */
  /** No request is waiting for the worker (no chat, load or count in flight). */
  get idle(): boolean {
    return this.pending.size === 0;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const child = this.child;
    if (!child) return;
    this.post({ type: 'engine/shutdown', id: this.nextId++, params: {} });
    const timer = setTimeout(() => child.kill('SIGKILL'), 1000);
    await child.exited;
    clearTimeout(timer);
  }

  private async request<M extends EngineMethod>(
    type: M,
    params: ParamsOf<M>,
    callbacks: ChatCallbacks = {},
    onId?: (id: number) => void,
  ): Promise<ResultOf<M>> {
    if (this.disposed) throw new EngineRequestError('WORKER_DIED', 'Ponder’s engine has been shut down.');
    if (callbacks.signal?.aborted) throw new EngineRequestError('BAD_REQUEST', 'Cancelled before it started.');
    const needsReload = !this.child && this.lastLoad !== undefined && type !== 'engine/load';
    await this.ensureWorker();
    if (needsReload && this.lastLoad) await this.request('engine/load', await this.withKey(this.lastLoad, this.lastLoad.engine));
    const id = this.nextId++;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const onAbort = () => {
        entry.aborted = true; // no chunk reaches the caller once it asked to stop
        this.post({ type: 'engine/abort', id });
      };
      const cleanup = () => callbacks.signal?.removeEventListener('abort', onAbort);
      const entry: Pending = {
        settle: (raw) => {
          cleanup();
          const parsed = parseResult(type, raw);
          if (parsed.ok) resolve(parsed.value);
          else {
            this.options.log('error', `Malformed ${type} result from the engine: ${parsed.error}`);
            reject(new MalformedResultError(type, parsed.error));
          }
        },
        reject: (e) => (cleanup(), reject(e)),
        onChunk: callbacks.onChunk,
        aborted: false,
      };
      this.pending.set(id, entry);
      callbacks.signal?.addEventListener('abort', onAbort, { once: true });
      onId?.(id);
      this.post(wireRequest(engineRequest(type, id, params)));
    });
  }

  /** Adds the key of the engine the request goes to: the one being loaded, else the last loaded one. */
  private async withKey<P extends object>(params: P, engine: EngineSpec | undefined = this.lastLoad?.engine): Promise<P & RequestAuth> {
    const apiKey = engine && engine.kind !== 'local' ? await this.options.apiKey?.(engine) : undefined;
    return apiKey ? { ...params, apiKey } : params;
  }

  private post(message: HostToWorker): void {
    this.child?.send(message);
  }

  private async ensureWorker(): Promise<void> {
    if (this.child) return;
    if (Date.now() - this.lastCrashAt > 60_000) this.crashes = 0;
    if (this.crashes > 0) {
      const delay = this.options.restartDelayMs?.(this.crashes - 1) ?? Math.min(250 * 2 ** (this.crashes - 1), 5000);
      this.options.log('info', `Restarting the engine process in ${delay} ms (restart ${this.crashes}).`);
      await new Promise((r) => setTimeout(r, delay));
      if (this.child) return;
    }
    const child: ChildChannel<HostToWorker, WorkerToHost> = new ChildChannel({
      modulePath: this.options.workerPath,
      env: engineWorkerEnv(this.options.env ?? process.env, process.platform),
      outputPrefix: 'worker',
      peerName: 'the engine',
      parse: parseWorkerMessage,
      log: this.options.log,
      onMessage: (m) => this.onMessage(m),
      onError: (e) => this.options.log('error', `Engine process error: ${e.message}`),
      onExit: (code, signal) => this.onExit(child, code, signal),
    });
    this.child = child;
  }

  private onMessage(msg: WorkerToHost): void {
    switch (msg.type) {
      case 'engine/log':
        this.options.log(msg.level, msg.message);
        return;
      case 'engine/status-changed':
        this.options.onStatus?.(msg.status);
        return;
      case 'engine/chunk': {
        const p = this.pending.get(msg.id);
        if (p && !p.aborted) p.onChunk?.(msg.kind, msg.text);
        return;
      }
      case 'engine/reply': {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.ok) p.settle(msg.result);
        else p.reject(new EngineRequestError(msg.error.code, msg.error.message));
        return;
      }
    }
  }

  private onExit(child: ChildChannel<HostToWorker, WorkerToHost>, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    const expected = this.disposed;
    if (!expected) {
      this.crashes++;
      this.lastCrashAt = Date.now();
      this.options.log('error', `The engine process exited (${signal ?? `code ${code}`}).`);
      this.options.onStatus?.({ state: 'idle', warnings: [] });
    }
    const error = new EngineRequestError('WORKER_DIED', `Ponder’s engine process stopped unexpectedly (${signal ?? `exit code ${code}`}). It restarts on your next request; "Ponder: Show Logs" has details.`);
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}

export function isEngineError(e: unknown): e is EngineRequestError {
  return e instanceof EngineRequestError;
}


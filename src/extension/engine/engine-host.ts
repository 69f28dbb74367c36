/** The engine session lifetime: one EngineClient, the model it should have loaded, and reload on relevant setting changes. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EngineErrorCode, EngineSpec, EngineStatus } from '../../core/protocol/engine';
import { notificationText } from '../../core/notification';
import { Config, ENGINE_RESTART_SETTINGS } from '../config';
import { EngineClient, isEngineError } from './engine-client';
import { configuredModelPath, configuredModelProblem, modelLabel } from '../models/resolve';
import { configuredDraft } from '../models/draft';
import { log } from '../log';
import { ApiKeyStore } from '../remote/api-key';

/** Load failures caused by the model file: the previous model keeps working. */
const MODEL_PROBLEMS: readonly EngineErrorCode[] = ['MODEL_NOT_FOUND', 'MODEL_UNREADABLE', 'MODEL_INVALID', 'MODEL_TOO_LARGE'];

export class EngineHost implements vscode.Disposable {
  private client: EngineClient | undefined;
  /** What the worker has loaded (it keeps it when loading another model fails). */
  private active: { readonly key: string; readonly spec: EngineSpec } | undefined;
  /** The configured model that failed to load: the active one keeps answering until the setting changes. */
  private failedKey: string | undefined;
  private pending: { readonly key: string; readonly spec: EngineSpec; readonly promise: Promise<EngineStatus> } | undefined;
  private readonly statusEmitter = new vscode.EventEmitter<EngineStatus>();
  readonly onStatus = this.statusEmitter.event;
  private lastStatus: EngineStatus = { state: 'idle', warnings: [] };
  private readonly keys: ApiKeyStore;

  constructor(private readonly context: vscode.ExtensionContext, private readonly config: Config) {
    this.keys = new ApiKeyStore(context.secrets);
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!ENGINE_RESTART_SETTINGS.some((s) => e.affectsConfiguration(s))) return;
      this.failedKey = undefined;
      const spec = engineSpec(this.config);
      if (this.active && (!spec || JSON.stringify(spec) !== this.active.key)) log.info('Model settings changed: the model reloads on the next request.');
    }, undefined, context.subscriptions);
  }

  get status(): EngineStatus {
    return this.lastStatus;
  }

  /** The worker's pid while it runs. */
  get pid(): number | undefined {
    return this.client?.pid;
  }

  /** True once the worker process exists (activation must not start it). */
  get started(): boolean {
    return this.client?.pid !== undefined;
  }

  /** The model file the worker has loaded (or reloads after an idle unload), if any. */
  get activeModelPath(): string | undefined {
    return this.active?.spec.kind === 'local' ? this.active.spec.modelPath : undefined;
  }

  /** The draft model file loaded next to the active model (speculative decoding), if any. */
  get activeDraftPath(): string | undefined {
    return this.active?.spec.kind === 'local' ? this.active.spec.draftModelPath : undefined;
  }

  /** The model file being loaded right now, if any. */
  get loadingModelPath(): string | undefined {
    return this.pending?.spec.kind === 'local' ? this.pending.spec.modelPath : undefined;
  }

  /** The client when a model is loaded and ready now (no loading is started): for quick checks such as token counts. */
  get loaded(): EngineClient | undefined {
    return this.lastStatus.state === 'ready' ? this.client : undefined;
  }

  /** The client with the configured model loaded; starts the worker on first use. */
  async ready(): Promise<EngineClient> {
    const spec = engineSpec(this.config);
    if (!spec) {
      const problem = this.config.remoteProblem() ?? configuredModelProblem(this.config) ?? 'No model is configured. Choose one with "Ponder: Select Model", or set `ponder.model` to a DeepSeek-R1 distill .gguf file (for example DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf).';
      const ignored = this.config.ignoredWorkspaceSettings().find((v) => v.key === 'ponder.model');
      throw new Error(ignored ? `${problem} This workspace sets \`ponder.model\` to ${ignored.value}, but it is in Restricted Mode: Ponder does not load a model a workspace chooses until you trust it.` : problem);
    }
    const client = this.ensureClient();
    const key = JSON.stringify(spec);
    if (this.active?.key === key || (key === this.failedKey && this.active)) return client;
    try {
      await this.load(spec);
    } catch (e) {
      // A bad new model never takes the working one away: say why, and keep answering with the previous model.
      if (!this.active || !isEngineError(e) || !MODEL_PROBLEMS.includes(e.code)) throw e;
      this.failedKey = key;
      log.warn(`Could not switch models: ${e.message}`);
      void vscode.window.showErrorMessage(`${notificationText(e.message)} Ponder keeps using ${describe(this.active.spec)}.`);
    }
    return client;
  }

  /** Loads `spec` now (a switch restarts nothing else). Throws if it fails; the previously loaded model then stays loaded. */
  async load(spec: EngineSpec): Promise<EngineStatus> {
    const key = JSON.stringify(spec);
    if (this.pending?.key === key) return this.pending.promise;
    const client = this.ensureClient();
    log.info(`Loading ${describe(spec)}…`);
    const promise = client.load(spec, this.config.idleUnloadMs).then((status) => {
      this.active = { key, spec };
      this.failedKey = undefined;
      for (const w of status.warnings) void vscode.window.showWarningMessage(`Ponder: ${w}`);
      return status;
    });
    this.pending = { key, spec, promise };
    this.setStatus({ state: 'loading', warnings: [] });
    try {
      return await promise;
    } finally {
      if (this.pending?.promise === promise) {
        this.pending = undefined;
        this.statusEmitter.fire(this.lastStatus); // listeners showing which model is loaded (or loading) update
      }
    }
  }

  private ensureClient(): EngineClient {
    this.client ??= new EngineClient({
      workerPath: path.join(this.context.extensionPath, 'dist', 'worker.mjs'),
      env: process.env,
      log: (level, message) => log.at(level, message),
      onStatus: (s) => this.setStatus(s),
      // Read from SecretStorage per request, for the server the request goes to; the worker never stores it.
      apiKey: (engine) => (engine.kind === 'openai-compatible' ? this.keys.get(engine.baseUrl) : Promise.resolve(undefined)),
    });
    return this.client;
  }

  private setStatus(status: EngineStatus): void {
    // After an idle unload or a crash the worker (or client) reloads the same model by itself, so `active` stays.
    this.lastStatus = status;
    this.statusEmitter.fire(status);
  }

  /**
   * Stops the worker once nothing waits for it, so the next request starts a fresh one (a new llama.cpp runtime is
   * picked only at process start). A running answer is never cut: this waits for it.
   */
  async restartWhenIdle(): Promise<void> {
    while (this.client && !this.client.idle) await new Promise((r) => setTimeout(r, 1000));
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    this.active = undefined;
    this.failedKey = undefined;
    await client.dispose();
    this.setStatus({ state: 'idle', warnings: [] });
  }

  private disposing: Promise<void> | undefined;

  /** Shuts the worker down (`engine/shutdown`, then waits for it to exit). Once: `deactivate` and the subscriptions both call it. */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      this.statusEmitter.dispose();
      await this.client?.dispose();
    })();
    return this.disposing;
  }
}

function describe(spec: EngineSpec): string {
  return spec.kind === 'local' ? modelLabel(spec.modelPath) : `${spec.model || 'the default model'} at ${spec.baseUrl}`;
}

/** The engine the settings describe: the remote server, or the local model file (and its draft); undefined if neither is usable. */
export function engineSpec(config: Config): EngineSpec | undefined {
  if (config.engineKind === 'openai-compatible') return config.remoteSpec();
  const modelPath = configuredModelPath(config);
  return modelPath ? localEngineSpec(config, modelPath) : undefined;
}

/** The local engine for a model file: the settings' threads/context/GPU layers and its draft model (`ponder.draftModel`). */
export function localEngineSpec(config: Config, modelPath: string): EngineSpec {
  const draft = configuredDraft(config, modelPath);
  if (draft.kind === 'problem') warnOnce(draft.message);
  return config.localSpec(modelPath, draft.kind === 'file' ? draft : undefined);
}

let lastDraftProblem = '';

/** A draft setting that cannot be used is said once per change (the spec is computed on every request). */
function warnOnce(message: string): void {
  if (message === lastDraftProblem) return;
  lastDraftProblem = message;
  log.warn(message);
  void vscode.window.showWarningMessage(`Ponder: ${notificationText(message)}`);
}

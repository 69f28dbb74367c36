/** The engine session lifetime: one EngineClient, the model it should have loaded, and reload on relevant setting changes. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EngineSpec, EngineStatus } from '../core/protocol/engine';
import { Config, ENGINE_RESTART_SETTINGS } from './config';
import { EngineClient } from './engine-client';
import { log } from './log';

export class EngineHost implements vscode.Disposable {
  private client: EngineClient | undefined;
  private loadedSpec: string | undefined;
  private readonly statusEmitter = new vscode.EventEmitter<EngineStatus>();
  readonly onStatus = this.statusEmitter.event;
  private lastStatus: EngineStatus = { state: 'idle', warnings: [] };

  constructor(private readonly context: vscode.ExtensionContext, private readonly config: Config) {
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (ENGINE_RESTART_SETTINGS.some((s) => e.affectsConfiguration(s)) && this.loadedSpec !== undefined) {
        log.info('Model settings changed: the model reloads on the next request.');
        this.loadedSpec = undefined;
      }
    }, undefined, context.subscriptions);
  }

  get status(): EngineStatus {
    return this.lastStatus;
  }

  /** True once the worker process exists (activation must not start it). */
  get started(): boolean {
    return this.client?.pid !== undefined;
  }

  /** The client with the configured model loaded; starts the worker on first use. */
  async ready(): Promise<EngineClient> {
    const spec = this.config.engineSpec();
    if (!spec) {
      throw new Error('No model is configured. Set `ponder.model` to the path of a DeepSeek-R1 distill .gguf file (for example DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf).');
    }
    const client = this.ensureClient();
    const key = JSON.stringify(spec);
    if (this.loadedSpec !== key) {
      log.info(`Loading ${describe(spec)}…`);
      this.setStatus({ state: 'loading', warnings: [] });
      const status = await client.load(spec, this.config.idleUnloadMs);
      this.loadedSpec = key;
      for (const w of status.warnings) void vscode.window.showWarningMessage(`Ponder: ${w}`);
    }
    return client;
  }

  private ensureClient(): EngineClient {
    this.client ??= new EngineClient({
      workerPath: path.join(this.context.extensionPath, 'dist', 'worker.mjs'),
      env: process.env,
      log: (level, message) => log.at(level, message),
      onStatus: (s) => this.setStatus(s),
    });
    return this.client;
  }

  private setStatus(status: EngineStatus): void {
    // After an idle unload or a crash, the worker (or client) reloads the same model by itself: loadedSpec stays.
    this.lastStatus = status;
    this.statusEmitter.fire(status);
  }

  async dispose(): Promise<void> {
    this.statusEmitter.dispose();
    await this.client?.dispose();
  }
}

function describe(spec: EngineSpec): string {
  return spec.kind === 'local' ? path.basename(spec.modelPath) : `${spec.model} at ${spec.baseUrl}`;
}

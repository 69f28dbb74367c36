/** Typed access to Ponder's settings, and which of them need an engine restart. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EngineSpec } from '../core/protocol/engine';
import type { ReasoningDisplay } from '../core/protocol/panel';

/** Settings whose change reloads the model. */
export const ENGINE_RESTART_SETTINGS = ['ponder.model', 'ponder.threads', 'ponder.contextSize', 'ponder.gpuLayers'] as const;

export class Config {
  private get cfg(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('ponder');
  }

  /** `ponder.model`: a local .gguf path (absolute, or relative to the first workspace folder; `~` expands). */
  get modelPath(): string | undefined {
    const raw = this.cfg.get<string>('model', '').trim();
    if (!raw) return undefined;
    const home = process.env.HOME ?? process.env.USERPROFILE ?? '';
    const expanded = raw.startsWith('~/') ? path.join(home, raw.slice(2)) : raw;
    if (path.isAbsolute(expanded)) return expanded;
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return root ? path.join(root, expanded) : path.resolve(expanded);
  }

  /** 0 = auto. */
  get threads(): number {
    return Math.max(0, Math.floor(this.cfg.get<number>('threads', 0)));
  }

  /** 0 = the model's own, capped by memory. */
  get contextSize(): number {
    return Math.max(0, Math.floor(this.cfg.get<number>('contextSize', 0)));
  }

  /** -1 = auto. */
  get gpuLayers(): number {
    return Math.floor(this.cfg.get<number>('gpuLayers', -1));
  }

  get idleUnloadMs(): number {
    return Math.max(0, this.cfg.get<number>('idleUnloadMinutes', 15)) * 60_000;
  }

  /** Thinking budget in tokens; 0 = unlimited. */
  get maxThinkingTokens(): number | undefined {
    const v = Math.floor(this.cfg.get<number>('reasoning.maxTokens', 0));
    return v > 0 ? v : undefined;
  }

  get reasoningDisplay(): ReasoningDisplay {
    const v = this.cfg.get<string>('reasoning.display', 'collapseWhenDone');
    return v === 'expanded' || v === 'hidden' ? v : 'collapseWhenDone';
  }

  engineSpec(): EngineSpec | undefined {
    const modelPath = this.modelPath;
    if (!modelPath) return undefined;
    return {
      kind: 'local',
      modelPath,
      threads: this.threads || undefined,
      contextSize: this.contextSize || undefined,
      gpuLayers: this.gpuLayers >= 0 ? this.gpuLayers : undefined,
    };
  }
}

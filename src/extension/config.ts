/** Typed access to Ponder's settings, and which of them need an engine restart. */
import { readFileSync } from 'node:fs';
import type { RuntimeSpec } from '../core/runtime/build-plan';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeIgnored, isRestrictedSetting, restrictedSettingsIn, type WorkspaceSettingValue } from '../core/config/restricted';
import type { EngineSpec } from '../core/protocol/engine';
import type { ReasoningDisplay } from '../core/protocol/panel';
import { log } from './log';

/** Settings whose change reloads the model. */
export const ENGINE_RESTART_SETTINGS = ['ponder.model', 'ponder.draftModel', 'ponder.speculative', 'ponder.threads', 'ponder.contextSize', 'ponder.gpuLayers', 'ponder.downloadFolder', 'ponder.engine', 'ponder.remote'] as const;

export class Config {
  private get cfg(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('ponder');
  }

  /**
   * A setting's value. For the restricted ones (a file, folder, URL, header, which engine: see core/config/restricted)
   * a Restricted-Mode workspace's value is never used, only the user's own. package.json's `restrictedConfigurations`
   * already makes VS Code hide them; this guard holds even if that declaration is lost or VS Code changes.
   */
  private setting<T>(key: string, fallback: T): T {
    if (vscode.workspace.isTrusted || !isRestrictedSetting(`ponder.${key}`)) return this.cfg.get<T>(key, fallback);
    const i = this.cfg.inspect<T>(key);
    return i?.globalValue ?? i?.defaultValue ?? fallback;
  }

  /** Whether the workspace is trusted: an untrusted one never resolves model names inside itself. */
  get workspaceTrusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  private lastIgnored = '';

  /**
   * Restricted settings the workspace sets but Ponder ignores because it is in Restricted Mode ([] when trusted).
   * VS Code hides those values from get()/inspect(), so the workspace's settings files are read here. Logged once
   * per change.
   */
  ignoredWorkspaceSettings(): WorkspaceSettingValue[] {
    if (vscode.workspace.isTrusted) return [];
    const found = new Map<string, WorkspaceSettingValue>();
    const read = (file: string, section?: 'settings') => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        return; // no settings file: nothing set
      }
      for (const v of restrictedSettingsIn(text, section)) found.set(v.key, v);
    };
    const wsFile = vscode.workspace.workspaceFile;
    if (wsFile?.scheme === 'file') read(wsFile.fsPath, 'settings');
    for (const f of vscode.workspace.workspaceFolders ?? []) if (f.uri.scheme === 'file') read(path.join(f.uri.fsPath, '.vscode', 'settings.json'));
    const ignored = [...found.values()];
    const summary = describeIgnored(ignored);
    if (summary !== this.lastIgnored) {
      this.lastIgnored = summary;
      if (summary) log.warn(`Restricted Mode: ignoring this workspace's ${summary}. Ponder uses only your user settings for these until you trust the workspace.`);
    }
    return ignored;
  }

  /** Where downloads go when `ponder.downloadFolder` is empty: the extension's global storage (set at activation). */
  private defaultDownloadFolder: string | undefined;

  setDefaultDownloadFolder(folder: string): void {
    this.defaultDownloadFolder = folder;
  }

  /** `ponder.downloadFolder`, or the extension's global storage. */
  get downloadFolder(): string {
    const raw = this.setting<string>('downloadFolder', '').trim();
    const home = process.env.HOME ?? process.env.USERPROFILE ?? '';
    if (raw) return raw.startsWith('~/') ? path.join(home, raw.slice(2)) : path.resolve(raw);
    return this.defaultDownloadFolder ?? path.join(home, '.ponder', 'models');
  }

  /** The raw `ponder.model` value: a path, a catalogue id ("qwen-7b"), a downloaded file name or an hf: URI. */
  get modelSetting(): string {
    return this.setting<string>('model', '').trim();
  }

  /** `ponder.draftModel`: a catalogue id, path or hf: URI, "auto" (default: the catalogue pairing) or "none". Restricted. */
  get draftModelSetting(): string {
    return this.setting<string>('draftModel', 'auto').trim();
  }

  /** `ponder.speculative`: predict tokens (prompt lookup for edits, the draft model) or never. */
  get speculative(): 'auto' | 'off' {
    return this.setting<string>('speculative', 'auto') === 'off' ? 'off' : 'auto';
  }

  /** Saves `ponder.model` where it is currently set (folder, workspace), else — and always in Restricted Mode — in the user settings. */
  async saveModel(value: string): Promise<void> {
    const i = this.cfg.inspect<string>('model');
    const target = !vscode.workspace.isTrusted ? vscode.ConfigurationTarget.Global
      : i?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder
      : i?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await this.cfg.update('model', value, target);
  }

  /** The first workspace folder's path, where relative `ponder.model` paths are looked up. */
  get workspaceRoot(): string | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  }

  /** 0 = auto. */
  get threads(): number {
    return Math.max(0, Math.floor(this.setting<number>('threads', 0)));
  }

  /** 0 = the model's own, capped by memory. */
  get contextSize(): number {
    return Math.max(0, Math.floor(this.setting<number>('contextSize', 0)));
  }

  /** -1 = auto. */
  get gpuLayers(): number {
    return Math.floor(this.setting<number>('gpuLayers', -1));
  }

  get idleUnloadMs(): number {
    return Math.max(0, this.setting<number>('idleUnloadMinutes', 15)) * 60_000;
  }

  /** Thinking budget in tokens; 0 = unlimited. */
  get maxThinkingTokens(): number | undefined {
    const v = Math.floor(this.setting<number>('reasoning.maxTokens', 0));
    return v > 0 ? v : undefined;
  }

  /** `ponder.context.repoMapTokens`: -1 = automatic (sized to the context), 0 = off, else tokens. */
  get repoMapTokens(): number {
    const v = this.setting<number>('context.repoMapTokens', -1);
    return typeof v === 'number' && Number.isFinite(v) ? Math.max(-1, Math.floor(v)) : -1;
  }

  /** Ceiling on generated tokens per request (thinking + answer); undefined = none. */
  get maxGeneratedTokens(): number | undefined {
    const v = Math.floor(this.setting<number>('maxGeneratedTokens', 8192));
    return v > 0 ? v : undefined;
  }

  /** `ponder.edits.redoRounds`: how many times "Ask Ponder to redo it" may ask again for one edit (0 = never). */
  get redoRounds(): number {
    return Math.min(5, Math.max(0, Math.floor(this.setting<number>('edits.redoRounds', 1))));
  }

  get reasoningDisplay(): ReasoningDisplay {
    const v = this.setting<string>('reasoning.display', 'collapseWhenDone');
    return v === 'expanded' || v === 'hidden' ? v : 'collapseWhenDone';
  }

  /** `ponder.engine`: the local model (default) or an OpenAI-compatible server. */
  get engineKind(): 'local' | 'openai-compatible' {
    return this.setting<string>('engine', 'local') === 'openai-compatible' ? 'openai-compatible' : 'local';
  }

  /** `ponder.remote.baseUrl`, trimmed; '' when unset. */
  get remoteBaseUrl(): string {
    return this.setting<string>('remote.baseUrl', '').trim();
  }

  /** Why the remote engine cannot be used as configured; undefined when it can (or the engine is local). */
  remoteProblem(): string | undefined {
    if (this.engineKind !== 'openai-compatible') return undefined;
    const url = this.remoteBaseUrl;
    if (!url) return '`ponder.engine` is "openai-compatible" but `ponder.remote.baseUrl` is empty. Set it to your server, e.g. http://127.0.0.1:8080/v1 (llama-server) or http://gpu-box:8000/v1 (vLLM).';
    try {
      const u = new URL(url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
      if (u.username || u.password) return '`ponder.remote.baseUrl` must not contain a user name or password; store the key with "Ponder: Set API Key for Remote Engine".';
    } catch {
      return `\`ponder.remote.baseUrl\` is not an http(s) URL: ${url.slice(0, 200)}`;
    }
    return undefined;
  }

  /** The OpenAI-compatible engine from `ponder.remote.*`; undefined if misconfigured (see remoteProblem). */
  remoteSpec(): EngineSpec | undefined {
    if (this.remoteProblem()) return undefined;
    const headers = this.setting<unknown>('remote.headers', {});
    const plain = typeof headers === 'object' && headers !== null && !Array.isArray(headers)
      ? Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => typeof e[1] === 'string'))
      : {};
    const contextSize = Math.max(0, Math.floor(this.setting<number>('remote.contextSize', 0)));
    const timeoutSeconds = this.setting<number>('remote.timeoutSeconds', 120);
    return {
      kind: 'openai-compatible',
      baseUrl: this.remoteBaseUrl,
      model: this.setting<string>('remote.model', '').trim(),
      contextSize: contextSize || undefined,
      headers: Object.keys(plain).length ? plain : undefined,
      timeoutMs: timeoutSeconds > 0 ? Math.round(timeoutSeconds * 1000) : undefined,
    };
  }

  /** The local engine for a model file with the current thread/context/GPU settings (and its draft model, if any). */
  localSpec(modelPath: string, draft?: { readonly path: string; readonly auto: boolean }): EngineSpec {
    const runtime = this.runtimeBuild();
    return {
      kind: 'local',
      modelPath,
      threads: this.threads || undefined,
      contextSize: this.contextSize || undefined,
      gpuLayers: this.gpuLayers >= 0 ? this.gpuLayers : undefined,
      ...(draft ? { draftModelPath: draft.path, ...(draft.auto ? { draftAuto: true } : {}) } : {}),
      ...(runtime ? { runtime } : {}),
    };
  }

  /** The runtime "Ponder: Build Runtime for This Machine" made, if any (set by src/extension/runtime at activation). */
  runtimeBuild: () => RuntimeSpec | undefined = () => undefined;
}

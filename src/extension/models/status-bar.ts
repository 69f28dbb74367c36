/**
 * The status bar item: no model / not downloaded / downloading % / loading / ready (model name) / thinking (live
 * tok/s). A click opens the model picker, or the chat panel while the model is thinking.
 */
import * as vscode from 'vscode';
import { percent } from '../../core/models/format';
import type { PonderContext } from '../context';
import type { ChatActivity } from '../chat/chat-controller';
import type { DownloadManager } from './downloads';
import { remoteStatusLine } from '../remote/status-line';
import { configuredModel, modelLabel } from './resolve';

interface Turn {
  part: 'waiting' | 'reasoning' | 'answer';
  chunks: number;
  firstAt?: number;
}

export class ModelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ponder.status', vscode.StatusBarAlignment.Right, 100);
  private turn: Turn | undefined;
  private renderTimer: NodeJS.Timeout | undefined;

  /** Set when the model commands load (src/extension/features.ts): no download can run before that. */
  private downloads: DownloadManager | undefined;

  constructor(private readonly ctx: PonderContext) {
    this.item.name = 'Ponder Model';
    const subs = ctx.vscodeContext.subscriptions;
    ctx.engine.onStatus(() => this.render(), undefined, subs);
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('ponder') && this.render(), undefined, subs);
    vscode.workspace.onDidGrantWorkspaceTrust(() => this.render(), undefined, subs);
    subs.push(ctx.chat.onActivity((a) => this.onActivity(a)));
    this.render();
    this.item.show();
  }

  /** Shows the progress of `downloads` from now on. */
  attachDownloads(downloads: DownloadManager): void {
    this.downloads = downloads;
    downloads.onDidChange(() => this.render(), undefined, this.ctx.vscodeContext.subscriptions);
    this.render();
  }

  private onActivity(a: ChatActivity): void {
    if (a.kind === 'started') this.turn = { part: 'waiting', chunks: 0 };
    else if (a.kind === 'ended') this.turn = undefined;
    else if (this.turn) {
      this.turn.part = a.part;
      this.turn.chunks++;
      this.turn.firstAt ??= Date.now();
      // At most four updates a second, however fast tokens arrive.
      this.renderTimer ??= setTimeout(() => {
        this.renderTimer = undefined;
        this.render();
      }, 250);
      return;
    }
    this.render();
  }

  /** The texts shown so far, oldest first (the last 100), for tests and diagnostics; `shown` counts them all. */
  readonly history: string[] = [];
  shown = 0;

  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const { text, tooltip, command } = this.withTrustNotice(this.describe());
    if (text !== this.item.text) {
      this.history.push(text);
      this.shown++;
      if (this.history.length > 100) this.history.shift();
    }
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.command = command;
    this.item.accessibilityInformation = { label: `Ponder: ${tooltip}` };
  }

  /** Restricted Mode: say which of the workspace's settings are ignored (VS Code itself hides them silently). */
  private withTrustNotice(d: { text: string; tooltip: string; command: string }): { text: string; tooltip: string; command: string } {
    const ignored = this.ctx.config.ignoredWorkspaceSettings();
    if (!ignored.length) return d;
    const model = ignored.find((v) => v.key === 'ponder.model');
    const what = ignored.map((v) => `${v.key} = ${v.value}`).join('; ');
    return {
      text: `$(workspace-untrusted) ${d.text.replace(/^\$\([^)]*\)\s*/, '')}${model ? ' · workspace model ignored' : ' · workspace settings ignored'}`,
      tooltip: `${d.tooltip}\n\nRestricted Mode: this workspace sets ${what}. Ponder ignores it and uses only your user settings until you trust the workspace.`,
      command: d.command,
    };
  }

  private describe(): { text: string; tooltip: string; command: string } {
    const pick = 'ponder.selectModel';
    const d = this.downloads?.current;
    if (d) {
      if (d.phase === 'resolving') return { text: '$(sync~spin) Ponder: contacting hub…', tooltip: `Starting the download of ${d.label}`, command: pick };
      if (d.phase === 'verifying') return { text: `$(sync~spin) Ponder: verifying ${percent(d)}%`, tooltip: `Checking the sha256 of ${d.label}`, command: pick };
      return { text: `$(cloud-download) Ponder: downloading ${percent(d)}%`, tooltip: `Downloading ${d.label}`, command: pick };
    }
    const t = this.turn;
    if (t) {
      const seconds = t.firstAt === undefined ? 0 : (Date.now() - t.firstAt) / 1000;
      const rate = seconds > 0.2 && t.chunks > 1 ? ` · ${((t.chunks - 1) / seconds).toFixed(1)} tok/s` : '';
      const what = t.part === 'answer' ? 'answering' : t.part === 'reasoning' ? 'thinking' : 'starting';
      return { text: `$(loading~spin) Ponder: ${what}…${rate}`, tooltip: 'The model is working. Click to show the chat.', command: 'ponder.chat.focus' };
    }
    const status = this.ctx.engine.status;
    if (this.ctx.config.engineKind === 'openai-compatible') {
      const name = status.state === 'ready' ? status.engine?.name ?? 'remote model' : status.state === 'loading' ? 'connecting…' : 'remote engine';
      return { text: `$(cloud) Ponder: ${name}`, tooltip: remoteStatusLine(status, this.ctx.config), command: 'ponder.chat.focus' };
    }
    const resolution = configuredModel(this.ctx.config);
    const active = this.ctx.engine.activeModelPath;
    const switching = this.ctx.engine.loadingModelPath;
    // A model chosen in the picker is saved to the settings only once it loaded: show it loading meanwhile.
    if (switching && status.state !== 'idle') return { text: `$(loading~spin) Ponder: loading ${modelLabel(switching)}…`, tooltip: `Loading ${modelLabel(switching)}`, command: pick };
    switch (resolution.kind) {
      case 'none': return { text: '$(lightbulb) Ponder: no model', tooltip: 'No model selected. Click to choose or download one.', command: pick };
      case 'invalid': return { text: '$(warning) Ponder: invalid model', tooltip: resolution.message, command: pick };
      case 'missing': return { text: `$(cloud-download) Ponder: ${resolution.download.label} not downloaded`, tooltip: resolution.message, command: pick };
      case 'file': break;
    }
    if (status.state === 'loading') return { text: `$(loading~spin) Ponder: loading ${resolution.label}…`, tooltip: `Loading ${resolution.label}`, command: pick };
    if (status.state === 'ready' && active) {
      return { text: `$(lightbulb-sparkle) Ponder: ${modelLabel(active)}`, tooltip: `${modelLabel(active)} is ready (${status.engine?.contextSize ?? '?'}-token context). Click to switch models.`, command: pick };
    }
    const name = resolution.label; // what loads on the next request
    return { text: `$(lightbulb) Ponder: ${name}`, tooltip: `${name} loads on the first request. Click to switch models.`, command: pick };
  }

  dispose(): void {
    clearTimeout(this.renderTimer);
    this.item.dispose();
  }
}

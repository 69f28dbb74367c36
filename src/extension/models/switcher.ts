/**
 * Selecting a model: download it if needed, load it (the engine switches only once the new model loaded), then save
 * `ponder.model`. A model that fails to load is reported and not saved, so the previous one keeps working.
 */
import * as vscode from 'vscode';
import { notificationText } from '../../core/notification';
import type { PonderContext } from '../context';
import { log } from '../log';
import type { DownloadManager } from './downloads';
import { modelLabel, resolveEnv, resolveModelSetting, type Resolution } from './resolve';
import { errorMessage } from '../../core/result';
import { localEngineSpec } from '../engine/engine-host';

export type SelectOutcome =
  | { readonly ok: true; readonly path: string; readonly label: string; readonly selectedToReadyMs: number }
  | { readonly ok: false; readonly reason: 'cancelled' | 'failed'; readonly message?: string };

export class ModelSwitcher {
  constructor(private readonly ctx: PonderContext, private readonly downloads: DownloadManager) {}

  resolve(ref: string): Resolution {
    return resolveModelSetting(ref, resolveEnv(this.ctx.config));
  }

  /** `ref`: a path, a catalogue id ("qwen-7b", "qwen-7b:Q8_0") or an hf: URI. */
  async select(ref: string): Promise<SelectOutcome> {
    let r = this.resolve(ref);
    if (r.kind === 'none') return { ok: false, reason: 'cancelled' };
    if (r.kind === 'invalid') return this.fail(r.message);
    if (r.kind === 'missing') {
      const downloaded = await this.downloads.download(r.download.uri, r.download.label, () => void this.select(ref));
      // The download manager already told the user what went wrong.
      if (!downloaded.ok) return { ok: false, reason: downloaded.code === 'CANCELLED' ? 'cancelled' : 'failed', message: downloaded.message };
      r = this.resolve(ref);
      if (r.kind !== 'file') return this.fail(`The download finished but ${ref} still cannot be found in ${this.ctx.config.downloadFolder}.`);
    }
    const file = r;
    const selected = Date.now();
    await this.stopRunningTurn();
    const { engine, config } = this.ctx;
    const previous = engine.activeModelPath;
    try {
      await engine.load(localEngineSpec(config, file.path)); // the status bar item shows the loading state
    } catch (e) {
      const message = errorMessage(e);
      return this.fail(previous ? `${message} Ponder keeps using ${modelLabel(previous)}.` : message);
    }
    const selectedToReadyMs = Date.now() - selected;
    log.info(`Model selected → ready: ${file.label} in ${selectedToReadyMs} ms`);
    if (config.modelSetting !== ref) await config.saveModel(ref);
    if (config.engineKind !== 'local') await this.useLocalEngine(file.label);
    return { ok: true, path: file.path, label: file.label, selectedToReadyMs };
  }

  /**
   * Downloads a draft model (`ref`: a catalogue id) without switching the main model: with \`ponder.draftModel: "auto"\`
   * the next request loads it next to its target.
   */
  async downloadDraft(ref: string, forLabel: string): Promise<SelectOutcome> {
    const r = this.resolve(ref);
    if (r.kind === 'invalid' || r.kind === 'none') return this.fail(r.kind === 'invalid' ? r.message : `Unknown draft model ${ref}.`);
    let file = r.kind === 'file' ? r : undefined;
    if (r.kind === 'missing') {
      const downloaded = await this.downloads.download(r.download.uri, r.download.label, () => void this.downloadDraft(ref, forLabel));
      if (!downloaded.ok) return { ok: false, reason: downloaded.code === 'CANCELLED' ? 'cancelled' : 'failed', message: downloaded.message };
      const again = this.resolve(ref);
      file = again.kind === 'file' ? again : undefined;
    }
    if (!file) return this.fail(`The download finished but ${ref} still cannot be found in ${this.ctx.config.downloadFolder}.`);
    log.info(`Draft model ${file.label} ready for ${forLabel}.`);
    void vscode.window.showInformationMessage(`Ponder: ${file.label} drafts for ${forLabel} from the next request on (speculative decoding: the same answers, faster).`);
    return { ok: true, path: file.path, label: file.label, selectedToReadyMs: 0 };
  }

  /** A model is never swapped under a running answer: stop it and wait for the turn to end. */
  private async stopRunningTurn(): Promise<void> {
    const chat = this.ctx.chat;
    if (!chat.busy) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 10_000);
      const sub = chat.onActivity((a) => a.kind === 'ended' && done());
      function done() {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
      chat.stop();
    });
  }

  /** Choosing a local model means using it: `ponder.engine` goes back to "local" where it was set. */
  private async useLocalEngine(label: string): Promise<void> {
    const cfg = vscode.workspace.getConfiguration('ponder');
    const i = cfg.inspect<string>('engine');
    const target = i?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder
      : i?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await cfg.update('engine', 'local', target);
    void vscode.window.showInformationMessage(`Ponder now answers with ${label} on this machine (\`ponder.engine\` is "local" again).`);
  }

  private fail(message: string): SelectOutcome {
    log.error(`Model selection failed: ${message}`);
    void vscode.window.showErrorMessage(notificationText(message), 'Show Logs').then((c) => c && log.show());
    return { ok: false, reason: 'failed', message };
  }
}

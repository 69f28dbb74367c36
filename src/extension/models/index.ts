/** Model features: picker, manager, downloads, status bar item, walkthrough commands. One call from activation. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PonderContext } from '../context';
import { DownloadManager } from './downloads';
import { ModelManager } from './manage';
import { ModelPicker } from './picker';
import { ModelStatusBar } from './status-bar';
import { ModelStore } from './store';
import { ModelSwitcher, type SelectOutcome } from './switcher';

export function registerModelFeatures(ctx: PonderContext): void {
  const context = ctx.vscodeContext;
  ctx.config.setDefaultDownloadFolder(path.join(context.globalStorageUri.fsPath, 'models'));
  const store = () => new ModelStore(ctx.config.downloadFolder);
  const downloads = new DownloadManager(context.extensionPath, () => ctx.config.downloadFolder);
  const switcher = new ModelSwitcher(ctx, downloads);
  const picker = new ModelPicker(ctx, store, switcher);
  const manager = new ModelManager(ctx, store, switcher);
  const statusBar = new ModelStatusBar(ctx, downloads);
  context.subscriptions.push(downloads, statusBar);

  const reg = (id: string, fn: (...args: unknown[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  /** `ponder.selectModel [ref]`: with a path, catalogue id or hf: URI, selects it directly (walkthrough links, scripts). */
  reg('ponder.selectModel', (ref?: unknown): Promise<SelectOutcome> => (typeof ref === 'string' && ref.trim() ? switcher.select(ref.trim()) : picker.pick()));
  reg('ponder.manageModels', () => manager.show());
  reg('ponder.gettingStarted', () => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#ponder.gettingStarted`, false));
  /** For tests and diagnostics (not in the palette): what the status bar item shows now, and showed before. */
  reg('ponder.statusBarText', () => ({ text: statusBar.text, history: [...statusBar.history], shown: statusBar.shown }));
}

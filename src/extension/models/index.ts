/**
 * Model features: picker, manager, downloads, walkthrough commands; loaded on first use (src/extension/features.ts).
 * The status bar item (status-bar.ts) is there from activation.
 */
import * as vscode from 'vscode';
import type { PonderContext } from '../context';
import { DownloadManager } from './downloads';
import { ModelManager } from './manage';
import { ModelPicker } from './picker';
import { ModelStore } from './store';
import { ModelSwitcher, type SelectOutcome } from './switcher';

export function registerModelFeatures(ctx: PonderContext): DownloadManager {
  const context = ctx.vscodeContext;
  const store = () => new ModelStore(ctx.config.downloadFolder);
  const downloads = new DownloadManager(context.extensionPath, () => ctx.config.downloadFolder);
  const switcher = new ModelSwitcher(ctx, downloads);
  const picker = new ModelPicker(ctx, store, switcher);
  const manager = new ModelManager(ctx, store, switcher);
  context.subscriptions.push(downloads);

  const reg = (id: string, fn: (...args: unknown[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  /** `ponder.selectModel [ref]`: with a path, catalogue id or hf: URI, selects it directly (walkthrough links, scripts). */
  reg('ponder.selectModel', (ref?: unknown): Promise<SelectOutcome> => (typeof ref === 'string' && ref.trim() ? switcher.select(ref.trim()) : picker.pick()));
  reg('ponder.manageModels', () => manager.show());
  reg('ponder.gettingStarted', () => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#ponder.gettingStarted`, false));
  return downloads;
}

/** The runtime at activation: the engine starts on the saved build when there is one. "Ponder: Build Runtime for This
 * Machine" itself (build-command.ts) loads on first use. */
import * as vscode from 'vscode';
import type { PonderContext } from '../context';
import { log } from '../log';
import { RuntimeStore } from './runtime-store';

export function openRuntimeStore(ctx: PonderContext): RuntimeStore {
  const context = ctx.vscodeContext;
  const store = new RuntimeStore(context.globalStorageUri.fsPath, context.extensionPath, (m) => {
    log.warn(m);
    void vscode.window.showWarningMessage(`Ponder: ${m}`);
  });
  ctx.config.runtimeBuild = () => store.spec();
  return store;
}

/** `ponder.setApiKey` / `ponder.clearApiKey`: the remote engine's key, stored in SecretStorage for the configured server. */
import * as vscode from 'vscode';
import type { PonderContext } from '../context';
import { log } from '../log';
import { ApiKeyStore, checkApiKey, keyOrigin } from './api-key';

export function registerRemoteCommands(ctx: PonderContext): void {
  const subs = ctx.vscodeContext.subscriptions;
  const keys = new ApiKeyStore(ctx.vscodeContext.secrets);
  const origin = (): string | undefined => {
    const url = ctx.config.remoteBaseUrl;
    const o = url ? keyOrigin(url) : undefined;
    if (!o) void vscode.window.showWarningMessage('Ponder: set `ponder.remote.baseUrl` to your server (e.g. https://api.deepseek.com/v1) first; the key is stored for that server.', 'Open Settings').then((a) => a && vscode.commands.executeCommand('workbench.action.openSettings', 'ponder.remote'));
    return o;
  };

  /** `ponder.setApiKey [key]`: asks for the key (password box) unless given; returns whether one was stored. */
  subs.push(vscode.commands.registerCommand('ponder.setApiKey', async (arg?: unknown): Promise<boolean> => {
    const o = origin();
    const url = ctx.config.remoteBaseUrl;
    if (!o || !url) return false;
    const key = typeof arg === 'string' ? arg : await vscode.window.showInputBox({
      title: `Ponder: API key for ${o}`,
      prompt: 'Stored in VS Code’s secret storage (your OS keychain), sent only to this server, never written to settings or logs.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v ? checkApiKey(v) : undefined),
    });
    if (!key) return false;
    const problem = checkApiKey(key);
    if (problem) {
      void vscode.window.showErrorMessage(`Ponder: ${problem}`);
      return false;
    }
    await keys.set(url, key.trim());
    log.info(`API key stored for ${o}.`);
    void vscode.window.showInformationMessage(`Ponder: API key stored for ${o}.`);
    return true;
  }));

  subs.push(vscode.commands.registerCommand('ponder.clearApiKey', async (): Promise<void> => {
    const o = origin();
    const url = ctx.config.remoteBaseUrl;
    if (!o || !url) return;
    await keys.delete(url);
    log.info(`API key removed for ${o}.`);
    void vscode.window.showInformationMessage(`Ponder: API key removed for ${o}.`);
  }));
}

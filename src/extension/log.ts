/** The one output channel of the host. Nothing in the host uses console.log. */
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

export function initLog(context: vscode.ExtensionContext): vscode.LogOutputChannel {
  channel = vscode.window.createOutputChannel('Ponder', { log: true });
  context.subscriptions.push(channel);
  return channel;
}

export const log = {
  info: (message: string) => channel?.info(message),
  warn: (message: string) => channel?.warn(message),
  error: (message: string) => channel?.error(message),
  at: (level: 'info' | 'warn' | 'error', message: string) => channel?.[level](message),
  show: () => channel?.show(true),
};

/** Activation: build one context object, register contributions. No model work happens here. */
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { ChatController } from './chat-controller';
import { registerCommands } from './commands';
import { Config } from './config';
import type { PonderApi, PonderContext } from './context';
import { EngineHost } from './engine-host';
import { initLog, log } from './log';
import { PanelView } from './panel-view';
import { statusLine } from './status-line';

export function activate(context: vscode.ExtensionContext): PonderApi | undefined {
  initLog(context);
  try {
    const config = new Config();
    const engine = new EngineHost(context, config);
    let panel: PanelView | undefined;
    const post: PonderContext['postState'] = () => panel?.post({ type: 'panel/state', turns: chat.snapshot(), status: statusLine(engine.status, config), busy: chat.busy });
    const chat = new ChatController({
      engine: () => engine.ready(),
      post: (m) => panel?.post(m),
      maxThinkingTokens: () => config.maxThinkingTokens,
      onError: (message) => void showError(message),
    });
    panel = new PanelView(context.extensionUri, () => ({ type: 'panel/state', turns: chat.snapshot(), status: statusLine(engine.status, config), busy: chat.busy }));
    const ctx: PonderContext = { vscodeContext: context, config, engine, chat, panel, postState: post };
    context.subscriptions.push(vscode.window.registerWebviewViewProvider(PanelView.viewId, panel, { webviewOptions: { retainContextWhenHidden: false } }), panel, engine);
    panel.onMessage((m) => {
      switch (m.type) {
        case 'panel/send': void chat.send(m.text); break;
        case 'panel/stop': chat.stop(); break;
        case 'panel/answerNow': chat.answerNow(); break;
        case 'panel/newChat': chat.newChat(); post(); break;
        case 'panel/ready': break;
      }
    }, undefined, context.subscriptions);
    engine.onStatus((s) => panel?.post({ type: 'panel/status', text: statusLine(s, config), busy: chat.busy }), undefined, context.subscriptions);
    registerCommands(ctx);
    return {
      engineStarted: () => engine.started,
      nodeLlamaCppInHost,
      lastPrompt: () => chat.lastPrompt,
    };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    log.error(`Activation failed: ${message}`);
    void vscode.window.showErrorMessage(`Ponder failed to start: ${message}`, 'Show Logs').then((a) => a && log.show());
    return undefined;
  }
}

/** Linux: the native addon would be mapped into this process; elsewhere, fall back to the CommonJS module cache. */
function nodeLlamaCppInHost(): boolean {
  try {
    return /node-llama-cpp|llama-addon/.test(readFileSync('/proc/self/maps', 'utf8'));
  } catch {
    return Object.keys(require.cache).some((k) => k.includes('node-llama-cpp'));
  }
}

async function showError(message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(`Ponder: ${message}`, 'Show Logs');
  if (choice) log.show();
}

export function deactivate(): void {
  // Disposables (the engine process among them) are released through context.subscriptions.
}

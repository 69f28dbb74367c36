/** Activation: build one context object, register contributions. No model work happens here. */
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { parsePanelMessage, type HostToPanel, type TurnOutcome } from '../core/protocol/panel';
import { mapBudget } from '../core/repomap';
import { ChatController } from './chat/chat-controller';
import { ChatStore } from './chat/chat-store';
import { registerCommands } from './chat/commands';
import { registerRuntimeFeatures } from './runtime';
import { proposalEventData, registerEditFeatures } from './edits';
import { registerVerifyFeatures } from './verify';
import { registerRemoteCommands } from './remote/commands';
import { Config } from './config';
import type { PonderApi, PonderContext } from './context';
import { ContextChips } from './chat/context-chips';
import { EngineHost } from './engine/engine-host';
import { initLog, log } from './log';
import { registerModelFeatures } from './models';
import { notificationText } from '../core/notification';
import { handlePanelMessage } from './panel/panel-router';
import { PanelView } from './panel/panel-view';
import { PanelWatch } from './panel/panel-watch';
import { modelInUse, statusLine } from './engine/status-line';
import { RepoMap } from './repomap/repo-map';
import { WorkspaceChip } from './repomap/workspace-chip';
import { errorMessage } from '../core/result';

/** The engine session, for `deactivate` to wait on. */
let engineHost: EngineHost | undefined;

export function activate(context: vscode.ExtensionContext): PonderApi | undefined {
  initLog(context);
  try {
    const config = new Config();
    const engine = new EngineHost(context, config);
    engineHost = engine;
    const store = new ChatStore(context.workspaceState);
    // The loaded model's context; before loading, the setting or a conservative 4096 (chips and map sizes are estimates then).
    const contextSize = () => engine.status.engine?.contextSize ?? (config.contextSize || 4096);
    const chips = new ContextChips(contextSize, () => {
      const client = engine.loaded;
      return client && ((text: string) => client.countTokens(text).then((c) => c.tokens));
    });
    let panel: PanelView | undefined;
    const chat = new ChatController({
      engine: () => engine.ready(),
      post: (m) => panel?.post(m),
      maxThinkingTokens: () => config.maxThinkingTokens,
      maxGeneratedTokens: () => config.maxGeneratedTokens,
      onError: (message) => void showError(message),
      store,
      contextSize,
      loadedEngine: () => engine.loaded,
      speculative: () => config.speculative,
    });
    // The chat survives a window reload: reopen the most recent one.
    const latest = store.list()[0];
    if (latest) chat.open(latest);
    const state = (): HostToPanel => ({
      type: 'panel/state',
      turns: chat.snapshot(),
      status: statusLine(engine.status, config),
      busy: chat.busy,
      reasoningDisplay: config.reasoningDisplay,
      chips: chips.chips(),
      meter: chat.meter,
      model: modelInUse(config),
    });
    panel = new PanelView(context.extensionUri, state);
    // The repository map (@workspace): sized to the model's context; nothing is built here.
    const repoMap = new RepoMap(context);
    const repoMapBudget = () => mapBudget(config.repoMapTokens, contextSize());
    const activeFile = () => (chips.lastEditor ? [vscode.workspace.asRelativePath(chips.lastEditor.document.uri, false)] : []);
    chips.workspace = new WorkspaceChip(repoMap, repoMapBudget, () => chips.notify(), () => ({ files: activeFile() }));
    const ctx: PonderContext = { vscodeContext: context, config, engine, chat, panel, chips, store, repoMap, repoMapBudget, postState: () => panel?.post(state()) };
    context.subscriptions.push(vscode.window.registerWebviewViewProvider(PanelView.viewId, panel, { webviewOptions: { retainContextWhenHidden: true } }), panel, engine, chips, repoMap, chips.workspace);
    const edits = registerEditFeatures(ctx);
    const verifier = registerVerifyFeatures(ctx, edits);
    panel.onMessage((m) => void handlePanelMessage(ctx, edits, m).catch((e: unknown) => log.error(`Panel action failed: ${errorMessage(e)}`)), undefined, context.subscriptions);
    chips.onDidChange(() => panel?.post({ type: 'panel/chips', chips: chips.chips() }), undefined, context.subscriptions);
    // `ponder.busy` drives the Stop keybinding.
    context.subscriptions.push(chat.onActivity((a) => a.kind !== 'chunk' && void vscode.commands.executeCommand('setContext', 'ponder.busy', chat.busy)));
    context.subscriptions.push(new PanelWatch(panel, chat), chat.onActivity((a) => a.kind === 'ended' && log.info(`Turn ended: ${describeOutcome(a.outcome)}`)));
    engine.onStatus((s) => panel?.post({ type: 'panel/status', text: statusLine(s, config), busy: chat.busy, model: modelInUse(config) }), undefined, context.subscriptions);
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('ponder.reasoning.display') && ctx.postState(), undefined, context.subscriptions);
    registerCommands(ctx);
    registerModelFeatures(ctx);
    registerRuntimeFeatures(ctx);
    registerRemoteCommands(ctx);
    return {
      engineStarted: () => engine.started,
      enginePid: () => engine.pid,
      nodeLlamaCppInHost,
      lastPrompt: () => chat.lastPrompt,
      verifications: () => verifier.records(),
      allowVerifyCommand: (command) => verifier.tests.allow(command.trim()),
      chips: () => chips.chips(),
      panelMessage: async (raw: unknown) => {
        const m = parsePanelMessage(raw);
        if (!m.ok) throw new Error(m.error);
        await handlePanelMessage(ctx, edits, m.value);
      },
      repoMapStats: () => repoMap.stats(),
      onProposalEvent: (listener) => edits.store.onDidChange((e) => listener(proposalEventData(e))),
    };
  } catch (e) {
    const message = errorMessage(e);
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

/** One log line per turn: how it ended and what it generated (tests and the bench read it from the log file). */
function describeOutcome(o: TurnOutcome): string {
  const s = o.stats;
  return `${o.stopReason}${s ? ` (${s.thinkingTokens} thinking + ${s.answerTokens} answer tokens in ${s.durationMs} ms)` : ''}${o.error ? `: ${o.error}` : ''}`;
}

async function showError(message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(notificationText(message), 'Show Logs');
  if (choice) log.show();
}

/**
 * VS Code awaits this (briefly) before the host exits, but not a Disposable's returned promise: so the worker is
 * asked to shut down here, and waited for, instead of only losing its IPC channel when the host process ends.
 */
export async function deactivate(): Promise<void> {
  await engineHost?.dispose();
  engineHost = undefined;
}

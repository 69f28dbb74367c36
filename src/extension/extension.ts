/**
 * Activation: build one context object, register contributions. No model work happens here, and the editor features
 * (edits, verify, model picker, runtime build, API keys) load on first use (on-first-use.ts).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parsePanelMessage, type HostToPanel, type TurnOutcome } from '../core/protocol/panel';
import { mapBudget } from '../core/repomap';
import { ChatController } from './chat/chat-controller';
import { ChatStore } from './chat/chat-store';
import { registerCommands } from './chat/commands';
import { openRuntimeStore } from './runtime';
import { PonderCodeActions } from './edits/code-actions';
import { Config } from './config';
import type { PonderApi, PonderContext, ProposalEventData } from './context';
import { ContextChips } from './chat/context-chips';
import { EngineHost } from './engine/engine-host';
import { initLog, log } from './log';
import { ModelStatusBar } from './models/status-bar';
import { FeatureLoader } from './on-first-use';
import { DiagnosticsWatch } from './verify/diagnostics';
import { notificationText } from '../core/notification';
import { handlePanelMessage } from './panel/panel-router';
import { PanelView } from './panel/panel-view';
import { PanelWatch } from './panel/panel-watch';
import { modelInUse, statusLine } from './engine/status-line';
import { RepoMap } from './repomap/repo-map';
import { WorkspaceChip } from './repomap/workspace-chip';
import { errorMessage } from '../core/result';
import type { EditFeatures } from './edits';

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
    // Where the model comes from: the download folder's default, the saved runtime build, the status bar item.
    ctx.config.setDefaultDownloadFolder(path.join(context.globalStorageUri.fsPath, 'models'));
    const statusBar = new ModelStatusBar(ctx);
    const proposalEvents = new vscode.EventEmitter<ProposalEventData>();
    // Diagnostics are watched from the start: verification later needs to know which languages report problems.
    const diagnostics = new DiagnosticsWatch();
    const features = new FeatureLoader(ctx, { statusBar, runtimeStore: openRuntimeStore(ctx), diagnostics, proposalEvents: (e) => proposalEvents.fire(e) });
    context.subscriptions.push(statusBar, proposalEvents, diagnostics, features);
    context.subscriptions.push(vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new PonderCodeActions(() => {
      const edits = features.loaded?.edits;
      return edits && { store: edits.store, redo: edits.pipeline.redo };
    }), PonderCodeActions.metadata));
    const edits = {
      applyAnswerBlock: async (...a: Parameters<EditFeatures['applyAnswerBlock']>) => (await features.load()).edits.applyAnswerBlock(...a),
    };
    panel.onMessage((m) => void handlePanelMessage(ctx, edits, m).catch((e: unknown) => log.error(`Panel action failed: ${errorMessage(e)}`)), undefined, context.subscriptions);
    chips.onDidChange(() => panel?.post({ type: 'panel/chips', chips: chips.chips() }), undefined, context.subscriptions);
    // `ponder.busy` drives the Stop keybinding.
    context.subscriptions.push(chat.onActivity((a) => a.kind !== 'chunk' && void vscode.commands.executeCommand('setContext', 'ponder.busy', chat.busy)));
    context.subscriptions.push(new PanelWatch(panel, chat), chat.onActivity((a) => a.kind === 'ended' && log.info(`Turn ended: ${describeOutcome(a.outcome)}`)));
    engine.onStatus((s) => panel?.post({ type: 'panel/status', text: statusLine(s, config), busy: chat.busy, model: modelInUse(config) }), undefined, context.subscriptions);
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('ponder.reasoning.display') && ctx.postState(), undefined, context.subscriptions);
    registerCommands(ctx);
    /** For tests and diagnostics (not in the palette): what the status bar item shows now, and showed before. */
    context.subscriptions.push(vscode.commands.registerCommand('ponder.statusBarText', () => ({ text: statusBar.text, history: [...statusBar.history], shown: statusBar.shown })));
    return {
      engineStarted: () => engine.started,
      enginePid: () => engine.pid,
      nodeLlamaCppInHost,
      lastPrompt: () => chat.lastPrompt,
      featuresLoaded: () => features.loaded !== undefined,
      verifications: () => features.loaded?.verifier.records() ?? [],
      allowVerifyCommand: async (command) => (await features.load()).verifier.tests.allow(command.trim()),
      chips: () => chips.chips(),
      panelMessage: async (raw: unknown) => {
        const m = parsePanelMessage(raw);
        if (!m.ok) throw new Error(m.error);
        await handlePanelMessage(ctx, edits, m.value);
      },
      repoMapStats: () => repoMap.stats(),
      onProposalEvent: (listener) => proposalEvents.event(listener),
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

/** The "Ponder" side panel: a webview view with a strict CSP, talking only through src/core/protocol/panel.ts. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { parsePanelMessage, type HostToPanel, type PanelToHost } from '../../core/protocol/panel';
import { isFiniteNumber, isObject } from '../../core/protocol/validate';
import { log } from '../log';

export class PanelView implements vscode.WebviewViewProvider {
  static readonly viewId = 'ponder.chat';
  private view: vscode.WebviewView | undefined;
  private ready = false;
  /** Chunks were held back while the view was hidden: the full state goes when it shows again. */
  private stale = false;
  private queue: HostToPanel[] = [];
  private readonly messageEmitter = new vscode.EventEmitter<PanelToHost>();
  readonly onMessage = this.messageEmitter.event;
  private pingSeq = 0;
  private readonly pongs = new Map<number, () => void>();

  constructor(private readonly extensionUri: vscode.Uri, private readonly initialState: () => HostToPanel) {}

  /**
   * Registered with retainContextWhenHidden: a hidden view keeps its page, so coming back shows the chat as it was
   * (scroll position, a half-written question) and never re-creates the webview while the model takes the CPU —
   * in code-server 4.100 on 2 busy cores a re-created sidebar webview stayed blank (no content frame) 1 time in 3.
   */
  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const root = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    view.webview.options = { enableScripts: true, localResourceRoots: [root] };
    view.webview.html = this.html(view.webview, root);
    view.webview.onDidReceiveMessage((raw: unknown) => {
      const parsed = parsePanelMessage(raw);
      if (!parsed.ok) {
        log.warn(`Dropped a malformed panel message: ${parsed.error}`);
        // A refused send still answers, so the webview puts the text back instead of losing it.
        if (isObject(raw) && raw.type === 'panel/send' && isFiniteNumber(raw.sendId)) this.post({ type: 'panel/sendFailed', sendId: raw.sendId, error: parsed.error });
        return;
      }
      if (parsed.value.type === 'panel/pong') this.pongs.get(parsed.value.seq)?.();
      if (parsed.value.type === 'panel/ready') {
        this.ready = true;
        this.queue = [];
        void view.webview.postMessage(this.initialState());
      }
      this.messageEmitter.fire(parsed.value);
    });
    view.onDidChangeVisibility(() => {
      if (!view.visible || !this.stale || !this.ready || this.view !== view) return;
      this.stale = false;
      void view.webview.postMessage(this.initialState());
    });
    view.onDidDispose(() => {
      if (this.view !== view) return; // an older view's late dispose must not detach the current one
      this.view = undefined;
      this.ready = false;
    });
  }

  /**
   * Posts once the webview said it is ready; earlier messages are covered by the state sent on ready. While the view
   * is hidden, streamed chunks are not sent (a kept page would re-render a long thought ~200 times a second for
   * nobody, starving the window that must answer the liveness probe); the state is sent once it shows again.
   */
  post(message: HostToPanel): void {
    if (!this.view || !this.ready) return;
    if (message.type === 'panel/chunk' && !this.view.visible) {
      this.stale = true;
      return;
    }
    void this.view.webview.postMessage(message);
  }

  /**
   * A host → window round trip: 'answered' when the webview pongs or the workbench acknowledges the post (a hidden
   * view, kept alive while hidden, still answers: hidden is not gone), 'unreachable' when nothing answers within
   * `timeoutMs` (the browser is gone; the extension host keeps pending calls until it reconnects, or never).
   * With no webview resolved, the workbench itself is asked (a context-key update is a call into the window).
   */
  async probe(timeoutMs: number): Promise<'answered' | 'unreachable'> {
    const seq = ++this.pingSeq;
    let timer: NodeJS.Timeout | undefined;
    try {
      const pong = new Promise<'answered'>((resolve) => this.pongs.set(seq, () => resolve('answered')));
      const call = this.view
        ? Promise.resolve(this.view.webview.postMessage({ type: 'panel/ping', seq } satisfies HostToPanel))
        : Promise.resolve(vscode.commands.executeCommand('setContext', 'ponder.windowProbe', seq));
      const acknowledged = call.then(() => 'answered' as const, () => 'answered' as const); // a refusal is an answer too
      const timeout = new Promise<'unreachable'>((resolve) => (timer = setTimeout(() => resolve('unreachable'), timeoutMs)));
      return await Promise.race([pong, acknowledged, timeout]);
    } finally {
      clearTimeout(timer);
      this.pongs.delete(seq);
    }
  }

  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${PanelView.viewId}.focus`);
  }

  private html(webview: vscode.Webview, root: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const uri = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(root, f)).toString();
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uri('codicon.css')}">
<link rel="stylesheet" href="${uri('panel.css')}">
<title>Ponder</title>
</head>
<body>
<div id="status" class="status" role="status"></div>
<div class="turns-wrap">
<section id="welcome" class="welcome" aria-label="Getting started" hidden></section>
<main id="turns" class="turns" aria-label="Chat"></main>
<button type="button" id="jumpLatest" class="jump-latest" title="Jump to the latest message" aria-label="Jump to latest" hidden><i class="codicon codicon-arrow-down"></i><span class="label">Jump to latest</span></button>
</div>
<div id="meter" class="meter" hidden></div>
<div id="announce" class="visually-hidden" aria-live="polite"></div>
<form id="composer" class="composer">
  <div id="chips" class="chips" aria-label="Context sent with the next message" hidden></div>
  <div id="composerError" class="composer-error" role="alert" hidden></div>
  <textarea id="prompt" rows="3" placeholder="Ask Ponder… (@ to add a file, Enter to send, Shift+Enter for a new line)" aria-label="Prompt"></textarea>
  <div class="actions">
    <button type="button" id="newChat" title="New chat" aria-label="New chat"><i class="codicon codicon-add"></i></button>
    <button type="button" id="answerNow" title="Answer now: stop thinking and answer" aria-label="Answer now" disabled><i class="codicon codicon-debug-step-over"></i><span class="label">Answer now</span></button>
    <button type="button" id="stop" title="Stop" aria-label="Stop" disabled><i class="codicon codicon-debug-stop"></i><span class="label">Stop</span></button>
    <button type="submit" id="send" title="Send (Enter)" aria-label="Send"><i class="codicon codicon-send"></i><span class="label">Send</span></button>
  </div>
</form>
<script nonce="${nonce}" src="${uri('main.js')}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.messageEmitter.dispose();
  }
}

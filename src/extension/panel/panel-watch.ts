/**
 * Stops a turn that no window can show any more. Closing the browser tab (code-server) leaves the extension host
 * running for its reconnection grace time with no dispose or deactivate, so nothing else would stop the worker.
 * Hiding or switching the view is not "gone": the workbench still answers the round trip (see PanelView.probe).
 * A turn an edit task waits for is left to finish (its proposal is there when the user comes back).
 */
import type * as vscode from 'vscode';
import { LIVENESS } from '../../core/protocol/panel';
import type { ChatController } from '../chat/chat-controller';
import { log } from '../log';
import type { PanelView } from './panel-view';

export class PanelWatch implements vscode.Disposable {
  private lastHeard = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private probing = false;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly panel: PanelView, private readonly chat: ChatController) {
    this.subscriptions = [
      panel.onMessage(() => (this.lastHeard = Date.now())),
      chat.onActivity((a) => {
        if (a.kind === 'started') this.watch();
        if (a.kind === 'ended' && !chat.busy) this.unwatch();
      }),
    ];
  }

  private watch(): void {
    this.lastHeard = Date.now();
    this.timer ??= setInterval(() => void this.check(), LIVENESS.heartbeatMs);
  }

  private unwatch(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async check(): Promise<void> {
    if (this.probing || !this.chat.busy || Date.now() - this.lastHeard < LIVENESS.quietMs) return;
    this.probing = true;
    try {
      const quietSince = this.lastHeard;
      if ((await this.panel.probe(LIVENESS.probeTimeoutMs)) === 'answered') {
        this.lastHeard = Date.now();
        return;
      }
      const seconds = ((Date.now() - quietSince) / 1000).toFixed(1);
      if (this.chat.stopUnseen()) log.warn(`No window shows Ponder any more (no answer from the workbench for ${seconds} s): stopped the running turn.`);
    } finally {
      this.probing = false;
    }
  }

  dispose(): void {
    this.unwatch();
    for (const d of this.subscriptions) d.dispose();
  }
}

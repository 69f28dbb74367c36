/** Downloads with a progress notification (size, speed, time left, Cancel), one at a time; errors name the fix. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatBytes, formatProgress, percent } from '../../core/models/format';
import type { DownloadErrorCode, DownloadPhase } from '../../core/protocol/download';
import { log } from '../log';
import { DownloadJobError, startDownload, type DownloadHandle, type DownloaderOptions } from './download-client';
import { errorMessage } from '../../core/result';

export interface DownloadState {
  readonly label: string;
  readonly phase: DownloadPhase;
  readonly downloadedBytes: number;
  readonly totalBytes: number;
  readonly bytesPerSecond: number;
}

export type DownloadOutcome =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly code: DownloadErrorCode | 'BUSY'; readonly message: string };

export class DownloadManager implements vscode.Disposable {
  private running: { readonly uri: string; readonly handle: DownloadHandle; state: DownloadState } | undefined;
  private readonly emitter = new vscode.EventEmitter<DownloadState | undefined>();
  /** Fires on progress and with undefined when the download ends. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly extensionPath: string, private readonly folder: () => string) {}

  get current(): DownloadState | undefined {
    return this.running?.state;
  }

  private options(): DownloaderOptions {
    return { childPath: path.join(this.extensionPath, 'dist', 'download.mjs'), env: process.env, log: (level, m) => log.at(level, m) };
  }

  /** Downloads and verifies `uri`. A failure is reported to the user here (with Retry when that can help) and returned. */
  async download(uri: string, label: string, retry?: () => void): Promise<DownloadOutcome> {
    if (this.running) {
      const message = `Ponder is already downloading ${this.running.state.label}. Cancel it (in its notification) to download another model.`;
      void vscode.window.showInformationMessage(message);
      return { ok: false, code: 'BUSY', message };
    }
    const started = Date.now();
    const update = (state: DownloadState) => {
      if (this.running) this.running.state = state;
      this.emitter.fire(state);
    };
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Downloading ${label}`, cancellable: true },
      async (progress, token) => {
        let reported = 0;
        const handle = startDownload(this.options(), { uri, folder: this.folder(), label }, {
          onResolved: (m) => progress.report({ message: `${formatBytes(m.totalBytes)} from the Hugging Face hub${m.sha256 ? ' (sha256 known)' : ''}` }),
          onProgress: (m) => {
            update({ label, phase: m.phase, downloadedBytes: m.downloadedBytes, totalBytes: m.totalBytes, bytesPerSecond: m.bytesPerSecond });
            if (m.phase === 'resolving') return progress.report({ message: 'contacting the Hugging Face hub…' });
            const pct = percent(m);
            const message = m.phase === 'verifying' ? `verifying sha256… ${pct}%` : formatProgress(m);
            // The bar restarts for verification: report the increment since the last report of this phase.
            const increment = m.phase === 'verifying' ? 0 : Math.max(0, pct - reported);
            reported = Math.max(reported, pct);
            progress.report({ message, increment });
          },
        });
        this.running = { uri, handle, state: { label, phase: 'resolving', downloadedBytes: 0, totalBytes: 0, bytesPerSecond: 0 } };
        this.emitter.fire(this.running.state);
        const sub = token.onCancellationRequested(() => handle.cancel());
        try {
          return { ok: true as const, value: await handle.result };
        } catch (e) {
          return { ok: false as const, error: e };
        } finally {
          sub.dispose();
          this.running = undefined;
          this.emitter.fire(undefined);
        }
      },
    );
    if (outcome.ok) {
      log.info(`Downloaded ${label} to ${outcome.value.path} (${formatBytes(outcome.value.record.sizeBytes)}, verified by ${outcome.value.record.verified}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return { ok: true, path: outcome.value.path };
    }
    const e = outcome.error;
    const code: DownloadErrorCode = e instanceof DownloadJobError ? e.code : 'INTERNAL';
    const message = errorMessage(e);
    log.at(code === 'CANCELLED' ? 'info' : 'error', `Download of ${label} (${uri}): ${code}: ${message}`);
    if (code === 'CANCELLED') {
      void vscode.window.showInformationMessage(`Ponder: download of ${label} paused. "Ponder: Select Model" resumes it where it stopped.`);
      return { ok: false, code, message };
    }
    const retryable = code === 'OFFLINE' || code === 'STALLED' || code === 'SIZE_MISMATCH' || code === 'HASH_MISMATCH' || code === 'INTERNAL';
    // Not awaited: whoever asked for the download goes on (the notification stays until the user answers).
    void vscode.window.showErrorMessage(`Ponder: could not download ${label}. ${message}`, ...(retryable ? ['Retry'] : []), 'Show Logs').then((choice) => {
      if (choice === 'Show Logs') log.show();
      if (choice === 'Retry') (retry ?? (() => void this.download(uri, label)))();
    });
    return { ok: false, code, message };
  }

  dispose(): void {
    this.running?.handle.cancel();
    this.emitter.dispose();
  }
}

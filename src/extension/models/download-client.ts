/**
 * Host side of the downloader protocol: forks dist/download.mjs for one job, validates what it says, and kills it
 * when it does not stop in time (a cancel, a hub that never answers). Free of `vscode` so tests drive it from Node.
 */
import type { SystemMemory } from '../../core/models/recommend';
import {
  parseDownloaderMessage,
  parseJobResult,
  type DownloadDone,
  type DownloadErrorCode,
  type DownloadJob,
  type DownloadParams,
  type DownloaderToHost,
  type HostToDownloader,
  type JobResult,
  type ProgressMessage,
  type ResolvedMessage,
  type ResultMessage,
} from '../../core/protocol/download';
import type { Result } from '../../core/result';
import { ChildChannel } from '../child-process/child-channel';

export class DownloadJobError extends Error {
  constructor(readonly code: DownloadErrorCode, message: string) {
    super(message);
    this.name = 'DownloadJobError';
  }
}

/** The downloader answered `job` with a result its parser refused: a bug or a downloader from another build. */
export class MalformedJobResultError extends DownloadJobError {
  constructor(readonly job: DownloadJob, readonly problem: string) {
    super('MALFORMED_RESULT', `Ponder’s downloader sent a malformed result for ${job}: ${problem}. The downloader and the extension may come from different builds: reload the window and try again; "Ponder: Show Logs" has details.`);
    this.name = 'MalformedJobResultError';
  }
}

/** The result of `job` checked on arrival with the job's parser (and that it answers this job, not another). */
function checkResult<J extends DownloadJob>(job: J, m: ResultMessage): Result<JobResult<J>> {
  if (m.job !== job) return { ok: false, error: `it answered ${m.job} instead` };
  return parseJobResult(job, m.result);
}

export interface DownloaderOptions {
  /** The built downloader entry (dist/download.mjs). */
  readonly childPath: string;
  /** Environment for the child; the host's own by default (desktop VS Code needs ELECTRON_RUN_AS_NODE passed on). */
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** After a cancel, how long the child may take to save its part and exit before it is killed. */
  readonly cancelGraceMs?: number;
}

export interface DownloadCallbacks {
  readonly onResolved?: (m: ResolvedMessage) => void;
  readonly onProgress?: (m: ProgressMessage) => void;
}

export interface DownloadHandle {
  /** The verified file in the download folder; rejects with a DownloadJobError. */
  readonly result: Promise<DownloadDone>;
  /** Stops the download, keeping the part for a resume; `result` rejects with code CANCELLED. */
  cancel(): void;
}

type Downloader = ChildChannel<HostToDownloader, DownloaderToHost>;

interface ChildEvents {
  readonly onMessage: (m: DownloaderToHost) => void;
  readonly onExit: (code: number | null, signal: NodeJS.Signals | null) => void;
  readonly onError?: (e: Error) => void;
}

function spawnChild(options: DownloaderOptions, events: ChildEvents): Downloader {
  return new ChildChannel({
    modulePath: options.childPath,
    env: options.env,
    outputPrefix: 'downloader',
    peerName: 'the downloader',
    parse: parseDownloaderMessage,
    log: options.log,
    onMessage: (m) => (m.type === 'download/log' ? options.log?.(m.level, m.message) : events.onMessage(m)),
    onExit: events.onExit,
    onError: events.onError,
  });
}

/**
 * Downloads `params.uri` into `params.folder`. The probe timeout is enforced here too: if the child has not heard
 * from the hub within it (+ a margin for process start), it is killed and the download fails as OFFLINE.
 */
export function startDownload(options: DownloaderOptions, params: DownloadParams, callbacks: DownloadCallbacks = {}): DownloadHandle {
  let settled = false;
  let cancelled = false;
  let killTimer: NodeJS.Timeout | undefined;
  let resolve!: (v: DownloadDone) => void;
  let reject!: (e: Error) => void;
  const result = new Promise<DownloadDone>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const finish = (f: () => void) => {
    if (settled) return;
    settled = true;
    clearTimeout(probeTimer);
    clearTimeout(killTimer);
    f();
  };
  const child = spawnChild(options, { onMessage: (m) => {
    switch (m.type) {
      case 'download/resolved':
        clearTimeout(probeTimer);
        callbacks.onResolved?.(m);
        return;
      case 'download/progress':
        if (!cancelled) callbacks.onProgress?.(m);
        return;
      case 'download/result': {
        const done = checkResult('download/start', m);
        if (done.ok) finish(() => resolve(done.value));
        else {
          options.log?.('error', `Malformed download/start result from the downloader: ${done.error}`);
          child.kill('SIGKILL');
          finish(() => reject(new MalformedJobResultError('download/start', done.error)));
        }
        return;
      }
      case 'download/failed':
        finish(() => reject(new DownloadJobError(m.error.code, m.error.message)));
        return;
      case 'download/log':
        return;
    }
  }, onExit: (code, signal) => {
    if (cancelled) finish(() => reject(new DownloadJobError('CANCELLED', 'Download cancelled.')));
    else finish(() => reject(new DownloadJobError('INTERNAL', `The downloader stopped unexpectedly (${signal ?? `exit code ${code}`}). Try again; "Ponder: Show Logs" has details.`)));
  }, onError: (e) => finish(() => reject(new DownloadJobError('INTERNAL', `Could not start the downloader: ${e.message}`))) });
  const probeMs = (params.probeTimeoutMs ?? 8000) + 15_000;
  const probeTimer = setTimeout(() => {
    child.kill('SIGKILL');
    finish(() => reject(new DownloadJobError('OFFLINE', `The Hugging Face hub did not answer within ${Math.round(probeMs / 1000)} s. Check your internet connection (or proxy), then try again.`)));
  }, probeMs);
  child.send({ type: 'download/start', params });
  return {
    result,
    cancel: () => {
      if (settled || cancelled) return;
      cancelled = true;
      child.send({ type: 'download/cancel' });
      // It saves its part and exits; if the downloader hangs instead, the process is killed (the part stays).
      killTimer = setTimeout(() => child.kill('SIGKILL'), options.cancelGraceMs ?? 3000);
    },
  };
}

/** RAM/VRAM as node-llama-cpp reports it, measured in a short-lived child (node-llama-cpp never loads in the host). */
export function querySystemMemory(options: DownloaderOptions, timeoutMs = 15_000): Promise<SystemMemory> {
  return new Promise((resolve, reject) => {
    let done = false;
    const child = spawnChild(options, { onMessage: (m) => {
      if (m.type === 'download/result' && !done) {
        done = true;
        clearTimeout(timer);
        const memory = checkResult('download/systemInfo', m);
        if (memory.ok) resolve(memory.value);
        else {
          options.log?.('error', `Malformed download/systemInfo result from the downloader: ${memory.error}`);
          child.kill('SIGKILL');
          reject(new MalformedJobResultError('download/systemInfo', memory.error));
        }
      } else if (m.type === 'download/failed' && !done) {
        done = true;
        clearTimeout(timer);
        reject(new Error(m.error.message));
      }
    }, onExit: (code) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(new Error(`the memory probe exited (code ${code})`));
    } });
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      child.kill('SIGKILL');
      reject(new Error(`no memory report within ${timeoutMs} ms`));
    }, timeoutMs);
    child.send({ type: 'download/systemInfo', params: {} });
  });
}

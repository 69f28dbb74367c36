/**
 * One forked Node child (the engine worker, the downloader) and its IPC channel: fork with the host's environment,
 * stdout/stderr into the log, every incoming message validated before use, typed sends, exit and error reported.
 * Free of `vscode` so tests drive it (and the clients built on it) from plain Node.
 */
import { fork, type ChildProcess, type Serializable } from 'node:child_process';
import type { Result } from '../../core/result';

export type LogLevel = 'info' | 'warn' | 'error';

export interface ChildChannelOptions<In> {
  /** The built entry to fork (dist/worker.mjs, dist/download.mjs). */
  readonly modulePath: string;
  /** Environment for the child; the host's own by default (desktop VS Code needs ELECTRON_RUN_AS_NODE passed on). */
  readonly env?: NodeJS.ProcessEnv;
  /** Prefix of the child's own output lines in the log, e.g. "worker". */
  readonly outputPrefix: string;
  /** Who sent a message that was dropped, e.g. "the engine". */
  readonly peerName: string;
  /** Validates what arrives: the child is another process, its messages are untrusted. */
  readonly parse: (raw: unknown) => Result<In>;
  readonly log?: (level: LogLevel, message: string) => void;
  /** Every message that passed `parse`. */
  readonly onMessage: (message: In) => void;
  /** The child exited (crashed, was killed, or finished). */
  readonly onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  /** The child could not be started, killed or sent to. */
  readonly onError?: (error: Error) => void;
  /** Its own process group (POSIX), so killGroup() also stops what it started (the runtime builder's compilers). */
  readonly detached?: boolean;
}

export class ChildChannel<Out extends Serializable, In> {
  private readonly child: ChildProcess;
  private readonly detached: boolean;
  private exitedFlag = false;
  /** Resolves once the child has exited (at once if it already had). */
  readonly exited: Promise<void>;

  constructor(options: ChildChannelOptions<In>) {
    const detached = options.detached === true && process.platform !== 'win32';
    const child = fork(options.modulePath, [], { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], detached });
    this.child = child;
    this.detached = detached;
    const log = options.log;
    child.stdout?.on('data', (d: Buffer) => log?.('info', `${options.outputPrefix}: ${d.toString().trimEnd()}`));
    child.stderr?.on('data', (d: Buffer) => log?.('warn', `${options.outputPrefix}: ${d.toString().trimEnd()}`));
    child.on('message', (raw: unknown) => {
      const parsed = options.parse(raw);
      if (parsed.ok) options.onMessage(parsed.value);
      else log?.('warn', `Dropped a malformed message from ${options.peerName}: ${parsed.error}`);
    });
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitedFlag = true;
        resolve();
        options.onExit?.(code, signal);
      });
    });
    child.on('error', (e) => options.onError?.(e));
  }

  /** Process id of the child, if it started. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exitedFlag;
  }

  /** Sends when the channel is open; a message to a child that is gone is dropped (its exit is reported instead). */
  send(message: Out): void {
    if (this.child.connected) this.child.send(message);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (!this.exitedFlag) this.child.kill(signal);
  }

  /** Kills the child and everything in its process group (a detached child on POSIX; the child alone elsewhere). */
  killGroup(signal: NodeJS.Signals = 'SIGKILL'): void {
    const pid = this.child.pid;
    if (this.detached && pid !== undefined) {
      try {
        process.kill(-pid, signal);
        return;
      } catch { /* the group is gone already */ }
    }
    if (process.platform === 'win32' && pid !== undefined && !this.exitedFlag) {
      // taskkill /T takes the child's own children (CMake, MSBuild) with it.
      void import('node:child_process').then(({ spawn }) => spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }));
      return;
    }
    this.kill(signal);
  }
}

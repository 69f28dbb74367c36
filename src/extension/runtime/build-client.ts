/**
 * Host side of the runtime-builder protocol: forks dist/runtime-build.mjs in its own process group for one build,
 * validates what it says, and on Cancel kills the group (CMake, make, the compilers) and removes the half-written
 * build folder, so node-llama-cpp never finds a partial build. Free of `vscode` so tests drive it from Node.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseBuilderMessage, type BuilderToHost, type HostToBuilder, type RuntimeBuildErrorCode, type RuntimeBuildParams } from '../../core/protocol/runtime-build';
import type { BuildPhase, BuildTool, RuntimeBuildRecord } from '../../core/runtime/build-plan';
import { ChildChannel } from '../child-process/child-channel';

export class RuntimeBuildError extends Error {
  constructor(readonly code: RuntimeBuildErrorCode, message: string, readonly missing?: readonly BuildTool[]) {
    super(message);
    this.name = 'RuntimeBuildError';
  }
}

export interface BuilderOptions {
  /** The built builder entry (dist/runtime-build.mjs). */
  readonly childPath: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface RuntimeBuildHandle {
  /** The finished build's record; rejects with a RuntimeBuildError (code CANCELLED after cancel()). */
  readonly result: Promise<RuntimeBuildRecord>;
  /** Stops the build now: the whole process group is killed and the partial build folder removed. */
  cancel(): void;
  /** The builder's pid (its process group id on POSIX). */
  readonly pid: number | undefined;
}

export function startRuntimeBuild(options: BuilderOptions, params: RuntimeBuildParams, onProgress?: (phase: BuildPhase, percent?: number) => void): RuntimeBuildHandle {
  let settled = false;
  let cancelled = false;
  let started: Extract<BuilderToHost, { type: 'runtime/started' }> | undefined;
  let resolve!: (r: RuntimeBuildRecord) => void;
  let reject!: (e: Error) => void;
  const result = new Promise<RuntimeBuildRecord>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const finish = (f: () => void) => {
    if (settled) return;
    settled = true;
    f();
  };
  /** What the build wrote into node-llama-cpp's build folder: nothing of a stopped build may stay for it to find. */
  const removePartial = () => {
    if (!started) return;
    const keep = new Set(started.existing);
    for (const f of [...listDir(started.localBuildsDir)]) {
      if (!keep.has(f)) rmSync(path.join(started.localBuildsDir, f), { recursive: true, force: true });
    }
  };
  const child = new ChildChannel<HostToBuilder, BuilderToHost>({
    modulePath: options.childPath,
    env: options.env,
    outputPrefix: 'runtime build',
    peerName: 'the runtime builder',
    parse: parseBuilderMessage,
    log: options.log,
    detached: true,
    onMessage: (m) => {
      switch (m.type) {
        case 'runtime/started':
          started = m;
          return;
        case 'runtime/progress':
          if (!cancelled) onProgress?.(m.phase, m.percent);
          return;
        case 'runtime/done':
          finish(() => resolve(m.record));
          return;
        case 'runtime/failed':
          removePartial();
          finish(() => reject(new RuntimeBuildError(m.code, m.message, m.missing)));
          return;
      }
    },
    onExit: (code, signal) => {
      // The group may outlive the builder itself (a compiler still writing): make sure it is gone, then clean up.
      child.killGroup('SIGKILL');
      if (settled) return;
      if (cancelled) {
        removePartial();
        finish(() => reject(new RuntimeBuildError('CANCELLED', 'Build cancelled: nothing was changed; Ponder keeps using its current runtime.')));
      } else {
        removePartial();
        finish(() => reject(new RuntimeBuildError('INTERNAL', `The runtime builder stopped unexpectedly (${signal ?? `exit code ${code}`}). "Ponder: Show Logs" has its output.`)));
      }
    },
    onError: (e) => finish(() => reject(new RuntimeBuildError('INTERNAL', `Could not start the runtime builder: ${e.message}`))),
  });
  child.send({ type: 'runtime/start', params });
  return {
    result,
    pid: child.pid,
    cancel() {
      if (settled || cancelled) return;
      cancelled = true;
      child.killGroup('SIGKILL');
    },
  };
}

function listDir(dir: string): string[] {
  if (!existsSync(dir)) return [];
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

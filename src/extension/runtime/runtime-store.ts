/**
 * The runtime "Ponder: Build Runtime for This Machine" made: its record and saved copy live in the extension's global
 * storage (`<globalStorage>/runtime/`), which extension updates keep; the worker puts the copy back where
 * node-llama-cpp looks for it. A build for another node-llama-cpp version is never handed to the worker.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseRuntimeBuildRecord, type RuntimeBuildRecord, type RuntimeSpec } from '../../core/runtime/build-plan';

export class RuntimeStore {
  readonly dir: string;
  private cached: { record: RuntimeBuildRecord | undefined } | undefined;
  private warned = '';

  constructor(globalStoragePath: string, private readonly extensionPath: string, private readonly warn: (message: string) => void) {
    this.dir = path.join(globalStoragePath, 'runtime');
  }

  private get recordPath(): string {
    return path.join(this.dir, 'build.json');
  }

  /** node-llama-cpp's version in this copy of the extension. */
  nodeLlamaCppVersion(): string | undefined {
    try {
      return (JSON.parse(readFileSync(path.join(this.extensionPath, 'node_modules', 'node-llama-cpp', 'package.json'), 'utf8')) as { version?: string }).version;
    } catch {
      return undefined;
    }
  }

  /** The saved build's record, whatever version it is for; undefined when there is none (or it is unreadable). */
  record(): RuntimeBuildRecord | undefined {
    if (!this.cached) {
      let record: RuntimeBuildRecord | undefined;
      try {
        if (existsSync(this.recordPath)) {
          const parsed = parseRuntimeBuildRecord(JSON.parse(readFileSync(this.recordPath, 'utf8')));
          if (parsed.ok) record = parsed.value;
          else this.warnOnce(`Ignoring the runtime build record ${this.recordPath}: ${parsed.error}.`);
        }
      } catch (e) {
        this.warnOnce(`Ignoring the runtime build record ${this.recordPath}: ${(e as Error).message}.`);
      }
      this.cached = { record };
    }
    return this.cached.record;
  }

  /** What the worker loads: the saved build when it is for this node-llama-cpp, otherwise nothing (the prebuilt one). */
  spec(): RuntimeSpec | undefined {
    const record = this.record();
    if (!record) return undefined;
    const version = this.nodeLlamaCppVersion();
    if (record.nodeLlamaCpp !== version) {
      this.warnOnce(`The llama.cpp runtime built for this machine was made for node-llama-cpp ${record.nodeLlamaCpp}; this Ponder has ${version ?? 'another version'}, so it uses the prebuilt runtime. Run "Ponder: Build Runtime for This Machine" again to rebuild it.`);
      return undefined;
    }
    return { savedDir: this.dir, folder: record.folder, cmakeOptions: record.cmakeOptions };
  }

  save(record: RuntimeBuildRecord): void {
    mkdirSync(this.dir, { recursive: true });
    const previous = this.record();
    const tmp = `${this.recordPath}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(record, null, 2));
    renameSync(tmp, this.recordPath);
    if (previous && previous.folder !== record.folder) rmSync(path.join(this.dir, previous.folder), { recursive: true, force: true });
    this.cached = { record };
  }

  /** Forgets the build (the worker goes back to the prebuilt runtime at its next start) and deletes the saved copy. */
  remove(): void {
    const previous = this.record();
    rmSync(this.recordPath, { force: true });
    if (previous) rmSync(path.join(this.dir, previous.folder), { recursive: true, force: true });
    this.cached = { record: undefined };
  }

  private warnOnce(message: string): void {
    if (message === this.warned) return;
    this.warned = message;
    this.warn(message);
  }
}

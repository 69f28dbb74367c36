/**
 * The repository map in the host: lists the workspace's files (files.exclude and search.exclude applied by VS Code's
 * search), hands them to the map thread, keeps it current through file watchers, and renders the map for a request.
 * Built lazily on the first request that uses it (never at activation), with cancellable progress. Off in
 * Restricted Mode: an untrusted workspace's files are not read beyond what the user opens.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MapStats, RenderedMapReply } from '../../core/protocol/repomap';
import { checkMapPath, MAP_EXTENSIONS, normalizeMapPath, type Focus, type MapPathCheck } from '../../core/repomap';
import { log } from '../log';
import { MapCancelled, MapClient } from './map-client';
import { errorMessage } from '../../core/result';

export type MapState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'building'; readonly done: number; readonly total: number }
  | { readonly kind: 'ready'; readonly stats: MapStats }
  | { readonly kind: 'unavailable'; readonly reason: string };

/** Above this many files (after .gitignore) the map indexes the shallowest ones and says so. */
export const MAX_MAP_FILES = 5000;
const UPDATE_DELAY_MS = 300;

export class RepoMap implements vscode.Disposable {
  private client: MapClient | undefined;
  private building: Promise<MapStats> | undefined;
  private stateValue: MapState = { kind: 'idle' };
  private readonly changed = new vscode.EventEmitter<MapState>();
  readonly onDidChangeState = this.changed.event;
  private readonly watchers: vscode.Disposable[] = [];
  private pending = { changed: new Set<string>(), created: new Set<string>(), deleted: new Set<string>() };
  private updateTimer: NodeJS.Timeout | undefined;
  private updating: Promise<void> = Promise.resolve();
  /** A .gitignore or exclude setting changed: the next use rebuilds the list of files. */
  private stale = false;
  /** Paths shown in the maps rendered so far (answers naming them are checked against this). */
  private readonly shown = new Set<string>();

  constructor(private readonly context: vscode.ExtensionContext) {}

  get state(): MapState {
    return this.stateValue;
  }

  private setState(s: MapState): void {
    this.stateValue = s;
    this.changed.fire(s);
  }

  private get folder(): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.workspaceFolders?.[0];
  }

  /** Why the map cannot be used here, or undefined. */
  unavailableReason(): string | undefined {
    if (!vscode.workspace.isTrusted) return 'off in Restricted Mode';
    if (!this.folder || this.folder.uri.scheme !== 'file') return 'needs a folder on disk';
    return undefined;
  }

  /** Builds the map if needed (with progress; Cancel stops it). Rejects with the reason when it cannot be built. */
  ensureBuilt(): Promise<MapStats> {
    const why = this.unavailableReason();
    if (why) {
      this.setState({ kind: 'unavailable', reason: why });
      return Promise.reject(new Error(`The repository map is ${why}.`));
    }
    if (this.building && !this.stale) return this.building;
    this.stale = false;
    const run = Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Ponder: indexing the workspace for @workspace', cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return await this.build((done, total) => {
          progress.report({ message: `${done} of ${total} files` });
          this.setState({ kind: 'building', done, total });
        }, abort.signal);
      } finally {
        sub.dispose();
      }
    }));
    this.building = run;
    run.then(
      (stats) => this.setState({ kind: 'ready', stats }),
      (e: unknown) => {
        if (this.building === run) this.building = undefined; // the next request tries again
        this.setState(e instanceof MapCancelled ? { kind: 'idle' } : { kind: 'unavailable', reason: errorMessage(e) });
      },
    );
    return run;
  }

  private async build(onProgress: (done: number, total: number) => void, signal: AbortSignal): Promise<MapStats> {
    const folder = this.folder;
    if (!folder) throw new Error('no workspace folder');
    this.setState({ kind: 'building', done: 0, total: 0 });
    this.watch(folder);
    const exclude = excludeGlob();
    const t0 = Date.now();
    // VS Code's search lists the files (in its own process), with files.exclude and search.exclude applied.
    const [files, gitignores] = await Promise.all([
      vscode.workspace.findFiles(new vscode.RelativePattern(folder, `**/*.{${MAP_EXTENSIONS.join(',')}}`), exclude, MAX_MAP_FILES * 4),
      vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/.gitignore'), exclude, 1000),
    ]);
    const rel = (u: vscode.Uri) => path.relative(folder.uri.fsPath, u.fsPath).split(path.sep).join('/');
    const storage = this.context.storageUri;
    this.client ??= new MapClient(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'repomap-worker.js').fsPath, (l) => log.warn(l));
    const stats = await this.client.build({
      root: folder.uri.fsPath,
      files: files.map(rel),
      gitignores: gitignores.map(rel),
      cacheFile: storage ? vscode.Uri.joinPath(storage, 'repomap', 'cache-v1.json').fsPath : undefined,
      maxFiles: MAX_MAP_FILES,
    }, onProgress, signal);
    log.info(`Repository map: ${stats.files} files (${stats.parsed} parsed, ${stats.fromCache} from cache, ${stats.ignored} ignored, skipped ${JSON.stringify(stats.skipped)}${stats.capped ? `, capped at ${MAX_MAP_FILES} of ${stats.candidates}` : ''}), ${stats.definitions} definitions in ${Date.now() - t0} ms.`);
    return stats;
  }

  /** Watchers start with the first build: saves, creations, deletions and renames update single files. */
  private watch(folder: vscode.WorkspaceFolder): void {
    if (this.watchers.length) return;
    const rel = (u: vscode.Uri) => (u.scheme === 'file' && u.fsPath.startsWith(folder.uri.fsPath + path.sep) ? path.relative(folder.uri.fsPath, u.fsPath).split(path.sep).join('/') : undefined);
    const queue = (kind: 'changed' | 'created' | 'deleted') => (u: vscode.Uri) => {
      const p = rel(u);
      if (!p) return;
      if (p.endsWith('.gitignore')) {
        this.stale = true;
        return;
      }
      for (const set of Object.values(this.pending)) set.delete(p);
      this.pending[kind].add(p);
      clearTimeout(this.updateTimer);
      this.updateTimer = setTimeout(() => void this.flush(), UPDATE_DELAY_MS);
    };
    // Two watchers: VS Code's globs do not nest braces. Operations through VS Code (explorer, workspace.fs, saves)
    // are also seen through their own events, which arrive even when a watcher event lags or is dropped.
    const sources = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, `**/*.{${MAP_EXTENSIONS.join(',')}}`));
    const ignores = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/.gitignore'));
    this.watchers.push(
      sources,
      ignores,
      sources.onDidChange(queue('changed')),
      sources.onDidCreate(queue('created')),
      sources.onDidDelete(queue('deleted')),
      ignores.onDidChange(queue('changed')),
      ignores.onDidCreate(queue('created')),
      ignores.onDidDelete(queue('deleted')),
      vscode.workspace.onDidSaveTextDocument((d) => queue('changed')(d.uri)),
      vscode.workspace.onDidCreateFiles((e) => e.files.forEach(queue('created'))),
      vscode.workspace.onDidDeleteFiles((e) => e.files.forEach(queue('deleted'))),
      vscode.workspace.onDidRenameFiles((e) => e.files.forEach((f) => (queue('deleted')(f.oldUri), queue('created')(f.newUri)))),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('files.exclude') || e.affectsConfiguration('search.exclude')) this.stale = true;
      }),
    );
  }

  /** Sends the queued file changes to the thread; renders wait for this so a saved change is in the next map. */
  private flush(): Promise<void> {
    clearTimeout(this.updateTimer);
    const { changed, created, deleted } = this.pending;
    this.pending = { changed: new Set(), created: new Set(), deleted: new Set() };
    if (!changed.size && !created.size && !deleted.size) return this.updating;
    this.updating = this.updating.then(async () => {
      if (!this.client || !this.building) return;
      await this.building.catch(() => undefined);
      // New files go through the same exclusions as the build's listing.
      const exclude = excludeGlob();
      const folder = this.folder;
      const allowed: string[] = [];
      for (const p of created) {
        const found = folder ? await vscode.workspace.findFiles(new vscode.RelativePattern(folder, p), exclude, 1) : [];
        if (found.length) allowed.push(p);
      }
      try {
        const stats = await this.client.update([...changed], allowed, [...deleted]);
        this.setState({ kind: 'ready', stats });
      } catch (e) {
        log.warn(`Repository map update failed: ${errorMessage(e)}`);
      }
    });
    return this.updating;
  }

  /** The map for a request within `budget` tokens; builds it first if needed. */
  async render(focus: Focus, budget: number, exclude: readonly string[] = []): Promise<RenderedMapReply> {
    await this.ensureBuilt();
    // Open files are re-checked too (cheap: unchanged content is recognised by its hash): a save's event may
    // arrive after the request that should see it.
    const folder = this.folder;
    for (const d of vscode.workspace.textDocuments) {
      if (folder && !d.isDirty && d.uri.scheme === 'file' && d.uri.fsPath.startsWith(folder.uri.fsPath + path.sep)) this.pending.changed.add(path.relative(folder.uri.fsPath, d.uri.fsPath).split(path.sep).join('/'));
    }
    await this.flush();
    if (!this.client) throw new Error('The repository map is not built.');
    const map = await this.client.render(focus, budget, exclude);
    for (const f of map.files) this.shown.add(f);
    return map;
  }

  /** The map if it can be had within `waitMs` (editor tasks do not wait for a first build of a large workspace). */
  async renderIfReady(focus: Focus, budget: number, exclude: readonly string[], waitMs: number): Promise<RenderedMapReply | undefined> {
    if (this.unavailableReason() || budget <= 0) return undefined;
    const built = this.ensureBuilt().then(() => true, () => false);
    const ready = await Promise.race([built, new Promise<false>((r) => setTimeout(() => r(false), waitMs))]);
    return ready ? this.render(focus, budget, exclude).catch(() => undefined) : undefined;
  }

  /** A path an answer names → the workspace file it means, or why it cannot be used. */
  async resolve(named: string): Promise<{ readonly ok: true; readonly uri: vscode.Uri; readonly path: string } | Extract<MapPathCheck, { ok: false }>> {
    const folder = this.folder;
    const norm = checkMapPath(named, false, true);
    if (!folder || !norm.ok) return norm.ok ? { ok: false, reason: 'Open a folder first.' } : norm;
    const uri = vscode.Uri.joinPath(folder.uri, norm.path);
    const exists = await vscode.workspace.fs.stat(uri).then((s) => s.type !== vscode.FileType.Directory, () => false);
    const checked = checkMapPath(norm.path, this.shown.has(norm.path), exists);
    return checked.ok ? { ok: true, uri, path: checked.path } : checked;
  }

  /** Whether a path was in a map sent so far. */
  wasShown(p: string): boolean {
    return this.shown.has(normalizeMapPath(p) ?? p);
  }

  /** Counters for tests and logs. */
  stats(): MapStats | undefined {
    return this.stateValue.kind === 'ready' ? this.stateValue.stats : undefined;
  }

  dispose(): void {
    clearTimeout(this.updateTimer);
    for (const d of this.watchers) d.dispose();
    this.client?.dispose();
    this.changed.dispose();
  }
}

/** files.exclude and search.exclude (the entries set to true) as one glob. */
function excludeGlob(): string | undefined {
  const on = (section: string) => Object.entries(vscode.workspace.getConfiguration(section).get<Record<string, unknown>>('exclude') ?? {}).filter(([, v]) => v === true).map(([k]) => k);
  const globs = [...new Set([...on('files'), ...on('search')])];
  return globs.length ? `{${globs.join(',')}}` : undefined;
}

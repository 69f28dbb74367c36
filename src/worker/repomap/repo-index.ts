/**
 * The map's index, in its own thread: which files of the workspace it covers (after .gitignore, the cap, size,
 * binary, minified and symlink checks), their tags (reused from a per-file cache by content hash), and the map
 * rendered for a request. Nothing here runs on the extension host's event loop.
 */
import { createHash } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { estimateTokens } from '../../core/context/tokens';
import { looksBinary, MAX_FILE_BYTES, skipReason, type SkipReason } from '../../core/repomap/filter';
import { grammarFor, TAG_QUERIES } from '../../core/repomap/languages';
import { buildGraph, rankGraph, type RefGraph } from '../../core/repomap/rank';
import { renderMap } from '../../core/repomap/render';
import type { FileTags, Focus, MapFile } from '../../core/repomap/types';
import type { BuildRequest, MapStats, RenderedMapReply } from '../../core/protocol/repomap';
import { gitignoreMatcher } from './gitignore';
import type { Tagger } from './tagger';

/** Bump when tags change shape or meaning: an older cache is then ignored. */
const CACHE_VERSION = 2;
const QUERY_HASH = createHash('sha1').update(JSON.stringify(TAG_QUERIES)).digest('hex').slice(0, 12);

interface Entry {
  readonly hash: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly tags?: FileTags;
  readonly skip?: SkipReason;
}

interface CacheFile {
  readonly version: number;
  readonly queries: string;
  readonly files: Record<string, Entry>;
}

export class CancelledError extends Error {
  constructor() {
    super('The repository map build was cancelled.');
  }
}

const yieldNow = () => new Promise<void>((r) => setImmediate(r));

/** This thread's CPU time in ms (Linux /proc; 0 elsewhere). Fields 14 and 15 of stat: user and system ticks. */
function threadCpuMs(): number {
  try {
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // after "pid (comm) ", field 14 is index 11; 100 ticks/s
  } catch {
    return 0;
  }
}

export class RepoIndex {
  private entries = new Map<string, Entry>();
  private root = '';
  private realRoot = '';
  private cacheFile: string | undefined;
  private lastBuild: { candidates: number; capped: boolean; ignored: number } = { candidates: 0, capped: false, ignored: 0 };
  private fullBuilds = 0;
  private fileUpdates = 0;
  private lastMs = 0;
  private lastCpuMs = 0;
  private saveTimer: NodeJS.Timeout | undefined;
  private ignored: (rel: string) => boolean = () => false;
  private maxFiles = Infinity;

  constructor(private readonly tagger: Tagger) {}

  async build(req: BuildRequest, onProgress: (done: number, total: number) => void, cancelled: () => boolean): Promise<MapStats> {
    const t0 = performance.now();
    const cpu0 = threadCpuMs();
    this.root = req.root;
    this.realRoot = await fs.realpath(req.root);
    this.realDirs = new Map();
    this.cacheFile = req.cacheFile;
    const cached = this.entries.size ? Object.fromEntries(this.entries) : await this.loadCache();
    const gitignores = await Promise.all(req.gitignores.map(async (p) => ({ path: p, text: await fs.readFile(path.join(req.root, p), 'utf8').catch(() => '') })));
    const ignored = gitignoreMatcher(gitignores);
    this.ignored = ignored;
    this.maxFiles = req.maxFiles;
    const candidates = req.files.filter((f) => grammarFor(f) !== undefined && !ignored(f));
    // Past the cap, shallow files first: a project's own code usually sits above vendored and generated trees.
    const depth = (p: string) => p.split('/').length;
    const files = [...candidates].sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0)).slice(0, req.maxFiles);
    const next = new Map<string, Entry>();
    let parsed = 0;
    let fromCache = 0;
    let lastProgress = 0;
    const byHash = new Map<string, Entry>();
    for (const e of Object.values(cached)) byHash.set(e.hash, e);
    // Reading runs a few files ahead of parsing; parsing is synchronous in this thread.
    const AHEAD = 64;
    const reads: Promise<Loaded>[] = [];
    const start = (i: number) => { if (i < files.length) reads[i] = this.load(files[i], cached[files[i]]); };
    for (let i = 0; i < AHEAD; i++) start(i);
    for (let i = 0; i < files.length; i++) {
      if (cancelled()) throw new CancelledError();
      start(i + AHEAD);
      const loaded = await reads[i];
      delete reads[i];
      const entry = await this.entryFor(files[i], loaded, byHash);
      if (entry) {
        next.set(files[i], entry.entry);
        if (entry.parsed) parsed++;
        else fromCache++;
      }
      if (performance.now() - lastProgress > 100) {
        lastProgress = performance.now();
        onProgress(i + 1, files.length);
        await yieldNow(); // lets a cancel message in
      }
    }
    this.entries = next;
    this.graph = undefined;
    this.fullBuilds++;
    this.lastCpuMs = threadCpuMs() - cpu0;
    this.lastBuild = { candidates: candidates.length, capped: candidates.length > files.length, ignored: req.files.filter((f) => grammarFor(f) !== undefined).length - candidates.length };
    this.lastMs = performance.now() - t0;
    await this.saveCache();
    return this.stats(parsed, fromCache);
  }

  /**
   * Re-reads changed files that the map covers, adds created ones (unless .gitignore'd or past the cap) and forgets
   * deleted ones. A rename arrives as a deletion and a creation; unchanged content is reused by its hash.
   */
  async update(changed: readonly string[], created: readonly string[], deleted: readonly string[]): Promise<MapStats> {
    const t0 = performance.now();
    this.realDirs = new Map(); // folders may have been moved or replaced by links since
    let parsed = 0;
    const removed = new Map<string, Entry>();
    for (const p of deleted) {
      const e = this.entries.get(p);
      if (e) removed.set(e.hash, e);
      if (this.entries.delete(p)) this.graph = undefined;
    }
    const todo = [...changed.filter((p) => this.entries.has(p)), ...created.filter((p) => !this.ignored(p) && (this.entries.has(p) || this.entries.size < this.maxFiles))];
    for (const p of todo) {
      if (grammarFor(p) === undefined) continue;
      const old = this.entries.get(p);
      const e = await this.entryFor(p, await this.load(p, old), old ? new Map([[old.hash, old]]) : removed);
      if (e) {
        this.entries.set(p, e.entry);
        if (e.parsed) parsed++;
      } else this.entries.delete(p);
      if (e?.entry !== old) {
        this.fileUpdates++;
        this.graph = undefined;
      }
    }
    this.lastMs = performance.now() - t0;
    this.scheduleSave();
    return this.stats(parsed, 0);
  }

  /** Knows whether a path is part of the map (a new file after the build is added by update only if the host says so). */
  has(p: string): boolean {
    return this.entries.has(p);
  }

  /** The reference graph of the current entries; rebuilt after a build or an update changed them. */
  private graph: RefGraph | undefined;

  render(focus: Focus, budget: number, exclude: readonly string[]): RenderedMapReply {
    if (!this.graph) {
      const files: MapFile[] = [];
      for (const [p, e] of this.entries) if (e.tags) files.push({ path: p, tags: e.tags });
      this.graph = buildGraph(files);
    }
    const ranked = rankGraph(this.graph, focus);
    const r = renderMap(ranked, { budget, count: estimateTokens, exclude });
    return { text: r.text, tokens: r.tokens, files: r.files, shownDefinitions: r.shownDefinitions, totalDefinitions: r.totalDefinitions };
  }

  stats(parsed = 0, fromCache = 0): MapStats {
    const skipped: Record<string, number> = {};
    let definitions = 0;
    for (const e of this.entries.values()) {
      if (e.skip) skipped[e.skip] = (skipped[e.skip] ?? 0) + 1;
      definitions += e.tags?.defs.length ?? 0;
    }
    const files = [...this.entries.values()].filter((e) => e.tags).length;
    return { ...this.lastBuild, files, parsed, fromCache, skipped, definitions, ms: this.lastMs, cpuMs: this.lastCpuMs, fullBuilds: this.fullBuilds, fileUpdates: this.fileUpdates };
  }

  /** Real paths of folders, per build: most files are not links, so one lstat each plus one realpath per folder. */
  private realDirs = new Map<string, Promise<string>>();

  private realDir(dir: string): Promise<string> {
    let p = this.realDirs.get(dir);
    if (!p) this.realDirs.set(dir, (p = fs.realpath(dir)));
    return p;
  }

  private async load(rel: string, cached: Entry | undefined): Promise<Loaded> {
    const abs = path.join(this.root, rel);
    try {
      const link = await fs.lstat(abs);
      // Symlinks may point anywhere: only files whose real path stays inside the workspace are read.
      const real = link.isSymbolicLink() ? await fs.realpath(abs) : path.join(await this.realDir(path.dirname(abs)), path.basename(abs));
      const st = link.isSymbolicLink() ? await fs.stat(abs) : link;
      if (real !== this.realRoot && !real.startsWith(this.realRoot + path.sep)) return { kind: 'skip', reason: 'outside the workspace', size: st.size, mtimeMs: st.mtimeMs };
      if (!st.isFile()) return { kind: 'skip', reason: 'unreadable', size: 0, mtimeMs: 0 };
      if (st.size > MAX_FILE_BYTES) return { kind: 'skip', reason: 'too large', size: st.size, mtimeMs: st.mtimeMs };
      if (cached && cached.size === st.size && cached.mtimeMs === st.mtimeMs) return { kind: 'same', entry: cached };
      return { kind: 'read', bytes: await fs.readFile(abs), size: st.size, mtimeMs: st.mtimeMs };
    } catch {
      return { kind: 'skip', reason: 'unreadable', size: 0, mtimeMs: 0 };
    }
  }

  private async entryFor(rel: string, loaded: Loaded, byHash: ReadonlyMap<string, Entry>): Promise<{ entry: Entry; parsed: boolean } | undefined> {
    if (loaded.kind === 'same') return { entry: loaded.entry, parsed: false };
    if (loaded.kind === 'skip') return loaded.reason === 'unreadable' ? undefined : { entry: { hash: '', size: loaded.size, mtimeMs: loaded.mtimeMs, skip: loaded.reason }, parsed: false };
    const hash = createHash('sha1').update(loaded.bytes).digest('hex');
    const known = byHash.get(hash);
    if (known) return { entry: { ...known, size: loaded.size, mtimeMs: loaded.mtimeMs }, parsed: false };
    const base = { hash, size: loaded.size, mtimeMs: loaded.mtimeMs };
    if (looksBinary(loaded.bytes)) return { entry: { ...base, skip: 'binary' }, parsed: true };
    const text = new TextDecoder().decode(loaded.bytes);
    const skip = skipReason(rel, text);
    if (skip) return { entry: { ...base, skip }, parsed: true };
    const grammar = grammarFor(rel);
    if (!grammar) return undefined;
    return { entry: { ...base, tags: await this.tagger.tag(grammar, text) }, parsed: true };
  }

  private async loadCache(): Promise<Record<string, Entry>> {
    if (!this.cacheFile) return {};
    try {
      const data: unknown = JSON.parse(await fs.readFile(this.cacheFile, 'utf8'));
      if (!isCache(data)) return {};
      return Object.fromEntries(Object.entries(data.files).filter(([, e]) => isEntry(e)));
    } catch {
      return {};
    }
  }

  private scheduleSave(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.saveCache(), 2000);
  }

  async saveCache(): Promise<void> {
    clearTimeout(this.saveTimer);
    if (!this.cacheFile) return;
    const data: CacheFile = { version: CACHE_VERSION, queries: QUERY_HASH, files: Object.fromEntries(this.entries) };
    try {
      await fs.mkdir(path.dirname(this.cacheFile), { recursive: true });
      const tmp = `${this.cacheFile}.${process.pid}.tmp`;
      await fs.writeFile(tmp, JSON.stringify(data));
      await fs.rename(tmp, this.cacheFile); // never a half-written cache
    } catch {
      /* a cache that cannot be written only costs time on the next start */
    }
  }
}

type Loaded =
  | { readonly kind: 'same'; readonly entry: Entry }
  | { readonly kind: 'read'; readonly bytes: Uint8Array; readonly size: number; readonly mtimeMs: number }
  | { readonly kind: 'skip'; readonly reason: SkipReason; readonly size: number; readonly mtimeMs: number };

/** The cache is our own file, but it may be from another version or damaged: check its shape before trusting it. */
function isCache(v: unknown): v is CacheFile {
  if (typeof v !== 'object' || v === null) return false;
  const o: { version?: unknown; queries?: unknown; files?: unknown } = v;
  return o.version === CACHE_VERSION && o.queries === QUERY_HASH && typeof o.files === 'object' && o.files !== null;
}

function isEntry(v: unknown): v is Entry {
  if (typeof v !== 'object' || v === null) return false;
  const e: { hash?: unknown; size?: unknown; mtimeMs?: unknown; tags?: unknown; skip?: unknown } = v;
  if (typeof e.hash !== 'string' || typeof e.size !== 'number' || typeof e.mtimeMs !== 'number') return false;
  if (e.skip !== undefined) return typeof e.skip === 'string';
  if (typeof e.tags !== 'object' || e.tags === null) return false;
  const t: { defs?: unknown; refs?: unknown } = e.tags;
  return Array.isArray(t.defs) && Array.isArray(t.refs);
}

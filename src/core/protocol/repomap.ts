/**
 * Host ↔ repository-map thread protocol (a worker_threads thread inside the extension host process: parsing and
 * ranking run there so the host's event loop stays free). Every request carries an id that its progress and its
 * reply reuse. Replies are validated by the host with `parseMapMessage`.
 */
import type { Focus } from '../repomap/types';
import { fail, isFiniteNumber, isObject, isString, type Result } from './validate';

export interface BuildRequest {
  /** Absolute path of the workspace folder (files outside it, e.g. through symlinks, are skipped). */
  readonly root: string;
  /** Candidate files, workspace-relative with forward slashes (the host already applied files/search.exclude). */
  readonly files: readonly string[];
  /** `.gitignore` files, workspace-relative; their rules apply below their folder. */
  readonly gitignores: readonly string[];
  /** Where the per-file cache lives (workspace storage); undefined = no cache on disk. */
  readonly cacheFile?: string;
  readonly maxFiles: number;
}

export interface MapStats {
  /** Files of a map language after .gitignore. */
  readonly candidates: number;
  /** Files indexed (after the cap). */
  readonly files: number;
  /** The cap cut files off (`candidates > files`). */
  readonly capped: boolean;
  readonly parsed: number;
  readonly fromCache: number;
  readonly ignored: number;
  /** Files left out, by reason ("minified": 2, …). */
  readonly skipped: Readonly<Record<string, number>>;
  readonly definitions: number;
  /** Duration of the last build or update. */
  readonly ms: number;
  /** CPU time the map thread used for it (Linux; 0 where unknown): the work itself, whatever else the machine does. */
  readonly cpuMs: number;
  /** Full builds so far (a save must not cause one). */
  readonly fullBuilds: number;
  /** Files whose entry changed after a build (re-parsed, added, or now skipped); unchanged re-checks do not count. */
  readonly fileUpdates: number;
}

export interface RenderedMapReply {
  readonly text: string;
  readonly tokens: number;
  readonly files: readonly string[];
  readonly shownDefinitions: number;
  readonly totalDefinitions: number;
}

/** Host → map thread. */
export type HostToMap =
  /** Host → thread: index the workspace (reusing the cache); replies `map/built`. */
  | { readonly type: 'map/build'; readonly id: number; readonly request: BuildRequest }
  /** Host → thread: files changed (re-read if indexed), were created (already checked against the excludes) or deleted; replies `map/updated`. */
  | { readonly type: 'map/update'; readonly id: number; readonly changed: readonly string[]; readonly created: readonly string[]; readonly deleted: readonly string[] }
  /** Host → thread: rank for this request and render within `budget` tokens; replies `map/rendered`. */
  | { readonly type: 'map/render'; readonly id: number; readonly focus: Focus; readonly budget: number; readonly exclude: readonly string[] }
  /** Host → thread: stop the build with this id (it replies `map/error` with cancelled). */
  | { readonly type: 'map/cancel'; readonly id: number };

/** Map thread → host. */
export type MapToHost =
  /** Thread → host: build progress. */
  | { readonly type: 'map/progress'; readonly id: number; readonly done: number; readonly total: number }
  /** Thread → host: the build finished. */
  | { readonly type: 'map/built'; readonly id: number; readonly stats: MapStats }
  /** Thread → host: an update finished. */
  | { readonly type: 'map/updated'; readonly id: number; readonly stats: MapStats }
  /** Thread → host: the rendered map. */
  | { readonly type: 'map/rendered'; readonly id: number; readonly map: RenderedMapReply }
  /** Thread → host: the request failed (or was cancelled). */
  | { readonly type: 'map/error'; readonly id: number; readonly message: string; readonly cancelled: boolean };

const STAT_NUMBERS = ['candidates', 'files', 'parsed', 'fromCache', 'ignored', 'definitions', 'ms', 'cpuMs', 'fullBuilds', 'fileUpdates'] as const;

function parseStats(v: unknown): MapStats | undefined {
  if (!isObject(v) || typeof v.capped !== 'boolean' || !isObject(v.skipped)) return undefined;
  const skipped: Record<string, number> = {};
  for (const [k, n] of Object.entries(v.skipped)) if (isFiniteNumber(n)) skipped[k] = n;
  const nums: Partial<Record<(typeof STAT_NUMBERS)[number], number>> = {};
  for (const k of STAT_NUMBERS) {
    const n = v[k];
    if (!isFiniteNumber(n)) return undefined;
    nums[k] = n;
  }
  const { candidates = 0, files = 0, parsed = 0, fromCache = 0, ignored = 0, definitions = 0, ms = 0, cpuMs = 0, fullBuilds = 0, fileUpdates = 0 } = nums;
  return { candidates, files, capped: v.capped, parsed, fromCache, ignored, skipped, definitions, ms, cpuMs, fullBuilds, fileUpdates };
}

export function parseMapMessage(m: unknown): Result<MapToHost> {
  if (!isObject(m) || !isString(m.type) || !isFiniteNumber(m.id)) return fail('map message needs a type and an id');
  const id = m.id;
  switch (m.type) {
    case 'map/progress':
      return isFiniteNumber(m.done) && isFiniteNumber(m.total) ? { ok: true, value: { type: m.type, id, done: m.done, total: m.total } } : fail('progress needs numbers');
    case 'map/built':
    case 'map/updated': {
      const stats = parseStats(m.stats);
      return stats ? { ok: true, value: { type: m.type, id, stats } } : fail(`${m.type} needs stats`);
    }
    case 'map/rendered': {
      const r = m.map;
      const files: unknown[] = isObject(r) && Array.isArray(r.files) ? r.files : [];
      if (!isObject(r) || !isString(r.text) || !isFiniteNumber(r.tokens) || !files.every(isString) || !isFiniteNumber(r.shownDefinitions) || !isFiniteNumber(r.totalDefinitions)) return fail('rendered needs a map');
      return { ok: true, value: { type: m.type, id, map: { text: r.text, tokens: r.tokens, files: files.filter(isString), shownDefinitions: r.shownDefinitions, totalDefinitions: r.totalDefinitions } } };
    }
    case 'map/error':
      return isString(m.message) ? { ok: true, value: { type: m.type, id, message: m.message, cancelled: m.cancelled === true } } : fail('error needs a message');
    default:
      return fail(`unknown map message ${JSON.stringify(m.type)}`);
  }
}

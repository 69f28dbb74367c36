/**
 * Renders ranked definitions as signatures grouped by file, as many as fit a token budget. Members appear under
 * their class (the class line is added for context when the class itself did not rank high enough).
 */
import type { TokenCounter } from '../context/types';
import type { Definition, RankedDefinition } from './types';

export const MAP_TITLE = 'Repository map (the workspace\'s most used declarations, signatures only; paths from the workspace root):';

export interface RenderOptions {
  readonly budget: number;
  readonly count: TokenCounter;
  /** Files already in the prompt (their code is there): left out of the map. */
  readonly exclude?: readonly string[];
  readonly title?: string;
}

export interface RenderedMap {
  /** '' when nothing fits (or there is nothing to show). */
  readonly text: string;
  readonly tokens: number;
  /** Files shown, in the order shown. */
  readonly files: readonly string[];
  readonly shownDefinitions: number;
  readonly totalDefinitions: number;
}

const CONTAINER_KINDS = new Set(['class', 'interface', 'module', 'enum']);

type Containers = ReadonlyMap<string, ReadonlyMap<string, Definition>>;

/** Each file's class-like definitions by name (to show a member's class line for context). */
function containersOf(ranked: readonly RankedDefinition[]): Containers {
  const out = new Map<string, Map<string, Definition>>();
  for (const r of ranked) {
    if (!CONTAINER_KINDS.has(r.def.kind)) continue;
    let m = out.get(r.path);
    if (!m) out.set(r.path, (m = new Map()));
    if (!m.has(r.def.name)) m.set(r.def.name, r.def);
  }
  return out;
}

/** The text for the first `n` ranked definitions. */
export function renderTop(ranked: readonly RankedDefinition[], n: number, title = MAP_TITLE, containers: Containers = containersOf(ranked)): { text: string; files: string[] } {
  if (n <= 0) return { text: '', files: [] };
  const groups = new Map<string, Definition[]>();
  for (const r of ranked.slice(0, n)) {
    const list = groups.get(r.path);
    if (list) list.push(r.def);
    else groups.set(r.path, [r.def]);
  }
  const blocks: string[] = [];
  for (const [path, defs] of groups) {
    const shown = new Set(defs);
    for (const d of defs) {
      const c = d.container ? containers.get(path)?.get(d.container) : undefined;
      if (c) shown.add(c);
    }
    const lines = [...shown].sort((a, b) => a.line - b.line || (a.name < b.name ? -1 : 1)).map((d) => `${d.container ? '    ' : '  '}${d.signature}`);
    blocks.push(`${path}:\n${lines.join('\n')}`);
  }
  return { text: `${title}\n${blocks.join('\n')}`, files: [...groups.keys()] };
}

/** As many of the best definitions as fit `budget` tokens (binary search on how many; cost grows with the count). */
export function renderMap(ranked: readonly RankedDefinition[], opts: RenderOptions): RenderedMap {
  const excluded = new Set(opts.exclude ?? []);
  const list = excluded.size ? ranked.filter((r) => !excluded.has(r.path)) : ranked;
  const total = list.length;
  const empty: RenderedMap = { text: '', tokens: 0, files: [], shownDefinitions: 0, totalDefinitions: total };
  if (opts.budget <= 0 || total === 0) return empty;
  const containers = containersOf(list);
  const cost = (n: number) => opts.count(renderTop(list, n, opts.title, containers).text);
  // Every shown line costs at least a couple of tokens: no need to try more than that allows.
  let lo = 0;
  let hi = Math.min(total, Math.ceil(opts.budget / 2));
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (cost(mid) <= opts.budget) lo = mid;
    else hi = mid - 1;
  }
  if (lo === 0) return empty;
  const { text, files } = renderTop(list, lo, opts.title, containers);
  return { text, tokens: opts.count(text), files, shownDefinitions: lo, totalDefinitions: total };
}

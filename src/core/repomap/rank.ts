/**
 * Ranks definitions by how much the rest of the code refers to them: a reference graph between files (an edge from
 * each file that uses a name to each file that defines it) scored with personalised PageRank, then each file's score
 * shared among the definitions its referrers used. Personalisation moves the request's files and names up.
 * The idea follows Aider's repository map; this is an independent implementation.
 */
import { MIN_REF_NAME } from './tags';
import type { Focus, MapFile, RankedDefinition } from './types';

const DAMPING = 0.85;
const MAX_ITERATIONS = 40;
const TOLERANCE = 1e-9;
/** A name defined in more files than this tells nothing about which one is meant. */
const MAX_DEFINERS = 50;
const MIN_NAME = MIN_REF_NAME;

/** Distinctive names (camelCase, snake_case, long) say more about a dependency than `get` or `x`. */
function nameWeight(name: string, definers: number): number {
  let w = 1;
  if (name.length >= 8 && (/[a-z][A-Z]/.test(name) || name.includes('_'))) w *= 10;
  else if (/^[a-z]+$/.test(name)) w *= 0.2; // `text`, `push`, `value`: used everywhere for many things
  if (name.startsWith('_')) w *= 0.1;
  if (definers > 5) w *= 0.1;
  return w;
}

/** Tests use everything and define little that others use: their definitions rank lower. */
const TEST_PATH = /(^|\/)(tests?|__tests__|spec)\/|\.(test|spec)\.[^/]+$|_test\.go$|(^|\/)test_[^/]+\.py$/;

const byPath = (a: MapFile, b: MapFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

function stem(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.indexOf('.');
  return (dot > 0 ? base.slice(0, dot) : base).toLowerCase();
}

/** Personalised PageRank over weighted edges; `personal` sums to 1. Dangling nodes give their rank back to `personal`. */
export function pageRank(n: number, src: Int32Array, dst: Int32Array, weight: Float64Array, personal: Float64Array): Float64Array {
  const out = new Float64Array(n);
  for (let e = 0; e < src.length; e++) out[src[e]] += weight[e];
  let rank = Float64Array.from(personal);
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    const next = new Float64Array(n);
    let dangling = 0;
    for (let i = 0; i < n; i++) if (out[i] === 0) dangling += rank[i];
    for (let e = 0; e < src.length; e++) next[dst[e]] += (DAMPING * rank[src[e]] * weight[e]) / out[src[e]];
    let delta = 0;
    for (let i = 0; i < n; i++) {
      next[i] += (1 - DAMPING + DAMPING * dangling) * personal[i];
      delta += Math.abs(next[i] - rank[i]);
    }
    rank = next;
    if (delta < TOLERANCE) break;
  }
  return rank;
}

/**
 * The reference graph of a set of files, independent of any request (so it is built once per index state and
 * reused): one edge per (file that uses a name, file that defines it), with its base weight and the definition
 * slot (file, name) the edge points at.
 */
export interface RefGraph {
  readonly files: readonly MapFile[];
  readonly src: Int32Array;
  readonly dst: Int32Array;
  readonly baseWeight: Float64Array;
  readonly nameId: Int32Array;
  readonly slot: Int32Array;
  readonly slots: number;
  /** Slot of each file's definitions, in file then definition order (-1: nobody uses that name). */
  readonly defSlot: Int32Array;
  readonly nameIds: ReadonlyMap<string, number>;
}

export function buildGraph(input: readonly MapFile[]): RefGraph {
  const files = [...input].sort(byPath);
  const nameIds = new Map<string, number>();
  const idOf = (name: string) => {
    let id = nameIds.get(name);
    if (id === undefined) nameIds.set(name, (id = nameIds.size));
    return id;
  };
  const definers: number[][] = [];
  files.forEach((f, i) => {
    for (const d of f.tags.defs) {
      const id = idOf(d.name);
      const list = (definers[id] ??= []);
      if (list[list.length - 1] !== i) list.push(i);
    }
  });
  const src: number[] = [];
  const dst: number[] = [];
  const weight: number[] = [];
  const names: number[] = [];
  const slotOf = new Map<number, number>();
  const slot: number[] = [];
  const stride = nameIds.size + 1;
  files.forEach((f, r) => {
    for (const [name, count] of f.tags.refs) {
      const id = nameIds.get(name);
      const ds = id === undefined ? undefined : definers[id];
      if (id === undefined || !ds || ds.length > MAX_DEFINERS || name.length < MIN_NAME) continue;
      const w = nameWeight(name, ds.length) * Math.sqrt(count);
      for (const d of ds) {
        if (d === r) continue;
        src.push(r);
        dst.push(d);
        weight.push(w);
        names.push(id);
        const key = d * stride + id;
        let s = slotOf.get(key);
        if (s === undefined) slotOf.set(key, (s = slotOf.size));
        slot.push(s);
      }
    }
  });
  const defSlot: number[] = [];
  files.forEach((f, i) => {
    for (const d of f.tags.defs) defSlot.push(slotOf.get(i * stride + (nameIds.get(d.name) ?? 0)) ?? -1);
  });
  return {
    files, src: Int32Array.from(src), dst: Int32Array.from(dst), baseWeight: Float64Array.from(weight), nameId: Int32Array.from(names),
    slot: Int32Array.from(slot), slots: slotOf.size, defSlot: Int32Array.from(defSlot), nameIds,
  };
}

/** Every definition with its rank for a request, best first; ties in path then line order (stable output). */
export function rankGraph(g: RefGraph, focus: Focus = {}): RankedDefinition[] {
  const { files, src, dst, baseWeight, nameId, slot } = g;
  const n = files.length;
  const focusIdents = new Set(focus.identifiers ?? []);
  const focusNames = new Set<number>();
  for (const name of focusIdents) {
    const id = g.nameIds.get(name);
    if (id !== undefined) focusNames.add(id);
  }
  const index = new Map(files.map((f, i) => [f.path, i]));
  const focusFiles = new Set<number>();
  for (const p of focus.files ?? []) {
    const i = index.get(p);
    if (i !== undefined) focusFiles.add(i);
  }
  // A file named like a word of the request (`retry` → src/retry.ts) is part of it too.
  const lowerIdents = new Set([...focusIdents].map((s) => s.toLowerCase()));
  if (lowerIdents.size) files.forEach((f, i) => lowerIdents.has(stem(f.path)) && focusFiles.add(i));

  const weight = new Float64Array(baseWeight.length);
  for (let e = 0; e < weight.length; e++) weight[e] = baseWeight[e] * (focusNames.has(nameId[e]) ? 10 : 1) * (focusFiles.has(src[e]) ? 50 : 1);
  const personal = new Float64Array(n);
  if (focusFiles.size) for (const i of focusFiles) personal[i] = 1 / focusFiles.size;
  else personal.fill(n ? 1 / n : 0);
  const rank = pageRank(n, src, dst, weight, personal);

  // Share each referrer's rank among the definitions it used, in proportion to the edge weights.
  const out = new Float64Array(n);
  for (let e = 0; e < src.length; e++) out[src[e]] += weight[e];
  const slotRank = new Float64Array(g.slots);
  for (let e = 0; e < src.length; e++) slotRank[slot[e]] += (rank[src[e]] * weight[e]) / out[src[e]];
  const ranked: RankedDefinition[] = [];
  let max = 0;
  let k = 0;
  files.forEach((f, i) => {
    const perFile = f.tags.defs.length || 1;
    const test = TEST_PATH.test(f.path);
    for (const def of f.tags.defs) {
      const s = g.defSlot[k++];
      // Unreferenced definitions still follow their file's own rank, far below any referenced one.
      const base = s >= 0 ? slotRank[s] : (rank[i] * 1e-3) / perFile;
      const r = test ? base * 0.1 : base;
      max = Math.max(max, r);
      ranked.push({ path: f.path, def, rank: r });
    }
  });
  // Names the request spells out come first: the user asked about them.
  if (focusIdents.size) for (let i = 0; i < ranked.length; i++) if (focusIdents.has(ranked[i].def.name)) ranked[i] = { ...ranked[i], rank: ranked[i].rank + max + 1 };
  return ranked.sort((a, b) => b.rank - a.rank || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.def.line - b.def.line);
}

/** rankGraph(buildGraph(files), focus). */
export function rankDefinitions(input: readonly MapFile[], focus: Focus = {}): RankedDefinition[] {
  return rankGraph(buildGraph(input), focus);
}

/**
 * Locating a model's SEARCH text (or a hunk's old side) in the file, in layers from strict to loose:
 *   exact → trailing whitespace ignored → indentation ignored → inner whitespace collapsed → whitespace and
 *   typographic punctuation ignored → anchored similarity (scored, thresholded).
 * The first layer with any match decides: one match wins, several are ambiguous (a line hint may pick the nearest;
 * otherwise refused). Own implementation rather than jsdiff: jsdiff diffs two texts, it does not search one inside
 * another with per-layer uniqueness rules.
 */
import { charSimilarity, isBlank, looseKey, squash, trimBlankEnds } from './text';

export type MatchLevel = 'exact' | 'trailing-ws' | 'indentation' | 'whitespace' | 'loose' | 'similar';

export interface Match {
  start: number;
  end: number;
  level: MatchLevel;
  /** 0..1: how much the located lines agree with the SEARCH lines. */
  score: number;
  /** Blank lines trimmed from the SEARCH ends to find it. */
  lead: number;
  trail: number;
  /** Several equally good places; the line hint (or the hunk order) picked this one. */
  byHint: boolean;
  /** Only the line number decided between places (worth telling the user). */
  chosenByHint: boolean;
}

export type Located = ({ ok: true } & Match) | { ok: false; reason: string; ambiguous: boolean };

export interface LocateOptions {
  /** 0-based line where the text is expected (Roo `:start_line:`, a diff's `@@` number, the editor selection). */
  hint?: number;
  /** Matches starting before this line are ignored if there are others (ordered diff hunks). */
  from?: number;
  /** Only a match ending at the last line counts (apply-patch `*** End of File`). */
  atEnd?: boolean;
  /** Allow the similarity layer (default true). */
  fuzzy?: boolean;
}

const LEVELS: ReadonlyArray<readonly [MatchLevel, (s: string) => string, number]> = [
  ['exact', (s) => s, 1],
  ['trailing-ws', (s) => s.trimEnd(), 0.98],
  ['indentation', (s) => s.trim(), 0.95],
  ['whitespace', squash, 0.92],
  ['loose', looseKey, 0.88],
];

/** How far (lines) a hint may be from the match it picks. */
const HINT_WINDOW = 12;
/** Similarity layer: minimum window score, margin over the runner-up, share of lines that must match exactly. */
export const FUZZY_THRESHOLD = 0.8;
const FUZZY_MARGIN = 0.05;

function describe(starts: number[]): string {
  const shown = starts.slice(0, 5).map((s) => s + 1).join(', ');
  return starts.length > 5 ? `${shown}, …` : shown;
}

function pick(starts: number[], len: number, fileLen: number, opts: LocateOptions): { start?: number; byHint?: boolean; chosen?: boolean; reason?: string } {
  let cands = starts;
  if (opts.atEnd) cands = cands.filter((s) => s + len === fileLen);
  if (opts.from !== undefined) {
    const after = cands.filter((s) => s >= (opts.from ?? 0));
    if (after.length) cands = after;
  }
  if (cands.length === 1) return { start: cands[0], byHint: cands.length !== starts.length };
  if (cands.length === 0) return { reason: 'it is not at the end of the file' };
  if (opts.hint !== undefined) {
    const hint = opts.hint;
    const dist = cands.map((s) => Math.abs(s - hint)).sort((a, b) => a - b);
    const best = cands.filter((s) => Math.abs(s - hint) === dist[0]);
    if (best.length === 1 && dist[0] <= HINT_WINDOW && dist[1] > dist[0]) return { start: best[0], byHint: true, chosen: true };
  }
  return { reason: `it occurs ${cands.length} times (lines ${describe(cands)}); refusing to guess which one is meant` };
}

function findAll(fileKeys: readonly string[], searchKeys: readonly string[], index: Map<string, number[]>): number[] {
  const first = searchKeys[0];
  const out: number[] = [];
  for (const s of index.get(first) ?? []) {
    if (s + searchKeys.length > fileKeys.length) continue;
    let ok = true;
    for (let j = 1; j < searchKeys.length; j++) {
      if (fileKeys[s + j] !== searchKeys[j]) {
        ok = false;
        break;
      }
    }
    if (ok) out.push(s);
  }
  return out;
}

/** Per-file cache of normalised lines and first-line indexes, so many blocks against a 10k-line file stay cheap. */
export class LineIndex {
  private readonly keys = new Map<MatchLevel, { keys: string[]; index: Map<string, number[]> }>();
  constructor(readonly lines: readonly string[]) {}
  level(level: MatchLevel, norm: (s: string) => string): { keys: string[]; index: Map<string, number[]> } {
    let e = this.keys.get(level);
    if (!e) {
      const keys = this.lines.map(norm);
      const index = new Map<string, number[]>();
      keys.forEach((k, i) => {
        const arr = index.get(k);
        if (arr) arr.push(i);
        else index.set(k, [i]);
      });
      e = { keys, index };
      this.keys.set(level, e);
    }
    return e;
  }
}

export function locate(file: readonly string[] | LineIndex, search: readonly string[], opts: LocateOptions = {}): Located {
  const idx = file instanceof LineIndex ? file : new LineIndex(file);
  const lines = idx.lines;
  const variants: Array<{ lines: readonly string[]; lead: number; trail: number }> = [{ lines: search, lead: 0, trail: 0 }];
  const t = trimBlankEnds(search);
  if ((t.lead || t.trail) && t.lines.length) variants.push(t);
  for (const v of variants) {
    for (const [level, norm, score] of LEVELS) {
      const { keys, index } = idx.level(level, norm);
      const starts = findAll(keys, v.lines.map(norm), index);
      if (starts.length === 0) continue;
      const p = pick(starts, v.lines.length, lines.length, opts);
      if (p.start === undefined) return { ok: false, ambiguous: true, reason: `the SEARCH text matches ${level === 'exact' ? 'exactly' : `(${level})`} but ${p.reason}` };
      return { ok: true, start: p.start, end: p.start + v.lines.length, level, score: p.byHint ? score * 0.9 : score, lead: v.lead, trail: v.trail, byHint: !!p.byHint, chosenByHint: !!p.chosen };
    }
  }
  if (opts.fuzzy === false) return { ok: false, ambiguous: false, reason: 'the SEARCH text is not in the file' };
  return locateSimilar(idx, t.lines.length ? t : { lines: search, lead: 0, trail: 0 }, opts);
}

/**
 * Anchored similarity: windows of the same length whose first or last non-blank line matches (whitespace-
 * insensitively) and where at least half of the non-blank lines match outright. Score = mean per-line similarity.
 */
function locateSimilar(idx: LineIndex, v: { lines: readonly string[]; lead: number; trail: number }, opts: LocateOptions): Located {
  const search = v.lines;
  const n = search.length;
  const notFound: Located = { ok: false, ambiguous: false, reason: 'the SEARCH text is not in the file (no exact, whitespace-insensitive or similar match)' };
  const nonBlank = search.map((l, j) => (isBlank(l) ? -1 : j)).filter((j) => j >= 0);
  if (nonBlank.length < 2) return notFound;
  const { keys } = idx.level('whitespace', squash);
  const sKeys = search.map(squash);
  const firstJ = nonBlank[0];
  const lastJ = nonBlank[nonBlank.length - 1];
  const starts = new Set<number>();
  keys.forEach((k, i) => {
    if (k === sKeys[firstJ] && i - firstJ >= 0) starts.add(i - firstJ);
    if (k === sKeys[lastJ] && i - lastJ >= 0) starts.add(i - lastJ);
  });
  const scored: Array<{ start: number; score: number }> = [];
  for (const s of starts) {
    if (s + n > keys.length) continue;
    let exact = 0;
    for (const j of nonBlank) if (keys[s + j] === sKeys[j]) exact++;
    if (exact < nonBlank.length / 2) continue;
    let total = 0;
    for (let j = 0; j < n; j++) {
      if (keys[s + j] === sKeys[j]) total += 1;
      else if (isBlank(search[j]) || isBlank(idx.lines[s + j])) total += 0;
      else total += charSimilarity(search[j], idx.lines[s + j]);
    }
    scored.push({ start: s, score: total / n });
  }
  let pool = scored;
  if (opts.atEnd) pool = pool.filter((c) => c.start + n === keys.length);
  pool.sort((a, b) => b.score - a.score);
  if (pool.length === 0 || pool[0].score < FUZZY_THRESHOLD) {
    const near = pool[0] ? ` (closest: line ${pool[0].start + 1}, ${Math.round(pool[0].score * 100)}% similar, below ${FUZZY_THRESHOLD * 100}%)` : '';
    return { ...notFound, reason: notFound.reason + near };
  }
  const best = pool[0];
  const rivals = pool.filter((c) => c !== best && best.score - c.score < FUZZY_MARGIN);
  let byHint = false;
  if (rivals.length) {
    const p = pick([best, ...rivals].map((c) => c.start), n, keys.length, { hint: opts.hint });
    if (p.start !== best.start) return { ok: false, ambiguous: true, reason: `the SEARCH text is similar to several places (lines ${describe([best, ...rivals].map((c) => c.start))}); refusing to guess` };
    byHint = true;
  }
  return { ok: true, start: best.start, end: best.start + n, level: 'similar', score: best.score * (byHint ? 0.8 : 0.85), lead: v.lead, trail: v.trail, byHint, chosenByHint: byHint };
}

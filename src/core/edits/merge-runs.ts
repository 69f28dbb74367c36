/**
 * Placing runs of a model's lazy code inside a stretch of the file (see elision.ts): scoring where a run fits,
 * emitting it with the file's own text for unchanged lines, and merging blank lines around elided stretches.
 */
import { hasWord, indentKey, indentWidth, isBlank, isEditedLine } from './text';
import type { Token } from './elision-marker';

/** Output with blank-line merging around elision expansions. */
export class Out {
  readonly lines: string[] = [];
  /** Set when a run cannot be placed safely; the merge is then refused. */
  failure?: string;
  private readonly fromModel: boolean[] = [];
  private skipBlanks = false;
  model(lines: readonly string[]): void {
    for (const l of lines) {
      if (this.skipBlanks && isBlank(l)) continue;
      this.skipBlanks = false;
      this.lines.push(l);
      this.fromModel.push(true);
    }
  }
  file(lines: readonly string[]): void {
    this.skipBlanks = false;
    for (const l of lines) {
      this.lines.push(l);
      this.fromModel.push(false);
    }
  }
  /** File lines standing in for an elision (or a kept end). */
  elided(lines: readonly string[]): void {
    if (lines.length === 0 || isBlank(lines[0])) this.dropModelBlanks();
    this.file(lines);
    if (lines.length && isBlank(lines[lines.length - 1])) this.skipBlanks = true;
  }
  private dropModelBlanks(): void {
    while (this.lines.length && this.fromModel[this.fromModel.length - 1] && isBlank(this.lines[this.lines.length - 1])) {
      this.lines.pop();
      this.fromModel.pop();
    }
  }
}

const firstNonBlank = (c: readonly string[]) => c.find((l) => !isBlank(l));
const lastNonBlank = (c: readonly string[]) => [...c].reverse().find((l) => !isBlank(l));

function lineMatches(model: string | undefined, file: string): boolean {
  if (model === undefined || isBlank(file)) return false;
  return indentKey(model) === indentKey(file) || isEditedLine(model, file);
}

/**
 * Weighted alignment of a run against file lines (dynamic programming; callers keep both sides short): equal lines
 * weigh 1 (blank ones almost nothing), an edited version of a line 0.5. Returns [run index, file index, equal].
 * Own DP rather than jsdiff's diffArrays: its comparator is yes/no, this needs graded matches.
 */
function alignRun(a: readonly string[], b: readonly string[]): Array<[number, number, boolean]> {
  const ka = a.map(indentKey);
  const kb = b.map(indentKey);
  // Edited-line pairs need a shared first token (cheap filter before any edit distance); skipped on huge inputs.
  const head = (s: string) => /^\s*(\S+)/.exec(s)?.[1] ?? '';
  const ha = a.map(head);
  const hb = b.map(head);
  const fuzzy = a.length * b.length <= 250_000;
  const w = (i: number, j: number): number => {
    if (ka[i] === kb[j]) return ka[i] === '' ? 0.01 : 1;
    return fuzzy && ha[i] === hb[j] && isEditedLine(a[i], b[j]) ? 0.5 : -1;
  };
  const dp: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const x = w(i, j);
      dp[i][j] = Math.max(dp[i + 1][j], dp[i][j + 1], x > 0 ? x + dp[i + 1][j + 1] : -1);
    }
  }
  const out: Array<[number, number, boolean]> = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const x = w(i, j);
    if (x > 0 && dp[i][j] === x + dp[i + 1][j + 1]) out.push([i++, j++, ka[i - 1] === kb[j - 1]]);
    else if (dp[i + 1][j] >= dp[i][j + 1]) i++;
    else j++;
  }
  return out;
}

const nonBlankCount = (p: readonly string[]) => p.filter((l) => !isBlank(l)).length;

/**
 * How well run `c` rewrites file lines `p`: aligned weight minus the file lines it would drop. A dropped line facing a
 * new line between the same aligned neighbours is a substitution (a rewritten line) and costs half.
 */
function runScore(c: readonly string[], p: readonly string[]): number {
  // Every dropped line costs and a run earns at most 1 per line: far longer stretches cannot win, skip the work.
  if (nonBlankCount(p) > 2 * nonBlankCount(c) + 2) return -Infinity;
  const m = alignRun(c, p);
  let score = m.reduce((a, [i, j, eq]) => a + (eq ? (isBlank(p[j]) ? 0 : 1) : isBlank(c[i]) ? 0 : 0.5), 0);
  let pi = 0;
  let ci = 0;
  for (const [i, j] of [...m, [c.length, p.length, true] as const]) {
    const newLines = nonBlankCount(c.slice(ci, i));
    const dropped = nonBlankCount(p.slice(pi, j));
    score -= dropped - 0.5 * Math.min(newLines, dropped);
    ci = i + 1;
    pi = j + 1;
  }
  return score;
}

/** Emit run `c` rewriting file lines `p`: lines equal to the file keep the file's text, the rest is the model's. */
function emitRun(out: Out, c: readonly string[], p: readonly string[]): void {
  const m = new Map(alignRun(c, p).filter(([, , eq]) => eq).map(([i, j]) => [i, j]));
  c.forEach((l, i) => {
    const j = m.get(i);
    if (j !== undefined) out.file([p[j]]);
    else out.model([l]);
  });
}

const CLOSER = /^\s*(?:[)\]}]+[;,)]*|end\b.*|fi|done|esac)\s*$/;

/**
 * Does a run whose first line is `first`, written right after the aligned line `anchor`, continue the anchor's block
 * (deeper, or a sibling statement after a non-closing line)? Then its position alone says where it goes; otherwise
 * (after a closing `}` / `end`) it may as well be a new block and must match the file by its first line.
 */
export function continues(anchor: string | undefined, first: string | undefined): boolean {
  if (anchor === undefined) return true;
  if (first === undefined) return false;
  const a = indentWidth(anchor);
  const f = indentWidth(first);
  return f > a || (f === a && hasWord(anchor) && !CLOSER.test(anchor));
}

/** End of the anchor's block in `p` (the lines after the anchor): up to the first line indented no deeper than the anchor, plus that line when it is a closer the run also writes. */
function blockEnd(p: readonly string[], anchor: string, c: readonly string[]): number {
  const a = indentWidth(anchor);
  let e = p.findIndex((l) => !isBlank(l) && indentWidth(l) <= a);
  if (e < 0) e = p.length;
  else {
    const last = lastNonBlank(c);
    if (CLOSER.test(p[e]) && last !== undefined && CLOSER.test(last) && indentWidth(last) <= a) e += 1;
  }
  while (e > 0 && isBlank(p[e - 1])) e--;
  return e;
}

/** Scores run `c` against stretches p[from, to), skipping stretches too long to ever score above zero. */
function scorer(c: readonly string[], p: readonly string[]): (from: number, to: number) => number {
  const nb = [0];
  for (const l of p) nb.push(nb[nb.length - 1] + (isBlank(l) ? 0 : 1));
  const limit = 2 * nonBlankCount(c) + 2;
  return (from, to) => (from >= to ? 0 : nb[to] - nb[from] > limit ? -Infinity : runScore(c, p.slice(from, to)));
}

/** A stretch of model tokens containing elisions, against the file lines it spans. */
export function explicitGap(out: Out, toks: readonly Token[], p: readonly string[], prev?: string): void {
  const runs: string[][] = [[]];
  for (const t of toks) {
    if (t.elision) runs.push([]);
    else runs[runs.length - 1].push(t.text);
  }
  const k = runs.length - 1;
  const L = p.length;
  const best = (cands: number[], score: (x: number) => number, preferLarge: boolean): number => {
    let pick = cands[0];
    let top = score(pick);
    for (const x of cands.slice(1)) {
      const s = score(x);
      if (s > top || (s === top && (preferLarge ? x > pick : x < pick))) [pick, top] = [x, s];
    }
    return pick;
  };
  // C0 rewrites a prefix ending on a line its last line matches (or is inserted), Ck a suffix starting on its first.
  const c0 = runs[0];
  const tail0 = lastNonBlank(c0);
  const s0 = scorer(c0, p);
  // After a closing line, C0 may be a new block: it only rewrites file lines it starts on.
  const free = continues(prev, firstNonBlank(c0)) || lineMatches(firstNonBlank(c0), p.find((l) => !isBlank(l)) ?? '');
  const a0 = c0.length === 0 || !free ? 0 : best([0, ...p.map((l, j) => (lineMatches(tail0, l) ? j + 1 : -1)).filter((x) => x > 0)], (a) => s0(0, a), false);
  const ck = runs[k];
  const headK = firstNonBlank(ck);
  const sk = scorer(ck, p);
  const bk = ck.length === 0 ? L : best([L, ...p.map((l, j) => (j >= a0 && lineMatches(headK, l) ? j : -1)).filter((x) => x >= 0)], (b) => sk(b, L), true);
  // Middle runs rewrite a block they match by first and last line, or are insertions.
  const ranges: Array<[number, number] | undefined> = [];
  let cur = a0;
  for (let i = 1; i < k; i++) {
    const c = runs[i];
    const h = firstNonBlank(c);
    const t = lastNonBlank(c);
    const sc = scorer(c, p);
    let pick: [number, number] | undefined;
    let top = 0;
    for (let b = cur; b < bk && h !== undefined; b++) {
      if (!lineMatches(h, p[b])) continue;
      for (let a = b + 1; a <= bk; a++) {
        if (!lineMatches(t, p[a - 1])) continue;
        const s = sc(b, a);
        if (s === -Infinity) break;
        if (s > top) [pick, top] = [[b, a], s];
      }
    }
    ranges[i] = pick;
    if (pick) cur = pick[1];
  }
  emitRun(out, c0, p.slice(0, a0));
  cur = a0;
  for (let i = 1; i <= k; i++) {
    let next = bk;
    for (let j = i; j < k; j++) {
      const r = ranges[j];
      if (r) {
        next = r[0];
        break;
      }
    }
    out.elided(p.slice(cur, Math.max(cur, next)));
    cur = Math.max(cur, next);
    if (i < k) {
      const r = ranges[i];
      if (r) {
        emitRun(out, runs[i], p.slice(r[0], r[1]));
        cur = r[1];
      } else out.model(runs[i]);
    }
  }
  emitRun(out, ck, p.slice(bk));
}

/**
 * Model lines before the first anchor (top) or after the last (bottom) of a fragment, against the file's lines there.
 * Top: placed at the file line its first line matches, else inserted just above the anchor. Bottom: if the run
 * continues the anchor's block it rewrites the file's lines up to where its last line matches, or else the rest of
 * that block; a run that does not continue the block rewrites only lines it starts on, else it is inserted.
 */
export function fragmentEnd(out: Out, c: readonly string[], p: readonly string[], top: boolean, anchor?: string): void {
  const sc = scorer(c, p);
  const edge = top ? firstNonBlank(c) : lastNonBlank(c);
  const cont = !top && continues(anchor, firstNonBlank(c));
  const headOk = top || cont || lineMatches(firstNonBlank(c), p.find((l) => !isBlank(l)) ?? '');
  let pick = -1;
  let score = 0;
  p.forEach((l, j) => {
    if (!headOk || !lineMatches(edge, l)) return;
    const s = top ? sc(j, p.length) : sc(0, j + 1);
    if (s > score || (s === score && s > 0 && (top ? j > pick : j < pick))) [pick, score] = [j, s];
  });
  if (top) {
    const last = lastNonBlank(c);
    if (pick < 0 && anchor !== undefined && last !== undefined && indentWidth(last) < indentWidth(anchor)) {
      // The run opens the block the anchor sits in, yet its first line matches nothing there: not placeable.
      out.failure = `the code opens a block with ${JSON.stringify(firstNonBlank(c)?.trim())}, which does not match the file around ${JSON.stringify(anchor.trim())}`;
      return;
    }
    out.elided(pick >= 0 ? p.slice(0, pick) : p);
    if (pick >= 0) emitRun(out, c, p.slice(pick));
    else out.model(c);
    return;
  }
  let end = pick >= 0 ? pick + 1 : 0;
  if (pick < 0 && cont && anchor !== undefined) {
    end = blockEnd(p, anchor, c);
    const dropped = p.slice(0, end).filter((l) => !isBlank(l)).length;
    if (dropped > 2 * c.filter((l) => !isBlank(l)).length + 2) {
      out.failure = `the code continues a block of the file but is much shorter than that block (${dropped} lines); it may be cut off`;
      return;
    }
  }
  emitRun(out, c, p.slice(0, end));
  out.elided(p.slice(end));
}

/**
 * Before/after diagnostics of one file across an edit, compared purely: which problems are new in or next to the
 * changed lines, which appeared elsewhere, which are gone, and what became of a Fix's target. Positions are mapped
 * through the edit (line diff) so a problem that only moved because lines were inserted above it is not "new".
 */
import { computeHunks } from '../edits/hunks';
import type { FixTarget, Problem, TargetStatus } from './types';

/** A changed line region, 0-based half-open, in the text before ([oldStart, oldEnd)) and after ([newStart, newEnd)). */
export interface LineChange {
  readonly oldStart: number;
  readonly oldEnd: number;
  readonly newStart: number;
  readonly newEnd: number;
}

export function lineChanges(before: string, after: string): LineChange[] {
  return computeHunks(before, after).map((h) => {
    // jsdiff's structuredPatch: 1-based starts; an empty side's start is the line it goes before.
    const oldStart = h.oldStart - 1;
    const newStart = h.newStart - 1;
    return { oldStart, oldEnd: oldStart + h.oldLines, newStart, newEnd: newStart + h.newLines };
  });
}

/** Where an unchanged line of the old text is in the new text; undefined if the edit replaced or removed it. */
export function mapLine(changes: readonly LineChange[], oldLine: number): number | undefined {
  let shift = 0;
  for (const c of changes) {
    if (oldLine < c.oldStart) break;
    if (oldLine < c.oldEnd) return undefined;
    shift += (c.newEnd - c.newStart) - (c.oldEnd - c.oldStart);
  }
  return oldLine + shift;
}

/** Distance in lines from `line` (new text) to the nearest changed region; 0 inside one. */
export function distanceToChange(changes: readonly LineChange[], line: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (const c of changes) {
    // A pure deletion leaves an empty region: the lines on both sides of the cut touch it.
    const end = Math.max(c.newEnd, c.newStart + 1);
    const d = line < c.newStart ? c.newStart - line : line >= end ? line - end + 1 : 0;
    best = Math.min(best, d);
  }
  return best;
}

export interface Comparison {
  /** New problems (after-text positions) in or within `near` lines of a change. */
  readonly newProblems: readonly Problem[];
  /** New problems further away in the same file. */
  readonly elsewhere: readonly Problem[];
  /** Problems of the before-text (before positions) that no longer exist. */
  readonly resolved: readonly Problem[];
  /** What became of the Fix target; undefined when there was none. */
  readonly target?: { readonly status: TargetStatus; readonly message: string; readonly line?: number };
  readonly changes: readonly LineChange[];
}

export interface CompareInput {
  readonly beforeText: string;
  readonly afterText: string;
  readonly before: readonly Problem[];
  readonly after: readonly Problem[];
  readonly target?: FixTarget;
  /** Lines around a change that still count as "next to" it. Default 2. */
  readonly near?: number;
}

/** Errors and warnings count; hints and infos (unused variables, suggestions) are not problems a fix introduced. */
export const counts = (p: Problem): boolean => p.severity === 'error' || p.severity === 'warning';

const key = (p: Problem): string => `${p.severity}\u0000${p.source ?? ''}\u0000${p.code ?? ''}\u0000${p.message}`;

export function compareDiagnostics(input: CompareInput): Comparison {
  const near = input.near ?? 2;
  const changes = lineChanges(input.beforeText, input.afterText);
  const before = input.before.filter(counts);
  const after = input.after.filter(counts);
  const pairedBefore = new Map<number, number>(); // before index → after index
  const takenAfter = new Set<number>();

  // 1. A problem on an untouched line that is still there at its shifted position is the same problem.
  before.forEach((b, bi) => {
    const mapped = mapLine(changes, b.line);
    if (mapped === undefined) return;
    const ai = after.findIndex((a, i) => !takenAfter.has(i) && key(a) === key(b) && a.line === mapped);
    if (ai >= 0) {
      pairedBefore.set(bi, ai);
      takenAfter.add(ai);
    }
  });
  // 2. The rest pair by identity alone, nearest first: the same message on another line is the same problem
  //    that moved (or reappeared), never a resolved one plus a new one.
  before.forEach((b, bi) => {
    if (pairedBefore.has(bi)) return;
    const expected = mapLine(changes, b.line) ?? nearestNewLine(changes, b.line);
    let best = -1;
    after.forEach((a, ai) => {
      if (takenAfter.has(ai) || key(a) !== key(b)) return;
      if (best < 0 || Math.abs(a.line - expected) < Math.abs(after[best].line - expected)) best = ai;
    });
    if (best >= 0) {
      pairedBefore.set(bi, best);
      takenAfter.add(best);
    }
  });

  const fresh = after.filter((_, i) => !takenAfter.has(i));
  const newProblems = fresh.filter((p) => distanceToChange(changes, p.line) <= near);
  const elsewhere = fresh.filter((p) => distanceToChange(changes, p.line) > near);
  const resolved = before.filter((_, i) => !pairedBefore.has(i));
  return { newProblems, elsewhere, resolved, target: input.target && targetStatus(input.target, before, after, pairedBefore, changes), changes };
}

/** For a line inside a changed region: the start of that region in the new text. */
function nearestNewLine(changes: readonly LineChange[], oldLine: number): number {
  const c = changes.find((x) => oldLine >= x.oldStart && oldLine < x.oldEnd);
  return c ? c.newStart : oldLine;
}

function targetStatus(t: FixTarget, before: readonly Problem[], after: readonly Problem[], paired: ReadonlyMap<number, number>, changes: readonly LineChange[]): NonNullable<Comparison['target']> {
  // The diagnostic the user asked to fix: same message, on (or nearest to) the line they were on.
  let bi = -1;
  before.forEach((b, i) => {
    if (b.message !== t.message) return;
    if (bi < 0 || Math.abs(b.line - t.line) < Math.abs(before[bi].line - t.line)) bi = i;
  });
  if (bi < 0) return { status: 'unknown', message: t.message };
  const ai = paired.get(bi);
  if (ai === undefined) return { status: 'gone', message: t.message, line: before[bi].line };
  const a = after[ai];
  const old = before[bi].line;
  const mapped = mapLine(changes, old);
  const region = changes.find((c) => old >= c.oldStart && old < c.oldEnd);
  // Inside a rewritten region: the same offset into the region (clamped) is "the same line".
  const same = mapped ?? (region ? region.newStart + Math.min(old - region.oldStart, Math.max(0, region.newEnd - region.newStart - 1)) : old);
  const stays = a.line === same;
  return { status: stays ? 'stays' : 'moved', message: t.message, line: a.line };
}

/**
 * Which lines an edit changes: in the new text (the ranges an `applied` event reports), and outside the range an
 * answer was asked for (Fix / Edit of a selection or a symbol), so the proposal can say so ("also changes lines
 * 3–5 outside the selection") instead of looking like a local fix.
 */
import { computeHunks, type Hunk } from './hunks';
import type { LineRange } from './types';

/**
 * 0-based inclusive ranges of `original` that `proposed` changes outside `range`, merged and sorted. A pure
 * insertion counts at the line it goes before; insertions touching the range's edges (just before its first line,
 * just after its last) count as inside: the answer extended the region it was asked about.
 */
export function changesOutside(original: string, proposed: string, range: LineRange): LineRange[] {
  const out: LineRange[] = [];
  const push = (a: number, b: number) => {
    if (b < a) return;
    const last = out[out.length - 1];
    if (last && a <= last.endLine + 1) last.endLine = Math.max(last.endLine, b);
    else out.push({ startLine: a, endLine: b });
  };
  for (const h of computeHunks(original, proposed)) {
    if (h.oldLines === 0) {
      const at = h.oldStart - 1; // 0-based index of the line the insertion goes before (jsdiff: 1-based)
      if (at < range.startLine || at > range.endLine + 1) push(Math.max(0, at - 1), Math.max(0, at - 1)); // reported as the line it follows
      continue;
    }
    const a = h.oldStart - 1;
    const b = a + h.oldLines - 1;
    push(a, Math.min(b, range.startLine - 1));
    push(Math.max(a, range.endLine + 1), b);
  }
  return out;
}

/** "also changes lines 3–5 and line 9 outside the selection" (1-based), or '' when nothing is outside. */
export function describeOutside(ranges: readonly LineRange[], where = 'the selection'): string {
  if (!ranges.length) return '';
  const spans = ranges.map((r) => (r.startLine === r.endLine ? `line ${r.startLine + 1}` : `lines ${r.startLine + 1}–${r.endLine + 1}`));
  const list = spans.length === 1 ? spans[0] : `${spans.slice(0, -1).join(', ')} and ${spans[spans.length - 1]}`;
  return `also changes ${list} outside ${where}`;
}

/** A changed region of the new text: 0-based inclusive lines (`endCharacter` = length of the last line). */
export interface ChangedLines {
  readonly startLine: number;
  readonly endLine: number;
  readonly endCharacter: number;
  /** Only lines were deleted here: an empty region at `startLine` (the line after the deletion). */
  readonly deletion: boolean;
}

/** Where `after` differs from `before`, per hunk, in `after`'s lines; with the hunks themselves. */
export function changedLines(before: string, after: string): { readonly hunks: Hunk[]; readonly regions: ChangedLines[] } {
  const hunks = computeHunks(before, after);
  const lines = after.replace(/\r\n/g, '\n').split('\n');
  const regions = hunks.map((h): ChangedLines => {
    const start = Math.max(0, h.newStart - 1); // jsdiff: 1-based first new line (for a deletion: the line after it)
    if (h.newLines === 0) return { startLine: start, endLine: start, endCharacter: 0, deletion: true };
    const end = start + h.newLines - 1;
    return { startLine: start, endLine: end, endCharacter: lines[end]?.length ?? 0, deletion: false };
  });
  return { hunks, regions };
}

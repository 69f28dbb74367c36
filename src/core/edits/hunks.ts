/**
 * Hunks between the original and a proposed text, for per-hunk accept/reject in the editor. Computed with jsdiff's
 * structuredPatch on newline-normalised text (so CRLF files diff like LF files), with no context lines by default so
 * that every separate change is its own hunk. applyHunks rebuilds the text from the original with only the
 * accepted hunks, keeping the original's line endings.
 */
import { structuredPatch } from 'diff';
import { normalizeNewlines, toDoc } from './text';

export interface Hunk {
  /**
   * 1-based line of the original where the hunk starts; for a pure insertion, the line it goes before
   * (jsdiff structuredPatch convention; formatPatch prints the unified-diff quirk of one less).
   */
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Diff lines: ' ' context, '-' removed, '+' added, '\' "No newline at end of file" markers. */
  lines: string[];
}

export function computeHunks(original: string, proposed: string, options: { context?: number } = {}): Hunk[] {
  const patch = structuredPatch('original', 'proposed', normalizeNewlines(original), normalizeNewlines(proposed), undefined, undefined, { context: options.context ?? 0 });
  return patch.hunks.map((h) => ({ oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, lines: h.lines.slice() }));
}

export function applyHunks(original: string, proposed: string, acceptedHunkIndexes: readonly number[], options: { context?: number } = {}): string {
  const hunks = computeHunks(original, proposed, options);
  const accepted = new Set(acceptedHunkIndexes);
  const orig = toDoc(original);
  const prop = toDoc(proposed);
  const out: string[] = [];
  let pos = 0;
  let finalNewline = orig.finalNewline;
  hunks.forEach((h, i) => {
    const start = h.oldStart - 1;
    out.push(...orig.lines.slice(pos, start));
    const take = accepted.has(i) ? '+' : '-';
    for (const l of h.lines) if (l[0] === ' ' || l[0] === take) out.push(l.slice(1));
    pos = start + h.oldLines;
    // The hunk that reaches the end of the file decides whether the last line is terminated.
    if (accepted.has(i) && pos >= orig.lines.length) finalNewline = prop.finalNewline;
  });
  out.push(...orig.lines.slice(pos));
  if (out.length === 0) return '';
  const eol = orig.lines.length ? orig.eol : prop.eol;
  return out.join(eol) + (finalNewline ? eol : '');
}

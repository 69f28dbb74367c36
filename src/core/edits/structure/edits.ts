/** Line edits planned against the file (replacements and insertions), applied in one pass; and indentation shifting. */
import { indentOf, isBlank } from '../text';

export interface LineEdit {
  /** File rows [from, to) are replaced; from === to inserts before row `from`. */
  from: number;
  to: number;
  lines: string[];
  /** Insertion order among edits at the same row. */
  seq: number;
}

export function applyLineEdits(file: readonly string[], edits: readonly LineEdit[]): { ok: true; lines: string[] } | { ok: false; reason: string } {
  const sorted = [...edits].sort((a, b) => a.from - b.from || (a.to === a.from ? 0 : 1) - (b.to === b.from ? 0 : 1) || a.seq - b.seq);
  const out: string[] = [];
  let row = 0;
  for (const e of sorted) {
    if (e.from < row) return { ok: false, reason: `two parts of the answer land on the same lines of the file (around line ${e.from + 1}); refusing to combine them` };
    out.push(...file.slice(row, e.from), ...e.lines);
    row = Math.max(row, e.to);
  }
  out.push(...file.slice(row));
  return { ok: true, lines: out };
}

/** Move lines written at indentation `from` to indentation `to` (relative structure kept; blank lines emptied). */
export function shiftIndent(lines: readonly string[], from: string, to: string): string[] {
  if (from === to) return lines.map((l) => (isBlank(l) ? '' : l));
  const unitFrom = from.includes('\t') ? '\t' : ' ';
  const unitTo = to.includes('\t') ? '\t' : ' ';
  return lines.map((l) => {
    if (isBlank(l)) return '';
    const ind = indentOf(l);
    if (ind.startsWith(from)) {
      let rest = ind.slice(from.length);
      // Spaces written for a tab-indented file (or the reverse): convert the deeper part too.
      if (unitFrom !== unitTo && unitTo === '\t') rest = rest.replace(/ {4}/g, '\t');
      else if (unitFrom !== unitTo && unitTo === ' ') rest = rest.replace(/\t/g, '    ');
      return to + rest + l.slice(ind.length);
    }
    return to + l.slice(ind.length);
  });
}

/** Blank lines the file puts between `row`'s declaration and its neighbour (1 or 2). */
export function gapAround(file: readonly string[], end: number, start: number): number {
  let after = 0;
  for (let r = end + 1; r < file.length && isBlank(file[r]); r++) after++;
  if (end + 1 + after < file.length && after > 0) return Math.min(after, 2);
  let before = 0;
  for (let r = start - 1; r >= 0 && isBlank(file[r]); r--) before++;
  return Math.max(1, Math.min(before, 2));
}

export const blanks = (n: number): string[] => new Array<string>(n).fill('');

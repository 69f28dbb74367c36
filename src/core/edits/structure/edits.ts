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

/** The most frequent step by which indentation grows from one line to the next (2 or 4 …), from space-indented lines. */
function indentStep(lines: readonly string[]): number | undefined {
  const widths = lines.filter((l) => !isBlank(l) && !/^\s*\*/.test(l)).map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const steps = new Map<number, number>();
  for (let i = 1; i < widths.length; i++) if (widths[i] > widths[i - 1]) steps.set(widths[i] - widths[i - 1], (steps.get(widths[i] - widths[i - 1]) ?? 0) + 1);
  return [...steps].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
}

/**
 * Both indent with spaces but by different units (a Python method with a 2-space body for a 4-space file): re-indent
 * the block by the file's unit, keeping its structure, when every line of the block sits on a whole step of its own.
 */
export function inFileUnit(lines: readonly string[], file: readonly string[]): string[] {
  const fileUnit = indentStep(file);
  const unit = indentStep(lines);
  if (!fileUnit || !unit || fileUnit === unit) return lines.slice();
  const code = lines.filter((l) => !isBlank(l) && !/^\s*\*/.test(l));
  const min = Math.min(...code.map((l) => indentOf(l).length));
  if (!code.every((l) => (indentOf(l).length - min) % unit === 0)) return lines.slice();
  const base = min % unit === 0 ? (min / unit) * fileUnit : min;
  return lines.map((l) => {
    if (isBlank(l) || /^\s*\*/.test(l) || /^\t/.test(l)) return l;
    const w = indentOf(l).length;
    return ' '.repeat(base + ((w - min) / unit) * fileUnit) + l.slice(w);
  });
}

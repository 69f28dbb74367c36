/**
 * Re-anchoring a proposal after the document changed: each change the proposal makes is located again in the current
 * text by its own lines and surrounding context (exact, then ignoring trailing whitespace). A change whose lines
 * were edited, or that now matches in several places, is refused rather than guessed.
 */
import { computeHunks } from '../edits/hunks';

export type Reanchored =
  | { readonly ok: true; readonly proposed: string; readonly moved: boolean }
  | { readonly ok: false; readonly reason: string };

interface Lines {
  readonly lines: string[];
  readonly eol: string;
  readonly finalNewline: boolean;
}

function toLines(text: string): Lines {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (text === '') return { lines: [], eol, finalNewline: false };
  const lines = text.split(/\r?\n/);
  const finalNewline = lines[lines.length - 1] === '';
  if (finalNewline) lines.pop();
  return { lines, eol, finalNewline };
}

const CONTEXT = 3;

interface Placement {
  readonly start: number;
  readonly end: number;
  readonly lines: readonly string[];
}

type Match = (a: string, b: string) => boolean;
const exact: Match = (a, b) => a === b;
const trailingSpace: Match = (a, b) => a.trimEnd() === b.trimEnd();

function occurrences(hay: readonly string[], needle: readonly string[], from: number, eq: Match): number[] {
  const found: number[] = [];
  for (let i = from; i + needle.length <= hay.length; i++) {
    let j = 0;
    while (j < needle.length && eq(hay[i + j], needle[j])) j++;
    if (j === needle.length) found.push(i);
  }
  return found;
}

/** Finds one hunk in `current` (from line `from` on), trying full context, then one line, then none. */
function place(hunkLines: readonly string[], current: readonly string[], from: number): Placement | string {
  const body = hunkLines.filter((l) => !l.startsWith('\\'));
  const lead = body.findIndex((l) => !l.startsWith(' '));
  const trail = [...body].reverse().findIndex((l) => !l.startsWith(' '));
  const firstChange = body.findIndex((l) => l[0] === '-' || l[0] === '+');
  let ambiguous = false;
  for (const keep of [CONTEXT, 1, 0]) {
    const a = Math.min(keep, lead);
    const b = Math.min(keep, trail);
    const part = body.slice(lead - a, body.length - (trail - b));
    const oldLines = part.filter((l) => l[0] !== '+').map((l) => l.slice(1));
    const newLines = part.filter((l) => l[0] !== '-').map((l) => l.slice(1));
    if (oldLines.length === 0) continue; // a pure insertion needs context to be placed
    for (const eq of [exact, trailingSpace]) {
      const hits = occurrences(current, oldLines, from, eq);
      if (hits.length === 1) return { start: hits[0], end: hits[0] + oldLines.length, lines: newLines };
      if (hits.length > 1) ambiguous = true;
    }
    if (ambiguous) break; // less context can only be more ambiguous
  }
  const what = body[firstChange]?.slice(1).trim() ?? '';
  return ambiguous
    ? `the code it changes (\`${what}\`) now appears in several places`
    : `the code it changes (\`${what}\`) was edited since the request`;
}

/** The proposal (original → proposed) carried over to `current`; refused if any of its changes cannot be located. */
export function reanchor(original: string, proposed: string, current: string): Reanchored {
  if (current === original) return { ok: true, proposed, moved: false };
  const cur = toLines(current);
  const placements: Placement[] = [];
  let from = 0;
  for (const h of computeHunks(original, proposed, { context: CONTEXT })) {
    const p = place(h.lines, cur.lines, from);
    if (typeof p === 'string') return { ok: false, reason: `The file changed since Ponder proposed this edit, and ${p}.` };
    placements.push(p);
    from = p.end;
  }
  const out: string[] = [];
  let pos = 0;
  for (const p of placements) {
    out.push(...cur.lines.slice(pos, p.start), ...p.lines);
    pos = p.end;
  }
  out.push(...cur.lines.slice(pos));
  const orig = toLines(original);
  const prop = toLines(proposed);
  const finalNewline = orig.finalNewline !== prop.finalNewline ? prop.finalNewline : cur.finalNewline;
  const text = out.length ? out.join(cur.eol) + (finalNewline ? cur.eol : '') : '';
  return { ok: true, proposed: text, moved: true };
}

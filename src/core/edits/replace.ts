/**
 * Building the replacement for a located window: a three-way merge of (model's SEARCH → model's REPLACE) onto the
 * file's actual lines. Lines the model left unchanged come from the file verbatim (its indentation, its trailing
 * whitespace, its real text when the model misquoted a context line); lines the model changed or added are
 * re-indented to the file. If the model changed a line that it misquoted beyond a typo, the edit conflicts with the
 * file and is refused.
 */
import { diffArrays } from 'diff';
import { hasElision, mergeWithOriginal, toTokens } from './elision';
import { applyIndent, inferIndent } from './indent';
import { charSimilarity, looseKey, squash } from './text';

/** A line the answer quotes (SEARCH or diff context/removed line) that differs from the file beyond whitespace. */
export interface Misquote {
  /** Index in the window. */
  at: number;
  expected: string;
  actual: string;
}

export type Replacement =
  | { ok: true; lines: string[]; reindented: boolean; inconsistentIndent: boolean; confidence: number; misquotes: Misquote[] }
  | { ok: false; reason: string };

/** Lines of the located window that are not what the answer quoted (the placement assumed they are meant). */
function misquotesOf(window: readonly string[], search: readonly string[]): Misquote[] {
  const out: Misquote[] = [];
  for (let j = 0; j < Math.min(window.length, search.length); j++) if (!sameLine(search[j], window[j])) out.push({ at: j, expected: search[j].trim(), actual: window[j].trim() });
  return out;
}

/** "the answer expects `if user.is_admin:` at line 26; the file has `if user.is_staff:`" (1-based `line0`). */
export function misquoteWarnings(misquotes: readonly Misquote[], start: number, label = ''): string[] {
  return misquotes.map((m) => `${label}the answer expects \`${m.expected}\` at line ${start + m.at + 1}; the file has \`${m.actual}\``);
}

function sameLine(a: string, b: string): boolean {
  return squash(a) === squash(b) || looseKey(a) === looseKey(b);
}

export function buildReplacement(window: readonly string[], search: readonly string[], replace: readonly string[]): Replacement {
  const pairs: Array<[string, string]> = [];
  search.forEach((s, j) => {
    if (j < window.length && sameLine(s, window[j])) pairs.push([s, window[j]]);
  });
  const { transform, inconsistent } = inferIndent(pairs);

  // Placeholders in the replacement ("// ... existing code ...") stand for the window's own lines.
  if (hasElision(replace, window)) {
    const merged = mergeWithOriginal(window, toTokens(replace.map((l) => applyIndent(l, transform)), window), { softEnds: false });
    if (!merged.ok) return { ok: false, reason: `the replacement elides code ("... existing code ...") that cannot be matched: ${merged.reason}` };
    return { ok: true, lines: merged.lines, reindented: transform.kind !== 'none', inconsistentIndent: inconsistent, confidence: merged.confidence, misquotes: misquotesOf(window, search) };
  }

  const out: string[] = [];
  let si = 0;
  const changes = diffArrays(search.slice(), replace.slice());
  for (let k = 0; k < changes.length; k++) {
    const c = changes[k];
    if (!c.added && !c.removed) {
      for (let n = 0; n < c.count; n++, si++) out.push(window[si]);
      continue;
    }
    // A change region: consecutive removed/added runs.
    let removed = 0;
    const added: string[] = [];
    for (; k < changes.length && (changes[k].added || changes[k].removed); k++) {
      if (changes[k].removed) removed += changes[k].count;
      else added.push(...changes[k].value);
    }
    k--;
    const mismatched: number[] = [];
    for (let j = si; j < si + removed; j++) if (!sameLine(search[j], window[j])) mismatched.push(j);
    if (mismatched.length) {
      const alreadyThere = added.length === removed && added.every((a, n) => sameLine(a, window[si + n]));
      if (alreadyThere) {
        out.push(...window.slice(si, si + removed));
        si += removed;
        continue;
      }
      const bad = mismatched.find((j) => charSimilarity(search[j], window[j]) < 0.9);
      if (bad !== undefined) {
        return { ok: false, reason: `the edit changes a line the model quoted wrongly: SEARCH has ${JSON.stringify(search[bad].trim())} but the file has ${JSON.stringify(window[bad].trim())}` };
      }
    }
    out.push(...added.map((l) => applyIndent(l, transform)));
    si += removed;
  }
  return { ok: true, lines: out, reindented: transform.kind !== 'none', inconsistentIndent: inconsistent, confidence: 1, misquotes: misquotesOf(window, search) };
}

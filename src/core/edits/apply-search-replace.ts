/**
 * Applying SEARCH/REPLACE blocks in order, each located in the text as edited by the blocks before it (so blocks
 * may come in any order, and a later block may build on an earlier one). An empty SEARCH creates the file; on a
 * non-empty file it is refused (append or overwrite would be a guess).
 */
import { locate, type Located } from './match';
import type { SearchReplaceBlock } from './parse-search-replace';
import { stripLineNumbers } from './parse-search-replace';
import { buildReplacement, misquoteWarnings } from './replace';
import { cloneDoc, isBlank, spliceDoc, type Doc } from './text';
import { fail, type Outcome } from './types';

function trimLike(replace: readonly string[], lead: number, trail: number): string[] {
  let s = 0;
  let e = replace.length;
  while (s < lead && s < e && isBlank(replace[s])) s++;
  while (replace.length - e < trail && e > s && isBlank(replace[e - 1])) e--;
  return replace.slice(s, e);
}

export function applySearchReplace(doc: Doc, blocks: readonly SearchReplaceBlock[], hint?: number): Outcome {
  const work = cloneDoc(doc);
  let confidence = 1;
  const warnings: string[] = [];
  const shifts: Array<{ at: number; delta: number }> = [];
  const shifted = (line: number | undefined): number | undefined => (line === undefined ? undefined : line + shifts.filter((s) => s.at <= line).reduce((a, s) => a + s.delta, 0));

  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    const label = blocks.length > 1 ? `block ${i + 1} of ${blocks.length}: ` : '';
    if (b.search.every(isBlank)) {
      if (work.lines.every(isBlank)) {
        work.lines = b.replace.slice();
        work.finalNewline = true;
        continue;
      }
      return fail(`${label}empty SEARCH on a non-empty file: refusing to guess whether to append or overwrite`);
    }
    const lineHint = shifted(b.startLine !== undefined ? b.startLine - 1 : hint);
    let search = b.search;
    let replace = b.replace;
    let loc: Located = locate(work.lines, search, { hint: lineHint, fuzzy: false });
    if (!loc.ok && !loc.ambiguous) {
      const stripped = stripLineNumbers(search);
      if (stripped) {
        const l2 = locate(work.lines, stripped, { hint: lineHint });
        if (l2.ok || l2.ambiguous) {
          loc = l2;
          search = stripped;
          replace = stripLineNumbers(replace) ?? replace;
        }
      }
      if (!loc.ok && !loc.ambiguous) loc = locate(work.lines, b.search, { hint: lineHint });
    }
    if (!loc.ok) return fail(label + loc.reason);
    const window = work.lines.slice(loc.start, loc.end);
    const used = search.slice(loc.lead, search.length - loc.trail);
    const rep = buildReplacement(window, used, trimLike(replace, loc.lead, loc.trail));
    if (!rep.ok) return fail(label + rep.reason);
    warnings.push(...misquoteWarnings(rep.misquotes, loc.start, label));
    if (loc.chosenByHint) warnings.push(`${label}the SEARCH text occurs more than once; the line hint chose line ${loc.start + 1}`);
    spliceDoc(work, loc.start, loc.end, rep.lines);
    shifts.push({ at: loc.start, delta: rep.lines.length - (loc.end - loc.start) });
    confidence = Math.min(confidence, loc.score * rep.confidence * (rep.inconsistentIndent ? 0.9 : 1) * (b.terminated ? 1 : 0.8));
  }
  return { ok: true, doc: work, format: 'search-replace', confidence, warnings };
}

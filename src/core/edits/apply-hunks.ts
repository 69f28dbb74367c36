/**
 * Applying diff hunks (unified diff or apply-patch chunks) in order. Each hunk's old side (context + removed lines)
 * is located by content with the layered matcher — header line numbers are only hints — and replaced by its new
 * side through the same three-way replacement as SEARCH/REPLACE blocks.
 */
import { locate } from './match';
import type { PatchChunk } from './parse-apply-patch';
import type { DiffHunk } from './parse-unified-diff';
import { buildReplacement, misquoteWarnings } from './replace';
import { cloneDoc, spliceDoc, squash, type Doc } from './text';
import { fail, type Outcome } from './types';

export interface Hunk {
  old: string[];
  new: string[];
  /** 0-based line where the old side should start (or, for a hunk without old lines, where to insert). */
  hint?: number;
  /** apply-patch `@@ line`: find this line first, the hunk follows it. */
  anchor?: string;
  /** apply-patch `*** End of File`. */
  eof?: boolean;
  /** apply-patch: a hunk with only added lines goes at the end of the file. */
  appendIfNoContext?: boolean;
}

export function fromDiffHunk(h: DiffHunk): Hunk {
  const old = h.lines.filter((l) => l.op !== '+').map((l) => l.text);
  const neu = h.lines.filter((l) => l.op !== '-').map((l) => l.text);
  let hint: number | undefined;
  if (h.oldStart !== undefined) hint = h.oldCount === 0 ? h.oldStart : Math.max(0, h.oldStart - 1);
  return { old, new: neu, hint };
}

export function fromPatchChunk(c: PatchChunk): Hunk {
  return {
    old: c.lines.filter((l) => l.op !== '+').map((l) => l.text),
    new: c.lines.filter((l) => l.op !== '-').map((l) => l.text),
    anchor: c.anchor,
    eof: c.eof,
    appendIfNoContext: true,
  };
}

/** Drop up to `lead`/`trail` blank lines from the ends (the old side was found only without them). */
function trimBlank(lines: readonly string[], lead: number, trail: number): string[] {
  let s = 0;
  let e = lines.length;
  while (s < lead && s < e && lines[s].trim() === '') s++;
  while (lines.length - e < trail && e > s && lines[e - 1].trim() === '') e--;
  return lines.slice(s, e);
}

export function applyHunkList(doc: Doc, hunks: readonly Hunk[]): Outcome {
  const work = cloneDoc(doc);
  let cursor = 0;
  let delta = 0;
  let confidence = 1;
  const warnings: string[] = [];
  for (let i = 0; i < hunks.length; i++) {
    const h = hunks[i];
    const label = `hunk ${i + 1}${hunks.length > 1 ? ` of ${hunks.length}` : ''}: `;
    if (h.old.length === 0) {
      let at: number | undefined;
      if (work.lines.length === 0) {
        at = 0;
        work.finalNewline = true; // a new file
      }
      else if (h.eof || h.appendIfNoContext) at = work.lines.length;
      else if (h.hint !== undefined && h.hint + delta <= work.lines.length) at = Math.max(0, h.hint + delta);
      if (at === undefined) return fail(`${label}it only adds lines and has neither context nor line numbers to place them`);
      spliceDoc(work, at, at, h.new);
      cursor = at + h.new.length;
      delta += h.new.length;
      confidence = Math.min(confidence, work.lines.length === h.new.length ? 0.95 : 0.85);
      continue;
    }
    if (h.anchor) {
      const want = squash(h.anchor);
      const found = work.lines.map((l, j) => (j >= cursor && squash(l) === want ? j : -1)).filter((j) => j >= 0);
      if (found.length === 0) return fail(`${label}could not find the line ${JSON.stringify(h.anchor)} it is anchored to`);
      if (found.length > 1) return fail(`${label}the anchor line ${JSON.stringify(h.anchor)} occurs ${found.length} times; refusing to guess`);
      cursor = found[0] + 1;
    }
    const loc = locate(work.lines, h.old, { hint: h.hint === undefined ? undefined : h.hint + delta, from: cursor, atEnd: h.eof });
    if (!loc.ok) return fail(`${label}could not find matching context: ${loc.reason.replace(/^the SEARCH text/, 'the hunk')}`);
    const window = work.lines.slice(loc.start, loc.end);
    const oldUsed = h.old.slice(loc.lead, h.old.length - loc.trail);
    const rep = buildReplacement(window, oldUsed, trimBlank(h.new, loc.lead, loc.trail));
    if (!rep.ok) return fail(label + rep.reason);
    warnings.push(...misquoteWarnings(rep.misquotes, loc.start, hunks.length > 1 ? label : ''));
    if (loc.chosenByHint) warnings.push(`${label}the hunk's lines occur more than once; its line number chose line ${loc.start + 1}`);
    spliceDoc(work, loc.start, loc.end, rep.lines);
    cursor = loc.start + rep.lines.length;
    delta += rep.lines.length - (loc.end - loc.start);
    confidence = Math.min(confidence, loc.score * rep.confidence * (rep.inconsistentIndent ? 0.9 : 1));
  }
  return { ok: true, doc: work, format: 'unified-diff', confidence, warnings };
}

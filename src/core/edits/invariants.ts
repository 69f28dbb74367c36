/**
 * The syntax gate every result passes, whatever the answer's format:
 *  (a) within the smallest declaration enclosing the change, the result has no more ERROR/MISSING nodes than the
 *      original had there (tree-sitter; JSON files: JSON.parse);
 *  (b) no declaration of the original disappears unless the answer deletes it explicitly (a SEARCH/REPLACE or diff
 *      that removes it); a whole-file rewrite that drops declarations applies only with a warning naming them.
 * A result that breaks (a) or (b) is refused with the line or declaration named — never repaired by guessing.
 */
import { diffArrays } from 'diff';
import { declarations, declKey, describeDecl, flatten, type Decl } from './syntax/declarations';
import { errorsIn, pythonIndentErrors } from './syntax/errors';
import { langForPath, type LangId } from './syntax/languages';
import { parseEdited, parseText, syntaxLoaded } from './syntax/runtime';
import type { Doc } from './text';
import type { EditFormat } from './types';

export interface GateInput {
  path?: string;
  before: Doc;
  after: Doc;
  format: EditFormat;
  /** The answer gave the entire file (no placeholders, no placement): dropped declarations are its choice, warned. */
  wholeRewrite: boolean;
}

export type GateResult = { ok: true; warnings: string[]; checked: boolean } | { ok: false; reason: string };

const explicitFormats: ReadonlySet<EditFormat> = new Set(['search-replace', 'unified-diff']);

function jsonGate(before: string, after: string): GateResult {
  const parses = (s: string) => {
    try {
      JSON.parse(s);
      return undefined;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  };
  const errAfter = parses(after);
  if (errAfter === undefined) return { ok: true, warnings: [], checked: true };
  // A file that was not strict JSON before (comments, trailing commas: JSONC) cannot be held to it now.
  if (before.trim() && parses(before) !== undefined) return { ok: true, warnings: [], checked: false };
  return { ok: false, reason: `the result is not valid JSON (${errAfter}); refusing to write a broken file` };
}

/** Rows that differ: [start, endBefore) in the original, [start, endAfter) in the result. */
function changedRows(a: readonly string[], b: readonly string[]): { start: number; endBefore: number; endAfter: number } {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let ea = a.length;
  let eb = b.length;
  while (ea > start && eb > start && a[ea - 1] === b[eb - 1]) {
    ea--;
    eb--;
  }
  return { start, endBefore: ea, endAfter: eb };
}

interface ChangeHunk {
  /** Rows [start, endBefore) of the original became `delta` rows more (or fewer) in the result. */
  start: number;
  endBefore: number;
  delta: number;
}

/** The separate changes inside the differing span (one hunk when the span is large: a whole-file rewrite). */
function changeHunks(a: readonly string[], b: readonly string[], start: number, endBefore: number, endAfter: number): ChangeHunk[] {
  const whole = [{ start, endBefore, delta: endAfter - endBefore - 0 }];
  if (endBefore - start > 3000 || endAfter - start > 3000) return whole;
  const out: ChangeHunk[] = [];
  let row = start;
  let open: ChangeHunk | undefined;
  for (const part of diffArrays(a.slice(start, endBefore), b.slice(start, endAfter))) {
    if (!part.added && !part.removed) {
      open = undefined;
      row += part.count;
      continue;
    }
    if (!open) {
      open = { start: row, endBefore: row, delta: 0 };
      out.push(open);
    }
    if (part.removed) {
      row += part.count;
      open.endBefore = row;
      open.delta -= part.count;
    } else open.delta += part.count;
  }
  return out.length ? out : whole;
}

/** The smallest declaration containing rows [start, end) (an insertion when empty: strictly inside). */
function enclosing(decls: readonly Decl[], start: number, end: number): Decl | undefined {
  let best: Decl | undefined;
  for (const d of flatten(decls)) {
    const inside = end > start ? d.start <= start && d.end >= end - 1 : d.start < start && d.end >= start;
    if (inside && (!best || d.end - d.start < best.end - best.start)) best = d;
  }
  return best;
}

function multiset(decls: readonly Decl[]): Map<string, Decl[]> {
  const m = new Map<string, Decl[]>();
  for (const d of flatten(decls)) m.set(declKey(d), [...(m.get(declKey(d)) ?? []), d]);
  return m;
}

export function checkResult(input: GateInput): GateResult {
  const before = input.before.lines.join('\n');
  const after = input.after.lines.join('\n');
  if (input.path && /\.json$/i.test(input.path)) return jsonGate(before, after);
  const lang: LangId | undefined = langForPath(input.path);
  if (!lang || !syntaxLoaded(lang)) return { ok: true, warnings: [], checked: false };
  if (before === after) return { ok: true, warnings: [], checked: true };
  const treeBefore = parseText(lang, before);
  const treeAfter = parseEdited(lang, before, after);
  if (!treeBefore || !treeAfter) {
    treeAfter?.delete();
    return { ok: true, warnings: [], checked: false };
  }
  try {
    const { start, endBefore, endAfter } = changedRows(input.before.lines, input.after.lines);
    const lo = Math.max(0, start - 1);
    const declsBefore = declarations(treeBefore, input.before.lines, lang, lo, Math.max(lo, endBefore));
    const declsAfter = declarations(treeAfter, input.after.lines, lang, lo, Math.max(lo, endAfter));

    // (a) no new syntax errors where each change is (the smallest declaration around it, or the whole file).
    const hunks = changeHunks(input.before.lines, input.after.lines, start, endBefore, endAfter);
    const mapRow = (r: number) => r + hunks.filter((h) => h.endBefore <= r).reduce((a, h) => a + h.delta, 0);
    const checkedRegions = new Set<string>();
    for (const h of hunks) {
      const around = enclosing(declsBefore, h.start, h.endBefore);
      const [fromB, toB] = around ? [around.start, around.end] : [0, input.before.lines.length];
      const [fromA, toA] = around ? [mapRow(around.start), mapRow(around.end + 1) - 1] : [0, input.after.lines.length];
      if (checkedRegions.has(`${fromB}:${toB}`)) continue;
      checkedRegions.add(`${fromB}:${toB}`);
      const errsBefore = errorsIn(treeBefore, fromB, toB);
      const errsAfter = errorsIn(treeAfter, fromA, toA);
      if (lang === 'python') {
        errsBefore.push(...pythonIndentErrors(input.before.lines, fromB, toB));
        errsAfter.push(...pythonIndentErrors(input.after.lines, fromA, toA));
      }
      if (errsAfter.length > errsBefore.length) {
        const known = new Set(errsBefore.map((e) => `${mapRow(e.line)}:${e.text}`));
        const fresh = errsAfter.find((e) => !known.has(`${e.line}:${e.text}`)) ?? errsAfter[0];
        const where = around ? ` in ${describeDecl(around)}` : '';
        const what = fresh.missing ? `a missing ${JSON.stringify(fresh.text)}` : fresh.indent ? `bad indentation of ${JSON.stringify(fresh.text)}` : `unexpected ${JSON.stringify(fresh.text)}`;
        return { ok: false, reason: `the edited file would not parse: ${what} at line ${fresh.line + 1}${where}, which the original does not have; refusing to write a broken file` };
      }
    }

    // (b) no declaration disappears unless the answer deleted it explicitly.
    const kept = multiset(declsAfter);
    const gone: Decl[] = [];
    for (const [key, ds] of multiset(declsBefore)) {
      const n = (kept.get(key) ?? []).length;
      if (n < ds.length) gone.push(...ds.slice(n));
    }
    if (gone.length === 0 || explicitFormats.has(input.format)) return { ok: true, warnings: [], checked: true };
    const names = gone.map((d) => `\`${describeDecl(d)}\` (line ${d.start + 1})`).join(', ');
    if (input.wholeRewrite) return { ok: true, warnings: [`the answer's version of the file no longer has ${names}`], checked: true };
    return { ok: false, reason: `the result would delete ${names}, which the answer does not remove explicitly; refusing` };
  } finally {
    treeAfter.delete();
  }
}

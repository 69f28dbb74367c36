/**
 * A code block (or a bare code answer) as the edit: a new file, a whole-file rewrite, a lazy rewrite with
 * placeholders, a fragment (one rewritten function) to put where it belongs, or the rewrite of a selected range.
 */
import { patienceAlign } from './align';
import { hasElision, mergeWithOriginal, toTokens } from './elision';
import { applyIndent, inferIndent, reindentBlock } from './indent';
import { placeByStructure } from './structure/placement';
import type { LangId } from './syntax/languages';
import { syntaxLoaded } from './syntax/runtime';
import { cloneDoc, hasWord, indentOf, isBlank, spliceDoc, squash, trimBlankEnds, type Doc } from './text';
import { fail, type LineRange, type Outcome } from './types';

export interface CodeInput {
  lines: readonly string[];
  /** The answer names this block as the target file (so it may overwrite an unrelated file). */
  named: boolean;
  /** A bare answer without fences: only used if it visibly overlaps the file. */
  bare?: boolean;
  /** The file's language, when a grammar is loaded for it: declarations are placed by structure first. */
  lang?: LangId;
}

function substantivePairs(block: readonly string[], file: readonly string[]): number {
  const pairs = patienceAlign(block.map(squash), file.map(squash));
  return pairs.filter((p) => hasWord(file[p.o])).length;
}

function withLines(doc: Doc, lines: string[]): Doc {
  const d = cloneDoc(doc);
  d.lines = lines;
  return d;
}

export function applyCode(doc: Doc, code: CodeInput, range?: LineRange): Outcome {
  const { lines } = trimBlankEnds(code.lines);
  if (lines.length === 0) return fail('the code block is empty');
  if (doc.lines.length === 0) {
    if (code.bare) return fail('a new file needs its content in a fenced code block');
    if (hasElision(lines, [])) return fail('the new file contains placeholders ("... existing code ...") for code that does not exist');
    return { ok: true, doc: { lines: lines.slice(), eol: doc.eol, finalNewline: true }, format: 'whole-file', confidence: code.named ? 0.95 : 0.85 };
  }
  if (range) return applyToRange(doc, lines, range, code.lang);
  return applyToFile(doc, lines, code);
}

function applyToFile(doc: Doc, lines: readonly string[], code: CodeInput, confidenceScale = 1): Outcome {
  if (code.lang && syntaxLoaded(code.lang)) {
    const placed = placeByStructure(doc, lines, code.lang);
    if (placed) return placed.ok ? { ...placed, confidence: placed.confidence * confidenceScale } : placed;
  }
  const toks = toTokens(lines, doc.lines);
  const m = mergeWithOriginal(doc.lines, toks, { softEnds: true });
  if (!m.ok) {
    if (!m.noOverlap) return fail(m.reason);
    if (toks.some((t) => t.elision)) return fail('the code uses placeholders ("... existing code ...") but none of its lines match the file, so they cannot be filled in');
    if (code.bare) return fail('the answer has no code block, SEARCH/REPLACE block or diff for this file');
    // Even a named block that shares nothing with a real file and is much shorter is more likely a fragment than
    // the whole new file: overwriting would silently drop the rest.
    if (lines.length < doc.lines.length * 0.5 && (!code.named || doc.lines.length >= 8)) {
      return fail('the code block shares no distinctive line with the file and is much shorter than it: it looks like a fragment or an example, and there is no safe place to put it');
    }
    return { ok: true, doc: withLines(doc, lines.slice()), format: 'whole-file', confidence: (code.named ? 0.85 : 0.6) * confidenceScale, wholeRewrite: true };
  }
  const partial = [m.top, m.bottom].some((k) => k === 'kept' || k === 'fragment');
  const wholeRewrite = !partial && !toks.some((t) => t.elision);
  return { ok: true, doc: withLines(doc, m.lines), format: partial ? 'block' : 'whole-file', confidence: m.confidence * confidenceScale, wholeRewrite };
}

/**
 * The block rewrites lines [startLine, endLine]. If it visibly reaches beyond the selection (more of its lines are
 * found outside it than inside: the whole file, or the whole function around the selection), it is placed in the
 * file instead.
 */
function applyToRange(doc: Doc, lines: readonly string[], range: LineRange, lang: LangId | undefined): Outcome {
  const { startLine: s, endLine: e } = range;
  if (!Number.isInteger(s) || !Number.isInteger(e) || s < 0 || e < s || e >= doc.lines.length) {
    return fail(`the range ${s + 1}-${e + 1} is outside the file (${doc.lines.length} lines)`);
  }
  const region = doc.lines.slice(s, e + 1);
  const inRegion = substantivePairs(lines, region);
  const inFile = substantivePairs(lines, doc.lines);
  if (inFile > inRegion) {
    const placed = applyToFile(doc, lines, { lines, named: false, lang }, 0.9);
    if (!placed.ok) return fail(`the code block goes beyond the selected lines and cannot be placed: ${placed.reason}`);
    return placed;
  }
  const toks = toTokens(lines, region);
  let newLines: string[];
  let confidence = 0.95;
  if (toks.some((t) => t.elision)) {
    const m = mergeWithOriginal(region, toks, { softEnds: false });
    if (!m.ok) return fail(`the code block elides code that is not in the selection: ${m.reason}`);
    newLines = m.lines;
    confidence = m.confidence;
  } else {
    const pairs = patienceAlign(lines.map(squash), region.map(squash));
    const { transform, inconsistent } = inferIndent(pairs.map((p) => [lines[p.r], region[p.o]] as const));
    const minIndent = (ls: readonly string[]) => ls.filter((l) => !isBlank(l)).reduce<string | undefined>((a, l) => (a === undefined || indentOf(l).length < a.length ? indentOf(l) : a), undefined) ?? '';
    if (transform.kind !== 'none') {
      newLines = lines.map((l) => applyIndent(l, transform));
    } else if (pairs.length && !(inconsistent && minIndent(lines) === '' && minIndent(region) !== '')) {
      newLines = lines.slice();
    } else if (pairs.length) {
      // Matched lines disagree on indentation because the model also re-nested them (a new try block) and wrote
      // everything flush left: shift the whole block to the selection's indentation.
      newLines = reindentBlock(lines, minIndent(region));
      confidence = 0.9;
    } else {
      // Nothing in common: keep the block's own structure, shifted to the selection's indentation if it came back flush left.
      const target = region.filter((l) => !isBlank(l)).reduce<string | undefined>((a, l) => (a === undefined || indentOf(l).length < a.length ? indentOf(l) : a), undefined) ?? '';
      newLines = reindentBlock(lines, target);
      if (newLines.some((l, i) => l !== lines[i])) confidence = 0.85;
    }
  }
  const d = cloneDoc(doc);
  spliceDoc(d, s, e + 1, newLines);
  return { ok: true, doc: d, format: 'block', confidence };
}

/** A bare answer counts as code only if a good share of its lines are lines of the file (Continue-style lazy replies). */
export function looksLikeCodeFor(answer: readonly string[], original: readonly string[]): boolean {
  const own = new Set(original.map(squash));
  const toks = toTokens(answer, original).filter((t) => !t.elision && !isBlank(t.text));
  const hits = toks.filter((t) => own.has(squash(t.text))).length;
  return hits >= 2 && hits >= toks.length * 0.4;
}

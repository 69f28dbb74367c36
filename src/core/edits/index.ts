/**
 * applyModelEdit: turn a model's raw answer into the exact edited file, or refuse with a reason. Never guess.
 *
 * 1. Reasoning (`<think>…</think>`, or everything before a lone `</think>`) is removed: nothing in it reaches a file.
 * 2. The answer's format is recognised: apply-patch, SEARCH/REPLACE blocks, unified diff, fenced code blocks, or a
 *    bare code answer. Blocks naming another file are ignored, paths escaping the workspace refuse the answer.
 * 3. The edit is located with layered matching (exact → whitespace → indentation → anchored similarity); several
 *    equally good places, low similarity, malformed or cut-off blocks, and unresolvable placeholders are refused.
 * 4. The file keeps its line endings (CRLF stays CRLF), its indentation style and its final-newline state.
 */
import { applyCode, looksLikeCodeFor } from './apply-code';
import { applyHunkList, fromDiffHunk, fromPatchChunk } from './apply-hunks';
import { applySearchReplace } from './apply-search-replace';
import { looksLikeApplyPatch, parseApplyPatch } from './parse-apply-patch';
import { isShellish, scanFences, type FencedBlock } from './parse-fenced';
import { hasSearchReplaceMarkers, parseSearchReplace } from './parse-search-replace';
import { looksLikeUnifiedDiff, parseUnifiedDiff } from './parse-unified-diff';
import { checkResult } from './invariants';
import { chooseEditBlocks } from './structure/choose';
import { addImportBlock, importsOnly } from './structure/imports';
import { disjointEdits, splitLeadingImports } from './structure/split';
import { langForFence, langForPath, type LangId } from './syntax/languages';
import { parseText, syntaxLoaded } from './syntax/runtime';
import { escapesWorkspace, samePath } from './paths';
import { stripReasoning } from './strip-reasoning';
import { fromDoc, hasWord, isBlank, normalizeNewlines, squash, toDoc, trimBlankEnds, type Doc } from './text';
import { fail, MIN_CONFIDENCE, type ApplyOptions, type ApplyResult, type LineRange, type Outcome } from './types';

export type { ApplyOptions, ApplyResult, EditFormat, LineRange } from './types';
export { computeHunks, applyHunks, type Hunk } from './hunks';
export { stripReasoning } from './strip-reasoning';
export { loadSyntax, type WasmLoader, type LoadOptions } from './syntax/runtime';
export { WASM_FILES } from './syntax/languages';

export { MIN_CONFIDENCE, PREFERRED_CONFIDENCE } from './types';
/** Confidence of results no parser checked where placement is a judgement call (fragments, YAML): never preferred. */
const UNCHECKED_CAP = 0.79;

/**
 * Parse `original` now so that applyModelEdit on it later only re-parses what the answer changes (the host can call
 * this while the model is still answering). Returns false when no grammar is loaded for the file.
 */
export function prepareEdit(original: string, options: Pick<ApplyOptions, 'path'> = {}): boolean {
  const lang = langForPath(options.path);
  return !!lang && !!parseText(lang, toDoc(original).lines.join('\n'));
}

export function applyModelEdit(original: string, response: string, options: ApplyOptions = {}): ApplyResult {
  const stripped = stripReasoning(response);
  if (stripped.unfinished) return { ok: false, reason: 'the model has not finished reasoning (<think> without </think>): there is no answer to apply' };
  const answer = normalizeNewlines(stripped.answer);
  if (!answer.trim()) return { ok: false, reason: 'the answer is empty' };
  const lines = answer.split('\n');
  const doc = toDoc(original);
  const outcome = dispatch(doc, lines, answer, options);
  if (!outcome.ok) return outcome;
  if (outcome.confidence < MIN_CONFIDENCE) return { ok: false, reason: `low confidence (${outcome.confidence.toFixed(2)}) in where this edit goes; refusing` };
  const gate = checkResult({ path: options.path, before: doc, after: outcome.doc, format: outcome.format, wholeRewrite: !!outcome.wholeRewrite });
  if (!gate.ok) return gate;
  let confidence = outcome.confidence;
  if (/\.ya?ml$/i.test(options.path ?? '') || (!gate.checked && outcome.format === 'block')) confidence = Math.min(confidence, UNCHECKED_CAP);
  const warnings = [...(outcome.warnings ?? []), ...gate.warnings];
  return { ok: true, text: fromDoc(outcome.doc), format: outcome.format, confidence: Math.round(confidence * 1000) / 1000, warnings };
}

function dispatch(doc: Doc, lines: string[], answer: string, options: ApplyOptions): Outcome {
  const target = options.path;
  if (looksLikeApplyPatch(lines)) return viaApplyPatch(doc, lines, target);
  if (hasSearchReplaceMarkers(answer)) return viaSearchReplace(doc, lines, target, options.range);
  const fences = scanFences(lines, target);
  const diffs = fences.filter(isDiffBlock);
  if (diffs.length) return viaUnifiedDiff(doc, diffs.flatMap((b) => [...b.lines, '']), target);
  if (fences.length === 0 && looksLikeUnifiedDiff(lines)) return viaUnifiedDiff(doc, lines, target);
  if (fences.length) return viaCodeBlocks(doc, fences, target, options.range);
  return viaBareAnswer(doc, lines, options.range, target);
}

function isDiffBlock(b: FencedBlock): boolean {
  if (b.lang === 'diff' || b.lang === 'patch' || b.lang === 'udiff') return true;
  const first = b.lines.find((l) => l.trim() !== '') ?? '';
  return (b.lang === '' || b.lang === 'text') && /^(--- |diff --git |@@)/.test(first) && looksLikeUnifiedDiff(b.lines);
}

function escaping(names: ReadonlyArray<string | undefined>): string | undefined {
  return names.find((n): n is string => !!n && escapesWorkspace(n));
}

/** Pick the entries for `target` among entries that may name files. */
function selectFor<T>(items: readonly T[], nameOf: (t: T) => string | undefined, target: string | undefined, what: string): { ok: true; items: T[] } | { ok: false; reason: string } {
  const bad = escaping(items.map(nameOf));
  if (bad) return { ok: false, reason: `refusing: the answer names a path outside the workspace (${bad})` };
  const names = [...new Set(items.map(nameOf).filter((n): n is string => !!n))];
  if (!target) {
    if (names.length > 1) return { ok: false, reason: `the answer edits several files (${names.join(', ')}); say which one to apply` };
    return { ok: true, items: items.slice() };
  }
  const mine = items.filter((t) => {
    const n = nameOf(t);
    return !n || samePath(n, target);
  });
  if (mine.length === 0) return { ok: false, reason: `the answer has no ${what} for ${target}${names.length ? ` (it edits ${names.join(', ')})` : ''}` };
  return { ok: true, items: mine };
}

function viaSearchReplace(doc: Doc, lines: string[], target: string | undefined, range: LineRange | undefined): Outcome {
  const parsed = parseSearchReplace(lines, target);
  if (!parsed.ok) return fail(parsed.reason);
  const sel = selectFor(parsed.blocks, (b) => b.path, target, 'SEARCH/REPLACE block');
  if (!sel.ok) return fail(sel.reason);
  return applySearchReplace(doc, sel.items, range?.startLine);
}

function viaUnifiedDiff(doc: Doc, lines: string[], target: string | undefined): Outcome {
  const parsed = parseUnifiedDiff(lines);
  if (!parsed.ok) return fail(parsed.reason);
  const bad = escaping(parsed.files.flatMap((f) => [f.oldPath, f.newPath]));
  if (bad) return fail(`refusing: the diff names a path outside the workspace (${bad})`);
  const nameOf = (f: { oldPath?: string; newPath?: string }) => f.newPath ?? f.oldPath;
  const files = target ? parsed.files.filter((f) => (!f.oldPath && !f.newPath) || [f.oldPath, f.newPath].some((p) => p && samePath(p, target))) : parsed.files;
  if (files.length === 0) return fail(`the diff has no changes for ${target} (it edits ${parsed.files.map(nameOf).join(', ')})`);
  const names = [...new Set(files.map(nameOf).filter((n): n is string => !!n))];
  if (!target && names.length > 1) return fail(`the diff edits several files (${names.join(', ')}); say which one to apply`);
  return applyHunkList(doc, files.flatMap((f) => f.hunks.map(fromDiffHunk)));
}

function viaApplyPatch(doc: Doc, lines: string[], target: string | undefined): Outcome {
  const parsed = parseApplyPatch(lines);
  if (!parsed.ok) return fail(parsed.reason);
  const sel = selectFor(parsed.ops, (o) => o.path, target, 'patch section');
  if (!sel.ok) return fail(sel.reason);
  if (sel.items.length > 1) return fail(`the patch has ${sel.items.length} sections for the same file; refusing to combine them`);
  const op = sel.items[0];
  if (op.kind === 'delete') return fail('the patch deletes the file; that is not an edit this engine applies');
  if (op.kind === 'add') {
    if (doc.lines.some((l) => !isBlank(l))) return fail('the patch adds a file that already exists; refusing to overwrite it');
    return { ok: true, doc: { lines: op.lines.slice(), eol: doc.eol, finalNewline: false }, format: 'unified-diff', confidence: 0.95 };
  }
  if (op.moveTo) return fail(`the patch also renames the file to ${op.moveTo}; renames are not applied here`);
  if (op.chunks.length === 0) return fail('the patch section has no changes');
  return applyHunkList(doc, op.chunks.map(fromPatchChunk));
}

function overlaps(block: FencedBlock, doc: Doc): boolean {
  const own = new Set(doc.lines.filter(hasWord).map(squash));
  return block.lines.some((l) => hasWord(l) && own.has(squash(l)));
}

function viaCodeBlocks(doc: Doc, fences: FencedBlock[], target: string | undefined, range: LineRange | undefined): Outcome {
  const strong = (b: FencedBlock) => b.nameSource === 'info' || b.nameSource === 'line';
  const bad = escaping(fences.filter(strong).map((b) => b.name));
  if (bad) return fail(`refusing: the answer names a path outside the workspace (${bad})`);
  let pick: FencedBlock | undefined;
  let named = false;
  let importBlocks: FencedBlock[] = [];
  const lang = langForPath(target);
  const mine = target ? fences.filter((b) => b.name && samePath(b.name, target)) : [];
  if (mine.length > 1) return fail(`the answer has ${mine.length} code blocks for ${target}; refusing to guess which one is the edit`);
  if (mine.length === 1) [pick, named] = [mine[0], true];
  else {
    const strongNames = [...new Set(fences.filter(strong).map((b) => b.name))];
    if (!target && strongNames.length > 1) return fail(`the answer has code for several files (${strongNames.join(', ')}); say which one to apply`);
    let cands = fences.filter((b) => !(target && strong(b)) && !isShellish(b, target));
    // A block of imports beside the edit ("first import lru_cache: …"): the edit depends on it, so it is placed too.
    const imports = cands.length > 1 ? cands.filter((b) => isImportBlock(b, lang)) : [];
    if (imports.length && imports.length < cands.length) {
      importBlocks = imports;
      cands = cands.filter((b) => !imports.includes(b));
    }
    if (cands.length > 1) cands = cands.filter((b) => overlaps(b, doc));
    if (cands.length > 1) cands = chooseEditBlocks(cands, doc, langForPath(target));
    if (cands.length === 0) {
      const others = fences.filter(strong).map((b) => b.name);
      return fail(`the answer has no code block for ${target ?? 'this file'}${others.length ? ` (it has code for ${others.join(', ')})` : ''}`);
    }
    // Every block rewrites different declarations of the file (step 1: the enum, step 2: its impl): apply them all.
    const all = cands.length > 1 && lang && syntaxLoaded(lang) && !range ? disjointEdits(cands, doc, lang) : undefined;
    if (all) return applyInTurn(doc, all, lang, importBlocks);
    if (cands.length > 1) return fail(`the answer has ${cands.length} code blocks and none is named for this file; refusing to guess which one is the edit`);
    pick = cands[0];
    named = !target && !!pick.name && strong(pick);
  }
  if (pick.close < 0) return fail('the code block is never closed: the answer looks cut off');
  const codeLang = lang ?? (target ? undefined : langForFence(pick.lang));
  // `import …` at the margin above a method written as in its class: the import goes to the file's imports.
  const split = codeLang && syntaxLoaded(codeLang) && !range ? splitLeadingImports(pick.lines, codeLang) : undefined;
  if (split) return applyInTurn(doc, [{ ...pick, lines: split.rest }], codeLang, [...importBlocks, { ...pick, lines: split.imports }]);
  const applied = applyCode(doc, { lines: pick.lines, named, lang: codeLang }, range);
  return importBlocks.length && applied.ok ? withImportBlocks(applied, importBlocks, lang) : applied;
}

/** Blocks that are each an edit of the file, applied one after the other, then the import blocks; the least sure decides. */
function applyInTurn(doc: Doc, blocks: readonly FencedBlock[], lang: LangId | undefined, importBlocks: FencedBlock[]): Outcome {
  let current = doc;
  let last: Extract<Outcome, { ok: true }> | undefined;
  const warnings: string[] = [];
  for (const b of blocks) {
    if (b.close < 0) return fail('the code block is never closed: the answer looks cut off');
    const applied = applyCode(current, { lines: b.lines, named: false, lang });
    if (!applied.ok) return blocks.length > 1 ? fail(`one of the answer's ${blocks.length} code blocks cannot be applied: ${applied.reason}`) : applied;
    warnings.push(...(applied.warnings ?? []));
    last = last ? { ...applied, confidence: Math.min(last.confidence, applied.confidence), format: 'block', wholeRewrite: false } : applied;
    current = applied.doc;
  }
  if (!last) return fail('the answer has no code block for this file');
  const done = { ...last, warnings };
  return importBlocks.length ? withImportBlocks(done, importBlocks, lang) : done;
}

const IMPORT_LINE = /^\s*(import\b|from\s+\S+\s+import\b|using\s+[\w.]+\s*;|use\s+[\w:{}, ]+;|#include\b|package\s+\w+\s*;?\s*$|\)?\s*$|"[^"]+"\s*$)/;

/** Only imports: by the parser when a grammar is loaded, else by the common import line shapes. */
function isImportBlock(b: FencedBlock, lang: LangId | undefined): boolean {
  if (lang && syntaxLoaded(lang)) return importsOnly(b.lines, lang);
  const own = b.lines.filter((l) => !isBlank(l));
  return own.length > 0 && own.every((l) => IMPORT_LINE.test(l)) && own.some((l) => /^\s*(import|from|using|use|#include)\b/.test(l));
}

/** Put the answer's separate import blocks into the edited file; without a parser, say they were not applied. */
function withImportBlocks(applied: Extract<Outcome, { ok: true }>, blocks: readonly FencedBlock[], lang: LangId | undefined): Outcome {
  let lines = applied.doc.lines;
  const warnings = [...(applied.warnings ?? [])];
  for (const b of blocks) {
    const placed = lang && syntaxLoaded(lang) ? addImportBlock(lines, b.lines, lang) : undefined;
    if (placed) lines = placed;
    else warnings.push(`the answer's separate import block was not applied (add it yourself): ${b.lines.filter((l) => !isBlank(l)).map((l) => l.trim()).join(' ')}`);
  }
  return { ...applied, doc: { ...applied.doc, lines }, warnings };
}

const PROSE = /^[A-Z][^;{}()=<>[\]]*\s\S+\s[^;{}()=<>[\]]*[:.!?]$/;

function viaBareAnswer(doc: Doc, lines: string[], range: LineRange | undefined, target: string | undefined): Outcome {
  const { lines: body } = trimBlankEnds(lines);
  const none = fail('the answer contains no code block, SEARCH/REPLACE block or diff to apply');
  if (doc.lines.length === 0 || body.length === 0) return none;
  if (PROSE.test(body[0].trim()) || PROSE.test(body[body.length - 1].trim())) return none;
  if (!looksLikeCodeFor(body, doc.lines)) return none;
  return applyCode(doc, { lines: body, named: false, bare: true, lang: langForPath(target) }, range);
}
export { findReasoningPassage, type ReasoningPassage } from './citations';

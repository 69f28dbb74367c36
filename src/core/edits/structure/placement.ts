/**
 * Structure-aware placement of a code block without a range: the block's declarations are mapped to the file's by
 * kind + name + container (class / impl / receiver). A matched declaration is replaced as a whole node (its doc
 * comments and decorators too when the block has them, kept when it does not); a container in the block merges
 * member by member, so members it does not mention stay; a declaration with placeholders inside merges with its
 * counterpart by lines; a new declaration goes next to the sibling the block puts it beside. Renames (a close name
 * with a mostly equal body) and a name found in several containers when the block names none are refused.
 * Returns undefined when the block is not made of declarations (the line-based merge takes over).
 */
import { hasElision, isElisionLine, mergeWithOriginal, toTokens } from '../elision';
import { findNested, flatten, describeDecl, declKey, type Decl } from '../syntax/declarations';
import type { LangId } from '../syntax/languages';
import { parseText } from '../syntax/runtime';
import { indentOf, isBlank, levenshtein, squash, type Doc } from '../text';
import { fail, type Outcome } from '../types';
import { declarations, endRow } from '../syntax/declarations';
import type { Node, Tree } from '@vscode/tree-sitter-wasm';
import { parseBlock, type BlockDecl, type ParsedBlock } from './block';
import { applyLineEdits, blanks, gapAround, inFileUnit, shiftIndent, type LineEdit } from './edits';
import { planImports } from './imports';

interface Plan {
  file: readonly string[];
  block: ParsedBlock;
  lang: LangId;
  edits: LineEdit[];
  warnings: string[];
  confidence: number;
  /** File declarations already taken by a block declaration. */
  used: Set<Decl>;
  all: Decl[];
  top: Decl[];
  nested: (name: string) => Decl[];
}

class Refusal {
  constructor(readonly reason: string) {}
}

/** Nothing in the block ties it to the file's structure: the line-based merge decides. */
class Fallback {}

const at = (d: Decl) => `line ${d.core + 1}`;

function candidates(b: BlockDecl, scope: Decl | undefined, p: Plan): Decl[] {
  const pool = scope ? scope.members : p.all;
  let cands = pool.filter((f) => f.kind === b.kind && f.name === b.name && !p.used.has(f));
  if (!scope && b.container) cands = cands.filter((f) => f.container === b.container || f.container.endsWith(`.${b.container}`));
  if (cands.length === 0 && !scope && b.kind === 'fn') cands = p.nested(b.name).filter((f) => !p.used.has(f));
  if (cands.length > 1) {
    const sameType = cands.filter((f) => f.type === b.type);
    if (sameType.length && sameType.length < cands.length) cands = sameType;
  }
  if (cands.length > 1 && !scope && !b.container) {
    const containers = new Set(cands.map((f) => f.container));
    if (containers.size > 1) {
      const named = cands.map((f) => `\`${describeDecl(f)}\` (${at(f)})`).join(' or ');
      throw new Refusal(`the answer's \`${b.name}\` could be ${named}, and the answer does not say which class it belongs to; refusing to guess`);
    }
  }
  if (cands.length > 1) {
    const same = cands.filter((f) => f.params === b.params);
    if (same.length === 1) return same;
    const named = cands.map((f) => `\`${describeDecl(f)}${f.params}\` (${at(f)})`).join(', ');
    throw new Refusal(`the answer's \`${b.name}${b.params}\` matches ${cands.length} overloads: ${named}; refusing to guess which one it rewrites`);
  }
  return cands;
}

const bodyLines = (lines: readonly string[], d: Decl) => lines.slice(d.core + 1, d.end + 1).map(squash).filter((l) => l && !/^[)}\]];?$/.test(l));

function looksRenamed(b: BlockDecl, scope: Decl | undefined, p: Plan): Decl | undefined {
  const pool = (scope ? scope.members : p.all).filter((f) => f.kind === b.kind && !p.used.has(f) && f.name !== b.name);
  const mine = bodyLines(p.block.lines, b);
  if (mine.length < 2) return undefined;
  for (const f of pool) {
    const a = b.name.toLowerCase();
    const c = f.name.toLowerCase();
    const close = a.includes(c) || c.includes(a) || 1 - levenshtein(a, c) / Math.max(a.length, c.length) >= 0.5;
    if (!close) continue;
    const theirs = new Set(bodyLines(p.file, f));
    if (mine.filter((l) => theirs.has(l)).length >= 0.6 * mine.length) return f;
  }
  return undefined;
}

const isComment = (line: string) => /^\s*(\/\/|\/\*|\*|#(?!\[))/.test(line);

/**
 * The new head of a declaration: the block's doc comments if it has any, else the file's; the same for decorators /
 * attributes / annotations. Then the block's declaration proper. All at the indentation of the file's declaration.
 */
function composed(p: Plan, b: BlockDecl, f: Decl | undefined, targetIndent: string): string[] {
  const shift = (lines: readonly string[]) => shiftIndent(lines, indentOf(p.block.lines[b.core]), targetIndent);
  const bPrefix = p.block.lines.slice(b.start, b.core);
  const fPrefix = f ? p.file.slice(f.start, f.core) : [];
  const comments = bPrefix.some(isComment) ? shift(bPrefix.filter(isComment)) : fPrefix.filter(isComment);
  const decorators = bPrefix.some((l) => !isComment(l)) ? shift(bPrefix.filter((l) => !isComment(l))) : fPrefix.filter((l) => !isComment(l));
  return [...comments, ...decorators, ...shift(p.block.lines.slice(b.core, b.end + 1))];
}

function replaceDecl(p: Plan, b: BlockDecl, f: Decl): void {
  const text = composed(p, b, f, indentOf(p.file[f.core]));
  const window = p.file.slice(f.start, f.end + 1);
  if (b.lazy) {
    const merged = mergeWithOriginal(window, toTokens(text, window), { softEnds: false });
    if (!merged.ok) throw new Refusal(`the answer's \`${describeDecl(f)}\` has placeholders that cannot be matched to the file's: ${merged.reason}`);
    p.confidence = Math.min(p.confidence, merged.confidence);
    p.edits.push({ from: f.start, to: f.end + 1, lines: merged.lines, seq: p.edits.length });
    return;
  }
  if (text.length === window.length && text.every((l, i) => squash(l) === squash(window[i]))) return;
  p.edits.push({ from: f.start, to: f.end + 1, lines: text, seq: p.edits.length });
}

/** The line that opens a container's body (`{`, or `:` in Python), from its first line. */
function headerEnd(lines: readonly string[], d: Decl, lang: LangId): number {
  const last = d.body ? d.body.start : d.core;
  for (let r = d.core; r <= last; r++) {
    const l = lines[r] ?? '';
    if (lang === 'python' ? /:\s*(#.*)?$/.test(l) : l.includes('{')) return r;
  }
  return d.core;
}

function mergeContainer(p: Plan, b: BlockDecl, f: Decl): void {
  const inFile = new Set(p.file.slice(f.start, f.end + 1).map(squash));
  if (b.loose.some((r) => !inFile.has(squash(p.block.lines[r])))) {
    // Statements in the class that are not declarations (fields written as plain statements): merge the class by lines.
    replaceDecl(p, { ...b, lazy: true }, f);
    return;
  }
  const bHead = headerEnd(p.block.lines, b, p.lang);
  const fHead = headerEnd(p.file, f, p.lang);
  const firstMember = (d: Decl) => d.members[0]?.start ?? Number.MAX_SAFE_INTEGER;
  if (bHead < firstMember(b) && fHead < firstMember(f)) {
    const mine = shiftIndent(p.block.lines.slice(b.core, bHead + 1), indentOf(p.block.lines[b.core]), indentOf(p.file[f.core]));
    const theirs = p.file.slice(f.core, fHead + 1);
    if (mine.map(squash).join('\n') !== theirs.map(squash).join('\n')) p.edits.push({ from: f.core, to: fHead + 1, lines: mine, seq: p.edits.length });
  }
  if (b.core > b.start) {
    const head = composed(p, { ...b, end: b.core - 1 }, f, indentOf(p.file[f.core]));
    p.edits.push({ from: f.start, to: f.core, lines: head, seq: p.edits.length });
  }
  placeScope(p, b.members, f, b);
}

/** Where members go in a container the block adds to without a matched neighbour: before its closing line. */
function containerEnd(p: Plan, f: Decl): number {
  if (p.lang === 'python' || !f.body) return f.end + 1;
  return /^\s*[)}\]];?\s*$/.test(p.file[f.end]) ? f.end : f.end + 1;
}

function memberIndent(p: Plan, f: Decl): string {
  const first = f.members[0];
  if (first) return indentOf(p.file[first.core]);
  const own = indentOf(p.file[f.core]);
  return own + (own.includes('\t') || p.file.some((l) => l.startsWith('\t')) ? '\t' : p.lang === 'python' || p.lang === 'rust' || p.lang === 'java' || p.lang === 'c-sharp' ? '    ' : '  ');
}

function placeScope(p: Plan, decls: readonly BlockDecl[], scope: Decl | undefined, blockScope: BlockDecl | undefined): void {
  const matched = decls.map((b) => {
    const c = candidates(b, scope, p);
    if (c.length === 1) p.used.add(c[0]);
    return c[0];
  });
  decls.forEach((b, i) => {
    const f = matched[i];
    if (f) {
      if ((b.kind === 'type' || b.kind === 'impl' || b.kind === 'ns') && f.members.length > 0 && (b.members.length > 0 || b.lazy) && !restated(p, b, f)) mergeContainer(p, b, f);
      else replaceDecl(p, b, f);
      return;
    }
    const renamed = looksRenamed(b, scope, p);
    if (renamed) {
      throw new Refusal(`the answer's \`${b.name}\` looks like \`${describeDecl(renamed)}\` (${at(renamed)}) renamed: the body is mostly the same but the name differs; refusing to guess whether to rename it or add a second copy`);
    }
    insertNew(p, b, i, decls, matched, scope, blockScope);
  });
}

/**
 * The whole container again (no placeholder, every member of the file's still there): it is taken as written, blank
 * lines and order included, instead of being merged member by member.
 */
function restated(p: Plan, b: BlockDecl, f: Decl): boolean {
  if (b.lazy || hasElisionBetween(p, b.start - 1, b.end + 1)) return false;
  const all = (d: Decl): Decl[] => d.members.flatMap((m) => [m, ...all(m)]);
  const mine = new Set(all(b).map((m) => `${m.kind}:${m.name}`));
  return all(f).every((m) => mine.has(`${m.kind}:${m.name}`));
}

function insertNew(p: Plan, b: BlockDecl, i: number, decls: readonly BlockDecl[], matched: ReadonlyArray<Decl | undefined>, scope: Decl | undefined, blockScope: BlockDecl | undefined): void {
  let pi = i - 1;
  while (pi >= 0 && !matched[pi]) pi--;
  let ni = i + 1;
  while (ni < decls.length && !matched[ni]) ni++;
  const prev = pi >= 0 ? matched[pi] : undefined;
  const next = ni < decls.length ? matched[ni] : undefined;
  // Placeholders between the new declaration and a neighbour mean "other code comes in between".
  const elisionBefore = hasElisionBetween(p, pi >= 0 ? decls[pi].end : blockScope ? blockScope.core : -1, b.start);
  const elisionAfter = hasElisionBetween(p, b.end, ni < decls.length ? decls[ni].start : blockScope ? blockScope.end : p.block.lines.length);
  const text = (indent: string) => composed(p, b, undefined, indent);
  const where = describeDecl(b);
  p.confidence = Math.min(p.confidence, 0.9);
  if (prev && (!elisionBefore || (next && elisionAfter))) {
    const gap = gapAround(p.file, prev.end, prev.start);
    p.edits.push({ from: prev.end + 1, to: prev.end + 1, lines: [...blanks(gap), ...text(indentOf(p.file[prev.core]))], seq: p.edits.length });
    if (elisionBefore) p.warnings.push(`the answer puts the new \`${where}\` between placeholders; it was put after \`${describeDecl(prev)}\` (line ${prev.end + 1})`);
    return;
  }
  if (next && (!elisionAfter || !prev)) {
    const gap = gapAround(p.file, next.end, next.start);
    p.edits.push({ from: next.start, to: next.start, lines: [...text(indentOf(p.file[next.core])), ...blanks(gap)], seq: p.edits.length });
    if (elisionAfter && elisionBefore) p.warnings.push(`the answer puts the new \`${where}\` between placeholders; it was put before \`${describeDecl(next)}\` (line ${next.start + 1})`);
    return;
  }
  const ambiguous = elisionBefore && elisionAfter;
  if (scope) {
    const atStart = elisionAfter && !elisionBefore && scope.members.length > 0;
    const first = scope.members[0];
    const last = scope.members[scope.members.length - 1];
    if (atStart && first) {
      p.edits.push({ from: first.start, to: first.start, lines: [...text(memberIndent(p, scope)), ...blanks(gapAround(p.file, first.end, first.start))], seq: p.edits.length });
    } else {
      const end = containerEnd(p, scope);
      p.edits.push({ from: end, to: end, lines: [...blanks(last ? gapAround(p.file, last.end, last.start) : 0), ...text(memberIndent(p, scope))], seq: p.edits.length });
    }
    if (ambiguous) p.warnings.push(`the answer puts the new \`${where}\` between placeholders; it was put at the ${atStart ? 'start' : 'end'} of \`${describeDecl(scope)}\``);
    return;
  }
  const last = p.top[p.top.length - 1];
  if (!last || blockScope || p.used.size === 0) throw new Fallback();
  const gap = gapAround(p.file, last.end, last.start);
  p.edits.push({ from: last.end + 1, to: last.end + 1, lines: [...blanks(gap), ...text(indentOf(p.file[last.core]))], seq: p.edits.length });
  if (!elisionBefore || ambiguous) p.warnings.push(`the answer does not say where the new \`${where}\` goes; it was put after \`${describeDecl(last)}\` (line ${last.end + 1})`);
}

function hasElisionBetween(p: Plan, from: number, to: number): boolean {
  for (let r = from + 1; r < to; r++) if (p.block.elisions.has(r)) return true;
  return false;
}

/**
 * New lines with a placeholder right above and right below them and no line of the file among them: nothing says
 * where they go (`# ... existing code ...` / `log.debug(x)` / `# ... existing code ...`).
 */
function sandwiched(lines: readonly string[], elisions: ReadonlySet<number>, rows: readonly number[], file: ReadonlySet<string>): string | undefined {
  const cand = new Set(rows);
  for (const r of rows) {
    if (cand.has(r - 1) || isBlank(lines[r])) continue;
    let e = r;
    while (cand.has(e + 1) || (e + 1 < lines.length && isBlank(lines[e + 1]) && cand.has(e + 2))) e++;
    if (lines.slice(r, e + 1).some((l) => file.has(squash(l)))) continue;
    let above = r - 1;
    while (above >= 0 && isBlank(lines[above])) above--;
    let below = e + 1;
    while (below < lines.length && isBlank(lines[below])) below++;
    if (elisions.has(above) && elisions.has(below)) {
      return `the answer's ${JSON.stringify(lines[r].trim())} sits between two placeholders with no line of the file around it; where it goes would be a guess`;
    }
  }
  return undefined;
}

const looseRows = (decls: readonly BlockDecl[]): number[] => decls.flatMap((d) => [...d.loose, ...looseRows(d.members)]);

/**
 * A block that is one statement (a route handler, a call with a callback) whose first line is a unique line of the
 * file starting a statement of the same kind: that statement is the block's counterpart, replaced or (with
 * placeholders) merged by lines like a declaration.
 */
function placeStatement(doc: Doc, block: ParsedBlock, lang: LangId, tree: Tree): Outcome | undefined {
  const st = block.statements[0];
  const head = squash(block.lines[st.start]);
  const rows = doc.lines.map((l, i) => (squash(l) === head ? i : -1)).filter((i) => i >= 0);
  if (rows.length !== 1) return undefined;
  const row = rows[0];
  let node: Node | null = tree.rootNode.descendantForPosition({ row, column: indentOf(doc.lines[row]).length });
  let found: Node | undefined;
  for (; node && node.startPosition.row === row; node = node.parent) if (node.type === st.type) found = node;
  if (!found) return undefined;
  let end = st.end;
  for (let r = end + 1; r < block.lines.length; r++) if (block.elisions.has(r)) end = r;
  const lazy = [...block.elisions].some((r) => r > st.start && r <= end);
  const fake = { kind: 'fn' as const, type: st.type, name: head, container: '', params: '', members: [] };
  const f: Decl = { ...fake, start: row, core: row, end: endRow(found) };
  const b: BlockDecl = { ...fake, start: st.start, core: st.start, end, members: [], loose: [], lazy };
  const p: Plan = { file: doc.lines, block, lang, edits: [], warnings: [], confidence: 0.9, used: new Set(), all: [], top: [], nested: () => [] };
  try {
    replaceDecl(p, b, f);
  } catch (e) {
    if (e instanceof Refusal) return fail(e.reason);
    throw e;
  }
  const applied = applyLineEdits(doc.lines, p.edits);
  return applied.ok ? { ok: true, doc: { ...doc, lines: applied.lines }, format: 'block', confidence: p.confidence, warnings: p.warnings } : fail(applied.reason);
}

/** Tab-indented file, space-indented answer (or the reverse): re-indent the answer in the file's style first. */
function inFileStyle(lines: readonly string[], file: readonly string[]): string[] {
  const tabbed = (ls: readonly string[]) => ls.filter((l) => /^\t/.test(l)).length;
  const spaced = (ls: readonly string[]) => ls.filter((l) => /^ {2,}\S/.test(l)).length;
  const fileTabs = tabbed(file) > spaced(file);
  const blockTabs = tabbed(lines) > spaced(lines);
  if (!fileTabs && !blockTabs) return inFileUnit(lines, file);
  if (fileTabs === blockTabs || (!tabbed(file) && !spaced(file)) || (!tabbed(lines) && !spaced(lines))) return lines.slice();
  if (fileTabs) {
    const widths = lines.map((l) => /^ */.exec(l)?.[0].length ?? 0).filter((w) => w > 0);
    const unit = widths.every((w) => w % 4 === 0) ? 4 : 2;
    return lines.map((l) => l.replace(/^ +/, (m) => '\t'.repeat(Math.floor(m.length / unit)) + ' '.repeat(m.length % unit)));
  }
  const fileWidths = file.map((l) => /^ */.exec(l)?.[0].length ?? 0).filter((w) => w > 0);
  const unit = fileWidths.length && fileWidths.every((w) => w % 4 === 0) ? 4 : 2;
  return lines.map((l) => l.replace(/^\t+/, (m) => ' '.repeat(m.length * unit)));
}

/**
 * Example usage after the last declaration (`// Example:` / `console.log(backoff(2));`): only comments and top-level
 * calls that are not lines of the file, at least one calling a declaration of the block. They are not the edit.
 */
function trailingUsage(block: ParsedBlock, file: ReadonlySet<string>): { from: number; first: string } | undefined {
  if (block.decls.length === 0) return undefined;
  const last = Math.max(...block.decls.map((d) => d.end));
  const rows = block.lines.map((_, i) => i).filter((i) => i > last && !isBlank(block.lines[i]));
  const stmts = block.statements.filter((st) => st.start > last);
  if (rows.length === 0 || stmts.length === 0 || rows.some((r) => block.elisions.has(r) || file.has(squash(block.lines[r])))) return undefined;
  if (stmts.some((st) => st.type !== 'expression_statement')) return undefined;
  const inStmt = (r: number) => stmts.some((st) => r >= st.start && r <= st.end);
  if (!rows.every((r) => inStmt(r) || isComment(block.lines[r]))) return undefined;
  const names = block.decls.map((d) => d.name).filter((n) => /^[\w$]+$/.test(n));
  const calls = (st: { start: number; end: number }) => names.some((n) => new RegExp(`(^|[^\\w$.])${n.replace(/\$/g, '\\$')}\\s*\\(`).test(block.lines.slice(st.start, st.end + 1).join('\n')));
  if (!stmts.some(calls)) return undefined;
  const firstStmt = block.lines[Math.min(...stmts.map((st) => st.start))].trim();
  return { from: last + 1, first: firstStmt };
}

/** A block with no placeholder that starts like the file and is about as long: the whole file again. */
function wholeFileLike(lines: readonly string[], file: readonly string[]): boolean {
  const first = (ls: readonly string[]) => squash(ls.find((l) => !isBlank(l)) ?? '');
  const count = (ls: readonly string[]) => ls.filter((l) => !isBlank(l)).length;
  return first(lines) === first(file) && count(lines) >= 0.6 * count(file);
}

export function placeByStructure(doc: Doc, answerLines: readonly string[], lang: LangId): Outcome | undefined {
  const fileText = doc.lines.join('\n');
  const tree = parseText(lang, fileText);
  if (!tree) return undefined;
  const lines = inFileStyle(answerLines, doc.lines);
  // The whole file again (no placeholder): it replaces the file; declarations it drops are named by the gate.
  if (!hasElision(lines, doc.lines) && wholeFileLike(lines, doc.lines)) {
    return { ok: true, doc: { ...doc, lines }, format: 'whole-file', confidence: 0.9, wholeRewrite: true };
  }
  const block = parseBlock(lines, lang);
  const fileSquashed = new Set(doc.lines.map(squash));
  if (block && block.decls.length === 0 && block.statements.length === 1) {
    const placed = placeStatement(doc, block, lang, tree);
    if (placed) return placed;
  }
  if (!block || block.decls.length === 0) {
    const elisions = new Set(lines.map((l, i) => (isElisionLine(l) ? i : -1)).filter((i) => i >= 0));
    const rows = lines.map((_, i) => i).filter((i) => !elisions.has(i) && !isBlank(lines[i]));
    const guess = elisions.size ? sandwiched(lines, elisions, rows, fileSquashed) : undefined;
    return guess ? fail(guess) : undefined;
  }
  const guess = sandwiched(lines, block.elisions, [...block.loose, ...looseRows(block.decls)], fileSquashed);
  if (guess) return fail(guess);
  const usage = trailingUsage(block, fileSquashed);
  if (usage) {
    const placed = placeByStructure(doc, lines.slice(0, usage.from), lang);
    if (!placed?.ok) return placed;
    return { ...placed, warnings: [...(placed.warnings ?? []), `the answer's \`${usage.first}\` after the code looks like example usage and was left out of the file`] };
  }
  const foreign = block.loose.filter((r) => !block.imports.has(r) && !fileSquashed.has(squash(block.lines[r])));
  if (foreign.length) return undefined;
  const top = declarations(tree, doc.lines, lang);
  const p: Plan = {
    file: doc.lines, block, lang, edits: [], warnings: [], confidence: 0.95, used: new Set(), all: flatten(top), top,
    nested: (name) => findNested(tree, doc.lines, lang, name),
  };
  if (block.elisions.size === 0 && top.length > 1) {
    const keys = new Set(block.decls.map(declKey));
    if (top.every((d) => keys.has(declKey(d)))) return undefined;
  }
  try {
    placeScope(p, block.decls, undefined, undefined);
    planImports(p.file, block, lang, tree, p.edits);
  } catch (e) {
    if (e instanceof Refusal) return fail(e.reason);
    if (e instanceof Fallback) return undefined;
    throw e;
  }
  const applied = applyLineEdits(doc.lines, p.edits);
  if (!applied.ok) return fail(applied.reason);
  return { ok: true, doc: { ...doc, lines: applied.lines }, format: 'block', confidence: p.confidence, warnings: p.warnings };
}

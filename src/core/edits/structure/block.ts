/**
 * A code block from an answer, read by structure: its declarations (with members), its imports, its placeholder
 * lines, and anything else. Fragments that only parse inside a class (a bare TS/Java/C# method) are parsed inside a
 * stand-in class; placeholders ("// ... existing code ...") are parsed as comments in every language.
 */
import { declarations, endRow, type Decl } from '../syntax/declarations';
import type { LangId } from '../syntax/languages';
import { errorsIn } from '../syntax/errors';
import { parseFresh } from '../syntax/runtime';
import { isElisionLine } from '../elision-marker';
import { indentWidth, isBlank } from '../text';

export interface BlockDecl extends Decl {
  /** Placeholder lines in the declaration itself, outside its members (a function: merge with the file's by lines). */
  lazy: boolean;
  members: BlockDecl[];
  /** Rows inside a container's body that are neither members, placeholders, blank nor its closing line. */
  loose: number[];
}

export interface ParsedBlock {
  lines: string[];
  decls: BlockDecl[];
  /** Top-level rows outside every declaration that are not blank or placeholders (imports, statements, comments). */
  loose: number[];
  /** Rows that are import / using / use / package lines. */
  imports: Set<number>;
  /** Top-level statements that are neither declarations nor imports (rows relative to the block, node type). */
  statements: Array<{ start: number; end: number; type: string }>;
  elisions: Set<number>;
}

const WRAPPABLE: ReadonlySet<LangId> = new Set(['typescript', 'tsx', 'javascript', 'java', 'c-sharp']);
const IMPORT_NODES = new Set(['import_statement', 'import_from_statement', 'future_import_statement', 'import_declaration', 'using_directive', 'use_declaration', 'package_clause', 'package_declaration', 'extern_crate_declaration']);

function commentFor(lang: LangId): string {
  return lang === 'python' ? '#' : '//';
}

/** Rows of `d` and its members, made relative to the real block (the stand-in class adds one line on top). */
function shift(d: Decl, by: number): Decl {
  return { ...d, start: d.start - by, core: d.core - by, end: d.end - by, body: d.body && { start: d.body.start - by, end: d.body.end - by }, members: d.members.map((m) => shift(m, by)) };
}

export function parseBlock(lines: readonly string[], lang: LangId): ParsedBlock | undefined {
  const elisions = new Set<number>();
  lines.forEach((l, i) => isElisionLine(l) && elisions.add(i));
  // Placeholders become comments so that `...` alone does not break the parse.
  const neutral = lines.map((l, i) => (elisions.has(i) ? `${/^\s*/.exec(l)?.[0] ?? ''}${commentFor(lang)} …` : l));
  const attempt = (text: string, wrapped: boolean) => {
    const tree = parseFresh(lang, text);
    if (!tree) return undefined;
    const all = wrapped ? text.split('\n') : neutral;
    const errors = errorsIn(tree, 0, all.length).length;
    let decls = declarations(tree, all, lang);
    const imports = new Set<number>();
    const statements: ParsedBlock['statements'] = [];
    for (const n of tree.rootNode.namedChildren) {
      if (n && IMPORT_NODES.has(n.type)) for (let r = n.startPosition.row; r <= n.endPosition.row; r++) imports.add(r);
      else if (n && !/comment/.test(n.type)) statements.push({ start: n.startPosition.row, end: endRow(n), type: n.type });
    }
    tree.delete();
    if (wrapped) {
      const wrapper = decls[0];
      decls = (wrapper?.members ?? []).map((m) => shift({ ...m, container: '' }, 1));
    }
    return { errors, decls, imports, statements };
  };
  let best = attempt(neutral.join('\n'), false);
  if (!best) return undefined;
  // A member that also parses as a top-level statement (C# `public override string ToString() => …;` is a local
  // function there) is a member when the class reading of it is clean and finds declarations.
  const onlyStatements = best.errors === 0 && best.decls.length === 0 && best.statements.length > 0;
  if ((best.errors > 0 || onlyStatements) && WRAPPABLE.has(lang)) {
    const inClass = attempt(['class __PonderBlock__ {', ...neutral, '}'].join('\n'), true);
    if (inClass && (inClass.errors < best.errors || (onlyStatements && inClass.errors === 0 && inClass.decls.length > 0))) best = { ...inClass, imports: new Set(), statements: [] };
  }
  if (best.errors > 0) return undefined;
  const decls = best.decls.map((d) => finish(d, neutral, elisions));
  const covered = new Set<number>();
  for (const d of decls) for (let r = d.start; r <= d.end; r++) covered.add(r);
  const loose = neutral.map((_, i) => i).filter((i) => !covered.has(i) && !elisions.has(i) && !isBlank(lines[i]));
  return { lines: lines.slice(), decls, loose, imports: best.imports, elisions, statements: best.statements };
}

/** Placeholder lines right after a declaration and deeper than it (Python parses them outside) belong to it. */
function finish(d: Decl, lines: readonly string[], elisions: ReadonlySet<number>): BlockDecl {
  let end = d.end;
  for (let r = end + 1; r < lines.length; r++) {
    if (isBlank(lines[r])) continue;
    if (!elisions.has(r) || indentWidth(lines[r]) <= indentWidth(lines[d.core])) break;
    end = r;
  }
  const members = d.members.map((m) => finish(m, lines, elisions));
  const own = new Set<number>();
  for (const m of members) for (let r = m.start; r <= m.end; r++) own.add(r);
  const bodyFrom = d.body ? d.body.start + (lines[d.body.start]?.includes('{') || lines[d.body.start]?.trimEnd().endsWith(':') ? 1 : 0) : end + 1;
  const loose: number[] = [];
  let lazy = false;
  for (let r = d.start; r <= end; r++) {
    if (elisions.has(r) && !own.has(r)) lazy = true;
  }
  if (d.body && (members.length || d.kind !== 'fn')) {
    for (let r = bodyFrom; r <= end; r++) {
      if (own.has(r) || elisions.has(r) || isBlank(lines[r])) continue;
      if (r >= d.body.end && /^[\s)}\];]*$/.test(lines[r])) continue;
      loose.push(r);
    }
  }
  return { ...d, end, members, loose, lazy };
}

/**
 * Declarations of a parsed file or code block: functions, methods (with their class / impl / receiver), classes,
 * interfaces, structs, impls, enums, fields, and `const f = () => …`, each with its extent in lines (doc comments,
 * decorators and attributes included), its members and its identity (kind + container + name). Only top-level
 * declarations and members of containers are listed (a 10k-line file stays cheap); nested functions are found on
 * demand by findNested.
 */
import type { Node, Tree } from '@vscode/tree-sitter-wasm';
import { declKind, FUNCTION_VALUES, isPrefixLine, WRAPPERS, type DeclKind, type LangId } from './languages';

export interface Decl {
  kind: DeclKind;
  /** tree-sitter node type of the declaration itself (e.g. method_definition). */
  type: string;
  name: string;
  /** Display path of the enclosing declarations ("Server", "impl Display for Point"), '' at top level. */
  container: string;
  /** First line of the extent (leading doc comments, decorators and attributes included), 0-based. */
  start: number;
  /** First line of the declaration proper once doc comments / decorators / attributes are skipped. */
  core: number;
  /** Last line, inclusive. */
  end: number;
  /** Lines of the member list (open and close lines) for containers. */
  body?: { start: number; end: number };
  /** Parameters, whitespace-squashed (tells overloads apart). */
  params: string;
  members: Decl[];
}

export const endRow = (n: Node): number => (n.endPosition.column === 0 && n.endPosition.row > n.startPosition.row ? n.endPosition.row - 1 : n.endPosition.row);
const squash = (s: string) => s.trim().replace(/\s+/g, ' ');
const PREFIX_NODES = new Set(['comment', 'line_comment', 'block_comment', 'decorator', 'attribute_item', 'attribute_list', 'marker_annotation', 'annotation']);
const BODIES = new Set(['class_body', 'declaration_list', 'block', 'interface_body', 'object_type', 'statement_block', 'enum_body', 'enum_member_declaration_list']);

export const declKey = (d: Pick<Decl, 'kind' | 'container' | 'name'>): string => `${d.kind === 'field' ? 'field' : d.kind}:${d.container}:${d.name}`;
export const describeDecl = (d: Pick<Decl, 'container' | 'name'>): string => (d.container ? `${d.container}.${d.name}` : d.name);

function nameOf(n: Node): string {
  const field = n.childForFieldName('name');
  if (field) return field.text;
  if (n.type === 'impl_item') {
    const trait = n.childForFieldName('trait');
    const type = n.childForFieldName('type');
    return `impl ${trait ? `${trait.text} for ` : ''}${type?.text ?? '?'}`;
  }
  const declarator = n.descendantsOfType('variable_declarator')[0];
  const named = declarator?.childForFieldName('name') ?? declarator?.namedChildren.find((c) => c?.type === 'identifier') ?? null;
  if (named) return named.text;
  return squash(n.text.split('\n')[0]);
}

/** Go methods belong to their receiver's type. */
function receiverOf(n: Node): string | undefined {
  if (n.type !== 'method_declaration') return undefined;
  const recv = n.childForFieldName('receiver');
  const type = recv?.descendantsOfType('parameter_declaration')[0]?.childForFieldName('type');
  return type ? type.text.replace(/[*\s]/g, '').replace(/\[.*\]$/, '') : undefined;
}

/** The declaration inside a wrapper (export, decorators, `type (…)`), or the node itself. */
function unwrap(n: Node): Node[] {
  if (n.type === 'expression_statement') {
    const inner = n.namedChild(0);
    return inner && (inner.type === 'internal_module' || inner.type === 'module') ? [inner] : [];
  }
  if (!WRAPPERS.has(n.type)) return [n];
  const inner = n.namedChildren.filter((c): c is Node => !!c && !PREFIX_NODES.has(c.type));
  return inner.flatMap((c) => (WRAPPERS.has(c.type) ? unwrap(c) : [c]));
}

interface Ctx {
  lines: readonly string[];
  lang: LangId;
  /** Only nodes touching these rows (inclusive) are listed. */
  from: number;
  to: number;
}

function extentStart(outer: Node, ctx: Ctx): number {
  let start = outer.startPosition.row;
  for (let p = outer.previousNamedSibling; p && PREFIX_NODES.has(p.type) && endRow(p) >= start - 1 && endRow(p) < outer.startPosition.row; p = p.previousNamedSibling) {
    // A comment sharing its line with code before it belongs to that code.
    if (ctx.lines[p.startPosition.row]?.slice(0, p.startPosition.column).trim()) break;
    start = p.startPosition.row;
  }
  return start;
}

function coreStart(start: number, end: number, ctx: Ctx): number {
  let core = start;
  let inBlockComment = false;
  while (core < end) {
    const t = ctx.lines[core]?.trim() ?? '';
    if (inBlockComment) {
      if (t.includes('*/')) inBlockComment = false;
      core++;
      continue;
    }
    if (!isPrefixLine(t, ctx.lang)) break;
    if (t.startsWith('/*') && !t.includes('*/')) inBlockComment = true;
    core++;
  }
  return core;
}

function makeDecl(outer: Node, inner: Node, kind: DeclKind, container: string, ctx: Ctx): Decl {
  const start = extentStart(outer, ctx);
  const end = endRow(outer);
  const receiver = receiverOf(inner);
  const d: Decl = {
    kind,
    type: inner.type,
    name: nameOf(inner),
    container: receiver ?? container,
    start,
    core: coreStart(start, end, ctx),
    end,
    params: squash(inner.childForFieldName('parameters')?.text ?? ''),
    members: [],
  };
  if (kind === 'type' || kind === 'impl' || kind === 'ns') {
    const body = inner.childForFieldName('body') ?? inner.namedChildren.find((c): c is Node => !!c && BODIES.has(c.type)) ?? inner.namedChildren.find((c) => c?.type === 'type_spec' || c?.type === 'struct_type');
    if (body) {
      d.body = { start: body.startPosition.row, end: endRow(body) };
      d.members = collect(body, describeDecl(d), ctx);
    } else if (inner.type === 'file_scoped_namespace_declaration') {
      d.members = [];
    }
  }
  return d;
}

function collect(parent: Node, container: string, ctx: Ctx): Decl[] {
  const out: Decl[] = [];
  const n = parent.namedChildCount;
  for (let i = 0; i < n; i++) {
    const child = parent.namedChild(i);
    if (!child || endRow(child) < ctx.from || child.startPosition.row > ctx.to) continue;
    for (const inner of unwrap(child)) {
      const kind = declKind(inner.type);
      if (kind) {
        out.push(makeDecl(child, inner, kind, container, ctx));
        continue;
      }
      if (inner.type === 'lexical_declaration' || inner.type === 'variable_declaration') {
        const declarators = inner.namedChildren.filter((c): c is Node => c?.type === 'variable_declarator');
        const fn = declarators.length === 1 ? declarators[0] : undefined;
        const value = fn?.childForFieldName('value');
        if (fn && value && FUNCTION_VALUES.has(value.type)) {
          const d = makeDecl(child, fn, 'fn', container, ctx);
          d.params = squash(value.childForFieldName('parameters')?.text ?? '');
          out.push(d);
        }
      }
    }
  }
  return out;
}

/** Whole-file listings of cached trees (the same original is usually edited more than once). */
const listed = new WeakMap<Tree, Decl[]>();

/** Top-level declarations (with members) of a tree, optionally only those touching rows [from, to]. */
export function declarations(tree: Tree, lines: readonly string[], lang: LangId, from = 0, to = Number.MAX_SAFE_INTEGER): Decl[] {
  const whole = from === 0 && to === Number.MAX_SAFE_INTEGER;
  const hit = whole ? listed.get(tree) : undefined;
  if (hit) return hit;
  const top = collect(tree.rootNode, '', { lines, lang, from, to });
  if (whole) listed.set(tree, top);
  return top;
}

/** Every declaration, members included, in document order. */
export function flatten(decls: readonly Decl[]): Decl[] {
  return decls.flatMap((d) => [d, ...flatten(d.members)]);
}

/** Functions named `name` nested inside function bodies (not listed by `declarations`). */
export function findNested(tree: Tree, lines: readonly string[], lang: LangId, name: string): Decl[] {
  const types = ['function_declaration', 'function_definition', 'function_item', 'local_function_statement', 'method_definition'];
  const ctx: Ctx = { lines, lang, from: 0, to: Number.MAX_SAFE_INTEGER };
  const out: Decl[] = [];
  for (const n of tree.rootNode.descendantsOfType(types)) {
    if (!n || n.childForFieldName('name')?.text !== name) continue;
    const outer = n.parent?.type === 'decorated_definition' || n.parent?.type === 'export_statement' ? n.parent : n;
    let container = '';
    for (let p = outer.parent; p; p = p.parent) {
      const k = declKind(p.type);
      if (k) {
        container = container ? `${nameOf(p)}.${container}` : nameOf(p);
      }
    }
    out.push(makeDecl(outer, n, 'fn', container, ctx));
  }
  return out;
}

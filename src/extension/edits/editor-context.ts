/**
 * Gathers editor context through VS Code's providers, each bounded in time: the target block (selection, else the
 * enclosing function/class from document symbols, else the paragraph at the cursor), the file header, diagnostics
 * in and near the target, and definitions of identifiers the target uses. Packing happens in src/core/context.
 */
import * as vscode from 'vscode';
import { findHeaderEnd, identifiersIn, type ContextDefinition, type ContextDiagnostic, type EditorContext, type Severity, type TargetBlock } from '../../core/context';

/** Time bounds (ms): providers may be cold (a language server still starting); context is best effort. */
const SYMBOLS_MS = 1500;
const DEFINITIONS_MS = 2000;
const MAX_DEFINITIONS = 6;
const MAX_DEFINITION_LINES = 40;
const NEAR_LINES = 3;
const MAX_DIAGNOSTICS = 10;

export interface GatherRequest {
  readonly doc: vscode.TextDocument;
  /** The user's selection; empty = use the enclosing symbol at `position`. */
  readonly selection?: vscode.Range;
  readonly position: vscode.Position;
  /** The diagnostic the user picked ("Fix with Ponder" on it): listed first. */
  readonly focus?: { readonly line: number; readonly message: string };
  readonly relPath: string;
}

export interface Gathered {
  readonly context: EditorContext;
  /** The whole document text at gathering time: the proposal's base. */
  readonly original: string;
}

function withTimeout<T>(p: Thenable<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    p.then((v) => (clearTimeout(timer), resolve(v)), () => (clearTimeout(timer), resolve(undefined)));
  });
}

type AnySymbol = vscode.DocumentSymbol | vscode.SymbolInformation;
interface Flat { readonly name: string; readonly kind: vscode.SymbolKind; readonly range: vscode.Range }

function flatten(symbols: readonly AnySymbol[] | undefined): Flat[] {
  const out: Flat[] = [];
  const walk = (s: AnySymbol) => {
    if ('children' in s) {
      out.push({ name: s.name, kind: s.kind, range: s.range });
      s.children.forEach(walk);
    } else if ('location' in s) out.push({ name: s.name, kind: s.kind, range: s.location.range });
  };
  (symbols ?? []).forEach(walk);
  return out;
}

const K = vscode.SymbolKind;
const CALLABLE = new Set([K.Function, K.Method, K.Constructor]);
const CONTAINER = new Set([K.Class, K.Interface, K.Enum, K.Struct]);
const VALUE = new Set([K.Variable, K.Constant, K.Property, K.Field]);
const KIND_NAME: ReadonlyMap<vscode.SymbolKind, string> = new Map([
  [K.Function, 'function'], [K.Method, 'method'], [K.Constructor, 'constructor'], [K.Class, 'class'], [K.Interface, 'interface'],
  [K.Enum, 'enum'], [K.Struct, 'struct'], [K.Variable, 'variable'], [K.Constant, 'constant'], [K.Property, 'property'], [K.Field, 'field'],
]);

/** Of nested ranges, the inner one starts later (or at the same place and ends sooner). */
const innerFirst = (a: Flat, b: Flat) => b.range.start.compareTo(a.range.start) || a.range.end.compareTo(b.range.end);

/** Innermost callable containing `pos`, else innermost class-like, else a multi-line value (an arrow function in a const). */
export function enclosingSymbol(symbols: readonly AnySymbol[] | undefined, pos: vscode.Position): Flat | undefined {
  const containing = flatten(symbols).filter((s) => s.range.contains(pos));
  const innermost = (set: ReadonlySet<vscode.SymbolKind>, multiLine = false) =>
    containing.filter((s) => set.has(s.kind) && (!multiLine || !s.range.isSingleLine)).sort(innerFirst)[0];
  return innermost(CALLABLE) ?? innermost(CONTAINER) ?? innermost(VALUE, true);
}

/** The blank-line-delimited paragraph around `line`, at most 30 lines each way. */
function paragraph(doc: vscode.TextDocument, line: number): [number, number] {
  const blank = (l: number) => doc.lineAt(l).isEmptyOrWhitespace;
  let start = line;
  let end = line;
  while (start > 0 && line - start < 30 && !blank(start - 1)) start--;
  while (end < doc.lineCount - 1 && end - line < 30 && !blank(end + 1)) end++;
  return [start, end];
}

function wholeLines(doc: vscode.TextDocument, start: number, end: number): string {
  return doc.getText(new vscode.Range(start, 0, end, doc.lineAt(end).text.length));
}

/** Document symbols per (document, version): the target's file is asked once, not again for each definition in it. */
const symbolCache = new Map<string, Promise<AnySymbol[] | undefined>>();

function documentSymbols(uri: vscode.Uri, version: number, timeoutMs: number): Promise<AnySymbol[] | undefined> {
  const key = `${uri.toString()}@${version}`;
  let hit = symbolCache.get(key);
  if (!hit) {
    hit = withTimeout(vscode.commands.executeCommand<AnySymbol[] | undefined>('vscode.executeDocumentSymbolProvider', uri), timeoutMs);
    void hit.then((r) => r === undefined && symbolCache.delete(key)); // a timeout is not remembered
    symbolCache.set(key, hit);
    if (symbolCache.size > 32) symbolCache.delete(symbolCache.keys().next().value ?? key);
  }
  return hit;
}

async function chooseTarget(req: GatherRequest): Promise<TargetBlock> {
  const { doc, selection, position } = req;
  if (selection && !selection.isEmpty) {
    const end = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
    return { startLine: selection.start.line, endLine: end, text: wholeLines(doc, selection.start.line, end), kind: 'selection' };
  }
  const symbols = await documentSymbols(doc.uri, doc.version, SYMBOLS_MS);
  const sym = enclosingSymbol(symbols, position);
  if (sym) {
    const { start, end } = sym.range;
    return { startLine: start.line, endLine: end.line, text: wholeLines(doc, start.line, end.line), kind: 'symbol', symbolName: sym.name, symbolKind: KIND_NAME.get(sym.kind) };
  }
  const [start, end] = paragraph(doc, position.line);
  return { startLine: start, endLine: end, text: wholeLines(doc, start, end), kind: 'lines' };
}

const SEVERITY: Readonly<Record<vscode.DiagnosticSeverity, Severity>> = { 0: 'error', 1: 'warning', 2: 'info', 3: 'hint' };

function diagnosticsNear(req: GatherRequest, target: TargetBlock): ContextDiagnostic[] {
  const near = vscode.languages.getDiagnostics(req.doc.uri).filter((d) => d.range.end.line >= target.startLine - NEAR_LINES && d.range.start.line <= target.endLine + NEAR_LINES);
  const isFocus = (d: vscode.Diagnostic) => !!req.focus && d.range.start.line === req.focus.line && d.message === req.focus.message;
  near.sort((a, b) => Number(isFocus(b)) - Number(isFocus(a)) || a.severity - b.severity || a.range.start.line - b.range.start.line || a.message.localeCompare(b.message));
  return near.slice(0, MAX_DIAGNOSTICS).map((d) => ({
    line: d.range.start.line,
    severity: SEVERITY[d.severity],
    message: d.message.slice(0, 500),
    source: d.source,
    code: typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code),
  }));
}

function header(doc: vscode.TextDocument, target: TargetBlock): EditorContext['header'] {
  const lines: string[] = [];
  for (let i = 0; i < Math.min(doc.lineCount, 80); i++) lines.push(doc.lineAt(i).text);
  const end = findHeaderEnd(lines);
  if (end === undefined || target.startLine === 0) return undefined;
  const last = Math.min(end, target.startLine - 1);
  return { endLine: last, text: lines.slice(0, last + 1).join('\n') };
}

type DefResult = readonly (vscode.Location | vscode.LocationLink)[] | undefined;

function shortPath(uri: vscode.Uri): { path: string; inWorkspace: boolean } {
  if (vscode.workspace.getWorkspaceFolder(uri)) return { path: vscode.workspace.asRelativePath(uri, false), inWorkspace: true };
  return { path: uri.path.split('/').slice(-3).join('/'), inWorkspace: false };
}

/** The declaration's lines: a LocationLink's full target range, else the enclosing symbol in that file, else the line. */
async function definitionText(uri: vscode.Uri, range: vscode.Range, full: vscode.Range | undefined, deadline: number): Promise<{ line: number; text: string; cut: number } | undefined> {
  const doc = await withTimeout(vscode.workspace.openTextDocument(uri), Math.max(0, deadline - Date.now()));
  if (!doc) return undefined;
  let span = full && !full.isSingleLine ? full : undefined;
  if (!span) {
    const symbols = await documentSymbols(uri, doc.version, Math.max(0, deadline - Date.now()));
    span = flatten(symbols).filter((s) => s.range.contains(range)).sort(innerFirst)[0]?.range ?? range;
  }
  const start = span.start.line;
  const last = Math.min(span.end.line, doc.lineCount - 1);
  const end = Math.min(last, start + MAX_DEFINITION_LINES - 1);
  return { line: start, text: wholeLines(doc, start, end), cut: last - end };
}

async function definitions(doc: vscode.TextDocument, target: TargetBlock): Promise<ContextDefinition[]> {
  const deadline = Date.now() + DEFINITIONS_MS;
  const base = doc.offsetAt(new vscode.Position(target.startLine, 0));
  const targetRange = new vscode.Range(target.startLine, 0, target.endLine, Number.MAX_SAFE_INTEGER);
  const ids = identifiersIn(target.text);
  const found = await Promise.all(ids.map(async (id, order) => {
    const pos = doc.positionAt(base + id.offset);
    const locs = await withTimeout(vscode.commands.executeCommand<DefResult>('vscode.executeDefinitionProvider', doc.uri, pos), Math.max(0, deadline - Date.now()));
    const loc = (locs ?? []).map((l) => ('targetUri' in l ? { uri: l.targetUri, range: l.targetSelectionRange ?? l.targetRange, full: l.targetRange } : { uri: l.uri, range: l.range, full: undefined }))
      .find((l) => !(l.uri.toString() === doc.uri.toString() && targetRange.contains(l.range)));
    return loc ? { name: id.name, order, ...loc } : undefined;
  }));
  const seen = new Set<string>();
  const picked = found.filter((f): f is NonNullable<typeof f> => {
    if (!f) return false;
    const key = `${f.uri.toString()}#${f.range.start.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const withPaths = picked.map((f) => ({ ...f, ...shortPath(f.uri) })).sort((a, b) => Number(b.inWorkspace) - Number(a.inWorkspace) || a.order - b.order);
  // Read concurrently, keep the deterministic order.
  const chosen = withPaths.slice(0, MAX_DEFINITIONS);
  const texts = await Promise.all(chosen.map((f) => definitionText(f.uri, f.range, f.full, deadline)));
  return chosen.flatMap((f, i): ContextDefinition[] => {
    const t = texts[i];
    return t ? [{ name: f.name, path: f.path, line: t.line, text: t.text, cutLines: t.cut || undefined, inWorkspace: f.inWorkspace }] : [];
  });
}

export async function gatherEditorContext(req: GatherRequest): Promise<Gathered> {
  const target = await chooseTarget(req);
  const original = req.doc.getText(); // same tick as the target's text: both describe one document version
  const defs = await definitions(req.doc, target);
  return {
    original,
    context: { path: req.relPath, languageId: req.doc.languageId, target, header: header(req.doc, target), diagnostics: diagnosticsNear(req, target), definitions: defs },
  };
}

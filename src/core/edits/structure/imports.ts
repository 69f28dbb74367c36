/**
 * Imports in a code block (import / from … import / using / use / Go import specs): one the file already has is left
 * alone; one naming a module the file already imports replaces that line; a new one goes beside the import the block
 * puts it next to, else at its sorted place when the file's imports are sorted, else after the file's last import.
 */
import type { Node, Tree } from '@vscode/tree-sitter-wasm';
import { endRow } from '../syntax/declarations';
import type { LangId } from '../syntax/languages';
import { parseText } from '../syntax/runtime';
import { indentOf, isBlank, squash } from '../text';
import { parseBlock, type ParsedBlock } from './block';
import { applyLineEdits, type LineEdit } from './edits';

const IMPORTS = new Set(['import_statement', 'import_from_statement', 'future_import_statement', 'import_declaration', 'using_directive', 'use_declaration', 'extern_crate_declaration']);

function moduleOf(line: string): string | undefined {
  const t = line.trim();
  const m =
    /\bfrom\s+['"]([^'"]+)['"]/.exec(t) ?? // TS / JS
    /^from\s+(\S+)\s+import\b/.exec(t) ?? // Python
    /^import\s+(?:static\s+)?([\w.]+)\s*;?$/.exec(t) ?? // Python / Java
    /^using\s+(?:static\s+)?([\w.]+)\s*;$/.exec(t) ?? // C#
    /^use\s+([\w:]+)::\{/.exec(t) ?? // Rust grouped use
    /^(?:import\s+)?(?:\w+\s+)?"([^"]+)"$/.exec(t); // Go spec
  return m?.[1];
}

export function planImports(file: readonly string[], block: ParsedBlock, lang: LangId, tree: Tree, edits: LineEdit[]): void {
  const rows = [...block.imports].sort((a, b) => a - b).filter((r) => block.lines[r].trim() && !/^\s*(package\s|import\s*\(|\)\s*$)/.test(block.lines[r]));
  if (rows.length === 0) return;
  const have = new Set(file.map(squash));
  const fileImports: Node[] = tree.rootNode.namedChildren.filter((n): n is Node => !!n && IMPORTS.has(n.type));
  const importRows: number[] = [];
  for (const n of fileImports) for (let r = n.startPosition.row; r <= endRow(n); r++) importRows.push(r);
  const byModule = new Map<string, number>();
  for (const r of importRows) {
    const m = moduleOf(file[r]);
    if (m && !byModule.has(m)) byModule.set(m, r);
  }
  const replaced = new Set<number>();
  const added: Array<{ row: number; line: string }> = [];
  for (const r of rows) {
    const line = block.lines[r];
    if (have.has(squash(line))) continue;
    const m = moduleOf(line);
    const same = m !== undefined ? byModule.get(m) : undefined;
    if (same !== undefined && !replaced.has(same) && file[same].trim().split('\n').length === 1 && !/[({]\s*$/.test(file[same])) {
      replaced.add(same);
      edits.push({ from: same, to: same + 1, lines: [indentOf(file[same]) + line.trim()], seq: edits.length });
    } else added.push({ row: r, line: line.trim() });
  }
  if (added.length === 0) return;
  const goBlock = lang === 'go' ? fileImports.find((n) => n.text.includes('(')) : undefined;
  const specs = goBlock ? importRows.filter((r) => r > goBlock.startPosition.row && r < endRow(goBlock)) : importRows;
  const single = specs.filter((r) => file[r].trim() && !/[({]\s*$/.test(file[r]) && !/^\s*[)}]/.test(file[r]));
  const spec = (l: string) => (goBlock ? l.replace(/^import\s+/, '') : l);
  for (const a of added) {
    const at = importSlot(file, block, a, single, !!goBlock);
    if (at) {
      edits.push({ from: at.row, to: at.row, lines: [at.indent + spec(a.line)], seq: edits.length });
      continue;
    }
    // Go: specs go inside the file's `import ( … )` block.
    if (goBlock) {
      const close = endRow(goBlock);
      const indent = indentOf(file[close - 1] ?? '\t') || '\t';
      edits.push({ from: close, to: close, lines: [indent + spec(a.line)], seq: edits.length });
      continue;
    }
    const last = importRows.length ? Math.max(...importRows) + 1 : 0;
    const row = last || (lang === 'go' || lang === 'java' ? firstAfterPackage(file) : 0);
    edits.push({ from: row, to: row, lines: [a.line], seq: edits.length });
  }
}

/**
 * Where a new import goes among the file's one-line imports `rows`: next to the import the block puts it beside (the
 * block's order), else, when the file keeps its imports sorted, at its sorted place; undefined = after the last one.
 */
function importSlot(file: readonly string[], block: ParsedBlock, a: { row: number; line: string }, rows: readonly number[], inGroup: boolean): { row: number; indent: string } | undefined {
  const fileRow = (l: string) => rows.find((r) => squash(file[r]) === squash(l));
  const blockRows = [...block.imports].filter((r) => block.lines[r].trim()).sort((x, y) => x - y);
  const i = blockRows.indexOf(a.row);
  for (let j = i - 1; j >= 0; j--) {
    const f = fileRow(block.lines[blockRows[j]]);
    if (f !== undefined) return { row: f + 1, indent: indentOf(file[f]) };
  }
  for (let j = i + 1; j < blockRows.length; j++) {
    const f = fileRow(block.lines[blockRows[j]]);
    if (f !== undefined) return { row: f, indent: indentOf(file[f]) };
  }
  if (rows.length < 2) return undefined;
  const key = (l: string) => l.trim().replace(/^import\s+/, '').replace(/[;'"]/g, '');
  const keys = rows.map((r) => key(file[r]));
  // Sorted and contiguous (one group): anything else is an order the file chose, so the new line goes at the end.
  const contiguous = rows.every((r, k) => k === 0 || r === rows[k - 1] + 1);
  if (!contiguous || !keys.every((k, n) => n === 0 || keys[n - 1] <= k)) return undefined;
  const mine = key(a.line);
  const next = rows.find((_, n) => keys[n] > mine);
  if (next === undefined) return inGroup ? { row: rows[rows.length - 1] + 1, indent: indentOf(file[rows[rows.length - 1]]) } : undefined;
  return { row: next, indent: indentOf(file[next]) };
}

function firstAfterPackage(file: readonly string[]): number {
  const i = file.findIndex((l) => /^\s*package\s/.test(l));
  return i < 0 ? 0 : i + 1;
}

/** A code block that is only imports (`from functools import lru_cache`, `import java.util.Objects;`). */
export function importsOnly(lines: readonly string[], lang: LangId): boolean {
  const block = parseBlock(lines, lang);
  if (!block || block.decls.length || block.elisions.size) return false;
  const rows = lines.map((_, i) => i).filter((i) => !isBlank(lines[i]));
  return rows.length > 0 && rows.every((r) => block.imports.has(r));
}

/** Lines with the imports of an import-only block placed into the file's import section (the file's own rules above). */
export function addImportBlock(file: readonly string[], lines: readonly string[], lang: LangId): string[] | undefined {
  const block = parseBlock(lines, lang);
  const tree = parseText(lang, file.join('\n'));
  if (!block || !tree) return undefined;
  const edits: LineEdit[] = [];
  planImports(file, block, lang, tree, edits);
  const applied = applyLineEdits(file, edits);
  return applied.ok ? applied.lines : undefined;
}

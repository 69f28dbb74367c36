/**
 * Imports in a code block (import / from … import / using / use / Go import specs): one the file already has is left
 * alone; one naming a module the file already imports replaces that line; a new one goes after the file's last import.
 */
import type { Node, Tree } from '@vscode/tree-sitter-wasm';
import { endRow } from '../syntax/declarations';
import type { LangId } from '../syntax/languages';
import { indentOf, squash } from '../text';
import type { ParsedBlock } from './block';
import type { LineEdit } from './edits';

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
  const added: string[] = [];
  for (const r of rows) {
    const line = block.lines[r];
    if (have.has(squash(line))) continue;
    const m = moduleOf(line);
    const same = m !== undefined ? byModule.get(m) : undefined;
    if (same !== undefined && !replaced.has(same) && file[same].trim().split('\n').length === 1 && !/[({]\s*$/.test(file[same])) {
      replaced.add(same);
      edits.push({ from: same, to: same + 1, lines: [indentOf(file[same]) + line.trim()], seq: edits.length });
    } else added.push(line.trim());
  }
  if (added.length === 0) return;
  // Go: specs go inside the file's `import ( … )` block.
  const goBlock = lang === 'go' ? fileImports.find((n) => n.text.includes('(')) : undefined;
  if (goBlock) {
    const close = endRow(goBlock);
    const indent = indentOf(file[close - 1] ?? '\t') || '\t';
    edits.push({ from: close, to: close, lines: added.map((l) => indent + l.replace(/^import\s+/, '')), seq: edits.length });
    return;
  }
  const last = importRows.length ? Math.max(...importRows) + 1 : 0;
  const at = last || (lang === 'go' || lang === 'java' ? firstAfterPackage(file) : 0);
  edits.push({ from: at, to: at, lines: added, seq: edits.length });
}

function firstAfterPackage(file: readonly string[]): number {
  const i = file.findIndex((l) => /^\s*package\s/.test(l));
  return i < 0 ? 0 : i + 1;
}

/** Syntax errors in a tree (ERROR and MISSING nodes), counted per line range; only subtrees that contain errors are visited. */
import type { Node, Tree } from '@vscode/tree-sitter-wasm';
import { endRow } from './declarations';

export interface SyntaxErrorAt {
  line: number;
  missing: boolean;
  /** The node's text, shortened (for MISSING nodes: the missing token). */
  text: string;
}

/** ERROR / MISSING nodes touching rows [from, to] (inclusive), outermost first. */
export function errorsIn(tree: Tree, from: number, to: number): SyntaxErrorAt[] {
  const out: SyntaxErrorAt[] = [];
  const visit = (n: Node): void => {
    if (endRow(n) < from || n.startPosition.row > to) return;
    if (n.isError || n.isMissing) {
      out.push({ line: n.startPosition.row, missing: n.isMissing, text: n.isMissing ? n.type : n.text.split('\n')[0].trim().slice(0, 60) });
      if (n.isMissing) return;
    }
    if (!n.hasError) return;
    const count = n.childCount;
    for (let i = 0; i < count; i++) {
      const c = n.child(i);
      if (c && (c.hasError || c.isMissing || c.isError)) visit(c);
    }
  };
  const root = tree.rootNode;
  if (root.hasError) visit(root);
  return out;
}

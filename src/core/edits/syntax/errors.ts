/** Syntax errors in a tree (ERROR and MISSING nodes), counted per line range; only subtrees that contain errors are visited. */
import type { Node, Tree } from '@vscode/tree-sitter-wasm';
import { endRow } from './declarations';

export interface SyntaxErrorAt {
  line: number;
  missing: boolean;
  /** The node's text, shortened (for MISSING nodes: the missing token). */
  text: string;
  /** A Python indentation error (found by pythonIndentErrors, not by the grammar). */
  indent?: boolean;
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

/**
 * Python indentation errors, which tree-sitter-python tolerates: a line indented deeper than the one before when that
 * one does not open a block (`:`), or dedented to a level no enclosing block has. Lines inside brackets and
 * triple-quoted strings are continuations and skipped.
 */
export function pythonIndentErrors(lines: readonly string[], from: number, to: number): SyntaxErrorAt[] {
  const out: SyntaxErrorAt[] = [];
  const stack = [0];
  let depth = 0;
  let triple: string | undefined;
  let opens = false;
  for (let r = 0; r < lines.length && r <= to; r++) {
    const line = lines[r];
    const t = line.trim();
    const continuation = depth > 0 || triple !== undefined;
    if (!continuation && t && !t.startsWith('#')) {
      const w = /^[ \t]*/.exec(line)?.[0].replace(/\t/g, '        ').length ?? 0;
      const top = stack[stack.length - 1];
      let bad = false;
      if (w > top) {
        if (opens) stack.push(w);
        else bad = true;
      } else if (w < top) {
        while (stack.length > 1 && stack[stack.length - 1] > w) stack.pop();
        if (stack[stack.length - 1] !== w) bad = true;
      } else if (opens) bad = true; // a block opener with nothing indented under it
      if (bad && r >= from) out.push({ line: r, missing: false, text: t.slice(0, 60), indent: true });
    }
    // Scan the line for brackets, strings and a trailing ':'.
    let code = '';
    for (let i = 0; i < line.length; i++) {
      if (triple) {
        if (line.startsWith(triple, i)) {
          i += 2;
          triple = undefined;
        }
        continue;
      }
      const c = line[i];
      if (c === '#') break;
      if ((c === '"' || c === "'") && line.startsWith(c.repeat(3), i)) {
        triple = c.repeat(3);
        i += 2;
        continue;
      }
      if (c === '"' || c === "'") {
        const end = line.indexOf(c, i + 1);
        i = end < 0 ? line.length : end;
        code += 's';
        continue;
      }
      if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c)) depth = Math.max(0, depth - 1);
      code += c;
    }
    if (!continuation || (depth === 0 && triple === undefined)) {
      if (t && !t.startsWith('#') && depth === 0 && triple === undefined) opens = /:\s*$/.test(code);
      else if (t && !t.startsWith('#')) opens = false;
    }
  }
  return out;
}

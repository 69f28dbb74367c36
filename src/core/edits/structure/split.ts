/**
 * Answer shapes that hold more than one edit for the file: import lines written at the top of a block whose code is a
 * class member (indented), and several unnamed blocks that each rewrite different declarations of the file.
 */
import { declarations, declKey, flatten } from '../syntax/declarations';
import type { LangId } from '../syntax/languages';
import { parseText } from '../syntax/runtime';
import { indentOf, isBlank, type Doc } from '../text';
import { importsOnly } from './imports';
import { parseBlock } from './block';

const TOP_IMPORT = /^(import\b|from\s+\S+\s+import\b|using\s+(static\s+)?[\w.]+\s*;|use\s+[\w:{}, *]+;)/;

/**
 * `import …` lines at the left margin opening a block whose code below is indented (a method written as in its
 * class): the imports belong to the file's import section, the rest is placed on its own. Undefined = no such shape.
 */
export function splitLeadingImports(lines: readonly string[], lang: LangId): { imports: string[]; rest: string[] } | undefined {
  let i = 0;
  while (i < lines.length && (isBlank(lines[i]) || TOP_IMPORT.test(lines[i]))) i++;
  const head = lines.slice(0, i);
  const rest = lines.slice(i);
  if (!head.some((l) => !isBlank(l)) || !rest.some((l) => !isBlank(l))) return undefined;
  // Flush-left code below is top-level: the block's own structure places its imports already.
  if (indentOf(rest.find((l) => !isBlank(l)) ?? '') === '') return undefined;
  if (!importsOnly(head, lang)) return undefined;
  return { imports: head, rest };
}

/**
 * Several unnamed blocks that are all edits of the file: each declares only declarations the file has (same kind,
 * container and name) and no two blocks declare the same one (a Before/After pair would). Undefined = not that shape.
 */
export function disjointEdits<T extends { lines: string[] }>(blocks: readonly T[], doc: Doc, lang: LangId): T[] | undefined {
  const tree = parseText(lang, doc.lines.join('\n'));
  if (!tree) return undefined;
  const fileKeys = new Set(flatten(declarations(tree, doc.lines, lang)).map(declKey));
  const seen = new Set<string>();
  for (const b of blocks) {
    const parsed = parseBlock(b.lines, lang);
    if (!parsed || parsed.decls.length === 0) return undefined;
    // Top-level code outside the declarations (a call, a test statement) is usage, not an edit.
    if (parsed.statements.some((st) => !parsed.decls.some((d) => st.start <= d.end && st.end >= d.start))) return undefined;
    for (const d of parsed.decls) {
      const k = declKey(d);
      if (!fileKeys.has(k) || seen.has(k)) return undefined;
      seen.add(k);
    }
  }
  return blocks.slice();
}

/**
 * Several unnamed code blocks in one answer: the old code quoted verbatim and usage examples are not the edit. A block
 * whose lines are all already in the file changes nothing; a block none of whose declarations exist in the file (when
 * another block's do) is about other code.
 */
import { flatten, declarations } from '../syntax/declarations';
import type { LangId } from '../syntax/languages';
import { parseText, syntaxLoaded } from '../syntax/runtime';
import { isBlank, squash, type Doc } from '../text';
import { parseBlock } from './block';

function verbatim(lines: readonly string[], file: ReadonlySet<string>): boolean {
  const own = lines.filter((l) => !isBlank(l));
  return own.length > 0 && own.every((l) => file.has(squash(l)));
}

export function chooseEditBlocks<T extends { lines: string[] }>(blocks: readonly T[], doc: Doc, lang: LangId | undefined): T[] {
  const file = new Set(doc.lines.map(squash));
  let cands = blocks.filter((b) => !verbatim(b.lines, file));
  if (cands.length === 0) cands = blocks.slice();
  if (cands.length < 2 || !lang || !syntaxLoaded(lang)) return cands;
  const tree = parseText(lang, doc.lines.join('\n'));
  if (!tree) return cands;
  const names = new Set(flatten(declarations(tree, doc.lines, lang)).map((d) => d.name));
  const touching = cands.filter((b) => {
    const parsed = parseBlock(b.lines, lang);
    return !!parsed && flatten(parsed.decls).some((d) => names.has(d.name));
  });
  return touching.length > 0 ? touching : cands;
}

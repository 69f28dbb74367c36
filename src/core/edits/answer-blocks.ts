/**
 * "Apply to file…" on one code block of a chat answer: the part of the stored answer the edit engine needs for
 * that block — the block itself (exactly as the answer has it, closed or not), the file-name line before it, and,
 * for SEARCH/REPLACE and diff blocks, the sibling blocks that edit the same file (one edit split over several
 * fences). Blocks are counted the way the panel renders them (markdown-it fences, nested ones included), so the
 * panel only sends an index.
 */
import MarkdownIt from 'markdown-it';
import { filenameFromInfo, filenameFromLine, looksLikeFilename, normalizePath, samePath } from './paths';

export type AnswerBlockKind = 'code' | 'diff' | 'search-replace';

export interface AnswerBlock {
  readonly index: number;
  readonly kind: AnswerBlockKind;
  readonly lang: string;
  /** The file the answer names for this block (info string, or a file-name line just before it). */
  readonly name?: string;
  /** The block with its name line, ready for applyModelEdit. */
  readonly text: string;
}

export type BlockExcerpt =
  | { readonly ok: true; readonly answer: string; readonly block: AnswerBlock; readonly included: readonly number[] }
  | { readonly ok: false; readonly reason: string };

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

/** The answer's fenced code blocks, in the order the panel shows them. */
export function answerBlocks(answer: string): AnswerBlock[] {
  const lines = answer.replace(/\r\n?/g, '\n').split('\n');
  const fences = md.parse(answer, {}).filter((t) => t.type === 'fence' && t.map);
  const taken = new Set<number>();
  for (const f of fences) for (let l = f.map![0]; l < f.map![1]; l++) taken.add(l);
  return fences.map((f, index) => {
    const [start, end] = f.map!;
    const lang = (f.info.trim().split(/\s+/)[0] ?? '').toLowerCase();
    const closeLine = lines[end - 1] ?? '';
    const closed = end - 1 > start && closeLine.trim().replace(/^>\s*/, '').startsWith(f.markup) && closeLine.trim().replace(/^>\s*/, '').replace(/[`~]/g, '') === '';
    const body = `${f.markup}${f.info}\n${f.content}${closed ? f.markup : ''}`;
    // The nearest non-blank line above (at most one blank between), if it names a file and is not another block's.
    let prev = start - 1;
    while (prev >= 0 && prev >= start - 2 && lines[prev].trim() === '') prev--;
    const nameLine = prev >= 0 && prev >= start - 2 && !taken.has(prev) ? lines[prev] : undefined;
    const lineName = nameLine === undefined ? undefined : filenameFromLine(nameLine) ?? mentioned(nameLine);
    const name = filenameFromInfo(f.info) ?? lineName;
    const first = f.content.split('\n').find((l) => l.trim() !== '') ?? '';
    const kind: AnswerBlockKind = /^<{5,9} ?SEARCH/m.test(f.content) ? 'search-replace'
      : ['diff', 'patch', 'udiff'].includes(lang) || /^(--- |diff --git |@@ )/.test(first) ? 'diff' : 'code';
    return { index, kind, lang, name, text: lineName ? `${nameLine?.trim()}\n${body}` : body };
  });
}

/** The excerpt of `answer` that "Apply to file…" on block `blockIndex` hands to the edit engine. */
export function answerForBlock(answer: string, blockIndex: number): BlockExcerpt {
  const blocks = answerBlocks(answer);
  const block = blocks[blockIndex];
  if (!block) return { ok: false, reason: `the answer has no code block ${blockIndex + 1} (it has ${blocks.length})` };
  const sameEdit = (b: AnswerBlock) => b.index === block.index || (block.kind !== 'code' && b.kind === block.kind && (block.name && b.name ? samePath(b.name, block.name) : !block.name && !b.name));
  const parts = blocks.filter(sameEdit);
  return { ok: true, answer: parts.map((b) => b.text).join('\n\n') + '\n', block, included: parts.map((b) => b.index) };
}

/** A backticked or bold file name in a prose line ("Update `src/a.ts`:"), the last one if several. */
function mentioned(line: string): string | undefined {
  let found: string | undefined;
  for (const m of line.matchAll(/`([^`\s]+)`|\*\*([^*\s]+)\*\*/g)) {
    const tok = (m[1] ?? m[2] ?? '').replace(/[.:,;!]+$/, '');
    if (looksLikeFilename(tok)) found = normalizePath(tok);
  }
  return found;
}

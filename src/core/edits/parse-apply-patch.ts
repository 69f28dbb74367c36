/**
 * The apply-patch format of OpenAI Codex (also used by Cline):
 *
 *   *** Begin Patch
 *   *** Update File: path        (optionally followed by *** Move to: other)
 *   @@ optional context line
 *    context / -removed / +added
 *   *** End of File              (the chunk must sit at the end of the file)
 *   *** Add File: path           (+lines)
 *   *** Delete File: path
 *   *** End Patch
 *
 * Header lines may be indented and the end sentinel may carry trailing spaces. A shell wrapper
 * (`apply_patch <<"EOF" … EOF`) around the sentinels is ignored. Without sentinels ("freeform") the patch starts
 * at the first `*** … File:` line and ends at the first line that cannot belong to it (e.g. a closing fence).
 * With `*** Begin Patch` but no `*** End Patch` the patch is incomplete and refused.
 */
import type { DiffLine } from './parse-unified-diff';

export interface PatchChunk {
  /** Text after `@@`: a line to find first; the chunk applies after it. */
  anchor?: string;
  lines: DiffLine[];
  eof: boolean;
}

export type PatchOp =
  | { kind: 'add'; path: string; lines: string[] }
  | { kind: 'delete'; path: string }
  | { kind: 'update'; path: string; moveTo?: string; chunks: PatchChunk[] };

export type PatchParse = { ok: true; ops: PatchOp[] } | { ok: false; reason: string };

const FILE_HEADER = /^\s*\*\*\* (Update|Add|Delete) File:\s*(.+?)\s*$/;

export function looksLikeApplyPatch(lines: readonly string[]): boolean {
  return lines.some((l) => l.trim() === '*** Begin Patch' || FILE_HEADER.test(l));
}

export function parseApplyPatch(lines: readonly string[]): PatchParse {
  let begin = lines.findIndex((l) => l.trim() === '*** Begin Patch');
  let end: number;
  const sentinels = begin >= 0;
  if (sentinels) {
    end = lines.findIndex((l, i) => i > begin && l.trim() === '*** End Patch');
    if (end < 0) return { ok: false, reason: 'invalid patch: `*** Begin Patch` without `*** End Patch` (incomplete sentinels)' };
    begin += 1;
  } else {
    begin = lines.findIndex((l) => FILE_HEADER.test(l));
    end = lines.length;
  }

  const ops: PatchOp[] = [];
  let op: PatchOp | undefined;
  let chunk: PatchChunk | undefined;
  const endChunk = (): void => {
    if (op?.kind === 'update' && chunk) {
      while (chunk.lines.length && chunk.lines[chunk.lines.length - 1].op === ' ' && chunk.lines[chunk.lines.length - 1].text === '' && chunk.lines[chunk.lines.length - 1].loose) chunk.lines.pop();
      if (chunk.lines.length) op.chunks.push(chunk);
    }
    chunk = undefined;
  };

  for (let i = begin; i < end; i++) {
    const line = lines[i];
    const header = FILE_HEADER.exec(line);
    if (header) {
      endChunk();
      const path = header[2];
      op = header[1] === 'Add' ? { kind: 'add', path, lines: [] } : header[1] === 'Delete' ? { kind: 'delete', path } : { kind: 'update', path, chunks: [] };
      ops.push(op);
      continue;
    }
    if (!op) {
      if (line.trim() === '') continue;
      return { ok: false, reason: `invalid patch line ${i + 1}: expected a "*** … File:" header, got ${JSON.stringify(line)}` };
    }
    const trimmed = line.trim();
    if (op.kind === 'update' && /^\*\*\* Move to:/.test(trimmed)) {
      op.moveTo = trimmed.replace(/^\*\*\* Move to:\s*/, '');
      continue;
    }
    if (trimmed === '*** End of File') {
      if (chunk) chunk.eof = true;
      endChunk();
      continue;
    }
    if (op.kind === 'add') {
      if (line.startsWith('+')) {
        op.lines.push(line.slice(1));
        continue;
      }
    } else if (op.kind === 'update') {
      if (line.startsWith('@@')) {
        endChunk();
        const anchor = line.slice(2).trim();
        chunk = { anchor: anchor || undefined, lines: [], eof: false };
        continue;
      }
      const c = line[0];
      if (c === ' ' || c === '-' || c === '+') {
        (chunk ??= { lines: [], eof: false }).lines.push({ op: c, text: line.slice(1) });
        continue;
      }
      if (line === '') {
        (chunk ??= { lines: [], eof: false }).lines.push({ op: ' ', text: '', loose: true });
        continue;
      }
    }
    if (!sentinels) {
      end = i; // freeform patch ends at the first line that is not part of it
      break;
    }
    if (trimmed === '') continue;
    return { ok: false, reason: `invalid patch line ${i + 1}: ${JSON.stringify(line)}` };
  }
  endChunk();
  if (ops.length === 0) return { ok: false, reason: 'the patch names no file' };
  return { ok: true, ops };
}

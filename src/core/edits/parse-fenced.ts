/**
 * Markdown fenced code blocks in a model answer, each with the file name the answer gives it (if any).
 * Fences follow CommonMark: ``` or ~~~ (3+), closed by the same character at least as long, so a ```` fence can
 * hold ``` lines. Names come, strongest first, from the info string, from a file-name line just before the fence
 * (`foo.py`, `### foo.py`, `**foo.py**`), or — weak — from a `` `foo.py` `` mention in the prose before it.
 */
import { filenameFromInfo, filenameFromLine, looksLikeFilename, normalizePath } from './paths';

export type NameSource = 'info' | 'line' | 'prose';

export interface FencedBlock {
  lang: string;
  info: string;
  lines: string[];
  /** Line index of the opening fence in the answer. */
  open: number;
  /** Line index of the closing fence, or -1 when the fence is never closed. */
  close: number;
  name?: string;
  nameSource?: NameSource;
}

const OPEN_RE = /^( {0,3})(`{3,}|~{3,})(.*)$/;

export function fenceOpen(line: string): { indent: number; fence: string; info: string } | undefined {
  const m = OPEN_RE.exec(line);
  if (!m) return undefined;
  if (m[2][0] === '`' && m[3].includes('`')) return undefined;
  return { indent: m[1].length, fence: m[2], info: m[3].trim() };
}

export function isFenceClose(line: string, fence: string): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
  return !!m && m[1][0] === fence[0] && m[1].length >= fence.length;
}

/** Backticked or bold file names mentioned in a prose line. */
function proseNames(line: string, target?: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/`([^`\s]+)`|\*\*([^*\s]+)\*\*/g)) {
    const tok = (m[1] ?? m[2] ?? '').replace(/[.:,;!]+$/, '');
    if (looksLikeFilename(tok, target)) out.push(normalizePath(tok));
  }
  return out;
}

export function scanFences(lines: readonly string[], target?: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  let proseName: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const open = fenceOpen(lines[i]);
    if (!open) {
      const names = proseNames(lines[i], target);
      if (names.length) proseName = names[names.length - 1];
      continue;
    }
    const content: string[] = [];
    let close = -1;
    let j = i + 1;
    for (; j < lines.length; j++) {
      if (isFenceClose(lines[j], open.fence)) {
        close = j;
        break;
      }
      // CommonMark: remove up to the fence's own indentation from content lines.
      const l = lines[j];
      let k = 0;
      while (k < open.indent && l[k] === ' ') k++;
      content.push(l.slice(k));
    }
    const block: FencedBlock = { lang: (open.info.split(/\s+/)[0] ?? '').toLowerCase(), info: open.info, lines: content, open: i, close };
    const fromInfo = filenameFromInfo(open.info, target);
    let prev = i - 1;
    while (prev >= 0 && prev >= i - 2 && lines[prev].trim() === '') prev--;
    const fromLine = prev >= 0 && prev >= i - 2 ? filenameFromLine(lines[prev], target) : undefined;
    if (fromInfo) [block.name, block.nameSource] = [fromInfo, 'info'];
    else if (fromLine) [block.name, block.nameSource] = [fromLine, 'line'];
    else if (proseName) [block.name, block.nameSource] = [proseName, 'prose'];
    blocks.push(block);
    proseName = undefined;
    i = close < 0 ? lines.length : close;
  }
  return blocks;
}

const SHELLISH = new Set(['bash', 'sh', 'shell', 'zsh', 'console', 'terminal', 'powershell', 'ps', 'cmd', 'bat', 'output', 'log']);

/** Blocks that are commands to run or program output rather than file content (unless the target is a script). */
export function isShellish(block: FencedBlock, target?: string): boolean {
  if (!SHELLISH.has(block.lang)) return false;
  return !(target && /\.(sh|bash|zsh|ps1|bat|cmd|log)$/i.test(target));
}

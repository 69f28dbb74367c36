/**
 * SEARCH/REPLACE blocks as Aider, Cline and Roo Code models write them:
 *
 *   path/to/file.ts            (optional; the line before the block or before its opening fence)
 *   <<<<<<< SEARCH             (or Cline's `------- SEARCH`; 3+ dashes, 5+ `<`)
 *   :start_line:12             (optional Roo hints, then a `-------` line)
 *   …lines to find…
 *   =======                    (5+ `=`, nothing else on the line)
 *   …replacement…
 *   >>>>>>> REPLACE            (or `+++++++ REPLACE`)
 *
 * Markers are matched strictly (a separator with trailing spaces is not a separator): a malformed block is refused,
 * never guessed. A missing final REPLACE marker is tolerated only for a bare block (the answer is just the block, as in
 * a tool argument); in a chatty answer it means the reply was cut off, and is refused.
 */
import { fenceOpen, isFenceClose } from './parse-fenced';
import { filenameFromLine } from './paths';

export interface SearchReplaceBlock {
  path?: string;
  search: string[];
  replace: string[];
  /** 1-based hints from Roo's `:start_line:` / `:end_line:`. */
  startLine?: number;
  endLine?: number;
  terminated: boolean;
}

export type SearchReplaceParse = { ok: true; blocks: SearchReplaceBlock[] } | { ok: false; reason: string };

const START = /^(?:<{5,}|-{3,}) SEARCH>?$/;
const SEP = /^={5,}$/;
const END = /^(?:>{5,}|\+{3,}) REPLACE[<>]?$/;
const HINT = /^:(start_line|end_line):\s*(\d+)\s*$/;
const DASHES = /^-{3,}$/;
const ESCAPED = /^\\(?=<{5,}|={5,}|>{5,}|-{3,}|\+{3,}|:start_line:|:end_line:)/;
const LOOSE_MARKER = /^\s*(?:[<>]{3,}|[-+]{2,})\s*(?:SEARCH|REPLACE)\b/m;

/** Anything that looks like a SEARCH/REPLACE marker, even a malformed one (so it is refused rather than ignored). */
export function hasSearchReplaceMarkers(text: string): boolean {
  return LOOSE_MARKER.test(text);
}

function unescape(line: string): string {
  return line.replace(ESCAPED, '');
}

/** Aider's rule: the file name is on the line right before the block, or right before the fence that holds it. */
function nameBefore(lines: readonly string[], i: number, target?: string): string | undefined {
  for (let k = i - 1; k >= 0 && k >= i - 3; k--) {
    const open = fenceOpen(lines[k]);
    if (open) {
      const fromInfo = open.info.split(/\s+/).map((t) => filenameFromLine(t, target)).find((n) => n && /[./]/.test(n));
      if (fromInfo) return fromInfo;
      continue;
    }
    return filenameFromLine(lines[k], target);
  }
  return undefined;
}

export function parseSearchReplace(lines: readonly string[], target?: string): SearchReplaceParse {
  const blocks: SearchReplaceBlock[] = [];
  let state: 'outside' | 'search' | 'replace' = 'outside';
  let cur: SearchReplaceBlock | undefined;
  let headerPhase = false;
  let sawHint = false;
  let lastName: string | undefined;
  let fence: string | undefined; // open fence outside of blocks
  let blockInFence = false;
  let prose = false;
  const err = (i: number, what: string): SearchReplaceParse => ({ ok: false, reason: `malformed SEARCH/REPLACE block at answer line ${i + 1}: ${what}` });

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (state === 'outside') {
      if (START.test(line)) {
        const name = nameBefore(lines, i, target) ?? lastName;
        cur = { path: name, search: [], replace: [], terminated: false };
        if (name) lastName = name;
        state = 'search';
        headerPhase = true;
        sawHint = false;
        blockInFence = fence !== undefined;
        continue;
      }
      if (END.test(line)) return err(i, 'REPLACE marker without a SEARCH block');
      if (SEP.test(line)) continue;
      if (fence !== undefined) {
        if (isFenceClose(line, fence)) fence = undefined;
        continue;
      }
      const open = fenceOpen(line);
      if (open) {
        fence = open.fence;
        continue;
      }
      if (line.trim() && !filenameFromLine(line, target)) prose = true;
      continue;
    }
    if (!cur) continue;
    if (state === 'search') {
      if (headerPhase) {
        const h = HINT.exec(line);
        if (h) {
          const n = Number(h[2]);
          if (h[1] === 'start_line') cur.startLine = n;
          else cur.endLine = n;
          sawHint = true;
          continue;
        }
        headerPhase = false;
        if (sawHint && DASHES.test(line)) continue;
      }
      if (SEP.test(line)) {
        state = 'replace';
        continue;
      }
      if (START.test(line)) return err(i, 'a new SEARCH marker before `=======`');
      if (END.test(line)) return err(i, 'REPLACE marker before the `=======` separator');
      cur.search.push(unescape(line));
      continue;
    }
    // state === 'replace'
    if (END.test(line)) {
      cur.terminated = true;
      blocks.push(cur);
      cur = undefined;
      state = 'outside';
      continue;
    }
    if (START.test(line)) return err(i, 'a new SEARCH marker before `>>>>>>> REPLACE`');
    if (SEP.test(line)) return err(i, 'a second `=======` inside one block');
    cur.replace.push(unescape(line));
  }

  if (state === 'search') return { ok: false, reason: 'SEARCH block never finished: expected `=======` and `>>>>>>> REPLACE`' };
  if (state === 'replace' && cur) {
    const fenceLines = cur.replace.some((l) => fenceOpen(l) || /^\s*(`{3,}|~{3,})\s*$/.test(l));
    if (prose || blockInFence || fence !== undefined || fenceLines) {
      return { ok: false, reason: 'block never closed: expected `>>>>>>> REPLACE` (the answer looks cut off)' };
    }
    // A bare block missing only its final marker (Cline's tool argument): drop trailing blank lines it ends with.
    while (cur.replace.length && cur.replace[cur.replace.length - 1].trim() === '') cur.replace.pop();
    blocks.push(cur);
  }
  if (blocks.length === 0) return { ok: false, reason: 'no complete SEARCH/REPLACE block found' };
  return { ok: true, blocks };
}

/** Roo's numbered SEARCH lines ("12 | code"): the stripped text when every non-empty line carries a number. */
export function stripLineNumbers(lines: readonly string[]): string[] | undefined {
  const re = /^\s*\d+\s*\|(?!\|)\s?/;
  const nonEmpty = lines.filter((l) => l.trim() !== '');
  if (nonEmpty.length === 0 || !nonEmpty.every((l) => re.test(l))) return undefined;
  return lines.map((l) => l.replace(re, ''));
}

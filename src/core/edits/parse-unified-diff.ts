/**
 * Unified diffs as models write them: with or without `---`/`+++` headers (and `diff --git` lines), with real
 * `@@ -a,b +c,d @@` headers, with Aider's number-less `@@ ... @@`, with wrong numbers. Line numbers are kept only
 * as hints: hunks are located by their content. A blank line inside a hunk is a blank context line; prose after
 * the last hunk line is dropped.
 */
export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
  /** An unprefixed line taken as context (models drop the leading space); trailing ones are prose and dropped. */
  loose?: boolean;
}

export interface DiffHunk {
  /** 1-based old start line from the header, when it has numbers. */
  oldStart?: number;
  oldCount?: number;
  lines: DiffLine[];
}

export interface FileDiff {
  oldPath?: string;
  newPath?: string;
  hunks: DiffHunk[];
}

export type DiffParse = { ok: true; files: FileDiff[] } | { ok: false; reason: string };

const HUNK = /^@@(?:\s+-(\d+)(?:,(\d+))?\s+\+(\d+)(?:,(\d+))?\s+@@.*|\s*\.\.\.\s*@@.*|\s*@@?.*)?$/;

function isHunkHeader(line: string): boolean {
  return line.startsWith('@@') && HUNK.test(line);
}

function cleanPath(p: string): string | undefined {
  const s = p.replace(/\t.*$/, '').trim();
  if (!s || s === '/dev/null') return undefined;
  return s.replace(/^[ab]\//, '');
}

export function looksLikeUnifiedDiff(lines: readonly string[]): boolean {
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) return true;
    if (isHunkHeader(lines[i]) && /^[-+ ]/.test(lines[i + 1] ?? '')) return true;
  }
  return false;
}

export function parseUnifiedDiff(lines: readonly string[]): DiffParse {
  const files: FileDiff[] = [];
  let file: FileDiff | undefined;
  let hunk: DiffHunk | undefined;

  const closeHunk = (): void => {
    if (!hunk) return;
    while (hunk.lines.length) {
      const last = hunk.lines[hunk.lines.length - 1];
      if (!(last.loose || (last.op === ' ' && last.text.trim() === ''))) break;
      hunk.lines.pop();
    }
    if (hunk.lines.some((l) => l.op !== ' ')) (file ??= newFile()).hunks.push(hunk);
    hunk = undefined;
  };
  const newFile = (): FileDiff => {
    const f: FileDiff = { hunks: [] };
    files.push(f);
    return f;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('diff --git ')) {
      closeHunk();
      file = newFile();
      continue;
    }
    if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      closeHunk();
      if (!file || file.hunks.length || file.oldPath || file.newPath) file = newFile();
      file.oldPath = cleanPath(line.slice(4));
      file.newPath = cleanPath(lines[i + 1].slice(4));
      i++;
      continue;
    }
    if (isHunkHeader(line)) {
      closeHunk();
      const m = /^@@\s+-(\d+)(?:,(\d+))?\s+\+(\d+)(?:,(\d+))?\s+@@/.exec(line);
      hunk = { lines: [] };
      if (m) {
        hunk.oldStart = Number(m[1]);
        hunk.oldCount = m[2] === undefined ? 1 : Number(m[2]);
      }
      continue;
    }
    if (!hunk) continue;
    if (line.startsWith('\\')) continue; // "\ No newline at end of file": the file's own final newline is kept
    const c = line[0];
    if (c === ' ' || c === '-' || c === '+') hunk.lines.push({ op: c, text: line.slice(1) });
    else if (line === '') hunk.lines.push({ op: ' ', text: '' });
    else if (/^(`{3,}|~{3,})\s*$/.test(line)) closeHunk();
    else hunk.lines.push({ op: ' ', text: line, loose: true });
  }
  closeHunk();
  const withHunks = files.filter((f) => f.hunks.length);
  if (withHunks.length === 0 && files.length === 0) {
    // A bare hunk (a ```diff block of context and -/+ lines with no headers at all): located by content as usual.
    const body = lines.filter((l, i) => l.trim() !== '' || (i > 0 && i < lines.length - 1));
    if (body.length && body.every((l) => l === '' || /^[ +-]/.test(l)) && body.some((l) => /^[+-]/.test(l))) {
      return { ok: true, files: [{ hunks: [{ lines: body.map((l) => (l === '' ? { op: ' ', text: '' } : { op: l[0] === '+' ? '+' : l[0] === '-' ? '-' : ' ', text: l.slice(1) })) }] }] };
    }
  }
  if (withHunks.length === 0) return { ok: false, reason: 'the diff has no hunk with changes' };
  return { ok: true, files: withHunks };
}

/**
 * Line-level text helpers shared by the edit engine: a file is handled as a `Doc` (lines + line ending + whether
 * the last line is terminated) so that CRLF and a missing final newline survive every edit.
 */

export type Eol = '\n' | '\r\n';

export interface Doc {
  lines: string[];
  eol: Eol;
  finalNewline: boolean;
}

export function toDoc(text: string): Doc {
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1 - crlf;
  const eol: Eol = crlf > 0 && crlf >= lf ? '\r\n' : '\n';
  if (text === '') return { lines: [], eol, finalNewline: false };
  const lines = text.split(/\r?\n/);
  const finalNewline = lines[lines.length - 1] === '';
  if (finalNewline) lines.pop();
  return { lines, eol, finalNewline };
}

export function fromDoc(doc: Doc): string {
  if (doc.lines.length === 0) return '';
  return doc.lines.join(doc.eol) + (doc.finalNewline ? doc.eol : '');
}

export function cloneDoc(doc: Doc): Doc {
  return { lines: doc.lines.slice(), eol: doc.eol, finalNewline: doc.finalNewline };
}

/**
 * Replace doc.lines[start, end) by `lines`. A line owns its own terminator, so deleting the last line(s) of a file
 * that lacks a final newline leaves the new last line terminated (what deleting that text in an editor does);
 * replacing them keeps the original "no final newline".
 */
export function spliceDoc(doc: Doc, start: number, end: number, lines: readonly string[]): void {
  const touchesEnd = end === doc.lines.length;
  doc.lines.splice(start, end - start, ...lines);
  if (touchesEnd && lines.length === 0 && start > 0 && !doc.finalNewline) doc.finalNewline = true;
}

export function normalizeNewlines(s: string): string {
  return s.replace(/\r\n?/g, '\n');
}

export function isBlank(s: string): boolean {
  return s.trim() === '';
}

export function indentOf(s: string): string {
  const m = /^[ \t]*/.exec(s);
  return m ? m[0] : '';
}

/** Indentation in columns (a tab counts 4). */
export function indentWidth(s: string): number {
  return indentOf(s).replace(/\t/g, '    ').length;
}

/** Trimmed, internal whitespace runs collapsed to one space. */
export function squash(s: string): string {
  return s.trim().replace(/\s+/g, ' ');
}

/** Indentation kept verbatim, the rest squashed: the key used to align a model's code with the file. */
export function indentKey(s: string): string {
  return isBlank(s) ? '' : indentOf(s) + squash(s);
}

const PUNCT: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'",
  '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u201f': '"', '\u2033': '"',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-',
  '\u2026': '...', '\u00a0': ' ', '\u2007': ' ', '\u202f': ' ',
};

/** All whitespace removed and typographic punctuation folded to ASCII (the loosest exact-comparison level). */
export function looseKey(s: string): string {
  return s.replace(/[\u2018\u2019\u201a\u201b\u2032\u201c\u201d\u201e\u201f\u2033\u2010-\u2014\u2212\u2026\u00a0\u2007\u202f]/g, (c) => PUNCT[c] ?? c).replace(/\s+/g, '');
}

export function hasWord(s: string): boolean {
  return /[A-Za-z0-9_]/.test(s);
}

/** Levenshtein distance, two-row dynamic programming (lines are short; callers bound the work). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** 1 - edit distance / longer length, on squashed text; 1 means equal. */
export function charSimilarity(a: string, b: string): number {
  const x = squash(a);
  const y = squash(b);
  const n = Math.max(x.length, y.length);
  if (n === 0) return 1;
  // Cheap upper bound first: the length difference alone costs that many edits.
  if (1 - Math.abs(x.length - y.length) / n < 0.5) return 1 - Math.abs(x.length - y.length) / n;
  return 1 - levenshtein(x, y) / n;
}

export function tokens(s: string): string[] {
  return s.match(/[A-Za-z0-9_]+|[^\sA-Za-z0-9_]/g) ?? [];
}

/** True when every token of the shorter line also occurs in the longer one (the model only added to the line). */
export function tokenSuperset(a: string, b: string): boolean {
  const [small, big] = tokens(a).length <= tokens(b).length ? [tokens(a), tokens(b)] : [tokens(b), tokens(a)];
  if (small.length < 2 || small.length < big.length * 0.4 || small[0] !== big[0]) return false;
  const bag = new Map<string, number>();
  for (const t of big) bag.set(t, (bag.get(t) ?? 0) + 1);
  for (const t of small) {
    const n = bag.get(t) ?? 0;
    if (n === 0) return false;
    bag.set(t, n - 1);
  }
  return true;
}

/**
 * Two lines are "the same line, edited" when they differ by a typo (≥ 0.9 similar) or when one only adds tokens to
 * the other (an extended import, an added argument). Lines without any word character never pair this way.
 */
export function isEditedLine(a: string, b: string): boolean {
  if (!hasWord(a) || !hasWord(b)) return false;
  if (squash(a) === squash(b)) return true;
  return charSimilarity(a, b) >= 0.9 || tokenSuperset(a, b);
}

export function trimBlankEnds(lines: readonly string[]): { lines: string[]; lead: number; trail: number } {
  let s = 0;
  let e = lines.length;
  while (s < e && isBlank(lines[s])) s++;
  while (e > s && isBlank(lines[e - 1])) e--;
  return { lines: lines.slice(s, e), lead: s, trail: lines.length - e };
}

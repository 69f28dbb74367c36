/** Reading source text without a language server: the file's header (imports, leading comments) and identifiers. */

const IMPORTISH = [
  /^\s*import\b/, /^\s*export\s+(\*|\{[^}]*\}?)\s*(from\b|$)/, /^\s*from\s+\S+\s+import\b/, /^\s*#\s*(include|import)\b/,
  /^\s*using\s+[\w.]+\s*;/, /^\s*package\s+[\w.]+/, /^\s*use\s+[\w:{}, *]+;?\s*$/, /^\s*(const|let|var)\s+[\w{},\s]+=\s*require\(/,
  /^\s*require(_relative)?[\s(]/, /^\s*(extern\s+crate|mod)\s+\w+\s*;/, /^\s*['"]use strict['"];?\s*$/, /^\s*library\s+\w+/,
];
const COMMENTISH = /^\s*(\/\/|\/\*|\*|\*\/|#(?!\s*(include|import)\b)|--|;|"""|''')/;

/**
 * The file's header: leading comments, shebang and import-like lines (multi-line imports included), up to
 * `maxLines`. Returns the last header line (0-based) or undefined when the file has no imports.
 */
export function findHeaderEnd(lines: readonly string[], maxLines = 80): number | undefined {
  let lastImport: number | undefined;
  let depth = 0; // open brackets of a multi-line import
  const limit = Math.min(lines.length, maxLines);
  for (let i = 0; i < limit; i++) {
    const line = lines[i];
    const opens = (line.match(/[({[]/g) ?? []).length - (line.match(/[)}\]]/g) ?? []).length;
    if (depth > 0) {
      depth += opens;
      lastImport = i;
      continue;
    }
    if (IMPORTISH.some((re) => re.test(line))) {
      depth = Math.max(0, opens);
      lastImport = i;
      continue;
    }
    if (line.trim() === '' || COMMENTISH.test(line) || (i === 0 && line.startsWith('#!'))) continue;
    break;
  }
  return lastImport;
}

const KEYWORDS = new Set(`abstract and as assert async await boolean break byte case catch char class const constructor continue
debug debugger def default del delete do double elif else enum except export extends false final finally float fn for from
func function get global go if impl implements import in instanceof int interface is keyof lambda let long match mod module
mut namespace new nil none not null number object of or package pass private protected pub public raise readonly return
self set short static string struct super switch symbol this throw throws true try type typeof undefined union unsafe use
using var void where while with yield any never unknown bigint`.split(/\s+/));

export interface Identifier {
  readonly name: string;
  /** Character offset of its first occurrence in the text. */
  readonly offset: number;
}

/**
 * Distinct identifiers in `text` in order of first use, skipping keywords, very short names, and anything inside
 * string literals or comments (approximately: quotes and // or # comments on one line).
 */
export function identifiersIn(text: string, max = 16): Identifier[] {
  const masked = text
    .replace(/\/\*[\s\S]*?\*\//g, (m) => ' '.repeat(m.length))
    .replace(/(["'`])(?:\\.|(?!\1)[^\\\n])*\1/g, (m) => ' '.repeat(m.length))
    .replace(/(\/\/|#).*$/gm, (m) => ' '.repeat(m.length));
  const seen = new Set<string>();
  const out: Identifier[] = [];
  for (const m of masked.matchAll(/[A-Za-z_$][\w$]*/g)) {
    const name = m[0];
    if (name.length < 2 || KEYWORDS.has(name) || seen.has(name)) continue;
    seen.add(name);
    out.push({ name, offset: m.index ?? 0 });
    if (out.length >= max) break;
  }
  return out;
}

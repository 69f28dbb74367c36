/** Placeholder lines in model code ("// ... existing code ...", "# ... rest unchanged ...", "... same ..."). */

export interface Token {
  elision: boolean;
  text: string;
}

const COMMENT_OPEN = /^(?:\/\/+|#+|--+|;+|%+|\/\*+|<!--|\{\s*\/\*+|\*+(?!\*)|REM\b)\s*/i;
const COMMENT_CLOSE = /\s*(?:\*+\/\s*\}?|-->)$/;
const WORDS = /\b(existing|rest|same|unchanged|previous|remaining|others?|omitted|original|more|etc|code|methods?|functions?|imports?|content|lines?|here|above|below|before|implementation|body|logic|props|styles|fields|cases|tests|file)\b/i;

/** Is this line a placeholder for code the model did not repeat? */
export function isElisionLine(line: string): boolean {
  const t = line.trim();
  if (!t) return false;
  if (t === '...' || t === '\u2026') return true;
  const m = COMMENT_OPEN.exec(t);
  const inner = (m ? t.slice(m[0].length) : t).replace(COMMENT_CLOSE, '').replace(/^[[(]\s*|\s*[\])]$/g, '').trim();
  if (inner === '...' || inner === '\u2026') return !!m;
  const dots = /\.\.\.|\u2026/.test(inner);
  if (dots && inner.length <= 80 && WORDS.test(inner)) return !!m || /^(\.\.\.|\u2026)\s/.test(inner);
  return !!m && inner.length <= 60 && /^(?:the )?(rest(?: of)?|remaining|existing|unchanged|same as|others?|all other|everything else|keep|previous)\b/i.test(inner) && /\b(code|file|unchanged|methods?|functions?|implementation|content|same|lines?|before|here)\b/i.test(inner);
}

/** Elision tokens for placeholder lines — unless the file itself contains that very line. */
export function toTokens(lines: readonly string[], original: readonly string[]): Token[] {
  const own = new Set(original.map((l) => l.trim()));
  return lines.map((text) => ({ text, elision: isElisionLine(text) && !own.has(text.trim()) }));
}

export function hasElision(lines: readonly string[], original: readonly string[]): boolean {
  return toTokens(lines, original).some((t) => t.elision);
}

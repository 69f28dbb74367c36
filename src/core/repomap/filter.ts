/** Which files the map leaves out by their content: too large, binary, minified or generated. */

/** Larger files are almost always generated or vendored; they would also cost the most to parse. */
export const MAX_FILE_BYTES = 256 * 1024;

export type SkipReason = 'too large' | 'binary' | 'minified' | 'generated' | 'outside the workspace' | 'unreadable';

/** A NUL byte in the first 8 KB: the same test git and VS Code use. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

const MINIFIED_NAME = /[.-]min\.[cm]?js$|[.-]bundle\.[cm]?js$/i;
/** Generated-code markers in a file's first lines (Go's "Code generated … DO NOT EDIT.", @generated, protoc, …). */
const GENERATED = /@generated\b|\bDO NOT EDIT\b|\b(?:this|the) (?:file|code) (?:is|was|has been) (?:auto-?)?generated\b|\bauto-?generated (?:file|code)\b/i;

/** Minified: a telling name, or long lines on average with at least one very long one (in the first 32 KB). */
export function looksMinified(path: string, text: string): boolean {
  if (MINIFIED_NAME.test(path)) return true;
  const head = text.slice(0, 32 * 1024);
  const lines = head.split('\n');
  const longest = lines.reduce((m, l) => Math.max(m, l.length), 0);
  return longest > 1000 && head.length / lines.length > 200;
}

export function looksGenerated(text: string): boolean {
  const head = text.slice(0, 1024).split('\n').slice(0, 8).join('\n');
  return GENERATED.test(head);
}

export function skipReason(path: string, text: string): SkipReason | undefined {
  if (looksMinified(path, text)) return 'minified';
  if (looksGenerated(text)) return 'generated';
  return undefined;
}

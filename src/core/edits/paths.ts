/** File names as models write them: recognising them, comparing them with the target, refusing escapes. */

export function normalizePath(p: string): string {
  let s = p.trim().replace(/^[`'"*]+|[`'"*]+$/g, '').replace(/\\/g, '/');
  while (s.startsWith('./')) s = s.slice(2);
  return s.replace(/\/{2,}/g, '/');
}

/** Absolute paths, home-relative paths and any `..` segment leave the workspace. */
export function escapesWorkspace(p: string): boolean {
  const s = normalizePath(p);
  if (/^\//.test(s) || /^[A-Za-z]:\//.test(s) || s.startsWith('~')) return true;
  return s.split('/').some((seg) => seg === '..');
}

/** Same file if equal or one is a path-suffix of the other ("path/to/a.ts" names "a.ts" and vice versa). */
export function samePath(named: string, target: string): boolean {
  const a = normalizePath(named);
  const b = normalizePath(target);
  if (!a || !b) return false;
  return a === b || a.endsWith('/' + b) || b.endsWith('/' + a);
}

export function basename(p: string): string {
  const s = normalizePath(p);
  return s.slice(s.lastIndexOf('/') + 1);
}

/**
 * Does this token look like a file name? Needs a letter-led extension or a slash (so `a.txt`, `src/x`, not `1.5`
 * or `hello`); known-extensionless names such as the target's own basename also count.
 */
export function looksLikeFilename(token: string, target?: string): boolean {
  const t = normalizePath(token);
  if (!t || t.length > 250 || /\s/.test(t) || t.includes('://')) return false;
  if (target && (samePath(t, target) || basename(t) === basename(target))) return true;
  if (!/^[\w@$+\-.\/~]+$/.test(t) || /^\.+$/.test(t)) return false;
  if (/^(Makefile|Dockerfile|Gemfile|Rakefile|Procfile|LICENSE|README)$/.test(basename(t))) return true;
  return /\.[A-Za-z][A-Za-z0-9_-]{0,11}$/.test(t) || (t.includes('/') && /[A-Za-z]/.test(t));
}

/**
 * A line that is nothing but a file name, possibly decorated: `foo.py`, `**foo.py**`, `### foo.py`, `foo.py:`,
 * `` `foo.py` ``, `File: foo.py`, `// foo.py`.
 */
export function filenameFromLine(line: string, target?: string): string | undefined {
  let s = line.trim();
  if (!s || s.startsWith('```') || s.startsWith('~~~')) return undefined;
  s = s.replace(/^#+\s*/, '').replace(/^(?:\/\/|--|;)\s*/, '').replace(/^\*+|\*+$/g, '').trim();
  s = s.replace(/^(?:file(?:name)?|path)\s*:\s*/i, '').replace(/:$/, '').trim();
  s = s.replace(/^`+|`+$/g, '').replace(/^\*+|\*+$/g, '').trim();
  return looksLikeFilename(s, target) ? normalizePath(s) : undefined;
}

/** The file name in a fence info string: "```python src/a.py", "```src/a.py", "```ts:src/a.ts", "```js title=\"a.js\"". */
export function filenameFromInfo(info: string, target?: string): string | undefined {
  for (const raw of info.trim().split(/\s+/)) {
    // `python:scripts/report.py` (a language before the path) is a common model habit.
    const tok = raw.replace(/^(?:title|file|filename|path)=/i, '').replace(/^["']|["']$/g, '').replace(/^[a-z][a-z0-9+#-]+:(?!\/\/)/i, '');
    for (const part of [tok, ...tok.split(':')]) {
      const p = part.replace(/^\d+(?::\d+)*:?/, '');
      if (p && p.length > 0 && /[./]/.test(p) && looksLikeFilename(p, target)) return normalizePath(p);
    }
  }
  return undefined;
}

/**
 * Paths between the map and answers: the map shows workspace-relative paths with forward slashes; an answer that
 * names one (`src/util/retry.ts`, `./src/util/retry.ts`, `src\util\retry.ts`) must lead back to that same file, and a
 * path that escapes the workspace or no longer exists is refused with a reason the user can act on.
 */
import { MAP_EXTENSIONS } from './languages';

/** The map's form of a path an answer names, or undefined when it is absolute or climbs out of the workspace. */
export function normalizeMapPath(named: string): string | undefined {
  const p = named.trim().replace(/^`|`$/g, '').replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  if (!p || p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.split('/').some((s) => s === '..' || s === '')) return undefined;
  return p;
}

const PATH_IN_TEXT = new RegExp(`(?:^|[\\s\`'"(\\[])((?:\\.{0,2}/)?[\\w@.-]+(?:/[\\w@.-]+)*\\.(?:${MAP_EXTENSIONS.join('|')}))(?=$|[\\s\`'"),:;\\]])`, 'gm');

/** Workspace-relative paths an answer names, in order, unique (only files of the map's languages). */
export function pathsNamedIn(answer: string): string[] {
  const out: string[] = [];
  for (const m of answer.matchAll(PATH_IN_TEXT)) {
    const p = normalizeMapPath(m[1]);
    if (p && !out.includes(p)) out.push(p);
  }
  return out;
}

export type MapPathCheck = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

/** Whether a path an answer names can be edited: it must stay in the workspace and exist (checked by the host). */
export function checkMapPath(named: string, shownInMap: boolean, exists: boolean): MapPathCheck {
  const p = normalizeMapPath(named);
  if (!p) return { ok: false, reason: `The answer names \`${named.slice(0, 200)}\`, which is not a path inside this workspace; nothing was changed.` };
  if (exists) return { ok: true, path: p };
  return shownInMap
    ? { ok: false, reason: `The answer names \`${p}\`, which the repository map showed, but that file does not exist (it was moved or deleted since). Nothing was changed; ask again so the map is rebuilt.` }
    : { ok: false, reason: `The answer names \`${p}\`, which does not exist in this workspace. Nothing was changed; to create a file, create it first and apply the code to it.` };
}

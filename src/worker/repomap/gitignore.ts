/** `.gitignore` rules of a workspace: each file's patterns apply to paths below its own folder. */
import ignore, { type Ignore } from 'ignore';

export interface GitignoreFile {
  /** Workspace-relative path of the .gitignore, forward slashes. */
  readonly path: string;
  readonly text: string;
}

export function gitignoreMatcher(files: readonly GitignoreFile[]): (relPath: string) => boolean {
  const rules: { dir: string; ig: Ignore }[] = files.map((f) => {
    const slash = f.path.lastIndexOf('/');
    return { dir: slash < 0 ? '' : f.path.slice(0, slash + 1), ig: ignore().add(f.text) };
  });
  return (relPath) => rules.some(({ dir, ig }) => relPath.startsWith(dir) && relPath.length > dir.length && ig.ignores(relPath.slice(dir.length)));
}

/** Files an answer names, resolved the way the repository map shows paths (workspace-relative), or refused. */
import type * as vscode from 'vscode';
import { pathsNamedIn } from '../../core/repomap';
import type { RepoMap } from './repo-map';

export async function filesNamedInAnswer(map: RepoMap, answer: string): Promise<{ files: { uri: vscode.Uri; path: string }[]; refused: string[] }> {
  const files: { uri: vscode.Uri; path: string }[] = [];
  const refused: string[] = [];
  for (const p of pathsNamedIn(answer).slice(0, 20)) {
    const r = await map.resolve(p);
    if (r.ok) files.push({ uri: r.uri, path: r.path });
    else if (map.wasShown(p)) refused.push(r.reason); // other missing paths are just not offered
  }
  return { files, refused };
}

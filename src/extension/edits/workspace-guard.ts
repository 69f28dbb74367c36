/** Where Ponder may write: files inside the open workspace only, and in Restricted Mode only after the user confirms. */
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export type Guarded = { readonly ok: true; readonly relPath: string } | { readonly ok: false; readonly reason: string };

/** Real path of `p`, or of its nearest existing ancestor plus the rest (for files that do not exist yet). */
function realish(p: string): string {
  const rest: string[] = [];
  let cur = p;
  for (;;) {
    try {
      return path.join(realpathSync(cur), ...rest.reverse());
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return p;
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
}

function inside(root: string, p: string): string | undefined {
  const rel = path.relative(root, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : undefined;
}

/** Refuses other schemes, paths outside every workspace folder, `..` escapes and symlinks leading out. */
export function checkEditable(uri: vscode.Uri): Guarded {
  if (uri.scheme === 'untitled') return { ok: false, reason: 'Save this file inside the workspace first: Ponder only edits files in the open workspace.' };
  if (uri.scheme !== 'file') return { ok: false, reason: `Ponder only edits files inside the open workspace (this is a ${uri.scheme}: document).` };
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const shown = uri.fsPath;
  if (!folder || folder.uri.scheme !== 'file') return { ok: false, reason: `${shown} is outside the open workspace; Ponder only edits files inside it.` };
  const lexical = inside(folder.uri.fsPath, path.normalize(uri.fsPath));
  const real = inside(realish(folder.uri.fsPath), realish(uri.fsPath));
  if (!lexical || !real) return { ok: false, reason: `${shown} leads outside the workspace folder ${folder.name}; Ponder only edits files inside it.` };
  return { ok: true, relPath: lexical.split(path.sep).join('/') };
}

/** In Restricted Mode, a modal confirmation before any write; true when allowed. */
export async function confirmWrite(what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const choice = await vscode.window.showWarningMessage(
    `Apply Ponder's change to ${what}?`,
    { modal: true, detail: 'This workspace is in Restricted Mode. Ponder wrote nothing yet; applying changes the file in the editor (one undo restores it).' },
    'Apply',
  );
  return choice === 'Apply';
}

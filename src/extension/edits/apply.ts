/**
 * Writing a proposal: always one WorkspaceEdit (so one undo restores the file), only inside the workspace, only on
 * an explicit user action, after a confirmation in Restricted Mode; refused — proposal kept — if it no longer fits.
 */
import * as vscode from 'vscode';
import { applyHunks } from '../../core/edits/hunks';
import { plainCode } from '../../core/notification';
import { log } from '../log';
import { openPreview } from './preview';
import { appliedFile, hunkKey, type AppliedFile, type Proposal, type ProposalStore, type ProposalView } from './proposals';
import { checkEditable, confirmWrite } from './workspace-guard';

export type EditResult = { readonly ok: true; readonly done: string } | { readonly ok: false; readonly reason: string };

/** The smallest single replacement turning `from` into `to` (keeps cursors, folds and markers elsewhere in place). */
export function minimalEdit(doc: vscode.TextDocument, to: string): vscode.TextEdit | undefined {
  const from = doc.getText();
  if (from === to) return undefined;
  let start = 0;
  const max = Math.min(from.length, to.length);
  while (start < max && from.charCodeAt(start) === to.charCodeAt(start)) start++;
  let endFrom = from.length;
  let endTo = to.length;
  while (endFrom > start && endTo > start && from.charCodeAt(endFrom - 1) === to.charCodeAt(endTo - 1)) endFrom--, endTo--;
  // Never split a CRLF pair or a surrogate pair.
  const splits = (s: string, i: number) => i > 0 && i < s.length && ((s[i - 1] === '\r' && s[i] === '\n') || (/[\uD800-\uDBFF]/.test(s[i - 1]) && /[\uDC00-\uDFFF]/.test(s[i])));
  while (start > 0 && (splits(from, start) || splits(to, start))) start--;
  while ((endFrom < from.length && splits(from, endFrom)) || (endTo < to.length && splits(to, endTo))) endFrom++, endTo++;
  return vscode.TextEdit.replace(new vscode.Range(doc.positionAt(start), doc.positionAt(endFrom)), to.slice(start, endTo));
}

export class ProposalWriter {
  constructor(private readonly store: ProposalStore) {}

  /** Opens (or creates, for new files) the target document and returns the proposal's current view of it. */
  private async prepare(p: Proposal): Promise<{ view: ProposalView; doc?: vscode.TextDocument } | EditResult> {
    const guard = checkEditable(p.uri);
    if (!guard.ok) return guard;
    let doc: vscode.TextDocument | undefined;
    try {
      doc = await vscode.workspace.openTextDocument(p.uri);
    } catch {
      if (!p.createsFile) return { ok: false, reason: `${p.relPath} can no longer be opened (was it deleted or moved?). The proposal is kept.` };
    }
    return { view: this.store.view(p), doc };
  }

  /** Writes `text` as the file's new content; the written change (for the `applied` event) or why not. */
  private async write(p: Proposal, doc: vscode.TextDocument | undefined, text: string, what: string): Promise<EditResult & { file?: AppliedFile }> {
    if (!(await confirmWrite(`${p.relPath} (${what})`))) return { ok: false, reason: 'Not applied: you did not confirm (Restricted Mode). The proposal is kept.' };
    if (p.warnings.length && !(await confirmWarned(p))) return { ok: false, reason: 'Not applied: you did not confirm the warnings. The proposal is kept (Preview shows it; "Ask Ponder to redo it" asks again).' };
    const before = doc?.getText() ?? '';
    const edit = new vscode.WorkspaceEdit();
    if (doc) {
      const e = minimalEdit(doc, text);
      if (!e) return { ok: true, done: 'nothing to change' };
      edit.replace(p.uri, e.range, e.newText);
    } else {
      edit.createFile(p.uri, { ignoreIfExists: false });
      edit.insert(p.uri, new vscode.Position(0, 0), text);
    }
    this.store.willApply(p);
    const applied = await vscode.workspace.applyEdit(edit, { isRefactoring: false });
    if (!applied) return { ok: false, reason: `VS Code refused the edit to ${p.relPath} (is the file read-only?). The proposal is kept.` };
    log.info(`Applied Ponder's ${what} to ${p.relPath}.`);
    return { ok: true, done: what, file: appliedFile(p.uri, p.relPath, before, doc?.getText() ?? text) };
  }

  /** Apply everything. Other files than the active editor's are previewed first (a second Apply writes). */
  async apply(p: Proposal): Promise<EditResult> {
    const active = vscode.window.activeTextEditor?.document.uri.toString() === p.uri.toString();
    if (!active && !p.previewed) {
      await openPreview(this.store, p);
      return { ok: false, reason: `Review the change to ${p.relPath} in the diff, then apply it again.` };
    }
    const prep = await this.prepare(p);
    if (!('view' in prep)) return prep;
    if (!prep.view.ok) return stale(prep.view.reason);
    const { file, ...r } = await this.write(p, prep.doc, prep.view.proposed, 'change');
    if (r.ok) {
      if (file) this.store.applied(p, file, false);
      else this.store.remove(p); // nothing left to change
    }
    return r;
  }

  /** Accept one hunk: the file gets that change only; the rest of the proposal stays pending. */
  async acceptHunk(p: Proposal, index: number, key: string): Promise<EditResult> {
    const prep = await this.prepare(p);
    if (!('view' in prep)) return prep;
    const view = prep.view;
    if (!view.ok) return stale(view.reason);
    if (view.hunks[index] === undefined || hunkKey(view.hunks[index]) !== key) return { ok: false, reason: 'The proposal changed since these buttons were drawn; try again.' };
    const text = applyHunks(view.base, view.proposed, [index]);
    const { file, ...r } = await this.write(p, prep.doc, text, `change ${index + 1} of ${view.hunks.length}`);
    if (r.ok && file) {
      const rest = text !== view.proposed;
      if (rest) this.store.update(p, text, view.proposed);
      this.store.applied(p, file, rest);
    }
    return r;
  }

  /** Reject one hunk: it leaves the proposal; nothing is written. */
  rejectHunk(p: Proposal, index: number, key: string): EditResult {
    const view = this.store.view(p);
    if (!view.ok) return stale(view.reason);
    if (view.hunks[index] === undefined || hunkKey(view.hunks[index]) !== key) return { ok: false, reason: 'The proposal changed since these buttons were drawn; try again.' };
    const keep = view.hunks.map((_, i) => i).filter((i) => i !== index);
    this.store.update(p, view.base, applyHunks(view.base, view.proposed, keep));
    return { ok: true, done: `rejected change ${index + 1}` };
  }
}

/** A proposal with warnings is applied only after the user has read them (modal: it must not be clicked past). */
async function confirmWarned(p: Proposal): Promise<boolean> {
  const detail = `${p.warnings.map((w) => `• ${plainCode(w)}`).join('\n')}\n\nPreview shows the whole change.`;
  const choice = await vscode.window.showWarningMessage(`Ponder had to guess to place this change to ${p.relPath}. Apply it anyway?`, { modal: true, detail }, 'Apply Anyway');
  return choice === 'Apply Anyway';
}

function stale(reason: string): EditResult {
  return { ok: false, reason: `${reason} Nothing was written; the proposal is kept (Preview shows it, Discard drops it).` };
}

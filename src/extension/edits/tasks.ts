/**
 * The UI around the edit pipeline: a cancellable progress notification (Cancel = Stop), the panel revealed while
 * the user stays in the code, the result offered as a notification (Apply / Preview / Discard, and "Ask Ponder to
 * redo it" for a refused or warned edit), and the chat's "Apply to file…" for one code block of a stored turn.
 */
import * as vscode from 'vscode';
import { fenceLang, type TaskKind } from '../../core/context';
import { answerForBlock } from '../../core/edits/engine';
import { notificationText, plainCode } from '../../core/notification';
import type { PonderContext } from '../context';
import { toAbortSignal } from '../engine/cancellation';
import { REDO_LABEL } from './code-actions';
import { gateAnswer, type EditTarget, type RedoTicket } from './gate';
import type { EditIntent } from './proposals';
import { runTaskPipeline, type PipelineDeps, type PipelineResult } from './pipeline';
import { openPreview } from './preview';
import { redoEdit } from './redo';
import type { TaskArgs } from './task-args';
import { checkEditable } from './workspace-guard';

/** What the edit commands return (tests and other extensions read it). `redo`: a ticket for ponder.redoEdit. */
export type TaskResult =
  | { readonly ok: true; readonly proposalId?: string; readonly hunks?: number; readonly redo?: string }
  | { readonly ok: false; readonly reason: string; readonly redo?: string };

/** Runs `work` under a cancellable notification; the panel is revealed (focus back to the editor) when the model starts. */
async function withModelProgress(ctx: PonderContext, title: string, work: (signal: AbortSignal, beforeModel: (label: string) => Promise<void>) => Promise<PipelineResult>): Promise<PipelineResult> {
  const editor = vscode.window.activeTextEditor;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const cancel = toAbortSignal(token); // Cancel on the notification stops the turn, as Stop in the panel does
    try {
      return await work(cancel.signal, async (label) => {
        progress.report({ message: label });
        await ctx.panel.reveal(); // the reasoning streams there…
        if (editor) await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false }); // …while the user stays in the code
      });
    } finally {
      cancel.dispose();
    }
  });
}

export function runTask(ctx: PonderContext, deps: PipelineDeps, task: TaskKind, doc: vscode.TextDocument, args: TaskArgs): Promise<PipelineResult> {
  return withModelProgress(ctx, 'Ponder', (signal, beforeModel) => runTaskPipeline(deps, task, doc, args, signal, { beforeModel }));
}

export function runRedo(ctx: PonderContext, deps: PipelineDeps, ticket: RedoTicket): Promise<PipelineResult> {
  return withModelProgress(ctx, `Ponder: asking again (${ticket.target.label})`, async (signal, beforeModel) => {
    await beforeModel(`redo ${ticket.target.label}`);
    return redoEdit(deps, ticket, signal);
  });
}

/** Shows a result: a proposal is offered (non-blocking: it is already visible in the editor), a refusal is explained. */
export async function present(deps: PipelineDeps, r: PipelineResult, options: { offer: boolean }): Promise<TaskResult> {
  if (!r.ok) {
    void vscode.window.showWarningMessage(notificationText(r.reason), ...(r.redo ? [REDO_LABEL] : [])).then((choice) => {
      if (choice === REDO_LABEL && r.redo) void vscode.commands.executeCommand('ponder.redoEdit', r.redo.id);
    });
    return { ok: false, reason: r.reason, ...(r.redo ? { redo: r.redo.id } : {}) };
  }
  const p = r.proposal;
  if (!p) return { ok: true };
  if (p.createsFile) await openPreview(deps.store, p);
  else if (options.offer) {
    const hunks = r.hunks ?? 0;
    const warned = p.warnings.length ? ` Ponder had to guess: ${plainCode(p.warnings.join(' '))}` : '';
    const buttons = ['Apply', 'Preview', ...(r.redo ? [REDO_LABEL] : []), 'Discard'];
    void vscode.window.showInformationMessage(`Ponder proposes a change (${p.label}, ${hunks} change${hunks === 1 ? '' : 's'}) in ${p.relPath}.${warned}`, ...buttons).then((choice) => {
      const command = choice === 'Apply' ? 'ponder.applyProposal' : choice === 'Preview' ? 'ponder.previewProposal' : choice === 'Discard' ? 'ponder.discardProposal' : undefined;
      if (command) void vscode.commands.executeCommand(command, p.id);
      if (choice === REDO_LABEL && r.redo) void vscode.commands.executeCommand('ponder.redoEdit', r.redo.id);
    });
  }
  return { ok: true, proposalId: p.id, hunks: r.hunks, ...(r.redo ? { redo: r.redo.id } : {}) };
}

/** A chat answer (or part of one) as a proposal for `doc`: same gate, same workspace rules as a task. */
export async function proposeFromChat(deps: PipelineDeps, doc: vscode.TextDocument, answer: string, range: { startLine: number; endLine: number } | undefined, turn: { id: string; reasoning: string } | undefined, intent?: EditIntent): Promise<PipelineResult> {
  const guard = checkEditable(doc.uri);
  if (!guard.ok) return guard;
  const target: EditTarget = { uri: doc.uri, relPath: guard.relPath, range, where: 'the selection', task: 'chat', label: 'edit from the chat', lang: fenceLang(doc.languageId), intent };
  const r = await gateAnswer(deps, target, answer, turn && { turnId: turn.id, reasoning: turn.reasoning });
  return r.ok ? { ok: true, proposal: r.proposal, hunks: r.hunks, redo: r.redo, turnId: turn?.id } : { ok: false, reason: r.reason, redo: r.redo, turnId: turn?.id };
}

/**
 * The panel's "Apply to file…": block `blockIndex` of stored turn `turnId`, with its file-name line and the sibling
 * blocks of the same edit, proposed for a file the user picks (the block's named file or the last editor first).
 */
export async function applyAnswerBlock(ctx: PonderContext, deps: PipelineDeps, turnId: string, blockIndex: number, pickFile: (suggested: readonly vscode.Uri[]) => Promise<vscode.Uri | undefined>): Promise<TaskResult> {
  const turn = ctx.chat.snapshot().find((t) => t.id === turnId);
  if (!turn) return present(deps, { ok: false, reason: 'That answer is no longer in the open chat.' }, { offer: false });
  const excerpt = answerForBlock(turn.answer, blockIndex);
  if (!excerpt.ok) return present(deps, { ok: false, reason: `Ponder: ${excerpt.reason}.` }, { offer: false });
  const folder = vscode.workspace.workspaceFolders?.[0];
  // A path the repository map showed that is gone now is refused with the reason rather than silently not offered.
  const mapped = excerpt.block.name ? await ctx.repoMap.resolve(excerpt.block.name) : undefined;
  if (mapped && !mapped.ok && excerpt.block.name && ctx.repoMap.wasShown(excerpt.block.name)) return present(deps, { ok: false, reason: mapped.reason }, { offer: false });
  const named = excerpt.block.name && folder ? (mapped?.ok ? mapped.uri : vscode.Uri.joinPath(folder.uri, excerpt.block.name)) : undefined;
  const namedExists = named && checkEditable(named).ok ? await vscode.workspace.fs.stat(named).then(() => true, () => false) : false;
  const last = ctx.chips.lastEditor?.document.uri;
  const suggested = [...(namedExists && named ? [named] : []), ...(last && last.toString() !== named?.toString() ? [last] : [])];
  const uri = await pickFile(suggested);
  if (!uri) return { ok: false, reason: 'No file chosen.' };
  const doc = await vscode.workspace.openTextDocument(uri).then((d) => d, () => undefined);
  if (!doc) return present(deps, { ok: false, reason: `Ponder could not open ${vscode.workspace.asRelativePath(uri)}.` }, { offer: false });
  const editor = vscode.window.activeTextEditor?.document === doc ? vscode.window.activeTextEditor : undefined;
  const sel = editor && !editor.selection.isEmpty ? { startLine: editor.selection.start.line, endLine: editor.selection.end.line } : undefined;
  const r = await proposeFromChat(deps, doc, excerpt.answer, sel, turn);
  if (r.ok) await vscode.window.showTextDocument(doc, { preview: false }); // the proposal shows in its file (lenses, decorations)
  return present(deps, r, { offer: true });
}

/** Ponder's editor commands: the tasks (explain, fix, refactor, edit, tests), the proposal actions and redo. */
import * as vscode from 'vscode';
import type { TaskKind } from '../../core/context';
import { notificationText } from '../../core/notification';
import type { PonderContext } from '../context';
import type { EditResult, ProposalWriter } from './apply';
import type { PipelineDeps } from './pipeline';
import { openPreview, proposalIdOf } from './preview';
import type { Proposal } from './proposals';
import { MAX_INSTRUCTIONS, parseProposalRef, parseTaskArgs, type TaskArgs } from './task-args';
import type { TaskResult } from './tasks';

/** The task runner and everything it needs (prompting, the edit engine) load on the first task, not at activation. */
const tasks = () => import('./tasks.js');

const TASKS: ReadonlyArray<[string, TaskKind]> = [
  ['ponder.explain', 'explain'], ['ponder.fix', 'fix'], ['ponder.refactor', 'refactor'], ['ponder.editWithInstructions', 'edit'], ['ponder.generateTests', 'tests'],
];

async function documentFor(args: TaskArgs): Promise<vscode.TextDocument | string> {
  if (args.uri) {
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(args.uri, true);
    } catch {
      return `Ponder: not a valid document URI: ${args.uri.slice(0, 200)}`;
    }
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    return open ?? vscode.workspace.openTextDocument(uri).then((d) => d, () => `Ponder could not open ${uri.fsPath}.`);
  }
  return vscode.window.activeTextEditor?.document ?? 'Open a file and put the cursor in the code (or select it) first.';
}

export function registerEditCommands(ctx: PonderContext, deps: PipelineDeps, writer: ProposalWriter): void {
  const { store } = deps;
  const subs = ctx.vscodeContext.subscriptions;
  const reg = (id: string, fn: (...args: unknown[]) => unknown) => subs.push(vscode.commands.registerCommand(id, fn));
  const fail = (reason: string): { ok: false; reason: string } => {
    void vscode.window.showWarningMessage(notificationText(reason));
    return { ok: false, reason };
  };

  for (const [id, task] of TASKS) {
    reg(id, async (raw?: unknown): Promise<TaskResult> => {
      const args = parseTaskArgs(raw);
      if (typeof args === 'string') return fail(args);
      const doc = await documentFor(args);
      if (typeof doc === 'string') return fail(doc);
      let instructions = args.instructions;
      if (task === 'edit' && instructions === undefined) {
        instructions = await vscode.window.showInputBox({
          title: 'Ponder: Edit with Instructions',
          prompt: 'How should Ponder change this code?',
          placeHolder: 'e.g. handle an empty list; use async/await',
          validateInput: (v) => (v.length > MAX_INSTRUCTIONS ? `At most ${MAX_INSTRUCTIONS} characters.` : undefined),
        });
        if (!instructions?.trim()) return { ok: false, reason: 'No instructions given.' };
      }
      const { present, runTask } = await tasks();
      return present(deps, await runTask(ctx, deps, task, doc, { ...args, instructions: instructions?.trim() }), { offer: true });
    });
  }

  /** `ponder.redoEdit [ticketId | proposalId]`: one more turn in the same chat for a refused or warned edit. */
  reg('ponder.redoEdit', async (raw?: unknown): Promise<TaskResult> => {
    const id = typeof raw === 'string' && /^[\w-]{1,64}$/.test(raw) ? raw : undefined;
    const fromProposal = id ? store.get(id)?.redoTicket : undefined;
    const active = vscode.window.activeTextEditor?.document.uri;
    const ticket = id ? deps.redo.take(fromProposal ?? id) : deps.redo.take((active && deps.redo.latestFor(active)?.id) ?? deps.redo.latest()?.id ?? '');
    if (!ticket) return fail(id ? 'Ponder: that edit can no longer be asked again (it was already redone, or is too old).' : 'Ponder: there is no refused or uncertain edit to ask again about.');
    const { present, runRedo } = await tasks();
    return present(deps, await runRedo(ctx, deps, ticket), { offer: true });
  });

  /**
   * `ponder.proposeFromAnswer [{ uri?, path?, answer?, range? }]`: a chat answer (default: the last one) as a proposal
   * for a file. `path`: a workspace-relative path as the repository map shows it (and answers name it).
   */
  reg('ponder.proposeFromAnswer', async (raw?: unknown): Promise<TaskResult> => {
    let args = parseTaskArgs(raw);
    if (typeof args === 'string') return fail(args);
    const named = typeof raw === 'object' && raw !== null && 'path' in raw ? raw.path : undefined;
    if (typeof named === 'string') {
      const file = await ctx.repoMap.resolve(named.slice(0, 1024));
      if (!file.ok) return fail(file.reason);
      args = { ...args, uri: file.uri.toString() };
    }
    const given = typeof raw === 'object' && raw !== null && 'answer' in raw ? raw.answer : undefined;
    if (given !== undefined && (typeof given !== 'string' || given.length > 200_000)) return fail('Ponder: the answer must be a string of at most 200,000 characters.');
    const answer = given ?? [...ctx.chat.snapshot()].reverse().find((t) => t.answer.trim())?.answer;
    if (!answer) return fail('There is no answer in the Ponder chat to take an edit from.');
    const doc = await documentFor(args);
    if (typeof doc === 'string') return fail(doc);
    const editor = vscode.window.activeTextEditor?.document === doc ? vscode.window.activeTextEditor : undefined;
    const r = args.range ?? (editor && !editor.selection.isEmpty ? { startLine: editor.selection.start.line, endLine: editor.selection.end.line } : undefined);
    // The turn the code came from (the panel says which), so changes can link to its reasoning.
    const turnId = typeof raw === 'object' && raw !== null && 'turnId' in raw && typeof raw.turnId === 'string' ? raw.turnId : undefined;
    const turn = turnId ? ctx.chat.snapshot().find((t) => t.id === turnId) : undefined;
    // A `focus` diagnostic makes the edit a fix of it: verification after Apply then says whether that problem is gone.
    const { present, proposeFromChat } = await tasks();
    return present(deps, await proposeFromChat(deps, doc, answer, r && { startLine: r.startLine, endLine: r.endLine }, turn && { id: turn.id, reasoning: turn.reasoning }, args.focus && { target: args.focus }), { offer: true });
  });

  const find = (raw: unknown): Proposal | string => {
    // The diff's virtual documents name their proposal (editor/title buttons pass them; so does the active editor).
    const uri = raw instanceof vscode.Uri ? raw : raw === undefined ? vscode.window.activeTextEditor?.document.uri : undefined;
    const virtualId = uri && proposalIdOf(uri);
    const ref = virtualId ? { id: virtualId } : parseProposalRef(raw);
    const p = !ref ? undefined : 'id' in ref ? store.get(ref.id) : store.forUri(ref.uri);
    return p ?? 'There is no pending Ponder proposal for this file.';
  };
  const report = (r: EditResult): EditResult => {
    if (!r.ok) fail(r.reason);
    return r;
  };

  reg('ponder.applyProposal', async (raw?: unknown) => {
    const p = find(raw);
    if (typeof p === 'string') return fail(p);
    const r = report(await writer.apply(p));
    if (r.ok) void vscode.window.showInformationMessage(`Ponder: applied ${p.label} to ${p.relPath} (Undo restores it).`);
    return r;
  });
  reg('ponder.previewProposal', async (raw?: unknown) => {
    const p = find(raw);
    if (typeof p === 'string') return fail(p);
    await openPreview(store, p);
    return { ok: true, done: 'preview' };
  });
  reg('ponder.discardProposal', (raw?: unknown) => {
    const p = find(raw);
    if (typeof p === 'string') return fail(p);
    store.remove(p);
    return { ok: true, done: 'discarded' };
  });
  const hunkArgs = (id: unknown, index: unknown, key: unknown): [Proposal, number, string] | string => {
    const p = typeof id === 'string' ? store.get(id) : undefined;
    if (!p) return 'This Ponder proposal is gone.';
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || typeof key !== 'string') return 'Ponder: invalid hunk argument.';
    return [p, index, key];
  };
  reg('ponder.acceptHunk', async (id?: unknown, index?: unknown, key?: unknown) => {
    const a = hunkArgs(id, index, key);
    return typeof a === 'string' ? fail(a) : report(await writer.acceptHunk(...a));
  });
  reg('ponder.rejectHunk', (id?: unknown, index?: unknown, key?: unknown) => {
    const a = hunkArgs(id, index, key);
    return typeof a === 'string' ? fail(a) : report(writer.rejectHunk(...a));
  });
}

/**
 * The proposal gate every answer goes through, whatever asked for it (an editor task, a follow-up turn, "Apply to
 * file…" in the chat): workspace rules → applyModelEdit → a pending proposal, or a refusal with its reason. A
 * refused or warned edit gets a redo ticket while rounds are left, so the UI can offer "Ask Ponder to redo it".
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { lineSpan, type TaskKind } from '../../core/context';
import { changesOutside, describeOutside } from '../../core/edits/changed-lines';
import type { RedoProblem } from '../../core/edits/redo-prompt';
import type { LineRange } from '../../core/edits/types';
import type { EditIntent, Proposal, ProposalStore } from './proposals';
import { checkEditable } from './workspace-guard';

/** The button (and code action) that asks for one more turn on a refused or warned edit. */
/** The file (and range) an answer is for, and how its proposal is named. */
export interface EditTarget {
  readonly uri: vscode.Uri;
  readonly relPath: string;
  /** 0-based inclusive lines the answer rewrites (a selection, or the symbol a task was about); none: the file. */
  readonly range?: LineRange;
  /** How the range is named in "also changes … outside <where>": "the selection", "`add`", "lines 16–17". */
  readonly where?: string;
  readonly task: TaskKind | 'chat';
  /** e.g. "fix `add`", "edit from the chat". */
  readonly label: string;
  /** Fence language of the file (for quoting it in a redo prompt). */
  readonly lang: string;
  /** Carried to the proposal, for verification after Apply (issue 12). */
  readonly intent?: EditIntent;
}

/** What "Ask Ponder to redo it" needs: the chat turn whose answer failed, why, and how many rounds were used. */
export interface RedoTicket {
  readonly id: string;
  readonly target: EditTarget;
  readonly turnId: string;
  readonly problem: RedoProblem;
  /** Follow-up turns already made for this edit (0: the first answer failed). */
  readonly round: number;
}

export type GateResult =
  | { readonly ok: true; readonly proposal: Proposal; readonly hunks: number; readonly redo?: RedoTicket }
  | { readonly ok: false; readonly reason: string; readonly redo?: RedoTicket };

/** The answer's source turn, for "Why?" links and redo tickets. */
export interface AnswerSource {
  readonly turnId: string;
  readonly reasoning: string;
}

/** Outstanding redo tickets (bounded: old ones are forgotten). */
export class RedoBook {
  private readonly tickets = new Map<string, RedoTicket>();

  issue(t: Omit<RedoTicket, 'id'>): RedoTicket {
    const ticket: RedoTicket = { ...t, id: randomUUID() };
    this.tickets.set(ticket.id, ticket);
    while (this.tickets.size > 50) this.tickets.delete(this.tickets.keys().next().value ?? '');
    return ticket;
  }

  get(id: string): RedoTicket | undefined {
    return this.tickets.get(id);
  }

  /** Uses a ticket up: each failed answer is asked again at most once. */
  take(id: string): RedoTicket | undefined {
    const t = this.tickets.get(id);
    this.tickets.delete(id);
    return t;
  }

  /** The newest ticket for a file, if any (palette use without an argument). */
  latestFor(uri: vscode.Uri): RedoTicket | undefined {
    return [...this.tickets.values()].reverse().find((t) => t.target.uri.toString() === uri.toString());
  }

  latest(): RedoTicket | undefined {
    return [...this.tickets.values()].pop();
  }
}

export interface GateDeps {
  readonly store: ProposalStore;
  readonly redo: RedoBook;
  readonly redoRounds: () => number;
  /** Awaited right before applyModelEdit (loads the syntax layer once). */
  readonly beforeApply?: () => Promise<void>;
}

/** The current text of the target: the open document's, else the file's. */
export async function targetText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return vscode.workspace.openTextDocument(uri).then((d) => d.getText(), () => undefined);
}

/** An answer → a proposal for `target`, or a refusal (with a redo ticket while `round` < the configured rounds). */
export async function gateAnswer(deps: GateDeps, target: EditTarget, answer: string, source: AnswerSource | undefined, round = 0): Promise<GateResult> {
  const guard = checkEditable(target.uri);
  if (!guard.ok) return { ok: false, reason: guard.reason };
  const original = await targetText(target.uri);
  if (original === undefined) return { ok: false, reason: `${target.relPath} can no longer be opened (was it deleted or moved?).` };
  const ticket = (problem: RedoProblem) => (source && target.task !== 'tests' && round < deps.redoRounds() ? deps.redo.issue({ target, turnId: source.turnId, problem, round }) : undefined);
  await deps.beforeApply?.();
  // The edit engine (parsers, markdown-it) loads with the first answer to apply, not at activation.
  const { applyModelEdit } = await import('../../core/edits/engine.js');
  const edit = applyModelEdit(original, answer, { path: target.relPath, range: target.range });
  if (!edit.ok) {
    const reason = `Ponder's answer could not be turned into an edit of ${target.relPath}: ${edit.reason}.`;
    return { ok: false, reason: source ? `${reason} The answer is in the Ponder panel.` : reason, redo: ticket({ kind: 'refused', reason: edit.reason }) };
  }
  if (edit.text === original) return { ok: false, reason: `The answer makes no change to ${target.relPath}.`, redo: ticket({ kind: 'refused', reason: 'the answer makes no change to the file' }) };
  const outside = target.range ? changesOutside(original, edit.text, target.range) : [];
  const note = describeOutside(outside, target.where ?? (target.range ? lineSpan(target.range.startLine, target.range.endLine) : 'the selection'));
  const redo = edit.warnings.length ? ticket({ kind: 'warned', warnings: edit.warnings }) : undefined;
  const proposal = deps.store.add({
    uri: target.uri, relPath: target.relPath, label: note ? `${target.label} (${note})` : target.label, createsFile: false,
    format: edit.format, confidence: edit.confidence, base: original, proposed: edit.text, source,
    warnings: edit.warnings, outside: note ? { ranges: outside, note } : undefined, redoTicket: redo?.id, origin: { target, round }, intent: target.intent,
  });
  const view = deps.store.view(proposal);
  return { ok: true, proposal, hunks: view.ok ? view.hunks.length : 0, redo };
}

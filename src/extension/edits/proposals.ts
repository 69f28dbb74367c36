/**
 * Ponder's pending proposals: at most one per file. A proposal is a pair (base, proposed) of whole texts; its view
 * against the file's current text is re-anchored by content when the file changed (cached per document version).
 * Typed events say what happened: `proposed` (new, or changed by a per-hunk Reject), `applied` (with the changed
 * ranges and the text before, per file), `discarded` (by the user, or replaced by a newer proposal for the file).
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { reanchor } from '../../core/context';
import { computeHunks, type Hunk } from '../../core/edits/hunks';
import type { EditFormat } from '../../core/edits/types';
import { changedLines } from '../../core/edits/changed-lines';
import type { LineRange } from '../../core/edits/types';
import type { EditTarget } from './gate';

export interface Proposal {
  readonly id: string;
  readonly uri: vscode.Uri;
  readonly relPath: string;
  /** e.g. "Fix `add`". */
  readonly label: string;
  /** The file does not exist yet (generated tests). */
  readonly createsFile: boolean;
  readonly format: EditFormat;
  readonly confidence: number;
  /** The chat turn whose answer this came from, with its reasoning (hunks link to passages that name their code). */
  readonly source?: { readonly turnId: string; readonly reasoning: string };
  /** What the edit engine had to guess; a proposal with warnings is never preferred and asks before Apply. */
  readonly warnings: readonly string[];
  /** Lines of `base` (0-based) the answer changes outside the range it was asked about, and how the label says so. */
  readonly outside?: { readonly ranges: readonly LineRange[]; readonly note: string };
  /** The "Ask Ponder to redo it" ticket for this proposal (when it has warnings and rounds are left). */
  readonly redoTicket?: string;
  /** What the answer was asked for and which follow-up round produced it (a repair loop continues from here). */
  readonly origin?: { readonly target: EditTarget; readonly round: number };
  /** What the task was after, for verification after Apply: a Fix's diagnostic, the target symbol. */
  readonly intent?: EditIntent;
  /** The text the proposal was made against, and the proposed text; both change as hunks are accepted or rejected. */
  base: string;
  proposed: string;
  /** Bumped on every change, so cached views and hunk keys go stale. */
  revision: number;
  /** The user has seen the diff (changes to files other than the active one need this before Apply). */
  previewed: boolean;
}

/** A Fix's diagnostic (line 0-based, message) and the target symbol, carried from the task to its Apply. */
export interface EditIntent {
  readonly target?: { readonly line: number; readonly message: string };
  readonly symbol?: string;
}

export type ProposalView =
  | { readonly ok: true; readonly base: string; readonly proposed: string; readonly hunks: readonly Hunk[] }
  | { readonly ok: false; readonly reason: string };

/** Stable name of a hunk, so a CodeLens click on an outdated hunk list is refused instead of hitting another hunk. */
export function hunkKey(h: Hunk): string {
  return `${h.oldStart},${h.oldLines}:${h.lines.join('\n').length}:${h.lines[0] ?? ''}`;
}

/** One file written by an Apply (whole proposal or one hunk). */
export interface AppliedFile {
  readonly uri: vscode.Uri;
  readonly relPath: string;
  /** The file's whole text before the write, and after it. */
  readonly before: string;
  readonly after: string;
  /** Changed lines in `after` (0-based, inclusive; an empty range where lines were only deleted). */
  readonly ranges: readonly vscode.Range[];
  /** The change as hunks of before → after (jsdiff convention, no context lines). */
  readonly hunks: readonly Hunk[];
}

export type ProposalEvent =
  /** A new proposal, or one whose content changed (a hunk was rejected). `replaced`: the file's previous one. */
  | { readonly type: 'proposed'; readonly proposal: Proposal; readonly replaced?: Proposal }
  /** Written to disk (in the editor): all of it (`partial: false`, the proposal is gone) or one accepted hunk. */
  | { readonly type: 'applied'; readonly proposal: Proposal; readonly files: readonly AppliedFile[]; readonly partial: boolean }
  /** Dropped without writing: by the user, or because a newer proposal for the same file replaced it. */
  | { readonly type: 'discarded'; readonly proposal: Proposal; readonly why: 'user' | 'replaced' };

/** The changed ranges of `after` and the hunks, for an `applied` event. */
export function appliedFile(uri: vscode.Uri, relPath: string, before: string, after: string): AppliedFile {
  const { hunks, regions } = changedLines(before, after);
  const ranges = regions.map((r) => (r.deletion ? new vscode.Range(r.startLine, 0, r.startLine, 0) : new vscode.Range(r.startLine, 0, r.endLine, r.endCharacter)));
  return { uri, relPath, before, after, ranges, hunks };
}

export class ProposalStore implements vscode.Disposable {
  private readonly byId = new Map<string, Proposal>();
  private readonly views = new Map<string, { key: string; view: ProposalView }>();
  private readonly emitter = new vscode.EventEmitter<ProposalEvent>();
  /** Every proposal event (UI that only redraws listens here). */
  readonly onDidChange = this.emitter.event;
  private readonly proposedEmitter = new vscode.EventEmitter<Extract<ProposalEvent, { type: 'proposed' }>>();
  private readonly appliedEmitter = new vscode.EventEmitter<Extract<ProposalEvent, { type: 'applied' }>>();
  private readonly discardedEmitter = new vscode.EventEmitter<Extract<ProposalEvent, { type: 'discarded' }>>();
  private readonly willApplyEmitter = new vscode.EventEmitter<{ readonly proposal: Proposal; readonly uri: vscode.Uri }>();
  /** Fires synchronously right before a proposal (or one hunk) is written: e.g. to record the file's diagnostics. */
  readonly onWillApply = this.willApplyEmitter.event;
  readonly onDidPropose = this.proposedEmitter.event;
  readonly onDidApply = this.appliedEmitter.event;
  readonly onDidDiscard = this.discardedEmitter.event;

  private fire(e: ProposalEvent): void {
    if (e.type === 'proposed') this.proposedEmitter.fire(e);
    else if (e.type === 'applied') this.appliedEmitter.fire(e);
    else this.discardedEmitter.fire(e);
    this.emitter.fire(e);
  }

  add(p: Omit<Proposal, 'id' | 'revision' | 'previewed'>): Proposal {
    let replaced: Proposal | undefined;
    for (const old of this.byId.values()) {
      if (old.uri.toString() !== p.uri.toString()) continue;
      this.byId.delete(old.id);
      this.views.delete(old.id);
      replaced = old;
    }
    const proposal: Proposal = { ...p, id: randomUUID(), revision: 0, previewed: false };
    this.byId.set(proposal.id, proposal);
    if (replaced) this.fire({ type: 'discarded', proposal: replaced, why: 'replaced' });
    this.fire({ type: 'proposed', proposal, replaced });
    return proposal;
  }

  get(id: string): Proposal | undefined {
    return this.byId.get(id);
  }

  forUri(uri: vscode.Uri): Proposal | undefined {
    const key = uri.toString();
    for (const p of this.byId.values()) if (p.uri.toString() === key) return p;
    return undefined;
  }

  all(): readonly Proposal[] {
    return [...this.byId.values()];
  }

  /** The proposal's texts changed (a hunk accepted or rejected); with nothing left to change it is removed. */
  update(p: Proposal, base: string, proposed: string): void {
    if (base === proposed) return this.remove(p);
    p.base = base;
    p.proposed = proposed;
    p.revision++;
    this.fire({ type: 'proposed', proposal: p });
  }

  /** Called by the writer right before it writes. */
  willApply(p: Proposal): void {
    this.willApplyEmitter.fire({ proposal: p, uri: p.uri });
  }

  /** Reports a write: the whole proposal (it leaves the store) or one hunk of it (`partial`, it stays). */
  applied(p: Proposal, file: AppliedFile, partial: boolean): void {
    if (!partial) this.drop(p);
    this.fire({ type: 'applied', proposal: p, files: [file], partial });
  }

  markPreviewed(p: Proposal): void {
    p.previewed = true;
  }

  /** The user discards the proposal. */
  remove(p: Proposal): void {
    if (this.drop(p)) this.fire({ type: 'discarded', proposal: p, why: 'user' });
  }

  private drop(p: Proposal): boolean {
    this.views.delete(p.id);
    return this.byId.delete(p.id);
  }

  /** The file's current text: the open document's, else '' for a file still to be created, else the base. */
  currentText(p: Proposal): { text: string; version: number | string } {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === p.uri.toString());
    if (doc) return { text: doc.getText(), version: doc.version };
    return { text: p.createsFile ? '' : p.base, version: 'closed' };
  }

  /** The proposal against the file as it is now; refused (with the reason) if its changes cannot be located. */
  view(p: Proposal): ProposalView {
    const current = this.currentText(p);
    const key = `${p.revision}@${current.version}`;
    const cached = this.views.get(p.id);
    if (cached?.key === key) return cached.view;
    const r = reanchor(p.base, p.proposed, current.text);
    const view: ProposalView = r.ok ? { ok: true, base: current.text, proposed: r.proposed, hunks: computeHunks(current.text, r.proposed) } : r;
    this.views.set(p.id, { key, view });
    return view;
  }

  dispose(): void {
    for (const e of [this.emitter, this.proposedEmitter, this.appliedEmitter, this.discardedEmitter, this.willApplyEmitter]) e.dispose();
  }
}

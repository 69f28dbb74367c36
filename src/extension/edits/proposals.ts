/**
 * Ponder's pending proposals: at most one per file. A proposal is a pair (base, proposed) of whole texts; its view
 * against the file's current text is re-anchored by content when the file changed (cached per document version).
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { reanchor } from '../../core/context';
import { computeHunks, type EditFormat, type Hunk } from '../../core/edits';

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
  /** What the task was after, for verification: a Fix's diagnostic, the target symbol. */
  readonly intent?: { readonly target?: { readonly line: number; readonly message: string }; readonly symbol?: string };
  /** The text the proposal was made against, and the proposed text; both change as hunks are accepted or rejected. */
  base: string;
  proposed: string;
  /** Bumped on every change, so cached views and hunk keys go stale. */
  revision: number;
  /** The user has seen the diff (changes to files other than the active one need this before Apply). */
  previewed: boolean;
}

export type ProposalView =
  | { readonly ok: true; readonly base: string; readonly proposed: string; readonly hunks: readonly Hunk[] }
  | { readonly ok: false; readonly reason: string };

/** Stable name of a hunk, so a CodeLens click on an outdated hunk list is refused instead of hitting another hunk. */
export function hunkKey(h: Hunk): string {
  return `${h.oldStart},${h.oldLines}:${h.lines.join('\n').length}:${h.lines[0] ?? ''}`;
}

/** 0-based line in the base text where the hunk's change starts (pure insertions: the line they go before). */
export function hunkLine(h: Hunk): number {
  return h.oldLines === 0 ? h.oldStart : h.oldStart - 1;
}

export class ProposalStore implements vscode.Disposable {
  private readonly byId = new Map<string, Proposal>();
  private readonly views = new Map<string, { key: string; view: ProposalView }>();
  private readonly changed = new vscode.EventEmitter<Proposal | undefined>();
  /** Fires with the proposal that changed (undefined: several, or one was removed). */
  readonly onDidChange = this.changed.event;

  add(p: Omit<Proposal, 'id' | 'revision' | 'previewed'>): Proposal {
    for (const old of this.byId.values()) if (old.uri.toString() === p.uri.toString()) this.byId.delete(old.id);
    const proposal: Proposal = { ...p, id: randomUUID(), revision: 0, previewed: false };
    this.byId.set(proposal.id, proposal);
    this.changed.fire(undefined);
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

  update(p: Proposal, base: string, proposed: string): void {
    if (base === proposed) return this.remove(p);
    p.base = base;
    p.proposed = proposed;
    p.revision++;
    this.changed.fire(p);
  }

  markPreviewed(p: Proposal): void {
    p.previewed = true;
  }

  remove(p: Proposal): void {
    if (this.byId.delete(p.id)) {
      this.views.delete(p.id);
      this.changed.fire(undefined);
    }
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
    this.changed.dispose();
  }
}

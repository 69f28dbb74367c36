/**
 * The lightbulb: "Fix with Ponder" per diagnostic under the cursor, "Rewrite with Ponder…" / "Explain with Ponder" for
 * a selection, and Apply (preferred) / Preview / Discard where a proposal exists. Returns at once: every action is
 * a command, so nothing here waits on the model.
 */
import * as vscode from 'vscode';
import { hunkLine, PREFERRED_CONFIDENCE } from '../../core/edits/types';
import type { RedoBook } from './gate';
import type { ProposalStore } from './proposals';
import type { TaskArgs } from './task-args';

export const REDO_LABEL = 'Ask Ponder to redo it';

const FIX_KIND = vscode.CodeActionKind.QuickFix.append('ponder');
const REWRITE_KIND = vscode.CodeActionKind.RefactorRewrite.append('ponder');

export class PonderCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [FIX_KIND, REWRITE_KIND] };

  /** `proposals`: the edit features once loaded (src/extension/features.ts); before that there is nothing to offer but tasks. */
  constructor(private readonly proposals: () => { readonly store: ProposalStore; readonly redo: RedoBook } | undefined) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (doc.uri.scheme !== 'file') return [];
    const wants = (kind: vscode.CodeActionKind) => !context.only || context.only.contains(kind) || kind.contains(context.only);
    const actions: vscode.CodeAction[] = [];
    const at = (r: vscode.Range): TaskArgs['range'] => ({ startLine: r.start.line, startCharacter: r.start.character, endLine: r.end.line, endCharacter: r.end.character });

    if (wants(FIX_KIND)) {
      const diagnostics = context.diagnostics.filter((d) => d.source !== 'Ponder');
      for (const d of diagnostics) {
        const title = diagnostics.length > 1 ? `Fix with Ponder: ${oneLine(d.message, 60)}` : 'Fix with Ponder';
        const a = new vscode.CodeAction(title, FIX_KIND);
        a.diagnostics = [d];
        const args: TaskArgs = { uri: doc.uri.toString(), range: at(d.range), focus: { line: d.range.start.line, message: d.message } };
        a.command = { title, command: 'ponder.fix', arguments: [args] };
        actions.push(a);
      }
      actions.push(...this.proposalActions(doc, range));
    }
    if (!range.isEmpty && wants(REWRITE_KIND)) {
      const args: TaskArgs = { uri: doc.uri.toString(), range: at(range), selection: true };
      const rewrite = new vscode.CodeAction('Rewrite with Ponder…', REWRITE_KIND);
      rewrite.command = { title: rewrite.title, command: 'ponder.editWithInstructions', arguments: [args] };
      const explain = new vscode.CodeAction('Explain with Ponder', REWRITE_KIND);
      explain.command = { title: explain.title, command: 'ponder.explain', arguments: [args] };
      actions.push(rewrite, explain);
    }
    return actions;
  }

  /** Apply / Preview / Discard when the cursor is on the lines the proposal changes (or it no longer fits the file). */
  private proposalActions(doc: vscode.TextDocument, range: vscode.Range): vscode.CodeAction[] {
    const loaded = this.proposals();
    if (!loaded) return [];
    const { store, redo } = loaded;
    const p = store.forUri(doc.uri);
    if (!p) return this.redoRefused(redo, doc, range);
    const view = store.view(p);
    if (view.ok) {
      const near = view.hunks.some((h) => {
        const start = hunkLine(h);
        return range.end.line >= start - 1 && range.start.line <= start + Math.max(h.oldLines, 1);
      });
      if (!near) return [];
    }
    const make = (title: string, command: string, preferred = false) => {
      const a = new vscode.CodeAction(title, FIX_KIND);
      a.command = { title, command, arguments: [p.id] };
      a.isPreferred = preferred;
      return a;
    };
    const actions = [make('Preview Ponder\'s proposed change…', 'ponder.previewProposal'), make('Discard Ponder\'s proposed change', 'ponder.discardProposal')];
    // A change placed by guessing (warnings) or with low confidence is never the one-keystroke choice.
    if (view.ok) actions.unshift(make(p.warnings.length ? 'Apply Ponder\'s proposed change (uncertain: asks first)' : 'Apply Ponder\'s proposed change', 'ponder.applyProposal', !p.warnings.length && p.confidence >= PREFERRED_CONFIDENCE));
    if (p.redoTicket && redo.get(p.redoTicket)) actions.push(make(REDO_LABEL, 'ponder.redoEdit'));
    return actions;
  }

  /** A refused answer for this file (its range under the cursor) can be asked again from the lightbulb too. */
  private redoRefused(redo: RedoBook, doc: vscode.TextDocument, range: vscode.Range): vscode.CodeAction[] {
    const t = redo.latestFor(doc.uri);
    if (!t || t.problem.kind !== 'refused') return [];
    const r = t.target.range;
    if (r && (range.end.line < r.startLine || range.start.line > r.endLine)) return [];
    const a = new vscode.CodeAction(REDO_LABEL, FIX_KIND);
    a.command = { title: REDO_LABEL, command: 'ponder.redoEdit', arguments: [t.id] };
    return [a];
  }
}

function oneLine(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

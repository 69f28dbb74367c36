/**
 * Editor features: context-aware tasks, proposals, their preview and application, redo. Loaded on first use
 * (src/extension/features.ts); the lightbulb (code-actions.ts) is registered at activation.
 */
import * as vscode from 'vscode';
import type { PonderContext } from '../context';
import { ProposalWriter } from './apply';
import { registerEditCommands } from './commands';
import { RedoBook } from './gate';
import { taskMapSlice } from '../repomap/task-slice';
import type { PipelineDeps } from './pipeline';
import { PROPOSAL_SCHEME, proposalIdOf, ProposalDecorations, ProposalDocuments, ProposalLenses } from './preview';
import { ProposalStore, type ProposalEvent } from './proposals';
import type { ProposalEventData } from '../context';
import type { TaskResult } from './tasks';

/** What the rest of the host (the panel router, later the verify/repair loop) uses of the edit features. */
export interface EditFeatures {
  readonly store: ProposalStore;
  readonly pipeline: PipelineDeps;
  /** The panel's "Apply to file…": block `blockIndex` of stored turn `turnId`, to a file `pickFile` chooses. */
  applyAnswerBlock(turnId: string, blockIndex: number, pickFile: (suggested: readonly vscode.Uri[]) => Promise<vscode.Uri | undefined>): Promise<TaskResult>;
}

export function registerEditFeatures(ctx: PonderContext): EditFeatures {
  const subs = ctx.vscodeContext.subscriptions;
  const store = new ProposalStore();
  const pipeline: PipelineDeps = {
    ctx, store, redo: new RedoBook(), redoRounds: () => ctx.config.redoRounds,
    // Parsers for placement and the syntax gate: loaded with the first edit (so is the edit engine: see gate.ts).
    beforeApply: () => import('./syntax-loader.js').then((m) => m.ensureSyntax(ctx.vscodeContext.extensionUri)),
    repoMapSlice: (c) => taskMapSlice(ctx, c),
  };
  const documents = new ProposalDocuments(store);
  const lenses = new ProposalLenses(store);
  const decorations = new ProposalDecorations(store);
  subs.push(
    store, documents, lenses, decorations,
    vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, documents),
    vscode.languages.registerCodeLensProvider({ scheme: 'file' }, lenses),
  );
  registerEditCommands(ctx, pipeline, new ProposalWriter(store));

  // Keep decorations, lenses and the `ponder.hasProposal` context key in step with proposals and edits.
  const refresh = () => {
    decorations.refresh();
    const doc = vscode.window.activeTextEditor?.document;
    const id = doc && proposalIdOf(doc.uri);
    void vscode.commands.executeCommand('setContext', 'ponder.hasProposal', !!doc && !!(id ? store.get(id) : store.forUri(doc.uri)));
  };
  store.onDidChange(refresh, undefined, subs);
  vscode.window.onDidChangeVisibleTextEditors(refresh, undefined, subs);
  vscode.window.onDidChangeActiveTextEditor(refresh, undefined, subs);
  vscode.workspace.onDidChangeTextDocument((e) => {
    if (store.forUri(e.document.uri)) {
      decorations.refresh();
      lenses.refresh();
    }
  }, undefined, subs);
  return { store, pipeline, applyAnswerBlock: async (turnId, blockIndex, pickFile) => (await import('./tasks.js')).applyAnswerBlock(ctx, pipeline, turnId, blockIndex, pickFile) };
}

/** A proposal event as plain data (the API's view; vscode objects stay inside the host). */
export function proposalEventData(e: ProposalEvent): ProposalEventData {
  const p = e.proposal;
  const base = { type: e.type, proposalId: p.id, relPath: p.relPath, label: p.label, turnId: p.source?.turnId, warnings: p.warnings };
  if (e.type === 'discarded') return { ...base, why: e.why };
  if (e.type === 'proposed') return base;
  return {
    ...base, partial: e.partial,
    files: e.files.map((f) => ({ relPath: f.relPath, before: f.before, after: f.after, lines: f.ranges.map((r) => ({ startLine: r.start.line, endLine: r.end.line })) })),
  };
}

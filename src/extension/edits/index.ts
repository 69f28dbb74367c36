/** Editor features of issue 5: context-aware tasks, proposals, their preview and application. One call from activate(). */
import * as vscode from 'vscode';
import type { PonderContext } from '../context';
import { ProposalWriter } from './apply';
import { PonderCodeActions } from './code-actions';
import { registerEditCommands } from './commands';
import { PROPOSAL_SCHEME, proposalIdOf, ProposalDecorations, ProposalDocuments, ProposalLenses } from './preview';
import { ProposalStore } from './proposals';
import { proposeFromAnswer } from './tasks';
import { registerVerifyFeatures, type Verifier } from '../verify';

export function registerEditFeatures(ctx: PonderContext): Verifier {
  const subs = ctx.vscodeContext.subscriptions;
  const store = new ProposalStore();
  const documents = new ProposalDocuments(store);
  const lenses = new ProposalLenses(store);
  const decorations = new ProposalDecorations(store);
  subs.push(
    store, documents, lenses, decorations,
    vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, documents),
    vscode.languages.registerCodeLensProvider({ scheme: 'file' }, lenses),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new PonderCodeActions(store), PonderCodeActions.metadata),
  );
  const writer = new ProposalWriter(store);
  registerEditCommands(ctx, store, writer);

  // Every Apply is checked (issue 12); a repair turn's answer goes through the same proposal gate as any answer.
  const verifier = registerVerifyFeatures(ctx, async (doc, answer, source) => {
    const r = proposeFromAnswer(store, doc, answer, undefined, source);
    return r.ok && r.proposalId ? { ok: true, proposalId: r.proposalId, warnings: [] } : { ok: false, reason: r.ok ? 'no proposal was made' : r.reason };
  });
  writer.onDidApply(({ proposal: p, before, after }) => void verifier.onApplied({ uri: p.uri, relPath: p.relPath, before, after, turnId: p.source?.turnId, target: p.intent?.target, symbol: p.intent?.symbol }), undefined, subs);

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
  return verifier;
}

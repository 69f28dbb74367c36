/** Verify after Apply, Repair and Undo (issue 12): loaded on first use with the edit features (src/extension/features.ts). */
import * as vscode from 'vscode';
import { fenceLang } from '../../core/context';
import type { PonderContext } from '../context';
import type { EditFeatures } from '../edits';
import type { DiagnosticsWatch } from './diagnostics';
import { RepairCodeActions, VerificationLenses } from './editor-ui';
import { TASK_TYPE } from './test-command';
import { Verifier, type RepairTurn } from './verifier';

export type { AppliedEdit, RepairTurn, VerificationRecord } from './verifier';
export { Verifier } from './verifier';

const isId = (v: unknown): v is string => typeof v === 'string' && /^[\w-]{1,64}$/.test(v);

export function registerVerifyFeatures(ctx: PonderContext, edits: EditFeatures, watch: DiagnosticsWatch): Verifier {
  const subs = ctx.vscodeContext.subscriptions;
  // A repair is the pipeline's follow-up step: one more turn in the same chat, its answer through the same gate.
  const repairTurn: RepairTurn = async (r, signal) => {
    if (!r.afterTurnId) return { ok: false, reason: 'this change did not come from a chat turn, so there is no conversation to continue; ask Ponder to fix it instead' };
    const { followUpTurn } = await import('../edits/pipeline.js'); // loaded with the first repair, not at activation
    const res = await followUpTurn(edits.pipeline, {
      afterTurnId: r.afterTurnId, prompt: r.prompt, display: r.display, round: r.round,
      target: { uri: r.uri, relPath: r.relPath, task: 'fix', label: `repair of ${r.relPath} (round ${r.round})`, lang: fenceLang(r.languageId) },
    }, signal);
    if (!res.ok) return { ok: false, reason: res.reason, turnId: res.turnId };
    if (!res.proposal || !res.turnId) return { ok: false, reason: 'the repair turn made no proposal', turnId: res.turnId };
    return { ok: true, turnId: res.turnId, proposalId: res.proposal.id, warnings: res.proposal.warnings };
  };
  const verifier = new Verifier(ctx, repairTurn, watch);
  const lenses = new VerificationLenses(verifier);
  subs.push(
    verifier, lenses,
    vscode.languages.registerCodeLensProvider({ scheme: 'file' }, lenses),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new RepairCodeActions(verifier), RepairCodeActions.metadata),
    // Ponder's verify tasks are created by Ponder only; an empty provider keeps the task type known to VS Code.
    vscode.tasks.registerTaskProvider(TASK_TYPE, { provideTasks: () => [], resolveTask: () => undefined }),
  );
  // Every Apply (proposal Apply, per-hunk Accept, the chat's Apply to file…) is checked.
  edits.store.onDidApply((e) => {
    for (const f of e.files) {
      void verifier.onApplied({ uri: f.uri, relPath: f.relPath, before: f.before, after: f.after, turnId: e.proposal.source?.turnId, target: e.proposal.intent?.target, symbol: e.proposal.intent?.symbol });
    }
  }, undefined, subs);

  const warn = (r: { ok: boolean; reason?: string }) => {
    if (!r.ok && r.reason) void vscode.window.showWarningMessage(r.reason.startsWith('Ponder') ? r.reason : `Ponder: ${r.reason}`);
    return r;
  };
  const pick = (raw: unknown, failedOnly: boolean) => (isId(raw) ? raw : verifier.latest(vscode.window.activeTextEditor?.document.uri, failedOnly));
  const reg = (id: string, fn: (raw?: unknown) => unknown) => subs.push(vscode.commands.registerCommand(id, fn));
  reg('ponder.repair', async (raw) => {
    const id = pick(raw, true);
    return warn(id ? await verifier.repair(id) : { ok: false, reason: 'There is no failed Ponder change to repair.' });
  });
  reg('ponder.undoChange', async (raw) => {
    const id = pick(raw, false);
    return warn(id ? await verifier.undo(id) : { ok: false, reason: 'There is no Ponder change to undo.' });
  });
  reg('ponder.stopVerification', (raw) => {
    const id = pick(raw, false);
    if (id) verifier.stop(id);
  });
  return verifier;
}

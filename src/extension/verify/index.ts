/** Verify after Apply, Repair and Undo (issue 12): one call from activation, given the edit pipeline's proposals. */
import * as vscode from 'vscode';
import type { PonderContext } from '../context';
import { RepairCodeActions, VerificationLenses } from './editor-ui';
import { TASK_TYPE } from './test-command';
import { Verifier, type ProposeRepair } from './verifier';

export type { AppliedEdit, ProposeRepair, VerificationRecord } from './verifier';
export { Verifier } from './verifier';

const isId = (v: unknown): v is string => typeof v === 'string' && /^[\w-]{1,64}$/.test(v);

export function registerVerifyFeatures(ctx: PonderContext, propose: ProposeRepair): Verifier {
  const subs = ctx.vscodeContext.subscriptions;
  const verifier = new Verifier(ctx, propose);
  const lenses = new VerificationLenses(verifier);
  subs.push(
    verifier, lenses,
    vscode.languages.registerCodeLensProvider({ scheme: 'file' }, lenses),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new RepairCodeActions(verifier), RepairCodeActions.metadata),
    // Ponder's verify tasks are created by Ponder only; an empty provider keeps the task type known to VS Code.
    vscode.tasks.registerTaskProvider(TASK_TYPE, { provideTasks: () => [], resolveTask: () => undefined }),
  );
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
  // Stop in the panel (or Ctrl+Alt+S) during a repair turn ends that fix's automatic repairs.
  subs.push(ctx.chat.onActivity((a) => {
    if (a.kind === 'ended' && a.outcome.stopReason === 'aborted') {
      const last = ctx.chat.snapshot().at(-1);
      if (last) verifier.turnStopped(last.id);
    }
  }));
  return verifier;
}

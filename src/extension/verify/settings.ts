/**
 * `ponder.verify.*`: user settings only. A workspace (or folder) value is never read — a repository must not be able
 * to choose a command Ponder runs, or make Ponder apply repairs on its own — and the manifest marks them restricted.
 */
import * as vscode from 'vscode';
import type { CheckTiming } from '../../core/verify';

export const MAX_REPAIR_ROUNDS = 3;

function user<T>(key: string, fallback: T): T {
  const i = vscode.workspace.getConfiguration('ponder.verify').inspect<T>(key);
  return i?.globalValue ?? i?.defaultValue ?? fallback;
}

const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

export const verifySettings = {
  get enabled(): boolean {
    return user<unknown>('enabled', true) !== false;
  },
  get timing(): CheckTiming {
    return { quietMs: Math.max(0, num(user<unknown>('quietPeriodMs', 1000), 1000)), timeBoxMs: Math.max(0, num(user<unknown>('timeoutSeconds', 10), 10)) * 1000 };
  },
  /** The test command template ('' = none). */
  get command(): string {
    const v = user<unknown>('command', '');
    return typeof v === 'string' ? v.trim() : '';
  },
  get commandTimeoutMs(): number {
    return Math.max(1, num(user<unknown>('commandTimeoutSeconds', 120), 120)) * 1000;
  },
  get outputLines(): number {
    return Math.min(200, Math.max(5, Math.floor(num(user<unknown>('outputLines', 30), 30))));
  },
  get autoRepairRounds(): number {
    return Math.min(MAX_REPAIR_ROUNDS, Math.max(0, Math.floor(num(user<unknown>('autoRepairRounds', 0), 0))));
  },
  /** Never in Restricted Mode. */
  get autoApplyRepairs(): boolean {
    return vscode.workspace.isTrusted && user<unknown>('autoApplyRepairs', false) === true;
  },
  /** A `ponder.verify.command` set in the workspace, which Ponder ignores (said once in the log). */
  get ignoredWorkspaceCommand(): string | undefined {
    const i = vscode.workspace.getConfiguration('ponder.verify').inspect<unknown>('command');
    const v = i?.workspaceFolderValue ?? i?.workspaceValue;
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  },
};

/** Runs a Ponder command in the extension host and checks it returned Ponder's `{ ok, reason?, … }` result shape. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

export interface CommandResult {
  readonly ok: boolean;
  readonly reason?: string;
  readonly proposalId?: string;
  readonly hunks?: number;
  readonly redo?: string;
}

const isResult = (v: unknown): v is CommandResult => typeof v === 'object' && v !== null && 'ok' in v && typeof v.ok === 'boolean';

export async function run(command: string, ...args: unknown[]): Promise<CommandResult> {
  const r: unknown = await vscode.commands.executeCommand(command, ...args);
  assert.ok(isResult(r), `${command} returns a result`);
  return r;
}

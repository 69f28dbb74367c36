/**
 * Runs the user's test command after a verified edit: only in a trusted workspace, only a user-settings command the
 * user agreed to (once per exact command text), in a task terminal the user sees (CustomExecution + Pseudoterminal),
 * with a timeout and Stop. The exit code and the last lines of output are captured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { expandCommand, outputTail, type CommandVars, type TestRun } from '../../core/verify';
import { log } from '../log';
import { verifySettings } from './settings';

const CONSENT_KEY = 'ponder.verify.consentedCommands';
export const TASK_TYPE = 'ponder-verify';

const hash = (command: string) => createHash('sha256').update(command).digest('hex');

export type CommandPlan =
  | { readonly kind: 'none' }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'run'; readonly template: string; readonly command: string; readonly cwd: string };

export class TestCommand {
  private warnedWorkspace = false;
  private readonly asking = new Set<string>();

  constructor(private readonly globalState: vscode.Memento) {}

  consented(template: string): boolean {
    return this.globalState.get<string[]>(CONSENT_KEY, []).includes(hash(template));
  }

  async allow(template: string): Promise<void> {
    const list = this.globalState.get<string[]>(CONSENT_KEY, []).filter((h) => h !== hash(template));
    await this.globalState.update(CONSENT_KEY, [...list, hash(template)].slice(-50));
  }

  /** What would run for this file now, or why nothing does. */
  plan(uri: vscode.Uri, vars: CommandVars): CommandPlan {
    const ignored = verifySettings.ignoredWorkspaceCommand;
    if (ignored && !this.warnedWorkspace) {
      this.warnedWorkspace = true;
      log.warn(`Ignoring ponder.verify.command from the workspace settings (${ignored}): Ponder only runs a test command from your user settings.`);
    }
    const template = verifySettings.command;
    if (!template) return { kind: 'none' };
    if (!vscode.workspace.isTrusted) return { kind: 'skip', reason: 'tests not run: this workspace is not trusted' };
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return { kind: 'skip', reason: 'tests not run: the file is outside the workspace' };
    const expanded = expandCommand(template, vars, process.platform === 'win32' ? 'windows' : 'posix');
    if (!expanded.ok) return { kind: 'skip', reason: `tests not run: ${expanded.reason}` };
    return { kind: 'run', template, command: expanded.command, cwd: folder.uri.fsPath };
  }

  /** Asks once per exact command text (a notification: it never blocks the editor); false if declined or dismissed. */
  async ask(template: string): Promise<boolean> {
    if (this.consented(template)) return true;
    if (this.asking.has(template)) return false;
    this.asking.add(template);
    try {
      const choice = await vscode.window.showWarningMessage(
        `Ponder: allow running your test command after it applies changes? \`${template}\` (from your user setting ponder.verify.command, run in this workspace's folder; Ponder asks again if the command changes).`,
        'Allow and Run',
      );
      if (choice !== 'Allow and Run') return false;
      await this.allow(template);
      return true;
    } finally {
      this.asking.delete(template);
    }
  }

  /** Runs the command in a visible task terminal; resolves with its result (never rejects). */
  run(plan: Extract<CommandPlan, { kind: 'run' }>, signal: AbortSignal): Promise<TestRun> {
    let started = Date.now(); // reset when the command really starts (the task terminal takes a moment to open)
    const timeoutMs = verifySettings.commandTimeoutMs;
    const lines = verifySettings.outputLines;
    return new Promise<TestRun>((resolve) => {
      let output = '';
      let child: ChildProcess | undefined;
      let settled = false;
      const write = new vscode.EventEmitter<string>();
      const close = new vscode.EventEmitter<number | void>();
      let timer: NodeJS.Timeout | undefined;
      const finish = (status: TestRun['status'], exitCode?: number, note?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (note) write.fire(`\r\n[Ponder] ${note}\r\n`);
        kill(child);
        close.fire(exitCode ?? 1);
        const tail = outputTail(note ? `${output}\n${note}` : output, lines);
        resolve({ status, exitCode, ms: Date.now() - started, tail, command: plan.command });
      };
      const onAbort = () => finish('stopped', undefined, 'Stopped.');
      const pty: vscode.Pseudoterminal = {
        onDidWrite: write.event,
        onDidClose: close.event,
        open: () => {
          started = Date.now();
          write.fire(`[Ponder] ${plan.command}\r\n`);
          try {
            // detached: its own process group, so a timeout or Stop ends the whole tree (npm → node → …).
            child = spawn(plan.command, { cwd: plan.cwd, shell: true, detached: process.platform !== 'win32', env: { ...process.env, FORCE_COLOR: '0' } });
          } catch (e) {
            return finish('error', undefined, e instanceof Error ? e.message : String(e));
          }
          const onData = (b: Buffer) => {
            const s = b.toString('utf8');
            output += s;
            if (output.length > 200_000) output = output.slice(-100_000);
            write.fire(s.replace(/\r?\n/g, '\r\n'));
          };
          child.stdout?.on('data', onData);
          child.stderr?.on('data', onData);
          child.on('error', (e) => finish('error', undefined, e.message));
          child.on('close', (code) => finish(code === 0 ? 'passed' : 'failed', code ?? undefined, `exit code ${code ?? '?'}`));
          timer = setTimeout(() => finish('timedOut', undefined, `Timed out after ${Math.round(timeoutMs / 1000)} s.`), timeoutMs);
        },
        close: () => finish('stopped', undefined, 'Stopped.'),
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.fsPath === plan.cwd) ?? vscode.TaskScope.Workspace;
      const task = new vscode.Task({ type: TASK_TYPE }, folder, 'verify', 'Ponder', new vscode.CustomExecution(async () => pty));
      task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent, focus: false, panel: vscode.TaskPanelKind.Dedicated, clear: true, echo: false };
      task.isBackground = false;
      vscode.tasks.executeTask(task).then(undefined, (e: unknown) => finish('error', undefined, `VS Code could not start the task: ${e instanceof Error ? e.message : String(e)}`));
    });
  }
}

function kill(child: ChildProcess | undefined): void {
  if (!child || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill();
    else process.kill(-child.pid, 'SIGTERM');
  } catch {
    child.kill();
  }
}
